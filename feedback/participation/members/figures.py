"""Figures of 双报到 and 积分 per community and period: units and members registered
(verified), hours served against the yearly targets, points issued and redeemed.

Part of the participation figures (``feedback.participation.figures`` gathers them once
part-a's module lands); one aggregate query per figure group, never per row.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum

from ..points.models import EntryKind, PointEntry, Redemption, RedemptionState
from .models import HoursState, Member, MemberKind, Registration, ServiceHours, Unit


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
