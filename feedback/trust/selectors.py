"""Reads of trust records: is a number blocked, who may read the audit log."""

from portal.personal_data import normalise_phone

from .models import BlockedPhone, phone_digest


def is_phone_blocked(phone: str) -> bool:
    phone = normalise_phone(phone)
    return bool(phone) and BlockedPhone.objects.filter(phone_hash=phone_digest(phone)).exists()


def can_read_audit_log(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("feedback.view_auditentry"))
