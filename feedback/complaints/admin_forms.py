"""Small forms for the moderators' actions; each one feeds exactly one service call."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from .models import Complaint, HandlingUnit, RejectReason
from .selectors import complaints_for, promised_deadline


class DeadlineInput(forms.DateInput):
    """A native date picker. Browsers accept only ISO dates (``2026-12-13``) as its value;
    the zh-hans default (``2026/12/13``) would leave the field empty and drop the
    category's default deadline."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DispatchForm(forms.Form):
    unit = forms.ModelChoiceField(label="承办单位", queryset=HandlingUnit.objects.all())
    deadline = forms.DateField(label="办结时限", widget=DeadlineInput())
    note = forms.CharField(
        label="派单说明（居民可见，可不填）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].initial = complaint.handling_unit or complaint.category.default_unit
        self.fields["deadline"].initial = promised_deadline(complaint=complaint, start=timezone.localdate())


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


class HideForm(forms.Form):
    hidden = forms.BooleanField(label="不在公开栏展示", required=False)
    note = forms.CharField(label="原因（内部）", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hidden"].initial = not complaint.hidden
