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
from .scopes import StaffScope

__all__ = [
    "Complaint",
    "ComplaintCategory",
    "ComplaintEvent",
    "ComplaintPhoto",
    "ComplaintQuerySet",
    "HandlingUnit",
    "Kind",
    "Rating",
    "RejectReason",
    "State",
    "StaffScope",
]
