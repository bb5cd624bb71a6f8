"""积分 writes: awards by the staff's rules, redemptions held, confirmed or refused.

Every change of a balance writes one ledger entry and updates the cached balance in the
same transaction, with the balance row locked (``select_for_update``), so the cached sum
never drifts from the ledger. A redemption locks the balance first and then the
catalogue item (always in that order, so two requests cannot deadlock): the balance
cannot go below zero, nor the stock, however many requests race.
"""

from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from .models import (
    EntryKind,
    PointBalance,
    PointEntry,
    PointRule,
    Redemption,
    RedemptionState,
    RewardItem,
    RuleSource,
)


def ensure_balance(*, member) -> None:
    PointBalance.objects.get_or_create(member=member)


def _locked_balance(member) -> PointBalance:
    ensure_balance(member=member)
    return PointBalance.objects.select_for_update().get(member=member)


def _post(*, balance: PointBalance, delta: int, kind: str, source_id: int, note: str) -> PointEntry:
    """Append one entry and move the (locked) balance by it."""
    entry = PointEntry.objects.create(
        member_id=balance.member_id, delta=delta, kind=kind, source_id=source_id, note=note
    )
    balance.balance += delta
    if balance.balance < 0:
        raise ValidationError("积分余额不足。")
    balance.save(update_fields=["balance"])
    return entry


def _capped(*, member, rule: PointRule, kind: str, points: int, year: int) -> int:
    if not rule.yearly_cap:
        return points
    earned = (
        PointEntry.objects.filter(member=member, kind=kind, created_at__year=year).aggregate(s=Sum("delta"))[
            "s"
        ]
        or 0
    )
    return max(0, min(points, rule.yearly_cap - earned))


def _award(*, member, source: str, kind: str, source_id: int, note: str, quantity: Decimal = Decimal(1)):
    rule = PointRule.objects.filter(source=source, active=True).first()
    if rule is None:
        return None
    points = int((Decimal(rule.points) * quantity).to_integral_value(rounding=ROUND_DOWN))
    with transaction.atomic():
        balance = _locked_balance(member)
        if PointEntry.objects.filter(member=member, kind=kind, source_id=source_id).exists():
            return None  # already paid for this source
        points = _capped(member=member, rule=rule, kind=kind, points=points, year=timezone.localdate().year)
        if points <= 0:
            return None
        return _post(balance=balance, delta=points, kind=kind, source_id=source_id, note=note)


def award_for_hours(*, hours) -> list[PointEntry]:
    """Points for a confirmed hours entry: per hour, and once per activity."""
    entries = [
        _award(
            member=hours.member,
            source=RuleSource.HOURS,
            kind=EntryKind.HOURS,
            source_id=hours.pk,
            quantity=hours.hours,
            note=f"服务时长 {hours.hours.normalize():f} 小时：{hours.activity}"[:200],
        ),
        _award(
            member=hours.member,
            source=RuleSource.ACTIVITY,
            kind=EntryKind.ACTIVITY,
            source_id=hours.pk,
            note=f"参加服务活动：{hours.activity}"[:200],
        ),
    ]
    return [entry for entry in entries if entry]


def award_for_need(*, member, need_id: int, title: str = "") -> PointEntry | None:
    return _award(
        member=member,
        source=RuleSource.NEED,
        kind=EntryKind.NEED,
        source_id=need_id,
        note=f"完成居民需求：{title}"[:200] if title else "完成居民需求",
    )


def request_redemption(*, member, item: RewardItem) -> Redemption:
    """Hold the item's points and one of its stock; the community then confirms or refuses."""
    if not member.is_verified:
        raise ValidationError("社区确认报到后才能兑换积分。")
    with transaction.atomic():
        balance = _locked_balance(member)
        item = RewardItem.objects.select_for_update().get(pk=item.pk)
        if not item.active or (item.community_id and item.community_id != member.community_id):
            raise ValidationError("这个项目现在不能兑换。")
        if item.stock < 1:
            raise ValidationError("这个项目已兑完。")
        if balance.balance < item.points_cost:
            raise ValidationError(f"积分不足：需要 {item.points_cost} 分，当前余额 {balance.balance} 分。")
        item.stock -= 1
        item.save(update_fields=["stock"])
        redemption = Redemption.objects.create(member=member, item=item, points=item.points_cost)
        _post(
            balance=balance,
            delta=-item.points_cost,
            kind=EntryKind.REDEMPTION,
            source_id=redemption.pk,
            note=f"兑换：{item.name}",
        )
    return redemption


def _locked_pending(redemption: Redemption) -> Redemption:
    redemption = Redemption.objects.select_for_update().select_related("item").get(pk=redemption.pk)
    if redemption.state != RedemptionState.PENDING:
        raise ValidationError("这笔兑换已经处理过了。")
    return redemption


def confirm_redemption(*, redemption: Redemption, actor) -> Redemption:
    with transaction.atomic():
        redemption = _locked_pending(redemption)
        redemption.state = RedemptionState.CONFIRMED
        redemption.decided_at, redemption.decided_by = timezone.now(), actor
        redemption.save(update_fields=["state", "decided_at", "decided_by"])
    return redemption


def refuse_redemption(*, redemption: Redemption, actor, reason: str) -> Redemption:
    """Refused: the held points come back as a reversing entry, the stock as one more."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写未通过的原因。"})
    with transaction.atomic():
        balance = _locked_balance(redemption.member)
        redemption = _locked_pending(redemption)
        item = RewardItem.objects.select_for_update().get(pk=redemption.item_id)
        item.stock += 1
        item.save(update_fields=["stock"])
        redemption.state = RedemptionState.REFUSED
        redemption.decided_at, redemption.decided_by = timezone.now(), actor
        redemption.decision_note = reason.strip()[:200]
        redemption.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])
        _post(
            balance=balance,
            delta=redemption.points,
            kind=EntryKind.REFUND,
            source_id=redemption.pk,
            note=f"兑换未通过，积分退回：{item.name}",
        )
    return redemption
