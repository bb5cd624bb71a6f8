"""Bulk actions on the moderators' queue: dispatch, reject as spam, hide.

Each report goes through its own service call (``services``), inside that service's
rules and transaction; a report a rule refuses is skipped with the rule's Chinese
message, the others go ahead. The caller has already limited the reports to the
user's communities.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from . import services
from .models import Complaint, HandlingUnit, RejectReason, State
from .workflow import TransitionError


@dataclass
class BulkOutcome:
    done: list[str] = field(default_factory=list)  # references
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (reference, why)


def _each(complaints: Iterable[Complaint], act) -> BulkOutcome:
    outcome = BulkOutcome()
    for complaint in complaints:
        try:
            why = act(complaint)
        except TransitionError as error:
            why = str(error)
        if why:
            outcome.skipped.append((complaint.reference, why))
        else:
            outcome.done.append(complaint.reference)
    return outcome


def bulk_dispatch(
    *, complaints: Iterable[Complaint], actor, unit: HandlingUnit | None = None, note: str = ""
) -> BulkOutcome:
    """Dispatch each report to ``unit`` or its category's default unit, with its category's
    default deadline counted from today. Reports already dispatched keep their unit and
    deadline: re-dispatching them in bulk would silently move (or clear) a deadline."""

    def act(complaint):
        if complaint.state == State.DISPATCHED:
            return "已派单；如需改派，请在详情页逐条处理。"
        target = unit or complaint.category.default_unit
        if target is None:
            return f"分类“{complaint.category.name}”未设置默认承办单位，请选择承办单位。"
        services.dispatch_complaint(complaint=complaint, unit=target, note=note, actor=actor)
        return ""

    return _each(complaints, act)


def bulk_reject_spam(*, complaints: Iterable[Complaint], actor, note: str = "") -> BulkOutcome:
    def act(complaint):
        services.reject_complaint(complaint=complaint, reason=RejectReason.SPAM, note=note, actor=actor)
        return ""

    return _each(complaints, act)


def bulk_hide(*, complaints: Iterable[Complaint], actor, note: str = "") -> BulkOutcome:
    def act(complaint):
        if complaint.hidden:
            return "已是不公开展示。"
        services.set_public_text(complaint=complaint, hidden=True, note=note, actor=actor)
        return ""

    return _each(complaints, act)


BULK_ACTIONS = {
    "dispatch": ("批量派单", bulk_dispatch),
    "spam": ("批量不予受理（无效信息）", bulk_reject_spam),
    "hide": ("批量不公开展示", bulk_hide),
}
