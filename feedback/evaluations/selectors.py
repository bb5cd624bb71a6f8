"""Reads for evaluations: a target's score, its public comments, the 红黑榜, figures, scopes.

Rules:

- only evaluations not marked as abuse count (``EvaluationQuerySet.counted``); hidden
  comments still count, only their text is not shown;
- a target's page scores the last four quarters (current one included). Each resident
  rates a target at most once a quarter, so the page says how many residents and, when
  someone rated in several quarters, how many ratings;
- no average (nor distribution) is shown for fewer than ``FEEDBACK_MIN_RATINGS``
  residents (default 5): a handful of ratings says more about the raters than the target;
- the 红黑榜 ranks property companies with at least the minimum number of the quarter's
  counted ratings by a confidence-aware score: the lower bound of a Bayesian interval
  of the mean stars (Evan Miller, "Ranking items with star ratings": a Dirichlet prior
  of five pseudo-ratings in the quarter's own star mix, mean − z·sd with z = 1.65,
  one-sided 95 %), so 3.82 from 11
  ratings and 3.86 from 7 are not told apart by a margin the sample cannot carry. Ties
  go to the company with more ratings, then by name. A company is named only when the
  sample says it is clearly apart from the rest: on the red list (top 3 by score) only
  if its interval's lower bound is above the average stars of all the other ranked
  companies' ratings; on the black list (bottom 3 by upper bound) only if its upper
  bound is below that average. So no company can be on both, and on a close quarter
  the lists may be short or empty;
- satisfaction rate = ratings of 4 or 5 stars ÷ counted ratings, as a percentage.

A target's score block (summary + comments, two queries) is kept in the shared cache,
because station and service pages are already at their query budget; every write
through ``services`` forgets the blocks of the targets it touched, and the
key names the current quarter, so the rolling window moves on by itself.
"""

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone

from portal.personal_data import mask_name, mask_personal_data

from ..common.figures import on_days, percentage
from ..common.scopes import communities_for, sees_all_communities
from ..trust.retention import retention_days
from .models import DIMENSIONS, Evaluation, ModerationState, TargetType, target_key
from .quarters import quarter_label, recent_quarters, shift_quarter

SCORED_QUARTERS = 4
RED_BLACK_SIZE = 3
SATISFIED_STARS = 4


def min_ratings() -> int:
    return int(getattr(settings, "FEEDBACK_MIN_RATINGS", 5))


