"""Personal data of every report is removed after a retention period (PIPL art. 19).

Each report's period runs from the last entry on its timeline, and depends on where it
stopped (the privacy notice says all three):

- *finished*, closed (已评价/已归档) or rejected (不予受理): ``FEEDBACK_RETENTION_DAYS``
  (730 by default);
- *unfinished*, left submitted, dispatched, in progress, resolved or reopened:
  ``FEEDBACK_RETENTION_UNFINISHED_DAYS`` (1,095). Longer, because such a report may still
  be taken up again; but a report nobody touched for three years is abandoned, and its
  sender's name and phone must not stay for ever;
- *held* (sent from a blocked number, any state): ``FEEDBACK_RETENTION_HELD_DAYS``
  (1,095), the evidence of abuse for as long as a complaint about it can still be pursued
  (three years, the general limitation period of the Civil Code, art. 188).

Anonymising keeps what the statistics need (kind,
category, community, grid, state, dates, deadline, rating, reply) and removes:

- the name, phone, e-mail and coordinates;
- every photo, from storage and from the database;
- personal data typed into the description, place, rating comment and timeline notes
  (phones in any form, ID numbers, plates, room numbers, e-mail addresses, names:
  ``portal.personal_data.mask_personal_data``).

Residents' evaluations (我要评议) have the same retention period, counted from their
submission, once their quarter is no longer scored (the last four quarters; with the
default two years that is always so): the name, the phone and the voter key (an HMAC
that whoever holds ``SECRET_KEY`` can link back to a phone or device) go, personal data
in the comment and the hide reason are masked. The voter key becomes ``a:<pk>``, unique
per row, so the one-per-voter-target-quarter constraint still holds; stars, dimensions,
target, community, quarter, dates and moderation state stay, so every score, 红黑榜 and
figure reads the same.

Which rows are expired and how one is anonymised belong to the records' own concerns
(``complaints.selectors.expired_complaints`` / ``complaints.services.anonymise_complaints``
and the same in ``evaluations``); this module holds the period and the purge itself:
batches, one transaction each, and one ``AuditEntry`` with the counts, never the
removed data. Running the purge twice changes nothing the second time. A resident's
request to delete their data is ``complaints.services.erase_personal_data``.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditAction
from .services import record_audit


def retention_days() -> int:
    """Finished reports, and evaluations."""
    return int(getattr(settings, "FEEDBACK_RETENTION_DAYS", 730))


def unfinished_retention_days() -> int:
    return int(getattr(settings, "FEEDBACK_RETENTION_UNFINISHED_DAYS", 1095))


def held_retention_days() -> int:
    return int(getattr(settings, "FEEDBACK_RETENTION_HELD_DAYS", 1095))


def retention_summary(*, days: int | None = None) -> str:
    """The periods in force, for the purge's audit entry and the command's output."""
    days = retention_days() if days is None else days
    return f"办结 {days} 天、未办结 {unfinished_retention_days()} 天、暂缓 {held_retention_days()} 天"


@dataclass(frozen=True)
class PurgeStep:
    """One kind of record to purge: ``expired(now=, days=)`` finds the rows,
    ``anonymise(pks, now=)`` strips them (inside the batch's transaction) and says how many."""

    label: str  # how the audit entry names the rows: 反映, 评议
    expired: Callable[..., QuerySet]
    anonymise: Callable[..., int]


def _in_batches(step: PurgeStep, *, now: datetime, days: int, batch_size: int, limit: int | None) -> int:
    done = 0
    while limit is None or done < limit:
        size = batch_size if limit is None else min(batch_size, limit - done)
        batch = list(step.expired(now=now, days=days).values_list("pk", flat=True)[:size])
        if not batch:
            break
        with transaction.atomic():
            done += step.anonymise(batch, now=now)
    return done


def purge_expired_personal_data(
    *,
    steps: Sequence[PurgeStep],
    now: datetime | None = None,
    days: int | None = None,
    batch_size: int = 200,
    limit: int | None = None,
) -> list[int]:
    """Anonymise what each step finds expired, in order, ``batch_size`` rows per
    transaction; ``limit`` caps all steps together. Returns the count of each step."""
    now = now or timezone.now()
    days = retention_days() if days is None else days
    counts = []
    for step in steps:
        left = None if limit is None else limit - sum(counts)
        counts.append(_in_batches(step, now=now, days=days, batch_size=batch_size, limit=left))
    if any(counts):
        parts = "，".join(f"{step.label} {count} 条" for step, count in zip(steps, counts, strict=True))
        record_audit(
            action=AuditAction.PURGE,
            count=sum(counts),
            detail=f"保存期限 {retention_summary(days=days)}：{parts}",
        )
    return counts
