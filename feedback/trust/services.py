"""Writes of trust records: the personal-data audit log and the blocked phone numbers.

Audit entries say who (the staff account, or the system for cron jobs), what, which
report and how many rows; never the name, phone or photo itself, so the log can be kept
and shown to administrators without becoming a second copy of the data. Entries are
only ever written here (``record_audit``); nobody edits or deletes them.

A blocked number makes the reports sent from it *held* (``feedback.complaints``): the
resident sees what everyone sees, nobody is notified and the report cannot be
dispatched until a moderator releases it. Blocking and unblocking are audited.
"""

from django.db import IntegrityError, transaction

from portal.personal_data import is_mobile, mask_phone, normalise_phone

from .models import AuditAction, AuditEntry, BlockedPhone, phone_digest


class BlocklistError(ValueError):
    """The number cannot be blocked; ``str(error)`` is Chinese and shown to staff."""


def record_audit(
    *, action: str, actor=None, reference: str = "", count: int = 1, detail: str = ""
) -> AuditEntry:
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        action=action, actor=user, reference=reference[:40], count=count, detail=detail[:120]
    )


def block_phone(*, phone: str, reason: str, actor, reference: str = "") -> BlockedPhone:
    phone = normalise_phone(phone)
    reason = (reason or "").strip()
    if not is_mobile(phone):
        raise BlocklistError("请填写 11 位手机号码，如 13812345678。")
    if not reason:
        raise BlocklistError("请填写屏蔽原因。")
    try:
        with transaction.atomic():
            blocked = BlockedPhone.objects.create(
                phone_hash=phone_digest(phone),
                phone_masked=mask_phone(phone),
                reason=reason,
                created_by=actor,
            )
    except IntegrityError as error:
        raise BlocklistError("该手机号已在屏蔽名单中。") from error
    record_audit(
        action=AuditAction.BLOCK_PHONE, actor=actor, reference=reference, detail=f"屏蔽记录 {blocked.pk}"
    )
    return blocked


def unblock_phone(*, blocked: BlockedPhone, actor) -> None:
    detail = f"屏蔽记录 {blocked.pk}"
    blocked.delete()
    record_audit(action=AuditAction.UNBLOCK_PHONE, actor=actor, detail=detail)
