"""Small forms for the moderators' actions; each one feeds exactly one service call."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from portal.personal_data import find_personal_data, mask_personal_data

from .models import Complaint, ComplaintPhoto, HandlingUnit, RejectReason
from .responses import add_template_field
from .selectors import complaints_for
from .workflow import latest_deadline


class DeadlineInput(forms.DateInput):
    """A native date picker. Browsers accept only ISO dates (``2026-12-13``) as its value;
    the zh-hans default (``2026/12/13``) would leave the field empty and drop the
    category's default deadline."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def draft_public_text(complaint: Complaint) -> str:
    """Where a moderator starts: the approved text, or the description with every
    detected piece of personal data masked."""
    return complaint.public_text or mask_personal_data(complaint.description)


def _public_text_field(**kwargs) -> forms.CharField:
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=1000, **kwargs)


def refuse_detected(form: forms.Form, field: str, text: str, *, confirmed: bool) -> None:
    """A public text that still contains what the detector calls personal data needs
    the moderator's explicit confirmation (the detector also errs on the safe side)."""
    findings = find_personal_data(text)
    if findings and not confirmed:
        listed = "、".join(f"“{f.text}”（{f.label}）" for f in findings[:5])
        form.add_error(
            field, f"公开文本中仍有疑似个人信息：{listed}。请修改，或核对无误后勾选“已核对，照此公开”。"
        )


class DispatchForm(forms.Form):
    unit = forms.ModelChoiceField(label="承办单位", queryset=HandlingUnit.objects.all())
    deadline = forms.DateField(label="办结时限", widget=DeadlineInput())
    note = forms.CharField(
        label="派单说明（居民可见，可不填）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    public_text = _public_text_field(
        label="公开文本（同时审核公开，可不填）",
        required=False,
        help_text="居民同意公开：已自动隐去检测到的个人信息，核对后随派单一起审核通过；清空则暂不公开。",
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        category = complaint.category
        self.fields["unit"].initial = complaint.handling_unit or category.default_unit
        latest, missing = latest_deadline(start=timezone.localdate(), days=category.default_days)
        limit = f"“{category.name}”办理时限 {category.default_days} 个工作日，最晚 {latest:%Y年%m月%d日}"
        deadline = self.fields["deadline"]
        if missing:  # the holiday calendar lacks the year: no default, a calendar-day bound
            deadline.help_text = f"{missing} 也可以按实际情况手工填写办结日期（{limit}，按日历日估算）。"
        else:  # the promised date (promised_deadline counted from today)
            deadline.initial = latest
            deadline.help_text = f"{limit}；需要更长时间，请派单后办理延期并写明原因。"
        # Only a report the resident allowed to be public can be approved with the dispatch.
        if complaint.allow_public and not complaint.hidden and not complaint.public_text_approved_at:
            self.fields["public_text"].initial = draft_public_text(complaint)
        else:
            del self.fields["public_text"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("public_text"):
            refuse_detected(self, "public_text", cleaned["public_text"], confirmed=False)
        return cleaned


class NoteForm(forms.Form):
    note = forms.CharField(
        label="说明（居民可见，可不填）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)


class ResolveForm(forms.Form):
    reply = forms.CharField(
        label="答复（将展示给居民）", min_length=5, max_length=2000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].initial = complaint.reply
        add_template_field(self, complaint)


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label="不予受理原因", choices=RejectReason.choices)
    duplicate_of = forms.CharField(
        label="与之重复的反映编号（重复反映时必填）", required=False, max_length=16
    )
    note = forms.CharField(
        label="补充说明（居民可见）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, complaint: Complaint, user, **kwargs):
        self.complaint = complaint
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_duplicate_of(self):
        reference = self.cleaned_data["duplicate_of"].strip().upper()
        if not reference:
            return None
        # Only among the reports the moderator may see: another community's reference gets
        # the same answer as one that does not exist.
        other = complaints_for(self.user).filter(reference=reference).exclude(pk=self.complaint.pk).first()
        if other is None:
            raise forms.ValidationError("没有找到这个编号的反映。")
        return other


class ExtendForm(forms.Form):
    deadline = forms.DateField(label="新的办结时限", widget=DeadlineInput())
    reason = forms.CharField(
        label="延期原因（居民可见）",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写延期原因，原因将展示给居民。"},
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        if complaint.deadline:
            self.fields["deadline"].initial = complaint.deadline + timedelta(days=7)


class PhotoChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"照片 {obj.pk}"


class PublicTextForm(forms.Form):
    """公开展示设置: the moderator edits and approves the public text, marks the photos
    that may be shown, or keeps the report off the public board."""

    public_text = _public_text_field(
        label="公开文本", required=False, help_text="公开栏展示这段文字，而不是居民的原文。"
    )
    confirmed = forms.BooleanField(label="已核对，照此公开（文本中标出的内容不是个人信息）", required=False)
    public_photos = PhotoChoiceField(
        label="可公开的照片",
        queryset=ComplaintPhoto.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="只勾选不含人脸、车牌、门牌等个人信息的照片。",
    )
    hidden = forms.BooleanField(label="不在公开栏展示", required=False)
    note = forms.CharField(label="原因（内部）", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.complaint = complaint
        self.fields["public_text"].initial = draft_public_text(complaint)
        # As it is now: a public report stays public if the moderator only adds a reason.
        self.fields["hidden"].initial = complaint.hidden or not complaint.allow_public
        photos = complaint.photos.all()
        if photos:
            self.fields["public_photos"].queryset = photos
            self.fields["public_photos"].initial = [p.pk for p in photos if p.public]
        else:
            del self.fields["public_photos"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("hidden"):
            return cleaned
        text = cleaned.get("public_text", "")
        if not self.complaint.allow_public:
            self.add_error("hidden", "居民未同意公开，这条反映只能不在公开栏展示。")
        elif not text:
            self.add_error("public_text", "请填写公开文本，或勾选“不在公开栏展示”。")
        else:
            refuse_detected(self, "public_text", text, confirmed=cleaned.get("confirmed", False))
        return cleaned
