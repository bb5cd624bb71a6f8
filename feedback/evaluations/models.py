"""Residents' evaluations (我要评议) of services, stations, property companies and communities.

One resident (a phone number, or a device when no phone is given) has at most one
evaluation per target per quarter: ``voter_key`` + ``target_key`` + ``quarter`` is
unique, and a repeat replaces the earlier row (``services.submit_evaluation``).
Scores count from submission; a comment is shown publicly only once approved; an
evaluation marked as abuse is left out of every score and figure. Past the retention
period the name, phone and voter key are removed (``feedback.trust.retention``); the voter key
then becomes ``a:<pk>``, so the constraint still holds.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from .quarters import quarter_for


class TargetType(models.TextChoices):
    SERVICE = "service", "办事服务"
    STATION = "station", "驿站/服务站点"
    COMPANY = "company", "物业服务企业"
    COMMUNITY = "community", "社区党群服务"


class ModerationState(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已公开"
    HIDDEN = "hidden", "已隐藏"
    ABUSE = "abuse", "滥用"


# Optional dimension scores: the three stored columns, named for each kind of target.
DIMENSION_FIELDS = ("attitude", "efficiency", "environment")
DIMENSIONS: dict[str, tuple[tuple[str, str], ...]] = {
    TargetType.SERVICE: (("attitude", "服务态度"), ("efficiency", "办事效率"), ("environment", "办事环境")),
    TargetType.STATION: (("attitude", "服务态度"), ("efficiency", "设施好用"), ("environment", "环境卫生")),
    TargetType.COMPANY: (("attitude", "服务态度"), ("efficiency", "报修响应"), ("environment", "小区环境")),
    TargetType.COMMUNITY: (("attitude", "服务态度"), ("efficiency", "办事效率"), ("environment", "活动阵地")),
}


class PropertyCompany(index.Indexed, models.Model):
    """A property management company (物业服务企业) and the communities it serves."""

    name = models.CharField("企业名称", max_length=80, unique=True)
    communities = models.ManyToManyField(
        "home.Community", blank=True, related_name="property_companies", verbose_name="服务社区"
    )
    contact = models.CharField("联系电话", max_length=40, blank=True, help_text="物业服务中心的公开电话。")
    address = models.CharField("服务中心地址", max_length=200, blank=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    panels = [
        FieldPanel("name"),
        FieldPanel("communities"),
        FieldPanel("contact"),
        FieldPanel("address"),
    ]

    class Meta:
        verbose_name = "物业服务企业"
        verbose_name_plural = "物业服务企业"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("feedback:company", args=[self.pk])


def quarter_of(moment) -> str:
    """``2026Q3`` for a moment in July–September 2026, Asia/Shanghai."""
    return quarter_for(timezone.localdate(moment))


class EvaluationQuerySet(models.QuerySet):
    def counted(self):
        """Evaluations that count in scores: everything but those marked as abuse."""
        return self.exclude(state=ModerationState.ABUSE)

    def public_comments(self):
        return self.filter(state=ModerationState.APPROVED).exclude(comment="")


class Evaluation(models.Model):
    wagtail_reference_index_ignore = True  # as Complaint: no usage index of residents' records

    target_type = models.CharField("评议对象类型", max_length=10, choices=TargetType.choices)
    # "station:12", "company:3", "community:7", "service:40": one key whatever the type,
    # so the one-per-quarter rule is a single unique constraint.
    target_key = models.CharField(max_length=30, editable=False)
    service = models.ForeignKey(
        "servicecatalog.ServiceItemPage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办事服务",
    )
    station = models.ForeignKey(
        "servicecatalog.StationPage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="驿站/站点",
    )
    company = models.ForeignKey(
        PropertyCompany,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name="物业服务企业",
    )
    # The community evaluated (type community), the station's community, or the
    # resident's own community (companies, services); decides moderators' scope.
    community = models.ForeignKey(
        "home.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name="社区",
    )
    quarter = models.CharField("季度", max_length=6, db_index=True)
    stars = models.PositiveSmallIntegerField("总体评分")
    attitude = models.PositiveSmallIntegerField("维度一", null=True, blank=True)
    efficiency = models.PositiveSmallIntegerField("维度二", null=True, blank=True)
    environment = models.PositiveSmallIntegerField("维度三", null=True, blank=True)
    comment = models.CharField("评议意见", max_length=300, blank=True)
    name = models.CharField("称呼", max_length=30, blank=True)
    phone = models.CharField("手机号", max_length=11, blank=True)
    # HMAC of the phone ("p:…") or of the device cookie ("d:…"); never the raw value.
    voter_key = models.CharField(max_length=70, editable=False)
    privacy_notice_version = models.CharField("隐私告知版本", max_length=20)
    consented_at = models.DateTimeField("同意告知时间")

    state = models.CharField(
        "审核状态", max_length=10, choices=ModerationState.choices, default=ModerationState.PENDING
    )
    hide_reason = models.CharField("隐藏/滥用原因", max_length=200, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    moderated_at = models.DateTimeField("审核时间", null=True, blank=True)
    created_at = models.DateTimeField("首次提交", default=timezone.now)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    # Set when name, phone and the voter key were removed (retention, ``feedback.trust.retention``).
    anonymised_at = models.DateTimeField("个人信息删除时间", null=True, blank=True, editable=False)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = "居民评议"
        verbose_name_plural = "居民评议"
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["voter_key", "target_key", "quarter"], name="one_evaluation_per_voter_target_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="evaluation_stars_1_5"
            ),
        ]
        indexes = [
            models.Index(fields=["target_key", "state"]),
            models.Index(fields=["target_type", "quarter"]),
            models.Index(fields=["community", "submitted_at"]),
        ]

    def __str__(self):
        return f"{self.get_target_type_display()} {self.target_name} {self.stars}星"

    @property
    def target(self):
        return {
            TargetType.SERVICE: self.service,
            TargetType.STATION: self.station,
            TargetType.COMPANY: self.company,
            TargetType.COMMUNITY: self.community,
        }[self.target_type]

    @property
    def target_name(self) -> str:
        target = self.target
        return getattr(target, "title", None) or getattr(target, "name", "")

    def dimension_scores(self) -> list[tuple[str, int]]:
        return [
            (label, getattr(self, field))
            for field, label in DIMENSIONS[self.target_type]
            if getattr(self, field) is not None
        ]


def target_key(target_type: str, pk: int) -> str:
    return f"{target_type}:{pk}"
