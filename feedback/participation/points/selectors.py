"""Reads of 积分: the public catalogue, a member's balance, ledger and redemptions."""

from django.db.models import Q

from .models import PointBalance, PointEntry, PointRule, Redemption, RewardItem


def catalogue(*, community=None):
    items = RewardItem.objects.filter(active=True).select_related("community")
    if community is not None:
        items = items.filter(Q(community__isnull=True) | Q(community=community))
    return items


def active_rules():
    return PointRule.objects.filter(active=True).order_by("source")


def balance_of(*, member) -> int:
    row = PointBalance.objects.filter(member=member).values_list("balance", flat=True).first()
    return row or 0


def ledger_of(*, member, limit: int = 50):
    return PointEntry.objects.filter(member=member)[:limit]


def redemptions_of(*, member):
    return Redemption.objects.filter(member=member).select_related("item")
