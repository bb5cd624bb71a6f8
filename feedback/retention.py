"""Personal data of finished reports is removed after the retention period (PIPL art. 19).

A report is *finished* when it is closed (已评价/已归档) or rejected (不予受理). Its retention
period (``FEEDBACK_RETENTION_DAYS``, 730 by default, as the privacy notice promises) runs
from the last entry on its timeline. Anonymising keeps what the statistics need (kind,
category, community, grid, state, dates, deadline, rating, reply) and removes:

- the name, phone and coordinates;
- every photo, from storage and from the database;
- mobile numbers typed into the description, place, rating comment and timeline notes
  (``privacy.redact_text``).

The same function serves a resident's request to delete their data (any state; staff can
no longer call them back). Both leave an ``AuditEntry`` with the reference and a count,
never the removed data. Running the purge twice changes nothing the second time.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from . import audit
from .models import AuditAction, Complaint, State
from .privacy import redact_text

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


def purge_expired_personal_data(
    *, now: datetime | None = None, days: int | None = None, batch_size: int = 200, limit: int | None = None
) -> int:
    """Anonymise expired reports in batches of ``batch_size`` (one transaction each)."""
    now = now or timezone.now()
    done = 0
    while limit is None or done < limit:
        size = batch_size if limit is None else min(batch_size, limit - done)
        batch = list(expired_complaints(now=now, days=days).values_list("pk", flat=True)[:size])
        if not batch:
            break
        with transaction.atomic():
            for complaint in Complaint.objects.select_for_update().filter(
                pk__in=batch, anonymised_at__isnull=True
            ):
                _anonymise_locked(complaint, now=now)
                done += 1
    if done:
        audit.record(
            action=AuditAction.PURGE,
            count=done,
            detail=f"保存期限 {retention_days() if days is None else days} 天",
        )
    return done


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
