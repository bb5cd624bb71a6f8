"""Reads of 双报到: a member's hours and progress against the yearly target."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from .models import HoursState, Member, MemberKind, ServiceHours


@dataclass(frozen=True)
class Progress:
    served: Decimal
    target: int
    who: str

    @property
    def percent(self) -> int:
        return min(100, int(self.served * 100 / self.target)) if self.target else 100

    @property
    def reached(self) -> bool:
        return self.served >= self.target


def hours_of(*, member: Member):
    return ServiceHours.objects.filter(member=member).order_by("-served_on", "-created_at")


def progress_of(*, member: Member, year: int | None = None) -> Progress:
    """Confirmed hours this year: a unit contact sees the unit's, others their own."""
    year = year or timezone.localdate().year
    confirmed = ServiceHours.objects.filter(state=HoursState.CONFIRMED, served_on__year=year)
    if member.kind == MemberKind.UNIT_CONTACT and member.unit_id:
        served = confirmed.filter(unit_id=member.unit_id).aggregate(s=Sum("hours"))["s"]
        return Progress(served or Decimal(0), settings.PARTICIPATION_UNIT_HOURS_TARGET, "本单位")
    served = confirmed.filter(member=member).aggregate(s=Sum("hours"))["s"]
    return Progress(served or Decimal(0), settings.PARTICIPATION_MEMBER_HOURS_TARGET, "本人")
