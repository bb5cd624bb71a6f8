"""Residents' participation forms: a need (点单) and a wish (微心愿), with honeypot,
signed fill time and captcha as the report form; claim, confirm and thanks behind the
private link or a captcha."""

from django import forms
from django.core.exceptions import ValidationError

from home.models import Community
from portal.abuse import AbuseProtectedForm, PortalCaptchaField
from portal.personal_data import ResidentTextField, is_mobile, normalise_phone

from .models import NeedKind
from .services import wish_max_yuan

PHONE_WIDGET = forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"})
PHONE_ERROR = "请填写 11 位手机号码，如 13812345678。"


def _clean_mobile(raw: str) -> str:
    phone = normalise_phone(raw)
    if not is_mobile(phone):
        raise ValidationError(PHONE_ERROR)
    return phone


class NeedForm(AbuseProtectedForm):
    kind = forms.ChoiceField(label="需求类型", choices=NeedKind.choices, widget=forms.RadioSelect)
    community = forms.ModelChoiceField(
        label="所在社区", queryset=Community.objects.select_related("street"), empty_label="请选择"
    )
    description = ResidentTextField(
        label="需要什么帮助",
        min_length=10,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="请写清楚需要什么服务、在哪里（10–600 字）。公开前工作人员会隐去个人信息。",
    )
    preferred_time = ResidentTextField(
        label="希望服务时间（可不填）", max_length=60, required=False, help_text="如：周末上午、工作日晚上"
    )
    name = ResidentTextField(label="称呼（可不填）", max_length=30, required=False)
    phone = forms.CharField(
        label="手机号",
        max_length=24,
        help_text="仅工作人员和接单方联系您时使用，不会公开。",
        widget=PHONE_WIDGET,
    )
    consent = forms.BooleanField(label="我已阅读并同意上方的个人信息保护告知")
    captcha = PortalCaptchaField()

    field_order = [
        "kind",
        "community",
        "description",
        "preferred_time",
        "name",
        "phone",
        "consent",
        "captcha",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["required"] = "请选择需求类型。"
        self.fields["community"].error_messages["required"] = "请选择所在社区。"
        self.fields["description"].error_messages.update(
            {
                "required": "请填写需要什么帮助。",
                "min_length": "需求描述至少 %(limit_value)d 个字（现在 %(show_value)d 个字）。",
                "max_length": "需求描述最多 %(limit_value)d 个字（现在 %(show_value)d 个字）。",
            }
        )
        self.fields["phone"].error_messages["required"] = "请填写手机号，方便联系您。"
        self.fields["consent"].error_messages["required"] = "请阅读并勾选同意个人信息保护告知。"

    def clean_phone(self):
        return _clean_mobile(self.cleaned_data["phone"])


class WishForm(AbuseProtectedForm):
    community = forms.ModelChoiceField(
        label="所在社区", queryset=Community.objects.select_related("street"), empty_label="请选择"
    )
    title = ResidentTextField(label="我的心愿", max_length=60, help_text="如：一台收音机、孩子的一套文具")
    description = ResidentTextField(
        label="说明（可不填）", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    value_yuan = forms.IntegerField(label="大约价值（元）", min_value=1)
    name = ResidentTextField(label="姓名", max_length=30, help_text="心愿墙只显示姓氏，如“王**”。")
    phone = forms.CharField(
        label="手机号", max_length=24, help_text="仅工作人员可见，不会公开。", widget=PHONE_WIDGET
    )
    consent = forms.BooleanField(label="我已阅读并同意上方的个人信息保护告知")
    captcha = PortalCaptchaField()

    field_order = ["community", "title", "description", "value_yuan", "name", "phone", "consent", "captcha"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cap = wish_max_yuan()
        self.fields["value_yuan"].max_value = cap
        self.fields["value_yuan"].widget.attrs.update({"max": cap, "inputmode": "numeric"})
        self.fields["value_yuan"].help_text = f"微心愿不超过 {cap} 元。"
        self.fields["value_yuan"].error_messages.update(
            {
                "required": "请填写心愿的大约价值。",
                "invalid": "请填写整数金额，如 80。",
                "min_value": "金额至少 1 元。",
                "max_value": f"微心愿不超过 {cap} 元；更大的需求请到“需求清单”点单。",
            }
        )
        self.fields["community"].error_messages["required"] = "请选择所在社区。"
        self.fields["title"].error_messages["required"] = "请写下您的心愿。"
        self.fields["name"].error_messages["required"] = "请填写姓名（墙上只显示姓氏）。"
        self.fields["phone"].error_messages["required"] = "请填写手机号，方便联系您。"
        self.fields["consent"].error_messages["required"] = "请阅读并勾选同意个人信息保护告知。"

    def clean_value_yuan(self):
        # The validator list was built with the field; the cap is read now, from settings.
        value = self.cleaned_data["value_yuan"]
        if value > wish_max_yuan():
            raise ValidationError(self.fields["value_yuan"].error_messages["max_value"])
        return value

    def clean_phone(self):
        return _clean_mobile(self.cleaned_data["phone"])


class ClaimForm(AbuseProtectedForm):
    claimer_name = ResidentTextField(label="认领人或单位", max_length=60)
    claimer_phone = forms.CharField(
        label="手机号", max_length=24, help_text="仅工作人员可见，用于联系交付。", widget=PHONE_WIDGET
    )
    captcha = PortalCaptchaField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claimer_name"].error_messages["required"] = "请填写认领人或单位名称。"
        self.fields["claimer_phone"].error_messages["required"] = "请填写手机号。"

    def clean_claimer_phone(self):
        return _clean_mobile(self.cleaned_data["claimer_phone"])


class ConfirmNeedForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="服务评价",
        coerce=int,
        choices=[
            (5, "5 星 非常满意"),
            (4, "4 星 满意"),
            (3, "3 星 一般"),
            (2, "2 星 不太满意"),
            (1, "1 星 不满意"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择评价星级。"},
    )
    comment = ResidentTextField(
        label="评价意见（可不填）", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ThanksForm(forms.Form):
    message = ResidentTextField(
        label="感谢留言",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写下感谢的话。"},
        help_text="会显示在心愿墙上，请不要写电话和门牌号。",
    )
