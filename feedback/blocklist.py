"""Blocked phone numbers: reports from them are held quietly.

A resident sending from a blocked number sees exactly what everyone sees (a reference,
the tracking page, 待受理), so an abuser learns nothing. Staff see the report flagged
as held in the queue; nobody is e-mailed about it and it cannot be dispatched until a
moderator releases it (``release_held_complaint``) or rejects it.
"""

from django.db import IntegrityError, transaction

from . import audit
from .models import AuditAction, BlockedPhone, Complaint, ComplaintEvent
from .models.trust import phone_digest
from .privacy import MOBILE_RE, mask_phone
from .workflow import TransitionError


def is_phone_blocked(phone: str) -> bool:
    return bool(phone) and BlockedPhone.objects.filter(phone_hash=phone_digest(phone)).exists()


def block_phone(*, phone: str, reason: str, actor, reference: str = "") -> BlockedPhone:
    phone = "".join((phone or "").split())
    reason = (reason or "").strip()
    if not MOBILE_RE.match(phone):
        raise TransitionError("请填写 11 位手机号码，如 13812345678。")
    if not reason:
        raise TransitionError("请填写屏蔽原因。")
    try:
        with transaction.atomic():
            blocked = BlockedPhone.objects.create(
                phone_hash=phone_digest(phone),
                phone_masked=mask_phone(phone),
                reason=reason,
                created_by=actor,
            )
    except IntegrityError as error:
        raise TransitionError("该手机号已在屏蔽名单中。") from error
    audit.record(
        action=AuditAction.BLOCK_PHONE, actor=actor, reference=reference, detail=f"屏蔽记录 {blocked.pk}"
    )
    return blocked


def unblock_phone(*, blocked: BlockedPhone, actor) -> None:
    detail = f"屏蔽记录 {blocked.pk}"
    blocked.delete()
    audit.record(action=AuditAction.UNBLOCK_PHONE, actor=actor, detail=detail)


def release_held_complaint(*, complaint: Complaint, actor, note: str = "") -> Complaint:
    """A moderator decides a held report is genuine: it joins the normal queue."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if not complaint.held:
            raise TransitionError("该反映未被暂缓。")
        complaint.held = False
        complaint.save(update_fields=["held"])
        ComplaintEvent.objects.create(
            complaint=complaint,
            actor=actor,
            title="解除暂缓",
            note=note or "经核实，转入正常受理。",
            public=False,
        )
    audit.record(action=AuditAction.RELEASE_HELD, actor=actor, reference=complaint.reference)
    return complaint
