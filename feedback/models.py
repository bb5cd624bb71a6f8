"""The models of the one ``feedback`` app, defined by concern in its subpackages."""

from .common.scopes import StaffScope
from .complaints.models import (
    Complaint,
    ComplaintCategory,
    ComplaintDailyFigure,
    ComplaintEvent,
    ComplaintFollower,
    ComplaintPhoto,
    ComplaintQuerySet,
    HandlingUnit,
    Kind,
    Rating,
    RejectReason,
    State,
)
from .evaluations.models import (
    DIMENSIONS,
    Evaluation,
    EvaluationQuerySet,
    ModerationState,
    PropertyCompany,
    TargetType,
)
from .notifications.models import Notification
from .trust.models import AuditAction, AuditEntry, BlockedPhone

__all__ = [
    "AuditAction",
    "AuditEntry",
    "BlockedPhone",
    "Complaint",
    "ComplaintCategory",
    "ComplaintDailyFigure",
    "ComplaintEvent",
    "ComplaintFollower",
    "ComplaintPhoto",
    "ComplaintQuerySet",
    "DIMENSIONS",
    "Evaluation",
    "EvaluationQuerySet",
    "ModerationState",
    "Notification",
    "PropertyCompany",
    "TargetType",
    "HandlingUnit",
    "Kind",
    "Rating",
    "RejectReason",
    "State",
    "StaffScope",
]
