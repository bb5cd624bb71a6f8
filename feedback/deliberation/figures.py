"""Figures of 议事协商 per community and period.

Counted over topics proposed in the period (by ``created_at``, local days inclusive):

- proposed: every topic proposed (merged and declined included);
- taken up: of those, accepted onto the agenda by the party organisation (``accepted_at`` set);
- resolved: of those, with a meeting resolution (``resolved_at`` set);
- carried out: of those, carried out in full (step 已落实);
- rating: the average outcome rating of those topics' ratings, 满意 = 3, 基本满意 = 2,
  不满意 = 1 (one decimal), and the share 满意 or 基本满意; ``None`` without ratings.
"""

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Count, Q

from ..common.figures import on_days, percentage
from ..complaints.models import Rating
from .models import OutcomeRating, Step, Topic

# As long as the complaint figures on the same report may be old.
FIGURES_SECONDS = 60

SCORES = {Rating.SATISFIED: 3, Rating.BASICALLY: 2, Rating.DISSATISFIED: 1}


@dataclass(frozen=True)
class DeliberationFigures:
    community_id: int
    proposed: int
    taken_up: int
    resolved: int
    carried_out: int
    ratings: int
    average_rating: Decimal | None  # on the 1–3 scale
    satisfied_rate: Decimal | None  # per cent 满意 + 基本满意


def figures(*, start: date, end: date, communities=None) -> dict[int, DeliberationFigures]:
    """Figures keyed by community id, for communities with any topic in the period."""
    topics = Topic.objects.filter(on_days("created_at", start, end))
    if communities is not None:
        topics = topics.filter(community__in=communities)
    rows = topics.values("community_id").annotate(
        proposed=Count("pk"),
        taken_up=Count("pk", filter=Q(accepted_at__isnull=False)),
        resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
        carried_out=Count("pk", filter=Q(step=Step.DONE)),
    )
    ratings = (
        OutcomeRating.objects.filter(topic__in=topics)
        .values("topic__community_id", "rating")
        .annotate(n=Count("pk"))
    )
    by_community: dict[int, dict[str, int]] = {}
    for row in ratings:
        by_community.setdefault(row["topic__community_id"], {})[row["rating"]] = row["n"]
    result = {}
    for row in rows:
        counts = by_community.get(row["community_id"], {})
        total = sum(counts.values())
        score = sum(SCORES[r] * n for r, n in counts.items())
        average = (
            (Decimal(score) / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if total
            else None
        )
        good = counts.get(Rating.SATISFIED, 0) + counts.get(Rating.BASICALLY, 0)
        result[row["community_id"]] = DeliberationFigures(
            community_id=row["community_id"],
            proposed=row["proposed"],
            taken_up=row["taken_up"],
            resolved=row["resolved"],
            carried_out=row["carried_out"],
            ratings=total,
            average_rating=average,
            satisfied_rate=percentage(good, total),
        )
    return result


def deliberation_figures_for(community, start: date, end: date) -> DeliberationFigures | None:
    """``figures`` of one community and period (zeros without topics), from the cache or
    two queries: what a report to residents and the topic list show."""
    if community is None or not start or not end:
        return None
    digest = hashlib.md5(f"{community.pk}:{start}:{end}".encode(), usedforsecurity=False).hexdigest()

    def build() -> DeliberationFigures:
        found = figures(start=start, end=end, communities=[community]).get(community.pk)
        return found or DeliberationFigures(community.pk, 0, 0, 0, 0, 0, None, None)

    return cache.get_or_set(f"feedback:deliberation-figures:{digest}", build, FIGURES_SECONDS)
