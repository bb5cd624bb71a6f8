"""Masking of residents' personal data for every surface that is not a moderator's.

Name, phone and photos are for moderators only; everywhere else (public pages, the
resident's own confirmation and tracking pages, exports without permission, e-mails,
logs) they are masked or left out. Free text is masked by the one detector of
``portal.personal_data`` (phones in any form, ID numbers, plates, room numbers,
e-mail addresses, names); phones are compared and stored as ``normalise_phone`` gives them.
"""

import hmac

from wagtail.models import Site

from home.models import PortalSettings


def phone_matches_last4(phone: str, last4: str) -> bool:
    return len(last4) == 4 and hmac.compare_digest((phone or "")[-4:].encode(), last4.encode())


def portal_settings(request):
    """The site's settings, whose privacy notice (and its version) residents consent to."""
    site = Site.find_for_request(request)
    return PortalSettings.for_site(site) if site else PortalSettings()
