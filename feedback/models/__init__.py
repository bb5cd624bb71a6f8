"""Feedback models, split by concern so resident evaluations can sit beside complaints."""

from .complaints import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintPhoto,
    ComplaintQuerySet,
    HandlingUnit,
    Kind,
    Rating,
    RejectReason,
    State,
)
from .evaluations import (
    DIMENSIONS,
    Evaluation,
    EvaluationQuerySet,
    ModerationState,
    PropertyCompany,
    TargetType,
)
from .scopes import StaffScope
from .trust import AuditAction, AuditEntry, BlockedPhone

__all__ = [
    "AuditAction",
    "AuditEntry",
    "BlockedPhone",
    "Complaint",
    "ComplaintCategory",
    "ComplaintEvent",
    "ComplaintPhoto",
    "ComplaintQuerySet",
    "DIMENSIONS",
    "Evaluation",
    "EvaluationQuerySet",
    "ModerationState",
    "PropertyCompany",
    "TargetType",
    "HandlingUnit",
    "Kind",
    "Rating",
    "RejectReason",
    "State",
    "StaffScope",
]
