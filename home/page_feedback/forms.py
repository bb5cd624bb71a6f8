"""The answer form: yes or no, an optional comment and a honeypot.

Not an ``AbuseProtectedForm``: its "form shown at" stamp would be as old as the cached
page the form sits on; the per-network rate limit does that work here.
"""

from django import forms
from wagtail.models import Page

from portal.abuse import HONEYPOT_LABEL, HoneypotInput

from .services import COMMENT_LENGTH

ANSWERS = [("yes", "有帮助"), ("no", "没有帮助")]


class PageFeedbackForm(forms.Form):
    # The queryset is set per form: Wagtail's public() reads the view restrictions when it
    # is built, which must not happen at import (a fresh database has no tables yet).
    page = forms.ModelChoiceField(queryset=Page.objects.none(), widget=forms.HiddenInput)
    useful = forms.ChoiceField(
        label="这个页面有用吗？",
        choices=ANSWERS,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择是否有帮助。"},
    )
    comment = forms.CharField(
        label="还有什么要告诉我们的吗？（可不填）",
        required=False,
        max_length=COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="请不要填写姓名、电话等个人信息；要反映具体问题，请用“我要反映”。",
        error_messages={"max_length": "意见请不超过 %(limit_value)d 个字。"},
    )
    website = forms.CharField(required=False, label=HONEYPOT_LABEL, widget=HoneypotInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].queryset = Page.objects.live().public()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError("提交未成功，请刷新页面后重试。")
        return cleaned

    @property
    def is_useful(self) -> bool:
        return self.cleaned_data["useful"] == "yes"
