"""Participation figures per community and period, for reports to residents and staff.

One place for each count: needs posted (submitted in the period), taken (taken in the
period), done (confirmed by the resident in the period), the average rating of those
confirmed, and wishes fulfilled in the period; 双报到 and 积分: units and members
registered (verified), hours served against the yearly targets, points issued and
redeemed. Periods are half-open datetimes ``[start, end)``; dates are taken as whole days
in Asia/Shanghai.

``participation_figures_for(community, start, end)`` is the one entry point pages use
(the report to residents through ``feedback_figures``): both groups, from the cache.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from home.models import Community

from .members.models import HoursState, Member, MemberKind, Registration, ServiceHours, Unit
from .models import Need, NeedState, Wish, WishState
from .points.models import EntryKind, PointEntry, Redemption, RedemptionState

# As long as the complaint figures on the same report may be old.
FIGURES_SECONDS = 60


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


@dataclass(frozen=True)
class ParticipationFigures:
    units: int
    members: int
    unit_hours: Decimal
    member_hours: Decimal
    units_on_target: int
    members_on_target: int
    points_issued: int
    points_redeemed: int

    @property
    def total_hours(self) -> Decimal:
        return self.unit_hours + self.member_hours

    @property
    def unit_target(self) -> int:
        return self.units * settings.PARTICIPATION_UNIT_HOURS_TARGET

    @property
    def member_target(self) -> int:
        return self.members * settings.PARTICIPATION_MEMBER_HOURS_TARGET


def participation_figures(*, start: date, end: date, communities=None) -> ParticipationFigures:
    """Hours served on ``start``..``end`` (inclusive); a unit or member is on target when its
    confirmed hours in the period reach the yearly target."""
    units = Unit.objects.filter(registration=Registration.VERIFIED)
    members = Member.objects.filter(registration=Registration.VERIFIED).exclude(kind=MemberKind.UNIT_CONTACT)
    hours = ServiceHours.objects.filter(state=HoursState.CONFIRMED, served_on__range=(start, end))
    entries = PointEntry.objects.filter(created_at__date__range=(start, end))
    redeemed = Redemption.objects.filter(
        state=RedemptionState.CONFIRMED, decided_at__date__range=(start, end)
    )
    if communities is not None:
        units, members = units.filter(community__in=communities), members.filter(community__in=communities)
        hours = hours.filter(community__in=communities)
        entries = entries.filter(member__community__in=communities)
        redeemed = redeemed.filter(member__community__in=communities)
    totals = hours.aggregate(
        unit_h=Sum("hours", filter=Q(unit__isnull=False)), member_h=Sum("hours", filter=Q(unit__isnull=True))
    )
    unit_target, member_target = (
        settings.PARTICIPATION_UNIT_HOURS_TARGET,
        settings.PARTICIPATION_MEMBER_HOURS_TARGET,
    )
    units_on_target = (
        hours.filter(unit__isnull=False)
        .values("unit")
        .annotate(s=Sum("hours"))
        .filter(s__gte=unit_target)
        .count()
    )
    members_on_target = (
        hours.filter(unit__isnull=True)
        .values("member")
        .annotate(s=Sum("hours"))
        .filter(s__gte=member_target)
        .count()
    )
    issued = entries.filter(kind__in=[EntryKind.HOURS, EntryKind.ACTIVITY, EntryKind.NEED]).aggregate(
        s=Sum("delta")
    )
    counts = units.aggregate(n=Count("pk")), members.aggregate(n=Count("pk"))
    return ParticipationFigures(
        units=counts[0]["n"],
        members=counts[1]["n"],
        unit_hours=totals["unit_h"] or Decimal(0),
        member_hours=totals["member_h"] or Decimal(0),
        units_on_target=units_on_target,
        members_on_target=members_on_target,
        points_issued=issued["s"] or 0,
        points_redeemed=redeemed.aggregate(s=Sum("points"))["s"] or 0,
    )


@dataclass(frozen=True)
class CommunityParticipation:
    """What a report to residents shows of one community's participation in a period."""

    needs: NeedFigures
    members: ParticipationFigures


def participation_figures_for(community, start: date, end: date) -> CommunityParticipation | None:
    """Both figure groups of one community and period, from the cache or nine queries."""
    if community is None or not start or not end:
        return None
    digest = hashlib.md5(f"{community.pk}:{start}:{end}".encode(), usedforsecurity=False).hexdigest()
    return cache.get_or_set(
        f"feedback:participation-figures:{digest}",
        lambda: CommunityParticipation(
            needs=need_figures(start=start, end=end, community=community),
            members=participation_figures(start=start, end=end, communities=[community]),
        ),
        FIGURES_SECONDS,
    )
