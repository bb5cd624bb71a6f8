"""Elder mode (关怀模式): larger text and higher contrast, remembered in a cookie.

It is a plain link, not a script, so it works without JavaScript; the cookie is
not personal data and needs no consent. Like the session cookie it is ``Secure`` when
the request came over HTTPS or ``SESSION_COOKIE_SECURE`` is on (production), so it is
never sent in clear, and ``HttpOnly``: only the server reads it.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

CARE_COOKIE = "care"
ONE_YEAR = 365 * 24 * 3600


def toggle_care_mode(request):
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    secure = request.is_secure() or settings.SESSION_COOKIE_SECURE
    if request.GET.get("on") == "1":
        response.set_cookie(CARE_COOKIE, "1", max_age=ONE_YEAR, samesite="Lax", secure=secure, httponly=True)
    else:
        response.delete_cookie(CARE_COOKIE, samesite="Lax")
    return response


def care_mode(request):
    """Context processor: whether elder mode is on, so the base template can style it."""
    return {"care_mode": request.COOKIES.get(CARE_COOKIE) == "1"}
