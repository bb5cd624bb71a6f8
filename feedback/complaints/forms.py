"""Residents' forms: the problem report, the tracking lookup and the rating.

All three carry the honeypot and signed fill time of ``portal.abuse.AbuseProtectedForm``;
the report and the look-up (which guards a secret) also ask for the captcha. The rating
form sits behind the 192-bit tracking token, so a captcha there would only burden residents.
"""

import hashlib
import secrets

from django import forms
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError

from home.models import Community, Grid
from portal.abuse import AbuseProtectedForm, PortalCaptchaField
from portal.personal_data import ResidentTextField, is_mobile, normalise_phone

from .models import ComplaintCategory, Kind, Rating
from .photos import MAX_BYTES, MAX_PHOTOS, clean_photo


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        # Any image type, so phones offer the camera as well as the gallery; what is not
        # JPEG, PNG or WebP is refused by clean_photo (and by the picker before sending).
        attrs = {"accept": "image/*", "data-max-photos": MAX_PHOTOS, "data-max-bytes": MAX_BYTES}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = (
            [f for f in (data or []) if f] if isinstance(data, list | tuple) else ([data] if data else [])
        )
        if len(uploads) > MAX_PHOTOS:
            raise ValidationError(f"最多上传 {MAX_PHOTOS} 张照片。")
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(clean_photo(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class GridSelect(forms.Select):
    """Each grid option names its community (``data-community``), so ``feedback.js`` can
    offer only the chosen community's grids; without script the labels say the community
    and ``clean`` refuses a grid of another one."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-community"] = str(instance.community_id)
        return option


class GroupedGridChoiceField(forms.ModelChoiceField):
    widget = GridSelect

    def label_from_instance(self, obj):
        return f"{obj.community.name} {obj.name}"


# The similar-reports step without JavaScript: the first valid POST that has look-alikes
# is shown again with them and this token, which says "its captcha was answered"; the
# resident who still sends a new report is not asked again. Signed, for 30 minutes, and
# used up on the report it lets through (``use_confirm_token``).
CONFIRM_SALT = "feedback.report.similar-confirm"
CONFIRM_SECONDS = 1800


def issue_confirm_token() -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(secrets.token_urlsafe(12))


def confirm_token_valid(token: str) -> bool:
    try:
        signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token or "", max_age=CONFIRM_SECONDS)
    except signing.BadSignature:
        return False
    return cache.get(_confirm_key(token)) is None


def use_confirm_token(token: str) -> bool:
    """True once per token (atomic ``cache.add``), so one answered captcha sends one report."""
    return confirm_token_valid(token) and cache.add(_confirm_key(token), 1, timeout=CONFIRM_SECONDS + 60)


def _confirm_key(token: str) -> str:
    return "feedback:similar-confirm:" + hashlib.sha256(token.encode()).hexdigest()[:32]


class ComplaintFields(forms.Form):
    """What a report says and the rules it must meet, whoever sends it: the residents'
    form below and the Open311 API (``feedback.open311``) share them, so both refuse the
    same things with the same words."""

    # What ``services.submit_complaint`` takes from a valid form, beside the notice version.
    SUBMITTED = (
        "kind", "category", "community", "grid", "place", "latitude", "longitude", "description",
        "name", "phone", "allow_public", "notify", "email", "photos",
    )  # fmt: skip

    kind = forms.ChoiceField(label="反映类型", choices=Kind.choices, widget=forms.RadioSelect)
    category = forms.ModelChoiceField(
        label="问题分类",
        queryset=ComplaintCategory.objects.filter(active=True),
        empty_label="请选择",
    )
    community = forms.ModelChoiceField(
        label="所在社区",
        queryset=Community.objects.select_related("street"),
        empty_label="请选择",
    )
    grid = GroupedGridChoiceField(
        label="所在网格（不清楚可不填）",
        queryset=Grid.objects.select_related("community").order_by("community__name", "number", "name"),
        required=False,
        empty_label="不清楚",
    )
    place = ResidentTextField(
        label="具体地点", max_length=120, required=False, help_text="如：复兴路 88 号小区 3 栋楼下"
    )
    latitude = forms.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        widget=forms.HiddenInput,
    )
    description = ResidentTextField(
        label="问题描述",
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="请写清楚发生了什么、持续多久、希望怎样解决（10–1000 字）。",
    )
    photos = MultiplePhotoField(
        label="照片（可选，最多 3 张）",
        required=False,
        help_text="支持 JPG、PNG、WebP，每张不超过 8 MB。照片中的位置信息会被自动删除。",
    )
    name = ResidentTextField(label="称呼（可不填）", max_length=30, required=False)
    phone = forms.CharField(
        label="手机号",
        # Room for "+86 138-1111-2222"; what is stored is the 11 digits.
        max_length=24,
        help_text="仅工作人员可见，用于回访和查询进度。",
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
    )
    notify = forms.BooleanField(
        label="短信/邮件告诉我办理进展",
        required=False,
        help_text="受理派单、回复、办结、重新办理或不予受理时，发短信到上面的手机号（填了邮箱也发邮件）。"
        "短信只含反映编号和进度链接。",
    )
    email = forms.EmailField(
        label="电子邮箱（可不填）",
        max_length=120,
        required=False,
        help_text="仅工作人员可见，只用于发送办理进展。",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    allow_public = forms.BooleanField(
        label="同意隐去姓名和电话后，在“居民反映公开栏”展示本条反映", required=False
    )
    consent = forms.BooleanField(label="我已阅读并同意上方的个人信息保护告知")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["required"] = "请选择反映类型。"
        self.fields["category"].error_messages["required"] = "请选择问题分类。"
        self.fields["community"].error_messages["required"] = "请选择所在社区。"
        self.fields["description"].error_messages.update(
            {
                "required": "请填写问题描述。",
                "min_length": "问题描述至少 %(limit_value)d 个字（现在 %(show_value)d 个字）。",
                "max_length": "问题描述最多 %(limit_value)d 个字（现在 %(show_value)d 个字）。",
            }
        )
        self.fields["phone"].error_messages["required"] = "请填写手机号，方便工作人员联系您。"
        self.fields["consent"].error_messages["required"] = "请阅读并勾选同意个人信息保护告知。"
        self.fields["email"].error_messages["invalid"] = "请填写正确的邮箱地址，如 zhangsan@example.com。"

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if not is_mobile(phone):
            raise ValidationError("请填写 11 位手机号码，如 13812345678。")
        return phone

    def clean(self):
        cleaned = super().clean()
        grid, community = cleaned.get("grid"), cleaned.get("community")
        if grid and community and grid.community_id != community.pk:
            self.add_error("grid", "所选网格不属于所选社区，请重新选择或选“不清楚”。")
        if cleaned.get("email") and not cleaned.get("notify"):
            self.add_error(
                "email", "邮箱只用于发送办理进展：需要时请勾选“短信/邮件告诉我办理进展”，否则请清空邮箱。"
            )
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            cleaned["latitude"] = cleaned["longitude"] = None
        return cleaned


class ComplaintReportForm(AbuseProtectedForm, ComplaintFields):
    captcha = PortalCaptchaField()
    # Set by the similar-reports step (a token) or by feedback.js once it showed look-alikes
    # ("seen"): either way the resident chose a new report, so the step is not shown again.
    similar_seen = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    field_order = [
        "kind", "category", "community", "grid", "place", "latitude", "longitude", "description",
        "photos", "name", "phone", "notify", "email", "allow_public", "consent", "captcha",
    ]  # fmt: skip

    def __init__(self, *args, captcha_answered: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if captcha_answered:  # in the similar-reports step, with a valid token
            del self.fields["captcha"]


class SimilarQueryForm(forms.Form):
    """What feedback.js sends to look for similar reports while the form is filled in."""

    category = forms.ModelChoiceField(queryset=ComplaintCategory.objects.filter(active=True))
    community = forms.ModelChoiceField(queryset=Community.objects.all())
    description = forms.CharField(max_length=1000)
    latitude = forms.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False)
    longitude = forms.DecimalField(
        max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False
    )


class FollowForm(AbuseProtectedForm):
    """我也遇到 on a public report: a press, and optionally a phone to be told of updates."""

    notify = forms.BooleanField(label="有进展时短信告诉我", required=False)
    phone = forms.CharField(
        label="手机号（仅在需要通知时填写）",
        max_length=24,
        required=False,
        help_text="仅工作人员可见，只用于告诉您这条反映的进展。",
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(label="我已阅读并同意个人信息保护告知", required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("notify"):
            cleaned["phone"] = ""
            return cleaned
        phone = normalise_phone(cleaned.get("phone") or "")
        if not phone:
            self.add_error("phone", "需要通知时，请填写手机号。")
        elif not is_mobile(phone):
            self.add_error("phone", "请填写 11 位手机号码，如 13812345678。")
        if not cleaned.get("consent"):
            self.add_error("consent", "需要通知时，请阅读并勾选同意个人信息保护告知。")
        cleaned["phone"] = phone
        return cleaned


class TrackLookupForm(AbuseProtectedForm):
    reference = forms.CharField(label="反映编号", max_length=20, help_text="如 20261122-4KX7")
    phone_last4 = forms.CharField(
        label="手机号后 4 位",
        max_length=4,
        min_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}"}),
    )
    captcha = PortalCaptchaField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].error_messages["required"] = "请填写反映编号。"
        self.fields["phone_last4"].error_messages.update(
            {
                "required": "请填写手机号后 4 位。",
                "min_length": "请填写 4 位数字。",
                "max_length": "请填写 4 位数字。",
            }
        )


class RatingForm(AbuseProtectedForm):
    rating = forms.ChoiceField(label="您对办理结果的评价", choices=Rating.choices, widget=forms.RadioSelect)
    comment = ResidentTextField(
        label="意见（可不填）", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].error_messages["required"] = "请选择满意、基本满意或不满意。"
