"""Sign-in lock-out with django-axes: separate limits per account and per client address.

django-axes counts failures for each lock-out parameter (``AXES_LOCKOUT_PARAMETERS``:
the username, the client address) but compares them all with one ``AXES_FAILURE_LIMIT``.
A street office's staff share one address behind its NAT, so the address may fail more
often than one account before it is locked: ``AXES_FAILURE_LIMITS`` gives a limit per
parameter and :class:`PerParameterLimitHandler` reports failures on the account's scale
(the account limit as soon as any parameter reached its own limit), which is what axes
compares. Everything else — storage, cool-off, clean-up, the admin — is axes' own.

The client address is ``portal.abuse.client_ip`` (``AXES_CLIENT_IP_CALLABLE``), so
X-Forwarded-For is read exactly as for every other limit of the site.
"""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.db.models import Sum
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from wagtail.admin.views.account import get_user_login_form, password_reset_enabled


def account_failure_limit(request, credentials) -> int:
    """``AXES_FAILURE_LIMIT``: the scale :class:`PerParameterLimitHandler` reports on."""
    return settings.AXES_FAILURE_LIMITS["username"]


def cool_off(request=None) -> timedelta:
    """``AXES_COOLOFF_TIME``: how long a lock-out lasts after the last failed attempt."""
    return timedelta(minutes=settings.STAFF_LOGIN_COOLOFF_MINUTES)


def _parameter_limit(parameter) -> int:
    names = [parameter] if isinstance(parameter, str) else list(parameter)
    # A combined parameter (e.g. username + address) is as strict as its strictest part.
    return min(settings.AXES_FAILURE_LIMITS[name] for name in names)


class PerParameterLimitHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        scale = account_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        reported = 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if failures >= _parameter_limit(parameter):
                return max(failures, scale)
            reported = max(reported, min(failures, scale - 1))
        return reported

    def reset_user_attempts(self, request, credentials=None) -> int:
        """On a good sign-in (``AXES_RESET_ON_SUCCESS``) forgive this account's own failures
        from this address only. Axes would delete every failure from the address as well, so
        an attacker holding any one account could clear the address count between guesses."""
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return deleted


LOCKED_MESSAGE = (
    "登录失败次数过多，该账号或当前网络已被暂时锁定。请在 {minutes} 分钟后再试，"
    "期间再次尝试会重新计时。忘记密码请点击“忘记密码？”重设，或联系系统管理员解锁。"
)


def lockout_message() -> str:
    return LOCKED_MESSAGE.format(minutes=settings.STAFF_LOGIN_COOLOFF_MINUTES)


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: Wagtail's sign-in page again, with the lock-out in Chinese.

    The form is unbound (binding it would authenticate again and count one more failure)
    and keeps the username typed. 429 with Retry-After, never cached.
    """
    username = get_client_username(request, credentials) or ""
    messages.error(request, lockout_message())
    form = get_user_login_form()(request, initial={"username": username})
    context = {
        "form": form,
        "next": request.POST.get("next", "") if request.method == "POST" else "",
        "show_password_reset": password_reset_enabled(),
    }
    response = render(request, "wagtailadmin/login.html", context, status=429)
    response["Retry-After"] = str(settings.STAFF_LOGIN_COOLOFF_MINUTES * 60)
    add_never_cache_headers(response)
    return response
