"""Participation accounts (phone + SMS code, no Django user), units (驻区单位) that report to a
community (双报到), and the service hours they log.

A member's registration with a community and each hours entry change state only through
``members.services``; staff decide in the admin, scoped by community.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models


class MemberKind(models.TextChoices):
    VOLUNTEER = "volunteer", "志愿者"
    PARTY_MEMBER = "party_member", "在职党员"
    UNIT_CONTACT = "unit_contact", "单位联系人"


class Registration(models.TextChoices):
    PENDING = "pending", "待社区确认"
    VERIFIED = "verified", "已报到"
    REFUSED = "refused", "未通过"


class HoursState(models.TextChoices):
    PENDING = "pending", "待社区确认"
    CONFIRMED = "confirmed", "已确认"
    REFUSED = "refused", "未确认"


class Unit(models.Model):
    """A 驻区单位 (its party organisation) reporting to a community."""

    name = models.CharField("单位名称", max_length=100)
    community = models.ForeignKey(
        "home.Community",
        on_delete=models.PROTECT,
        related_name="participation_units",
        verbose_name="报到社区",
    )
    contact_name = models.CharField("联系人", max_length=40)
    contact_phone = models.CharField("联系电话", max_length=20)
    registration = models.CharField(
        "报到状态", max_length=12, choices=Registration.choices, default=Registration.PENDING
    )
    registered_at = models.DateTimeField("报到时间", auto_now_add=True)
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "驻区单位"
        verbose_name_plural = "驻区单位"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"], name="participation_unit_once_per_community"
            )
        ]

    def __str__(self):
        return self.name


class Member(models.Model):
    """A volunteer, in-job party member or unit contact, known by a verified phone."""

    phone = models.CharField("手机号", max_length=20, unique=True)
    display_name = models.CharField("称呼", max_length=40)
    kind = models.CharField("身份", max_length=16, choices=MemberKind.choices)
    community = models.ForeignKey(
        "home.Community",
        on_delete=models.PROTECT,
        related_name="participation_members",
        verbose_name="报到社区",
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name="所在单位"
    )
    registration = models.CharField(
        "报到状态", max_length=12, choices=Registration.choices, default=Registration.PENDING
    )
    registered_at = models.DateTimeField("报到时间", auto_now_add=True)
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.CharField("说明", max_length=200, blank=True)
    last_signed_in_at = models.DateTimeField("最近登录", null=True, blank=True)

    class Meta:
        verbose_name = "志愿者与党员"
        verbose_name_plural = "志愿者与党员"
        ordering = ["-registered_at"]

    def __str__(self):
        return self.display_name

    @property
    def is_verified(self) -> bool:
        return self.registration == Registration.VERIFIED


class ServiceHours(models.Model):
    """Hours a member served; a unit contact's hours also count for the unit."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="hours", verbose_name="志愿者")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="hours", verbose_name="单位"
    )
    community = models.ForeignKey(
        "home.Community", on_delete=models.PROTECT, related_name="+", verbose_name="服务社区"
    )
    activity = models.CharField("服务内容", max_length=100)
    served_on = models.DateField("服务日期")
    hours = models.DecimalField(
        "时长（小时）", max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    state = models.CharField("状态", max_length=12, choices=HoursState.choices, default=HoursState.PENDING)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "服务时长"
        verbose_name_plural = "服务时长"
        ordering = ["-served_on", "-created_at"]
        indexes = [models.Index(fields=["community", "state", "served_on"], name="participation_hours_queue")]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="participation_hours_positive")
        ]

    def __str__(self):
        return f"{self.activity}（{self.hours} 小时）"
