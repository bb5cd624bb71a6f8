"""Who is told of a report's public steps, and at which address.

The one place that decides it: followers (residents who said 我也遇到 and asked to be
told) join by one more source in :func:`recipients`, each with its own ``role``.
"""

from dataclasses import dataclass

from portal.personal_data import mask_email, mask_phone

from ..complaints.duplicates import merged_into
from ..complaints.models import Complaint
from ..complaints.selectors import followers_to_notify
from .models import Channel

REPORTER = "reporter"
FOLLOWER = "follower:"  # + the ComplaintFollower's pk
MERGED = "merged:"  # + the pk of a report merged into this one as its duplicate


def is_follower(role: str) -> bool:
    return role.startswith(FOLLOWER)


def merged_report(role: str) -> int | None:
    """The pk of the merged duplicate whose reporter this role is, else None."""
    return int(role.removeprefix(MERGED)) if role.startswith(MERGED) else None


@dataclass(frozen=True)
class Recipient:
    role: str
    channel: str
    address: str

    @property
    def masked(self) -> str:
        return mask_phone(self.address) if self.channel == Channel.SMS else mask_email(self.address)


def recipients(complaint: Complaint) -> list[Recipient]:
    """The resident who reported it, if they agreed to be told: SMS to the phone they
    gave, e-mail if they gave one; and by SMS each neighbour who pressed 我也遇到 and asked
    to be told (they get the public page's link, never the reporter's). Nobody for a held
    report (from a blocked number) or one whose personal data is gone."""
    if complaint.held or complaint.anonymised_at:
        return []
    found = []
    if complaint.notify_consent and complaint.phone:
        found.append(Recipient(REPORTER, Channel.SMS, complaint.phone))
    if complaint.notify_consent and complaint.email:
        found.append(Recipient(REPORTER, Channel.EMAIL, complaint.email))
    if complaint.public_code:
        found += [
            Recipient(f"{FOLLOWER}{follower.pk}", Channel.SMS, follower.phone)
            for follower in followers_to_notify(complaint=complaint)
        ]
    # Residents whose own report was merged into this one (重复) follow it, if they agreed
    # to be told: their message names their own report and tracking link, never this one's.
    for merged in merged_into(complaint).filter(notify_consent=True, anonymised_at__isnull=True, held=False):
        if merged.phone:
            found.append(Recipient(f"{MERGED}{merged.pk}", Channel.SMS, merged.phone))
        if merged.email:
            found.append(Recipient(f"{MERGED}{merged.pk}", Channel.EMAIL, merged.email))
    return found


def address_now(*, complaint: Complaint, role: str, channel: str) -> str | None:
    """The address to use at sending time (consent withdrawn or data erased: None)."""
    for recipient in recipients(complaint):
        if recipient.role == role and recipient.channel == channel:
            return recipient.address
    return None
