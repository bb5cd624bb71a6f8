"""Residents' forms of 议事协商: the proposal (captcha, like the report form), 附议,
the objection during the notice period and the outcome rating."""

from django import forms

from home.models import Community
from portal.abuse import AbuseProtectedForm, PortalCaptchaField
from portal.personal_data import ResidentTextField, is_mobile, normalise_phone

from ..complaints.models import Rating
from .models import Step

PHONE_WIDGET = forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"})


def _clean_mobile(value: str, *, required: bool) -> str:
    phone = normalise_phone(value or "")
    if not phone:
        if required:
            raise forms.ValidationError("请填写手机号。")
        return ""
    if not is_mobile(phone):
        raise forms.ValidationError("请填写 11 位手机号码，如 13812345678。")
    return phone


class ProposeForm(AbuseProtectedForm):
    community = forms.ModelChoiceField(
        label="所在社区",
        queryset=Community.objects.select_related("street"),
        empty_label="请选择",
        error_messages={"required": "请选择所在社区。", "invalid_choice": "请从列表中选择社区。"},
    )
    title = ResidentTextField(
        label="议题",
        min_length=4,
        max_length=60,
        help_text="一句话说清要商量的事，如：3 栋加装电梯。",
        error_messages={"required": "请填写议题。", "min_length": "议题至少 4 个字。"},
    )
    description = ResidentTextField(
        label="议题说明",
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="现状如何、影响哪些居民、您的建议（10–1000 字）。会在议事栏公开，请不要写他人姓名和电话。",
        error_messages={"required": "请填写议题说明。", "min_length": "议题说明至少 10 个字。"},
    )
    name = ResidentTextField(
        label="称呼（可不填）", max_length=30, required=False, help_text="仅工作人员可见。"
    )
    phone = forms.CharField(
        label="手机号", max_length=24, help_text="仅工作人员可见，用于联系您。", widget=PHONE_WIDGET
    )
    consent = forms.BooleanField(
        label="我已阅读并同意上方的个人信息保护告知",
        error_messages={"required": "请阅读并勾选同意个人信息保护告知。"},
    )
    captcha = PortalCaptchaField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].label_from_instance = lambda c: f"{c.street.name} · {c.name}"

    def clean_phone(self):
        return _clean_mobile(self.cleaned_data.get("phone"), required=True)


class SupportForm(forms.Form):
    """附议: a press; the phone is optional (it makes one person count once across devices)."""

    phone = forms.CharField(
        label="手机号（可不填）",
        max_length=24,
        required=False,
        help_text="仅用于确认同一人只附议一次，不公开。",
        widget=PHONE_WIDGET,
    )

    def clean_phone(self):
        return _clean_mobile(self.cleaned_data.get("phone"), required=False)


class ObjectionForm(AbuseProtectedForm):
    text = ResidentTextField(
        label="异议内容",
        min_length=5,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写异议内容。", "min_length": "异议内容至少 5 个字。"},
    )
    phone = forms.CharField(
        label="手机号", max_length=24, help_text="仅工作人员可见，用于答复您。", widget=PHONE_WIDGET
    )
    consent = forms.BooleanField(
        label="我同意工作人员为答复异议使用我的手机号",
        error_messages={"required": "请勾选同意后再提交。"},
    )

    def clean_phone(self):
        return _clean_mobile(self.cleaned_data.get("phone"), required=True)


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label="您对落实效果的评价",
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择评价。"},
    )


class FilterForm(forms.Form):
    step = forms.ChoiceField(label="步骤", required=False, choices=[("", "全部步骤"), *Step.choices])
    community = forms.ModelChoiceField(
        label="社区",
        required=False,
        queryset=Community.objects.order_by("name"),
        to_field_name="slug",
        empty_label="全部社区",
    )
