"""The admin sign-in form, with every label in Chinese.

Wagtail's ``LoginForm`` redeclares ``password`` without a label, so Django derives
"Password" from the field name and no catalogue can translate it.
"""

from django import forms
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    password = forms.CharField(
        label="密码",
        widget=forms.PasswordInput(attrs={"placeholder": "输入密码", "autocomplete": "current-password"}),
        strip=False,
    )
