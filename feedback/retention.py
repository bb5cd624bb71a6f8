"""Personal data of finished reports is removed after the retention period (PIPL art. 19).

A report is *finished* when it is closed (已评价/已归档) or rejected (不予受理). Its retention
period (``FEEDBACK_RETENTION_DAYS``, 730 by default, as the privacy notice promises) runs
from the last entry on its timeline. Anonymising keeps what the statistics need (kind,
category, community, grid, state, dates, deadline, rating, reply) and removes:

- the name, phone and coordinates;
- every photo, from storage and from the database;
- mobile numbers typed into the description, place, rating comment and timeline notes
  (``privacy.redact_text``).

Residents' evaluations (我要评议) have the same retention period, counted from their
submission, once their quarter is no longer scored (the last four quarters; with the
default two years that is always so): the name, the phone and the voter key (an HMAC
that whoever holds ``SECRET_KEY`` can link back to a phone or device) go, mobile numbers
in the comment and the hide reason are masked. The voter key becomes ``a:<pk>``, unique
per row, so the one-per-voter-target-quarter constraint still holds; stars, dimensions,
target, community, quarter, dates and moderation state stay, so every score, 红黑榜 and
figure reads the same.

The same function serves a resident's request to delete their data (any state; staff can
no longer call them back). Both leave an ``AuditEntry`` with the reference and a count,
never the removed data. Running the purge twice changes nothing the second time.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from portal.cache import purge_pages

from . import audit
from .evaluation_selectors import SCORED_QUARTERS, forget_score_blocks
from .models import AuditAction, Complaint, Evaluation, State
from .privacy import redact_text
from .quarters import recent_quarters

FINISHED_STATES = (State.CLOSED, State.REJECTED)


def retention_days() -> int:
    return int(getattr(settings, "FEEDBACK_RETENTION_DAYS", 730))


def expired_complaints(*, now: datetime | None = None, days: int | None = None) -> QuerySet[Complaint]:
    """Finished, not yet anonymised, and untouched for longer than the retention period."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days() if days is None else days)
    return (
        Complaint.objects.filter(state__in=FINISHED_STATES, anonymised_at__isnull=True)
        .annotate(last_change=Max("events__at"))
        .filter(last_change__lt=cutoff)
        .order_by("pk")
    )


def _anonymise_locked(complaint: Complaint, *, now: datetime) -> int:
    """Strip one (locked) report; returns the number of photo files removed."""
    photos = list(complaint.photos.all())
    complaint.name = ""
    complaint.phone = ""
    complaint.latitude = complaint.longitude = None
    complaint.description = redact_text(complaint.description)
    complaint.place = redact_text(complaint.place)
    complaint.rating_comment = redact_text(complaint.rating_comment)
    complaint.anonymised_at = now
    complaint.save(
        update_fields=[
            "name", "phone", "latitude", "longitude", "description", "place", "rating_comment", "anonymised_at",
        ]
    )  # fmt: skip
    for event in complaint.events.all():
        redacted = redact_text(event.note)
        if redacted != event.note:
            event.note = redacted
            event.save(update_fields=["note"])
    names = [(photo.file.storage, photo.file.name) for photo in photos]
    complaint.photos.all().delete()
    # Files go only once the rows are gone for good; a rollback keeps both.
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])
    return len(names)


def expired_evaluations(*, now: datetime | None = None, days: int | None = None) -> QuerySet[Evaluation]:
    """Not yet anonymised, submitted longer ago than the retention period, and from a
    quarter no score reads any more (so the one-per-quarter rule has nothing to guard)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days() if days is None else days)
    first_scored = recent_quarters(today=timezone.localdate(now), count=SCORED_QUARTERS)[-1]
    return Evaluation.objects.filter(
        anonymised_at__isnull=True, submitted_at__lt=cutoff, quarter__lt=first_scored
    ).order_by("pk")


def _anonymise_complaints(pks: list[int], *, now: datetime) -> int:
    done = 0
    for complaint in Complaint.objects.select_for_update().filter(pk__in=pks, anonymised_at__isnull=True):
        _anonymise_locked(complaint, now=now)
        done += 1
    return done


def _anonymise_evaluations(pks: list[int], *, now: datetime) -> int:
    rows = list(Evaluation.objects.select_for_update().filter(pk__in=pks, anonymised_at__isnull=True))
    for evaluation in rows:
        evaluation.name = ""
        evaluation.phone = ""
        evaluation.voter_key = f"a:{evaluation.pk}"  # unique per row, linked to nobody
        evaluation.comment = redact_text(evaluation.comment)
        evaluation.hide_reason = redact_text(evaluation.hide_reason)
        evaluation.anonymised_at = now
    Evaluation.objects.bulk_update(
        rows, ["name", "phone", "voter_key", "comment", "hide_reason", "anonymised_at"]
    )
    if rows:
        # Public comments show the (masked) name: forget cached blocks and pages that do.
        targets = {evaluation.target_key for evaluation in rows}
        transaction.on_commit(lambda: forget_score_blocks(targets))
        purge_pages()
    return len(rows)


def _in_batches(
    expired: Callable[[], QuerySet],
    anonymise: Callable[[list[int]], int],
    *,
    batch_size: int,
    limit: int | None,
) -> int:
    """Anonymise what ``expired()`` finds, ``batch_size`` rows per transaction."""
    done = 0
    while limit is None or done < limit:
        size = batch_size if limit is None else min(batch_size, limit - done)
        batch = list(expired().values_list("pk", flat=True)[:size])
        if not batch:
            break
        with transaction.atomic():
            done += anonymise(batch)
    return done


class Purged(NamedTuple):
    complaints: int
    evaluations: int


def purge_expired_personal_data(
    *, now: datetime | None = None, days: int | None = None, batch_size: int = 200, limit: int | None = None
) -> Purged:
    """Anonymise expired reports, then expired evaluations, in batches of ``batch_size``
    (one transaction each); ``limit`` caps both together."""
    now = now or timezone.now()
    days = retention_days() if days is None else days
    complaints = _in_batches(
        lambda: expired_complaints(now=now, days=days),
        lambda pks: _anonymise_complaints(pks, now=now),
        batch_size=batch_size,
        limit=limit,
    )
    evaluations = _in_batches(
        lambda: expired_evaluations(now=now, days=days),
        lambda pks: _anonymise_evaluations(pks, now=now),
        batch_size=batch_size,
        limit=None if limit is None else limit - complaints,
    )
    if complaints or evaluations:
        audit.record(
            action=AuditAction.PURGE,
            count=complaints + evaluations,
            detail=f"保存期限 {days} 天：反映 {complaints} 条，评议 {evaluations} 条",
        )
    return Purged(complaints=complaints, evaluations=evaluations)


def erase_personal_data(*, complaint: Complaint, actor) -> Complaint:
    """A resident asked us to delete their data: anonymise this one report now."""
    now = timezone.now()
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.anonymised_at is not None:
            return locked
        photos = _anonymise_locked(locked, now=now)
        locked.events.create(
            actor=actor,
            title="应居民申请删除个人信息",
            note="姓名、手机号、位置和照片已删除。",
            public=False,
            at=now,
        )
        audit.record(
            action=AuditAction.ERASE, actor=actor, reference=locked.reference, detail=f"删除照片 {photos} 张"
        )
    return locked
