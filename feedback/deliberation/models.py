"""议事协商: residents deliberate a topic from a proposal to a carried-out resolution.

The six steps (``Step``) follow Tianchang's method; the rules of moving between them live
in ``services``, the models only hold the data. Phones and private residents' names are
personal data: never on public pages (``selectors`` gives the public their masked form).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from ..complaints.models import Rating


class Step(models.TextChoices):
    COLLECTING = "collecting", "收集民意"
    PROPOSED = "proposed", "党组织提议"
    DELIBERATING = "deliberating", "各方共同商议"
    RESOLVED = "resolved", "会议决议"
    NOTICE = "notice", "结果公开"
    IMPLEMENTING = "implementing", "督促落实"
    # Off the six steps: the topic left the process (with a public reason) or was done.
    DONE = "done", "已落实"
    MERGED = "merged", "已合并"
    DECLINED = "declined", "未列入议题"


SIX_STEPS = (
    Step.COLLECTING,
    Step.PROPOSED,
    Step.DELIBERATING,
    Step.RESOLVED,
    Step.NOTICE,
    Step.IMPLEMENTING,
)


class Source(models.TextChoices):
    RESIDENT = "resident", "居民提出"
    MEETING = "meeting", "会议提出"


class ParticipantRole(models.TextChoices):
    RESIDENT_REP = "resident_rep", "居民代表"
    UNIT = "unit", "驻区单位"
    PROPERTY = "property", "物业"
    SOCIAL_ORG = "social_org", "社会组织"
    PARTY_MEMBER = "party_member", "党员"
    GRID_WORKER = "grid_worker", "网格员"


class TopicQuerySet(models.QuerySet):
    def open_for_support(self):
        return self.filter(step=Step.COLLECTING)


class Topic(models.Model):
    wagtail_reference_index_ignore = True

    public_code = models.CharField("公开编号", max_length=12, unique=True, editable=False)
    community = models.ForeignKey(
        "home.Community", on_delete=models.PROTECT, related_name="deliberation_topics", verbose_name="社区"
    )
    title = models.CharField("议题", max_length=60)
    description = models.TextField("议题说明", max_length=1000)
    proposer_name = models.CharField("提议人称呼", max_length=30, blank=True)
    proposer_phone = models.CharField("提议人手机号", max_length=11, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.RESIDENT)
    step = models.CharField("所处步骤", max_length=14, choices=Step.choices, default=Step.COLLECTING)
    public_reason = models.CharField("公开说明", max_length=300, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name="并入议题",
    )
    support_count = models.PositiveIntegerField("附议人数", default=0)
    notice_ends_at = models.DateTimeField("公示截止", null=True, blank=True)
    promise = models.ForeignKey(
        "notices.ReportPromise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="对应实事",
    )
    progress = models.PositiveSmallIntegerField(
        "落实进度（%）", default=0, validators=[MaxValueValidator(100)]
    )
    created_at = models.DateTimeField("提出时间", default=timezone.now)
    accepted_at = models.DateTimeField("列入议题时间", null=True, blank=True)
    resolved_at = models.DateTimeField("形成决议时间", null=True, blank=True)
    done_at = models.DateTimeField("落实完成时间", null=True, blank=True)
    privacy_notice_version = models.CharField("隐私告知版本", max_length=20, blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = "议事议题"
        verbose_name_plural = "议事议题"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["step", "-created_at"], name="delib_topic_step_idx")]

    def __str__(self):
        return self.title

    @property
    def notice_open(self) -> bool:
        return (
            self.step == Step.NOTICE
            and self.notice_ends_at is not None
            and timezone.now() < self.notice_ends_at
        )


class TopicEvent(models.Model):
    """One line of the topic's public timeline. Its text is what residents read."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="events")
    step = models.CharField("步骤", max_length=14, choices=Step.choices)
    title = models.CharField("事项", max_length=80)
    note = models.TextField("说明", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "议题进程"
        verbose_name_plural = "议题进程"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.topic} · {self.title}"


class Support(models.Model):
    """附议: one per topic and device (an HMAC of the cookie's random id) and per phone."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="supports")
    device_key = models.CharField(max_length=64)
    phone = models.CharField("手机号", max_length=11, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "附议"
        verbose_name_plural = "附议"
        constraints = [
            models.UniqueConstraint(fields=["topic", "device_key"], name="delib_support_one_per_device"),
            models.UniqueConstraint(
                fields=["topic", "phone"], condition=~models.Q(phone=""), name="delib_support_one_per_phone"
            ),
        ]

    def __str__(self):
        return f"{self.topic} 的附议"


class Meeting(models.Model):
    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="meeting")
    held_on = models.DateField("会议日期")
    place = models.CharField("会议地点", max_length=80)
    agenda = models.TextField("议程", max_length=1000)
    # As typed by staff (may name residents); the public read ``public_minutes``.
    minutes = models.TextField("会议纪要", max_length=4000, blank=True)
    public_minutes = models.TextField("公开纪要", blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "协商会议"
        verbose_name_plural = "协商会议"

    def __str__(self):
        return f"{self.topic} 的协商会议"

    @property
    def total_participants(self) -> int:
        return sum(p.count for p in self.participants.all())


class MeetingParticipant(models.Model):
    """Who sat at the table, by role: a count and, for organisations, their names."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField("身份", max_length=14, choices=ParticipantRole.choices)
    count = models.PositiveSmallIntegerField("人数", validators=[MinValueValidator(1)])
    organisations = models.CharField("单位/组织名称", max_length=200, blank=True)

    class Meta:
        verbose_name = "参会方"
        verbose_name_plural = "参会方"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "role"], name="delib_one_row_per_role")]

    def __str__(self):
        return f"{self.get_role_display()} {self.count} 人"


class Resolution(models.Model):
    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="resolution")
    text = models.TextField("决议内容", max_length=2000)
    votes_for = models.PositiveSmallIntegerField("赞成", default=0)
    votes_against = models.PositiveSmallIntegerField("反对", default=0)
    votes_abstain = models.PositiveSmallIntegerField("弃权", default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "会议决议"
        verbose_name_plural = "会议决议"

    def __str__(self):
        return f"{self.topic} 的决议"

    @property
    def votes_total(self) -> int:
        return self.votes_for + self.votes_against + self.votes_abstain


class Objection(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="objections")
    text = models.TextField("异议内容", max_length=1000)
    public_text = models.TextField("公开内容", blank=True, editable=False)
    phone = models.CharField("手机号", max_length=11)
    answer = models.TextField("答复", max_length=1000, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    created_at = models.DateTimeField("提出时间", default=timezone.now)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.topic} 的异议"


class OutcomeRating(models.Model):
    """Residents' rating of a carried-out resolution, in the complaints' vocabulary."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="ratings")
    device_key = models.CharField(max_length=64)
    rating = models.CharField("评价", max_length=12, choices=Rating.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "落实评价"
        verbose_name_plural = "落实评价"
        constraints = [
            models.UniqueConstraint(fields=["topic", "device_key"], name="delib_rating_one_per_device")
        ]

    def __str__(self):
        return f"{self.topic}：{self.get_rating_display()}"
