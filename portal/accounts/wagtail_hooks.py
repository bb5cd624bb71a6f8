from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import Button

from . import otp


@hooks.register("register_log_actions")
def register_second_factor_actions(actions):
    actions.register_action(otp.ACTION_ENROLLED, "开启双重验证", "开启了双重验证（身份验证器）")
    actions.register_action(otp.ACTION_RECOVERY_ISSUED, "生成恢复码", "生成了一组新的恢复码")
    actions.register_action(otp.ACTION_RECOVERY_USED, "使用恢复码", "用恢复码完成了双重验证")
    actions.register_action(otp.ACTION_RESET, "重置双重验证", "重置了双重验证（删除身份验证器和恢复码）")


@hooks.register("register_account_menu_item")
def second_factor_account_item(request):
    """On 账号设置 → 更多操作: the recovery codes once an authenticator is bound, else enrolment
    (which staff without personal-data access may choose too)."""
    if otp.confirmed_authenticator(request.user):
        return {
            "url": reverse("portal_accounts:recovery_codes"),
            "label": "恢复码",
            "help_text": f"还有 {otp.recovery_codes_left(request.user)} 个未使用；遗失或快用完时可重新生成。",
        }
    return {
        "url": reverse("portal_accounts:setup"),
        "label": "开启双重验证",
        "help_text": "登录时除密码外再输入手机身份验证器中的动态验证码。",
    }


@hooks.register("register_user_listing_buttons")
def second_factor_reset_button(user, request_user):
    if request_user.is_superuser and otp.has_second_factor(user):
        yield Button("重置双重验证", reverse("portal_accounts:reset", args=[user.pk]), priority=90)