def _two_places(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class StarBar:
    stars: int
    count: int
    percent: int


@dataclass(frozen=True)
class ScoreSummary:
    target_type: str
    target_pk: int
    ratings: int
    residents: int
    average: Decimal | None  # None below the minimum
    distribution: list[StarBar]  # empty below the minimum
    dimensions: list[tuple[str, Decimal]]
    min_ratings: int
    first_quarter: str

    @property
    def enough(self) -> bool:
        return self.residents >= self.min_ratings

    @property
    def period_label(self) -> str:
        return f"{quarter_label(self.first_quarter)}以来"

    @property
    def full_stars(self) -> int:
        """Whole stars to draw for the average (4.57 draws 4, never rounds up to 5)."""
        return int(self.average) if self.average is not None else 0


def target_summary(*, target_type: str, target_pk: int, today: date | None = None) -> ScoreSummary:
    """One query, whatever the number of ratings."""
    quarters = recent_quarters(today=today or timezone.localdate(), count=SCORED_QUARTERS)
    dimension_fields = [name for name, _label in DIMENSIONS[target_type]]
    row = (
        Evaluation.objects.counted()
        .filter(target_key=target_key(target_type, target_pk), quarter__in=quarters)
        .aggregate(
            ratings=Count("pk"),
            residents=Count("voter_key", distinct=True),
            average=Avg("stars"),
            **{f"s{n}": Count("pk", filter=Q(stars=n)) for n in range(1, 6)},
            **{name: Avg(name) for name in dimension_fields},
        )
    )
    minimum = min_ratings()
    enough = row["residents"] >= minimum
    ratings = row["ratings"]
    bars = [
        StarBar(stars=n, count=row[f"s{n}"], percent=round(row[f"s{n}"] * 100 / ratings) if ratings else 0)
        for n in range(5, 0, -1)
    ]
    return ScoreSummary(
        target_type=target_type,
        target_pk=target_pk,
        ratings=ratings,
        residents=row["residents"],
        average=_two_places(row["average"]) if enough else None,
        distribution=bars if enough else [],
        dimensions=[
            (label, _two_places(row[name]).quantize(Decimal("0.1")))
            for name, label in DIMENSIONS[target_type]
            if enough and row[name] is not None
        ],
        min_ratings=minimum,
        first_quarter=quarters[-1],
    )


@dataclass(frozen=True)
class PublicComment:
    stars: int
    comment: str
    name: str  # masked, or 居民
    submitted_at: object


def public_comments(*, target_type: str, target_pk: int, limit: int = 5) -> list[PublicComment]:
    """The latest approved comments, names masked, personal data in the text masked; one query."""
    rows = (
        Evaluation.objects.public_comments()
        .filter(target_key=target_key(target_type, target_pk))
        .order_by("-submitted_at", "-pk")
        .values("stars", "comment", "name", "submitted_at")[:limit]
    )
    return [
        PublicComment(
            stars=row["stars"],
            comment=mask_personal_data(row["comment"]),
            name=mask_name(row["name"]) or "居民",
            submitted_at=row["submitted_at"],
        )
        for row in rows
    ]


SCORE_BLOCK_SECONDS = 3600  # a backstop only: writes forget the block at once


def _score_block_key(key: str, today: date) -> str:
    return f"evaluations:block:v1:{key}:{recent_quarters(today=today, count=1)[0]}"


def score_block(*, target_type: str, target_pk: int) -> tuple[ScoreSummary, list[PublicComment]]:
    """The summary and public comments of a target, from the cache or two queries."""
    today = timezone.localdate()
    cache_key = _score_block_key(target_key(target_type, target_pk), today)
    block = cache.get(cache_key)
    if block is None:
        block = (
            target_summary(target_type=target_type, target_pk=target_pk, today=today),
            public_comments(target_type=target_type, target_pk=target_pk),
        )
        cache.set(cache_key, block, timeout=SCORE_BLOCK_SECONDS)
    return block


def forget_score_blocks(target_keys: Iterable[str]) -> None:
    today = timezone.localdate()
    cache.delete_many([_score_block_key(key, today) for key in set(target_keys)])


@dataclass(frozen=True)
class RankedCompany:
    rank: int
    company_id: int
    name: str
    ratings: int
    average: Decimal
    score: Decimal  # the interval's lower bound: what the ranking sorts by
    upper: Decimal
    list_name: str = ""  # "red", "black" or ""


@dataclass(frozen=True)
class Ranking:
    quarter: str
    rows: list[RankedCompany]
    too_few: int  # companies rated this quarter, but by fewer than the minimum
    min_ratings: int
    red: list[RankedCompany] = field(default_factory=list)
    black: list[RankedCompany] = field(default_factory=list)

    @property
    def label(self) -> str:
        return quarter_label(self.quarter)


RANKING_Z = 1.65  # one-sided 95 %
STARS = range(1, 6)


PRIOR_WEIGHT = 5  # pseudo-ratings: as many as the five stars of a uniform prior


def star_interval(
    counts: dict[int, int], *, prior: dict[int, float] | None = None, z: float = RANKING_Z
) -> tuple[float, float]:
    """The Bayesian interval (lower, upper) of the mean stars of ``counts`` ({stars: n}).

    ``prior`` holds pseudo-ratings per star (by default one each); the ranking gives
    the quarter's own star mix, so a thin sample is drawn towards the average of all
    companies rather than towards 3 stars.
    """
    prior = prior or dict.fromkeys(STARS, 1.0)
    alpha = {k: counts.get(k, 0) + prior.get(k, 0.0) for k in STARS}
    total = sum(alpha.values())
    mean = sum(k * a for k, a in alpha.items()) / total
    second = sum(k * k * a for k, a in alpha.items()) / total
    spread = z * math.sqrt(max(second - mean * mean, 0.0) / (total + 1))
    return mean - spread, mean + spread


def company_ranking(*, quarter: str) -> Ranking:
    """The quarter's 红黑榜; one query whatever the number of ratings."""
    rows = (
        Evaluation.objects.counted()
        .filter(target_type=TargetType.COMPANY, quarter=quarter)
        .values("company_id", "company__name")
        .annotate(
            ratings=Count("pk"),
            total=Sum("stars"),
            **{f"n{k}": Count("pk", filter=Q(stars=k)) for k in STARS},
        )
        .order_by()
    )
    minimum = min_ratings()
    eligible = [row for row in rows if row["ratings"] >= minimum]
    pooled = {k: sum(r[f"n{k}"] for r in eligible) for k in STARS}
    prior = {k: PRIOR_WEIGHT * n / (sum(pooled.values()) or 1) for k, n in pooled.items()}
    for row in eligible:
        row["low"], row["high"] = star_interval({k: row[f"n{k}"] for k in STARS}, prior=prior)
    eligible.sort(key=lambda r: (-r["low"], -r["ratings"], r["company__name"]))
    all_ratings = sum(r["ratings"] for r in eligible)
    all_stars = sum(r["total"] for r in eligible)

    def others_average(row) -> float | None:
        count = all_ratings - row["ratings"]
        return (all_stars - row["total"]) / count if count else None

    red_ids = {
        r["company_id"]
        for r in eligible[:RED_BLACK_SIZE]
        if (avg := others_average(r)) is not None and r["low"] > avg
    }
    bottom = sorted(eligible, key=lambda r: (r["high"], -r["ratings"], r["company__name"]))[:RED_BLACK_SIZE]
    black_ids = [
        r["company_id"] for r in bottom if (avg := others_average(r)) is not None and r["high"] < avg
    ]
    ranked = [
        RankedCompany(
            rank=index + 1,
            company_id=row["company_id"],
            name=row["company__name"],
            ratings=row["ratings"],
            average=_two_places(Decimal(row["total"]) / Decimal(row["ratings"])),
            score=_two_places(row["low"]),
            upper=_two_places(row["high"]),
            list_name="red"
            if row["company_id"] in red_ids
            else "black"
            if row["company_id"] in black_ids
            else "",
        )
        for index, row in enumerate(eligible)
    ]
    by_id = {r.company_id: r for r in ranked}
    return Ranking(
        quarter=quarter,
        rows=ranked,
        too_few=len(rows) - len(eligible),
        min_ratings=minimum,
        red=[r for r in ranked if r.list_name == "red"],
        black=[by_id[pk] for pk in black_ids],  # the lowest first
    )


def default_ranking_quarter(*, today: date | None = None) -> str:
    """The last complete quarter: its 红黑榜 no longer changes."""
    return shift_quarter(recent_quarters(today=today or timezone.localdate(), count=1)[0], -1)


def ranking_quarters() -> list[str]:
    """Quarters with at least one counted company rating, newest first; one query."""
    return list(
        Evaluation.objects.counted()
        .filter(target_type=TargetType.COMPANY)
        .order_by("-quarter")
        .values_list("quarter", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class EvaluationFigures:
    ratings: int
    satisfied: int  # 4 or 5 stars
    satisfaction_rate: Decimal | None
    average: Decimal | None
    min_ratings: int

    @property
    def enough(self) -> bool:
        return self.ratings >= self.min_ratings


_FIGURES = {
    "ratings": Count("pk"),
    "satisfied": Count("pk", filter=Q(stars__gte=SATISFIED_STARS)),
    "average": Avg("stars"),
}


def _period(queryset: QuerySet, *, start: date, end: date) -> QuerySet:
    return queryset.counted().filter(on_days("submitted_at", start, end))


def _figures(row: dict) -> EvaluationFigures:
    return EvaluationFigures(
        ratings=row["ratings"],
        satisfied=row["satisfied"],
        satisfaction_rate=percentage(row["satisfied"], row["ratings"]),
        average=_two_places(row["average"]),
        min_ratings=min_ratings(),
    )


def evaluation_figures(*, communities: Iterable | QuerySet, start: date, end: date) -> EvaluationFigures:
    """Residents' evaluations of every kind belonging to the communities, submitted in
    ``start``–``end`` (inclusive, Asia/Shanghai days); one query."""
    queryset = _period(Evaluation.objects.filter(community__in=communities), start=start, end=end)
    return _figures(queryset.aggregate(**_FIGURES))


def evaluation_figures_by_community(
    *, communities: Iterable, start: date, end: date
) -> dict[int, EvaluationFigures]:
    """The same per community, in one query; communities without evaluations get zeros."""
    communities = list(communities)
    queryset = _period(Evaluation.objects.filter(community__in=communities), start=start, end=end)
    rows = {row["community"]: row for row in queryset.values("community").order_by().annotate(**_FIGURES)}
    empty = {"ratings": 0, "satisfied": 0, "average": None}
    return {c.pk: _figures(rows.get(c.pk, empty)) for c in communities}


# Figures are statistics over every evaluation: the same for all visitors and at most
# this old (a new evaluation forgets nothing here).
FIGURES_SECONDS = 60


def evaluation_figures_for(community, start: date, end: date) -> EvaluationFigures | None:
    """``evaluation_figures`` of one community and period, from the cache or one query
    (what a report to residents shows)."""
    if community is None or not start or not end:
        return None
    key = hashlib.md5(f"{community.pk}:{start}:{end}".encode(), usedforsecurity=False).hexdigest()
    return cache.get_or_set(
        f"feedback:evaluation-figures:{key}",
        lambda: evaluation_figures(communities=[community], start=start, end=end),
        FIGURES_SECONDS,
    )


def evaluations_for(user) -> QuerySet[Evaluation]:
    """Evaluations of the user's communities; those without a community (a service rated
    by a resident who did not say where they live) only for staff who see every community."""
    if sees_all_communities(user):
        return Evaluation.objects.all()
    return Evaluation.objects.filter(community__in=communities_for(user).values("pk"))


def evaluations_waiting(user) -> int:
    """Evaluations of the user's communities waiting for a moderator (one query, plus
    the scope's)."""
    return evaluations_for(user).filter(state=ModerationState.PENDING).count()


def can_moderate_evaluations(user) -> bool:
    return user.is_active and user.has_perm("feedback.change_evaluation")


def expired_evaluations(*, now: datetime | None = None, days: int | None = None) -> QuerySet[Evaluation]:
    """Not yet anonymised, submitted longer ago than the retention period, and from a
    quarter no score reads any more (so the one-per-quarter rule has nothing to guard)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days() if days is None else days)
    first_scored = recent_quarters(today=timezone.localdate(now), count=SCORED_QUARTERS)[-1]
    return Evaluation.objects.filter(
        anonymised_at__isnull=True, submitted_at__lt=cutoff, quarter__lt=first_scored
    ).order_by("pk")
