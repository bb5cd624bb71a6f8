"""Duplicates (the same problem reported twice) and repeats (the same resident again).

- **Likely duplicates** of a report: other reports of the same community and category
  within ``DUPLICATE_WINDOW_DAYS``, scored by the overlap of their meaningful words
  (``portal.chinese.content_words``, jieba) and, when both have coordinates, by how near
  they are. One bounded query (at most ``CANDIDATE_LIMIT`` rows), the top ``SUGGESTIONS``.
- **Merging** closes the duplicate as 重复 (``duplicate_of`` the main report, state
  closed, a public reason on its timeline). Its resident then hears of the main report's
  public steps: ``feedback.notifications.recipients`` adds the merged reports' reporters
  (who consented) to the main report's recipients.
- **Repeats** (重复投诉): another report from the same phone in the same category within
  ``DUPLICATE_WINDOW_DAYS`` before it. Phones are stored normalised (11 digits, see
  ``forms``), so equality is the comparison. An ``Exists`` annotation, no per-row query.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from portal.chinese import content_words

from .models import Complaint, ComplaintEvent, EventKind, RejectReason, State
from .signals import PublicStep, public_step
from .workflow import TransitionError

DUPLICATE_WINDOW_DAYS = 30
SUGGESTIONS = 5
CANDIDATE_LIMIT = 200
# Within this many metres two reports are "nearby"; the score falls to 0 at twice it.
NEARBY_METRES = 200

# A report still being handled (or not yet accepted) may be merged into another.
MERGEABLE_STATES = frozenset({State.SUBMITTED, State.DISPATCHED, State.IN_PROGRESS, State.REOPENED})


@dataclass(frozen=True)
class Suggestion:
    complaint: Complaint
    score: float
    shared_words: tuple[str, ...]
    metres: int | None


def _metres(a: Complaint, b: Complaint) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(
        lambda v: math.radians(float(v)), (a.latitude, a.longitude, b.latitude, b.longitude)
    )
    x = (lon2 - lon1) * math.cos((lat1 + lat2) / 2)
    return math.hypot(x, lat2 - lat1) * 6_371_000


def score(a: Complaint, b: Complaint) -> Suggestion:
    """Word overlap (Jaccard of content words, 0..1) plus up to 0.5 for nearness."""
    words_a, words_b = (
        content_words(f"{a.place} {a.description}"),
        content_words(f"{b.place} {b.description}"),
    )
    shared = words_a & words_b
    union = words_a | words_b
    value = len(shared) / len(union) if union else 0.0
    metres = _metres(a, b)
    if metres is not None:
        value += 0.5 * max(0.0, 1 - max(0.0, metres - NEARBY_METRES) / NEARBY_METRES)
    return Suggestion(
        complaint=b,
        score=round(value, 3),
        shared_words=tuple(sorted(shared)),
        metres=None if metres is None else round(metres),
    )


def suggest_duplicates(complaint: Complaint, *, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """The likeliest duplicates of ``complaint``, best first; only those sharing a word or nearby."""
    window = timedelta(days=DUPLICATE_WINDOW_DAYS)
    candidates = (
        Complaint.objects.filter(
            community_id=complaint.community_id,
            category_id=complaint.category_id,
            created_at__gte=complaint.created_at - window,
            created_at__lte=complaint.created_at + window,
            duplicate_of__isnull=True,
        )
        .exclude(pk=complaint.pk)
        .exclude(state=State.REJECTED)
        .only("pk", "reference", "state", "place", "description", "latitude", "longitude", "created_at")
        .order_by("-created_at")[:CANDIDATE_LIMIT]
    )
    found = [score(complaint, other) for other in candidates]
    found = [s for s in found if s.shared_words or (s.metres is not None and s.metres <= 2 * NEARBY_METRES)]
    found.sort(key=lambda s: (-s.score, -s.complaint.created_at.timestamp()))
    return found[:limit]


def merge_complaint(*, duplicate: Complaint, main: Complaint, actor, note: str = "") -> Complaint:
    """Close ``duplicate`` as 重复 of ``main``; its resident follows ``main`` from now on."""
    if duplicate.pk == main.pk:
        raise TransitionError("不能与自身合并。")
    with transaction.atomic():
        duplicate = Complaint.objects.select_for_update().get(pk=duplicate.pk)
        main = Complaint.objects.select_for_update().get(pk=main.pk)
        if main.duplicate_of_id:
            raise TransitionError(f"{main.reference} 本身已合并到其他反映，请选择主反映。")
        if duplicate.state not in MERGEABLE_STATES:
            raise TransitionError(f"当前状态为“{State(duplicate.state).label}”，不能合并。")
        now = timezone.now()
        previous = duplicate.state
        duplicate.state = State.CLOSED
        duplicate.duplicate_of = main
        duplicate.reject_reason = RejectReason.DUPLICATE
        duplicate.closed_at = now
        duplicate.save(update_fields=["state", "duplicate_of", "reject_reason", "closed_at"])
        text = f"重复：与 {main.reference} 为同一问题，已合并办理，后续进展将按该反映告知您"
        if note:
            text += f"。{note}"
        ComplaintEvent.objects.create(
            complaint=duplicate,
            actor=actor,
            from_state=previous,
            to_state=State.CLOSED,
            title="合并为重复反映",
            note=text,
            public=True,
            at=now,
            kind=EventKind.MERGED,
        )
        ComplaintEvent.objects.create(
            complaint=main,
            actor=actor,
            title="合并重复反映",
            note=f"{duplicate.reference} 已合并到本反映。",
            public=False,
            at=now,
            kind=EventKind.MERGED,
        )
        public_step.send(sender=Complaint, complaint=duplicate, step=PublicStep.REJECTED)
        return duplicate


def merged_into(complaint: Complaint) -> QuerySet[Complaint]:
    """Reports merged into ``complaint`` (their residents follow it)."""
    return Complaint.objects.filter(
        duplicate_of=complaint, state=State.CLOSED, reject_reason=RejectReason.DUPLICATE
    )


def with_repeat_flag(queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Annotate ``is_repeat``: an earlier report, same phone and category, within the window."""
    earlier = Complaint.objects.filter(
        phone=OuterRef("phone"),
        category_id=OuterRef("category_id"),
        created_at__lt=OuterRef("created_at"),
        created_at__gte=OuterRef("created_at") - timedelta(days=DUPLICATE_WINDOW_DAYS),
        anonymised_at__isnull=True,
    ).exclude(phone="")
    return queryset.annotate(is_repeat=Exists(earlier))


def is_repeat(complaint: Complaint) -> bool:
    if not complaint.phone:
        return False
    return (
        with_repeat_flag(Complaint.objects.filter(pk=complaint.pk))
        .values_list("is_repeat", flat=True)
        .first()
        or False
    )
