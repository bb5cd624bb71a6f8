"""The participation sign-in: a member's id in the session after an SMS code, apart from
Django's staff authentication (residents are never Django users)."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from ...complaints.views import private_link_page
from .models import Member

PENDING = "participation_pending_phone"  # a code was sent to this phone
PHONE = "participation_phone"  # the phone is proven, the account not yet registered
MEMBER = "participation_member"


def current_member(request) -> Member | None:
    pk = request.session.get(MEMBER)
    if not pk:
        return None
    if not hasattr(request, "_participation_member"):
        request._participation_member = (
            Member.objects.select_related("community", "unit").filter(pk=pk).first()
        )
    return request._participation_member


def sign_in(request, member: Member) -> None:
    request.session.cycle_key()
    for key in (PENDING, PHONE):
        request.session.pop(key, None)
    request.session[MEMBER] = member.pk
    request.session.set_expiry(settings.PARTICIPATION_SESSION_SECONDS)


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def member_required(view):
    """Signed-in members only; others go to the sign-in page and come back. Always private."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        member = current_member(request)
        if member is None:
            url = reverse("participation:signin") + "?" + urlencode({"next": request.get_full_path()})
            return private_link_page(redirect(url))
        return private_link_page(view(request, member, *args, **kwargs))

    return wrapper
