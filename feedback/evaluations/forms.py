"""The resident's evaluation form (我要评议).

Without a preselected target the resident picks the type, then the target from that
type's select (all selects are there without JavaScript; a small script hides the
ones that do not apply). With a target preselected from its page (``?station=12``)
the form shows only that target.
"""

from django import forms
from django.core.exceptions import ValidationError

from home.models import Community
from portal.abuse import AbuseProtectedForm, PortalCaptchaField
from portal.personal_data import ResidentTextField, is_mobile, normalise_phone
from servicecatalog.models import ServiceItemPage, StationPage

from .models import DIMENSION_FIELDS, DIMENSIONS, PropertyCompany, TargetType

STAR_WORDS = {1: "很不满意", 2: "不满意", 3: "一般", 4: "满意", 5: "非常满意"}
STAR_CHOICES = [(str(n), f"{n} 星（{STAR_WORDS[n]}）") for n in range(1, 6)]
GENERIC_DIMENSIONS = dict(zip(DIMENSION_FIELDS, ("服务态度", "效率", "环境"), strict=True))
TARGET_FIELDS = {
    TargetType.SERVICE: "service",
    TargetType.STATION: "station",
    TargetType.COMPANY: "company",
    TargetType.COMMUNITY: "community",
}
TARGET_MISSING = {
    TargetType.SERVICE: "请选择要评议的办事服务。",
    TargetType.STATION: "请选择要评议的驿站或服务站点。",
    TargetType.COMPANY: "请选择要评议的物业服务企业。",
    TargetType.COMMUNITY: "请选择要评议的社区。",
}


class StarsInput(forms.RadioSelect):
    """Radio buttons drawn as big stars; each keeps a spoken label ("4 星（满意）")."""

    template_name = "feedback/includes/stars_widget.html"
    option_template_name = "django/forms/widgets/radio_option.html"


class CommunityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.street.name} · {obj.name}"


class EvaluationForm(AbuseProtectedForm):
    target_type = forms.ChoiceField(
        label="评议对象类型", choices=TargetType.choices, widget=forms.RadioSelect
    )
    service = forms.ModelChoiceField(
        label="办事服务", queryset=ServiceItemPage.objects.none(), required=False, empty_label="请选择"
    )
    station = forms.ModelChoiceField(
        label="驿站/服务站点", queryset=StationPage.objects.none(), required=False, empty_label="请选择"
    )
    company = forms.ModelChoiceField(
        label="物业服务企业", queryset=PropertyCompany.objects.all(), required=False, empty_label="请选择"
    )
    community = CommunityChoiceField(
        label="评议的社区",
        queryset=Community.objects.select_related("street"),
        required=False,
        empty_label="请选择",
    )
    home_community = CommunityChoiceField(
        label="您居住的社区",
        queryset=Community.objects.select_related("street"),
        required=False,
        empty_label="请选择",
        help_text="评议物业时必填（须是该物业服务的社区）；评议办事服务时可不填。用于分社区统计。",
    )
    stars = forms.TypedChoiceField(
        label="总体评价", choices=STAR_CHOICES, coerce=int, widget=StarsInput(attrs={"class": "star-input"})
    )
    attitude = forms.TypedChoiceField(
        choices=STAR_CHOICES, coerce=int, required=False, empty_value=None, widget=StarsInput
    )
    efficiency = forms.TypedChoiceField(
        choices=STAR_CHOICES, coerce=int, required=False, empty_value=None, widget=StarsInput
    )
    environment = forms.TypedChoiceField(
        choices=STAR_CHOICES, coerce=int, required=False, empty_value=None, widget=StarsInput
    )
    comment = ResidentTextField(
        label="评议意见（可不填）",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 300}),
        help_text="最多 300 字。经工作人员审核后公开展示，不显示您的电话。",
    )
    name = ResidentTextField(
        label="称呼（可不填）", max_length=30, required=False, help_text="公开时只显示姓氏，如“张**”。"
    )
    phone = forms.CharField(
        label="手机号（可不填）",
        max_length=24,  # "+86 138-1111-2222"; the 11 digits are stored
        required=False,
        help_text="仅工作人员可见。填写后，同一手机号每季度对同一对象计一次评议，再次提交会更新原评议。",
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(label="我已阅读并同意上方的个人信息保护告知")
    captcha = PortalCaptchaField()

    def __init__(self, *args, fixed_type: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = ServiceItemPage.objects.live().order_by("title")
        self.fields["station"].queryset = StationPage.objects.live().order_by("title")
        self.fixed_type = fixed_type
        if fixed_type:
            # The target came from its page: both choices travel as hidden fields.
            self.fields["target_type"].widget = forms.HiddenInput()
            self.fields[TARGET_FIELDS[fixed_type]].widget = forms.HiddenInput()
            for other_type, other in TARGET_FIELDS.items():
                if other_type != fixed_type:
                    del self.fields[other]
            if fixed_type in (TargetType.STATION, TargetType.COMMUNITY):
                del self.fields["home_community"]
        labels = dict(DIMENSIONS[fixed_type]) if fixed_type else GENERIC_DIMENSIONS
        for name in DIMENSION_FIELDS:
            self.fields[name].label = f"{labels[name]}（可不评）"
        self.fields["target_type"].error_messages["required"] = "请选择评议对象类型。"
        self.fields["stars"].error_messages["required"] = "请选择总体评价（1–5 星）。"
        self.fields["consent"].error_messages["required"] = "请阅读并勾选同意个人信息保护告知。"
        self.fields["comment"].error_messages["max_length"] = (
            "评议意见最多 %(limit_value)d 字（现在 %(show_value)d 字）。"
        )
        for name in ("service", "station", "company", "community", "home_community"):
            if name in self.fields:
                self.fields[name].error_messages["invalid_choice"] = "所选对象不存在或已下线，请重新选择。"

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if phone and not is_mobile(phone):
            raise ValidationError("请填写 11 位手机号码，如 13812345678；不愿填写可留空。")
        return phone

    def clean(self):
        cleaned = super().clean()
        target_type = cleaned.get("target_type")
        if not target_type:
            return cleaned
        field = TARGET_FIELDS[target_type]
        target = cleaned.get(field)
        if target is None:
            if field in self.fields and field not in self.errors:
                self.add_error(field, TARGET_MISSING[target_type])
            elif field not in self.fields:
                self.add_error(None, TARGET_MISSING[target_type])
            return cleaned
        cleaned["target"] = target
        home = cleaned.get("home_community")
        if target_type == TargetType.COMPANY:
            served = list(target.communities.all())
            if home is None and len(served) == 1:
                cleaned["home_community"] = served[0]
            elif home is None:
                self.add_error("home_community", "请选择您居住的社区（须是该物业服务的社区）。")
            elif home not in served:
                names = "、".join(c.name for c in served) or "暂无登记的社区"
                self.add_error("home_community", f"{target.name}服务的社区是：{names}，请重新选择。")
        return cleaned

    def dimension_scores(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name in DIMENSION_FIELDS}
