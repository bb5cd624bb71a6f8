"""积分: staff-set rules, the append-only ledger with a cached balance, the catalogue and
redemptions.

The ledger (``PointEntry``) is never updated or deleted: a refusal is a reversing entry.
Every entry names its source (``kind`` + ``source_id``). ``PointBalance`` caches the sum and
is changed only in the transaction that writes the entry, under ``select_for_update``.
"""

from django.conf import settings
from django.db import models

from ..members.models import Member


class RuleSource(models.TextChoices):
    HOURS = "hours", "每确认 1 小时服务"
    ACTIVITY = "activity", "每参加 1 次服务活动"
    NEED = "need", "每完成 1 单居民需求"


class EntryKind(models.TextChoices):
    HOURS = "hours", "服务时长"
    ACTIVITY = "activity", "服务活动"
    NEED = "need", "居民需求"
    REDEMPTION = "redemption", "兑换（冻结）"
    REFUND = "refund", "兑换未通过（退回）"


AWARD_KINDS = (EntryKind.HOURS, EntryKind.ACTIVITY, EntryKind.NEED)


class PointRule(models.Model):
    source = models.CharField("积分来源", max_length=12, choices=RuleSource.choices, unique=True)
    points = models.PositiveIntegerField("积分")
    yearly_cap = models.PositiveIntegerField("每人每年上限", default=0, help_text="0 表示不设上限。")
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "积分规则"
        verbose_name_plural = "积分规则"

    def __str__(self):
        return f"{self.get_source_display()}：{self.points} 分"


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("积分流水只能追加，不能修改。")

    def delete(self):
        raise TypeError("积分流水只能追加，不能删除。")


class PointEntry(models.Model):
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="point_entries", verbose_name="志愿者"
    )
    delta = models.IntegerField("积分变动")
    kind = models.CharField("来源", max_length=12, choices=EntryKind.choices)
    source_id = models.PositiveBigIntegerField("来源编号")
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = "积分流水"
        verbose_name_plural = "积分流水"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One award, one hold and one refund per source: a retried signal or a double
            # click cannot pay twice.
            models.UniqueConstraint(fields=["member", "kind", "source_id"], name="participation_entry_once"),
            models.CheckConstraint(condition=~models.Q(delta=0), name="participation_entry_not_zero"),
        ]

    def __str__(self):
        return f"{self.delta:+d}（{self.get_kind_display()}）"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("积分流水只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("积分流水只能追加，不能删除。")


class PointBalance(models.Model):
    member = models.OneToOneField(
        Member, on_delete=models.PROTECT, primary_key=True, related_name="point_balance"
    )
    balance = models.IntegerField("积分余额", default=0)

    class Meta:
        verbose_name = "积分余额"
        verbose_name_plural = "积分余额"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(balance__gte=0), name="participation_balance_not_negative"
            )
        ]

    def __str__(self):
        return f"{self.balance} 分"


class RewardItem(models.Model):
    name = models.CharField("兑换项目", max_length=60)
    description = models.CharField("说明", max_length=200, blank=True)
    provider = models.CharField("提供方", max_length=80, blank=True)
    points_cost = models.PositiveIntegerField("所需积分")
    stock = models.PositiveIntegerField("剩余数量")
    community = models.ForeignKey(
        "home.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="限社区",
        help_text="留空表示全部社区可兑换。",
    )
    active = models.BooleanField("上架", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "积分兑换项目"
        verbose_name_plural = "积分兑换项目"
        ordering = ["sort_order", "points_cost", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(points_cost__gt=0), name="participation_cost_positive")
        ]

    def __str__(self):
        return self.name


class RedemptionState(models.TextChoices):
    PENDING = "pending", "待社区确认"
    CONFIRMED = "confirmed", "已兑换"
    REFUSED = "refused", "未通过（积分已退回）"


class Redemption(models.Model):
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="redemptions", verbose_name="志愿者"
    )
    item = models.ForeignKey(
        RewardItem, on_delete=models.PROTECT, related_name="redemptions", verbose_name="兑换项目"
    )
    points = models.PositiveIntegerField("积分")
    state = models.CharField(
        "状态", max_length=12, choices=RedemptionState.choices, default=RedemptionState.PENDING
    )
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "积分兑换"
        verbose_name_plural = "积分兑换"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.item}（{self.points} 分）"
