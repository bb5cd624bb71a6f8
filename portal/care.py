"""Elder mode (关怀模式): larger text and higher contrast, remembered in a cookie.

It is a plain link, not a script, so it works without JavaScript; the cookie is
not personal data and needs no consent.
"""

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
    if request.GET.get("on") == "1":
        response.set_cookie(CARE_COOKIE, "1", max_age=ONE_YEAR, samesite="Lax")
    else:
        response.delete_cookie(CARE_COOKIE, samesite="Lax")
    return response


def care_mode(request):
    """Context processor: whether elder mode is on, so the base template can style it."""
    return {"care_mode": request.COOKIES.get(CARE_COOKIE) == "1"}
