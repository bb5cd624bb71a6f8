"""Forms of the participation accounts: the phone and code (the 我的反映 forms), 报到, hours."""

from decimal import Decimal

from django import forms
from django.conf import settings

from home.models import Community
from portal.personal_data import ResidentTextField

from ...notifications.forms import CodeForm, PhoneForm
from .models import MemberKind

__all__ = ["CodeForm", "HoursForm", "RegisterForm", "SignInForm"]


class SignInForm(PhoneForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = "志愿者、在职党员、单位联系人用手机号登录，我们会发送 6 位验证码。"


class RegisterForm(forms.Form):
    display_name = ResidentTextField(
        label="称呼",
        max_length=40,
        help_text="如“李老师”“王师傅”，公开页面只显示第一个字。",
        error_messages={"required": "请填写称呼。"},
    )
    kind = forms.ChoiceField(
        label="身份",
        choices=MemberKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择身份。"},
    )
    community = forms.ModelChoiceField(
        label="报到社区",
        queryset=Community.objects.order_by("name"),
        empty_label="请选择社区",
        error_messages={"required": "请选择报到社区。", "invalid_choice": "请从列表中选择社区。"},
    )
    unit_name = ResidentTextField(
        label="单位名称",
        max_length=100,
        required=False,
        help_text="单位联系人必填，如“西山区人民医院党支部”。",
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == MemberKind.UNIT_CONTACT and not data.get("unit_name"):
            self.add_error("unit_name", "单位联系人请填写单位名称。")
        return data


class HoursForm(forms.Form):
    activity = ResidentTextField(
        label="服务内容",
        max_length=100,
        help_text="如“为独居老人上门理发”。",
        error_messages={"required": "请填写服务内容。"},
    )
    served_on = forms.DateField(
        label="服务日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写服务日期。", "invalid": "请按 2026-05-01 的格式填写日期。"},
    )
    hours = forms.DecimalField(
        label="时长（小时）",
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
        error_messages={
            "required": "请填写时长。",
            "invalid": "请填写数字，如 1.5。",
            "min_value": "时长至少 0.5 小时。",
            "max_decimal_places": "时长按半小时计，如 1.5。",
            "max_digits": "时长太长了。",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "hours"
        ].help_text = f"按半小时计，每条最多 {settings.PARTICIPATION_MAX_HOURS_PER_ENTRY} 小时。"
