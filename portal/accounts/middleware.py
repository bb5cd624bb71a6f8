"""Admin pages only after the second factor, for accounts that must use one.

Runs after django-otp's ``OTPMiddleware`` (which gives ``request.user.is_verified()``).
A signed-in account that :func:`portal.accounts.otp.otp_required` names (or that has bound
an authenticator of its own accord), on a path under
``STAFF_OTP_PROTECTED_PATH_PREFIXES``, that has not verified this session, is sent to
enrolment (no confirmed device yet) or verification, with the page it asked for as
``next``. Only the sign-in, sign-out, password-reset and second-factor pages (and the
admin's translation catalogue and icon sprite they load) stay open to it.
"""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .otp import confirmed_authenticator, otp_required

OPEN_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",  # the icons every admin page fetches and inserts into itself
    "admin:login",
    "admin:logout",
}
OPEN_NAMESPACE = "portal_accounts"


class RequireStaffOTPMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith(tuple(settings.STAFF_OTP_PROTECTED_PATH_PREFIXES)):
            return None
        match = request.resolver_match
        if match is not None and (OPEN_NAMESPACE in match.namespaces or match.view_name in OPEN_URL_NAMES):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        # Staff who chose to bind an authenticator are held to it like those who must.
        device = confirmed_authenticator(user)
        if device is None and not otp_required(user):
            return None
        target = "portal_accounts:verify" if device else "portal_accounts:setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
