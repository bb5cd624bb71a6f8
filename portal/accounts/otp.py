"""The TOTP second factor for staff who may see residents' personal data (django-otp).

Who must use it: superusers and every active account holding one of
``STAFF_OTP_REQUIRED_PERMISSIONS``. Such an account, once its password is accepted, is
sent to enrolment (an authenticator app scans a QR code; the secret is also shown as
text) if it has no confirmed device, else to verification; each new session verifies
again. Enrolment ends with ``STAFF_OTP_RECOVERY_CODES`` single-use recovery codes
(django-otp's static device), shown once. An administrator resets a lost phone from the
user list (重置双重验证) or with ``manage.py reset_staff_otp <username>``.

Every change of a staff member's factors is written to Wagtail's audit log (站点历史)
against the account, without any code or secret in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import LazyObject
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail import log_actions

AUTHENTICATOR_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"
# Wagtail audit-log actions (registered with their Chinese labels in wagtail_hooks.py).
ACTION_ENROLLED = "portal_accounts.otp_enrolled"
ACTION_RECOVERY_ISSUED = "portal_accounts.recovery_codes_issued"
ACTION_RECOVERY_USED = "portal_accounts.recovery_code_used"
ACTION_RESET = "portal_accounts.otp_reset"

_TOTP_RE = re.compile(r"^\d{6}$")
_RECOVERY_RE = re.compile(r"^[a-z2-7]{8}$")


def _audit(*, user, action: str, actor, data: dict | None = None) -> None:
    """One entry in Wagtail's audit log, against the staff account concerned."""

    def concrete(obj):
        # request.user is a lazy object wrapped twice (auth, then django-otp); Wagtail's log
        # registry looks at the type of what it is given and unwraps only once.
        while isinstance(obj, LazyObject):
            _ = obj.pk  # evaluate
            obj = obj._wrapped
        return obj

    log_actions.log(instance=concrete(user), action=action, user=concrete(actor), data=data or {})


def otp_required(user) -> bool:
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return user.is_superuser or any(user.has_perm(perm) for perm in settings.STAFF_OTP_REQUIRED_PERMISSIONS)


def confirmed_authenticator(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user).exists() or StaticDevice.objects.filter(user=user).exists()


def pending_authenticator(user) -> TOTPDevice:
    """The unconfirmed device being enrolled: the same secret on every reload of the page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG (drawn here: the secret never leaves the server)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def secret_text(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise_code(raw: str) -> str:
    return "".join((raw or "").split()).replace("-", "").lower()


@dataclass(frozen=True)
class Verdict:
    ok: bool
    recovery_used: bool = False
    recovery_left: int = 0
    wait_seconds: int = 0  # > 0: too many wrong codes, try again after this


def _throttle_wait(device) -> int:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return 0
    factor = device.get_throttle_factor()
    delay = factor * 2 ** (device.throttling_failure_count - 1)
    elapsed = (timezone.now() - device.throttling_failure_timestamp).total_seconds()
    return max(1, int(delay - elapsed) + 1)


def confirm_enrolment(*, request, code: str) -> Verdict:
    """Check the first code from the app; on success the device is the account's one."""
    user = request.user
    device = pending_authenticator(user)
    code = normalise_code(code)
    if wait := _throttle_wait(device):
        return Verdict(ok=False, wait_seconds=wait)
    if not _TOTP_RE.match(code) or not verify_token(user, device.persistent_id, code):
        return Verdict(ok=False)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    _audit(user=user, action=ACTION_ENROLLED, actor=user)
    return Verdict(ok=True)


def issue_recovery_codes(*, user, actor=None) -> list[str]:
    """Replace the account's recovery codes with fresh ones; the only time they are seen."""
    count = int(settings.STAFF_OTP_RECOVERY_CODES)
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(count)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    _audit(user=user, action=ACTION_RECOVERY_ISSUED, actor=actor or user, data={"count": count})
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify_session(*, request, code: str) -> Verdict:
    """Pass this session through the second factor with an app code or a recovery code."""
    user = request.user
    code = normalise_code(code)
    if _TOTP_RE.match(code):
        device = confirmed_authenticator(user)
    elif _RECOVERY_RE.match(code):
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    else:
        return Verdict(ok=False)
    if device is None:
        return Verdict(ok=False)
    if wait := _throttle_wait(device):
        return Verdict(ok=False, wait_seconds=wait)
    if not verify_token(user, device.persistent_id, code):
        return Verdict(ok=False)
    otp_login(request, device)
    if isinstance(device, StaticDevice):
        left = recovery_codes_left(user)
        _audit(user=user, action=ACTION_RECOVERY_USED, actor=user, data={"left": left})
        return Verdict(ok=True, recovery_used=True, recovery_left=left)
    return Verdict(ok=True)


def reset_second_factor(*, user, actor=None, reason: str = "") -> int:
    """Remove the account's authenticator and recovery codes (a lost phone).

    The account enrols again at its next sign-in; sessions verified with the removed
    device stop counting as verified at once (django-otp finds no device for them).
    """
    with transaction.atomic():
        authenticators = TOTPDevice.objects.filter(user=user)
        recovery = StaticDevice.objects.filter(user=user)
        removed = authenticators.count() + recovery.count()
        authenticators.delete()
        recovery.delete()  # its codes go with it
    _audit(user=user, action=ACTION_RESET, actor=actor, data={"reason": reason[:200]})
    return removed
