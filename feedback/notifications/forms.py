"""我的反映: the phone (with the captcha, before any SMS is sent) and the code it received."""

from django import forms
from django.core.exceptions import ValidationError

from portal.abuse import AbuseProtectedForm, PortalCaptchaField
from portal.personal_data import is_mobile, normalise_phone


class PhoneForm(AbuseProtectedForm):
    phone = forms.CharField(
        label="手机号",
        max_length=24,
        help_text="提交反映时填写的手机号，我们会发送 6 位验证码。",
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
        error_messages={"required": "请填写手机号。"},
    )
    captcha = PortalCaptchaField()

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if not is_mobile(phone):
            raise ValidationError("请填写 11 位手机号码，如 13812345678。")
        return phone


class CodeForm(AbuseProtectedForm):
    code = forms.CharField(
        label="短信验证码",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
        error_messages={
            "required": "请填写短信中的 6 位验证码。",
            "min_length": "验证码是 6 位数字。",
            "max_length": "验证码是 6 位数字。",
        },
    )
