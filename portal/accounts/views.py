"""The second-factor pages (enrolment, verification, recovery codes) and the throttled
password reset. Thin: the rules are in ``otp.py`` and ``portal.abuse``."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from wagtail.admin.views.account import PasswordResetView

from portal.abuse import check_rate, ip_rate_key, parse_rate

from . import otp
from .forms import CodeForm, ResetForm

FRESH_CODES_SESSION_KEY = "portal_accounts_fresh_recovery_codes"


def _signed_in(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


@_signed_in
def setup(request):
    user = request.user
    if otp.confirmed_authenticator(user):
        # Replacing a device needs the current one first (or an administrator's reset), so a
        # stolen password alone can never enrol the thief's phone.
        if not user.is_verified():
            return redirect(_with_next("portal_accounts:verify", request))
        return redirect(_next_url(request))
    device = otp.pending_authenticator(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verdict = otp.confirm_enrolment(request=request, code=form.cleaned_data["code"])
        if verdict.ok:
            request.session[FRESH_CODES_SESSION_KEY] = otp.issue_recovery_codes(user=user)
            messages.success(request, "双重验证已开启。以后每次登录都需要输入身份验证器中的验证码。")
            return redirect(_with_next("portal_accounts:recovery_codes", request))
        form.wrong(verdict)
    context = {
        "form": form,
        "qr_svg": otp.qr_svg(device),
        "secret": otp.secret_text(device),
        "issuer": settings.OTP_TOTP_ISSUER,
        "account": user.get_username(),
        "next": _next_url(request),
        "required": otp.otp_required(user),
    }
    return render(request, "portal/accounts/setup.html", context)


@_signed_in
def verify(request):
    user = request.user
    if not otp.confirmed_authenticator(user):
        return redirect(_with_next("portal_accounts:setup", request))
    if user.is_verified():
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None, recovery_allowed=True)
    if request.method == "POST" and form.is_valid():
        verdict = otp.verify_session(request=request, code=form.cleaned_data["code"])
        if verdict.ok:
            if verdict.recovery_used:
                messages.warning(
                    request,
                    f"您使用了一个恢复码，还剩 {verdict.recovery_left} 个。"
                    "如手机已丢失，请联系系统管理员重置双重验证；也可在“恢复码”页面重新生成。",
                )
            return redirect(_next_url(request))
        form.wrong(verdict)
    context = {"form": form, "next": _next_url(request), "issuer": settings.OTP_TOTP_ISSUER}
    return render(request, "portal/accounts/verify.html", context)


@_signed_in
def recovery_codes(request):
    user = request.user
    if not (otp.confirmed_authenticator(user) and user.is_verified()):
        return redirect(_with_next("portal_accounts:verify", request))
    if request.method == "POST":
        request.session[FRESH_CODES_SESSION_KEY] = otp.issue_recovery_codes(user=user)
        return redirect(_with_next("portal_accounts:recovery_codes", request))
    codes = request.session.pop(FRESH_CODES_SESSION_KEY, None)
    context = {"codes": codes, "left": otp.recovery_codes_left(user), "next": _next_url(request)}
    response = render(request, "portal/accounts/recovery_codes.html", context)
    add_never_cache_headers(response)
    return response


@_signed_in
def reset(request, user_id: int):
    """An administrator removes a staff member's authenticator and recovery codes (a lost
    phone); the account enrols again at its next sign-in. Audited with the reason."""
    if not request.user.is_superuser:
        raise PermissionDenied
    account = get_object_or_404(get_user_model(), pk=user_id)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        otp.reset_second_factor(user=account, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"已重置 {account.get_username()} 的双重验证，该账号下次登录时重新绑定。")
        return redirect("wagtailusers_users:index")
    context = {"form": form, "account": account, "next": reverse("wagtailusers_users:index")}
    return render(request, "portal/accounts/reset.html", context)


RESET_LIMITED_MESSAGE = "重设密码的请求过于频繁，请在 {minutes} 分钟后再试。如急需登录，请联系系统管理员。"


class ThrottledPasswordResetView(PasswordResetView):
    """Wagtail's password reset, with at most so many e-mails per client address and per
    address typed (``STAFF_PASSWORD_RESET_RATE_PER_IP`` / ``…_PER_EMAIL``).

    Every request counts, whether or not an account has that e-mail, so the answer says
    nothing about which addresses exist. Over the limit the form comes back with the
    message under the field, the address still typed, and nothing is sent.
    """

    def post(self, request, *args, **kwargs):
        email = " ".join(request.POST.get("email", "").split()).lower()
        verdicts = [
            _count("staff-password-reset-ip", ip_rate_key(request), settings.STAFF_PASSWORD_RESET_RATE_PER_IP)
        ]
        if email:
            verdicts.append(
                _count("staff-password-reset-email", email, settings.STAFF_PASSWORD_RESET_RATE_PER_EMAIL)
            )
        refused = [verdict for verdict in verdicts if not verdict.allowed]
        if not refused:
            return super().post(request, *args, **kwargs)
        retry_after = max(verdict.retry_after for verdict in refused)
        form = self.get_form()
        form.is_valid()
        form.add_error("email", RESET_LIMITED_MESSAGE.format(minutes=max(1, -(-retry_after // 60))))
        response = self.render_to_response(self.get_context_data(form=form), status=429)
        response["Retry-After"] = str(retry_after)
        add_never_cache_headers(response)
        return response


def _count(scope: str, key: str, rate: str):
    limit, period = parse_rate(rate)
    return check_rate(scope=scope, key=key, limit=limit, period=period)
