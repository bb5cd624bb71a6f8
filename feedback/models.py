"""The models of the one ``feedback`` app, defined by concern in its subpackages."""

from .common.scopes import StaffScope
from .complaints.models import (
    Complaint,
    ComplaintCategory,
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
from .participation.models import Need, NeedEvent, NeedKind, NeedState, Resource, TakerKind, Wish
from .participation.members.models import HoursState, Member, MemberKind, Registration, ServiceHours, Unit
from .participation.points.models import (
    EntryKind,
    PointBalance,
    PointEntry,
    PointRule,
    Redemption,
    RedemptionState,
    RewardItem,
    RuleSource,
)
from .trust.models import AuditAction, AuditEntry, BlockedPhone

__all__ = [
    "EntryKind",
    "HoursState",
    "Member",
    "MemberKind",
    "PointBalance",
    "PointEntry",
    "PointRule",
    "Redemption",
    "RedemptionState",
    "Registration",
    "RewardItem",
    "RuleSource",
    "ServiceHours",
    "Unit",
    "AuditAction",
    "AuditEntry",
    "BlockedPhone",
    "Complaint",
    "ComplaintCategory",
    "ComplaintEvent",
    "ComplaintFollower",
    "ComplaintPhoto",
    "ComplaintQuerySet",
    "DIMENSIONS",
    "Evaluation",
    "EvaluationQuerySet",
    "ModerationState",
    "Need",
    "NeedEvent",
    "NeedKind",
    "NeedState",
    "Resource",
    "TakerKind",
    "Wish",
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
