from django import forms

from . import otp


class CodeForm(forms.Form):
    """One box for the six digits from the app, or (on verification) a recovery code."""

    code = forms.CharField(
        label="验证码",
        max_length=20,
        error_messages={"required": "请输入身份验证器中显示的 6 位数字。"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, recovery_allowed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.recovery_allowed = recovery_allowed
        field = self.fields["code"]
        if recovery_allowed:
            field.label = "验证码或恢复码"
            field.help_text = (
                "输入身份验证器中的 6 位数字；手机不在身边时，可输入一个 8 位恢复码（每个只能用一次）。"
            )
        else:
            field.help_text = "用身份验证器扫描二维码后，输入它显示的 6 位数字。"
            field.widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9 ]*"})

    def wrong(self, verdict: otp.Verdict) -> None:
        if verdict.wait_seconds:
            message = f"错误次数过多，请等待约 {verdict.wait_seconds} 秒后再输入。"
        elif self.recovery_allowed:
            message = "验证码或恢复码不正确，或已使用过。请输入身份验证器中当前显示的 6 位数字。"
        else:
            message = "验证码不正确。请确认手机时间准确，并输入身份验证器中当前显示的 6 位数字。"
        self.add_error("code", message)


class ResetForm(forms.Form):
    reason = forms.CharField(
        label="重置原因",
        max_length=200,
        help_text="如“手机丢失，已电话核实本人”。记入操作日志。",
        error_messages={"required": "请填写重置原因，并确认已核实是本人申请。"},
    )
