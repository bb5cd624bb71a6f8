"""Participation figures per community and period, for reports to residents and staff.

One place for each count: needs posted (submitted in the period), taken (taken in the
period), done (confirmed by the resident in the period), the average rating of those
confirmed, and wishes fulfilled in the period. Periods are half-open datetimes
``[start, end)``; dates are taken as whole days in Asia/Shanghai. part-b adds the hours
and points figures here.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, Q
from django.utils import timezone

from home.models import Community

from .models import Need, NeedState, Wish, WishState


@dataclass(frozen=True)
class NeedFigures:
    posted: int
    taken: int
    done: int
    rated: int
    average_rating: float | None
    wishes_fulfilled: int


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """``start`` to ``end`` inclusive, as Asia/Shanghai datetimes ``[start 00:00, end+1 00:00)``."""
    tz = timezone.get_default_timezone()
    return datetime.combine(start, time.min, tzinfo=tz), datetime.combine(
        end + timedelta(days=1), time.min, tzinfo=tz
    )


def need_figures(*, start: date, end: date, community: Community | None = None) -> NeedFigures:
    """The figures of one community (or all) from ``start`` to ``end`` inclusive: two queries."""
    since, until = _bounds(start, end)
    needs = Need.objects.all() if community is None else Need.objects.filter(community=community)
    confirmed = Q(state=NeedState.CONFIRMED, confirmed_at__gte=since, confirmed_at__lt=until)
    row = needs.aggregate(
        posted=Count("pk", filter=Q(created_at__gte=since, created_at__lt=until)),
        taken=Count("pk", filter=Q(taken_at__gte=since, taken_at__lt=until)),
        done=Count("pk", filter=confirmed),
        rated=Count("pk", filter=confirmed & Q(rating__isnull=False)),
        average=Avg("rating", filter=confirmed),
    )
    wishes = Wish.objects.all() if community is None else Wish.objects.filter(community=community)
    fulfilled = wishes.filter(
        state=WishState.FULFILLED, fulfilled_at__gte=since, fulfilled_at__lt=until
    ).count()
    average = round(float(row["average"]), 1) if row["average"] is not None else None
    return NeedFigures(
        posted=row["posted"],
        taken=row["taken"],
        done=row["done"],
        rated=row["rated"],
        average_rating=average,
        wishes_fulfilled=fulfilled,
    )


def figures_by_community(*, start: date, end: date) -> dict[int, NeedFigures]:
    """Every community's figures, keyed by community id: two grouped queries in all."""
    since, until = _bounds(start, end)
    confirmed = Q(state=NeedState.CONFIRMED, confirmed_at__gte=since, confirmed_at__lt=until)
    rows = Need.objects.values("community_id").annotate(
        posted=Count("pk", filter=Q(created_at__gte=since, created_at__lt=until)),
        taken=Count("pk", filter=Q(taken_at__gte=since, taken_at__lt=until)),
        done=Count("pk", filter=confirmed),
        rated=Count("pk", filter=confirmed & Q(rating__isnull=False)),
        average=Avg("rating", filter=confirmed),
    )
    fulfilled = dict(
        Wish.objects.filter(state=WishState.FULFILLED, fulfilled_at__gte=since, fulfilled_at__lt=until)
        .values_list("community_id")
        .annotate(n=Count("pk"))
        .values_list("community_id", "n")
    )
    result = {}
    for row in rows.order_by():
        cid = row["community_id"]
        average = round(float(row["average"]), 1) if row["average"] is not None else None
        result[cid] = NeedFigures(
            row["posted"], row["taken"], row["done"], row["rated"], average, fulfilled.pop(cid, 0)
        )
    for cid, n in fulfilled.items():
        result[cid] = NeedFigures(0, 0, 0, 0, None, n)
    return result
