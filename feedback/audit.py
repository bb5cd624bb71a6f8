"""The audit log of residents' personal data: every unmasked view, export, purge and erasure.

Entries say who (the staff account, or the system for cron jobs), what, which report
and how many rows; never the name, phone or photo itself, so the log can be kept and
shown to administrators without becoming a second copy of the data.
"""

from django.db.models import QuerySet

from .models import AuditAction, AuditEntry


def record(*, action: str, actor=None, reference: str = "", count: int = 1, detail: str = "") -> AuditEntry:
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        action=action, actor=user, reference=reference[:40], count=count, detail=detail[:120]
    )


def entries_for(*, reference: str) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(reference=reference).select_related("actor")


def can_read_audit_log(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("feedback.view_auditentry"))
