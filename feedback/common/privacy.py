"""Masking of residents' personal data for every surface that is not a moderator's.

Name, phone and photos are for moderators only; everywhere else (public pages, the
resident's own confirmation and tracking pages, exports without permission, e-mails,
logs) they are masked or left out.
"""

import re

from wagtail.models import Site

from home.models import PortalSettings

# Mainland mobile numbers, also when typed inside free text.
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_MOBILE_IN_TEXT_RE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_phone(phone: str) -> str:
    """``13812345678`` -> ``138****5678``; anything else keeps at most its last 2 digits."""
    phone = (phone or "").strip()
    if len(phone) == 11:
        return f"{phone[:3]}****{phone[-4:]}"
    if len(phone) <= 2:
        return "*" * len(phone)
    return "*" * (len(phone) - 2) + phone[-2:]


def mask_name(name: str) -> str:
    """``张三丰`` -> ``张**``: the family name only (the usual public-notice form)."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def redact_text(text: str) -> str:
    """Mask mobile numbers a resident typed into a description before it is shown publicly."""
    return _MOBILE_IN_TEXT_RE.sub(r"\1****\2", text or "")


def phone_matches_last4(phone: str, last4: str) -> bool:
    import hmac

    return len(last4) == 4 and hmac.compare_digest((phone or "")[-4:].encode(), last4.encode())


def portal_settings(request):
    """The site's settings, whose privacy notice (and its version) residents consent to."""
    site = Site.find_for_request(request)
    return PortalSettings.for_site(site) if site else PortalSettings()
