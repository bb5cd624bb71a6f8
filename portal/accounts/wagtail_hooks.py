from wagtail import hooks

from . import otp


@hooks.register("register_log_actions")
def register_second_factor_actions(actions):
    actions.register_action(otp.ACTION_ENROLLED, "开启双重验证", "开启了双重验证（身份验证器）")
    actions.register_action(otp.ACTION_RECOVERY_ISSUED, "生成恢复码", "生成了一组新的恢复码")
    actions.register_action(otp.ACTION_RECOVERY_USED, "使用恢复码", "用恢复码完成了双重验证")
    actions.register_action(otp.ACTION_RESET, "重置双重验证", "重置了双重验证（删除身份验证器和恢复码）")
