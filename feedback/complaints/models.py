"""Residents' problem reports (我要反映) and their timeline.

The workflow rules (which state may follow which, deadlines, ratings) live in
``workflow`` and ``services``; the models only hold the data.
"""

import re
import secrets
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from .storage import private_storage


class Kind(models.TextChoices):
    HELP = "help", "求助"
    QUESTION = "question", "咨询"
    COMPLAINT = "complaint", "投诉"
    SUGGESTION = "suggestion", "建议"


class State(models.TextChoices):
    SUBMITTED = "submitted", "待受理"
    DISPATCHED = "dispatched", "已派单"
    IN_PROGRESS = "in_progress", "处理中"
    RESOLVED = "resolved", "已办结"
    CLOSED = "closed", "已评价"
    REJECTED = "rejected", "不予受理"
    REOPENED = "reopened", "重新办理"


class RejectReason(models.TextChoices):
    SPAM = "spam", "无效信息"
    DUPLICATE = "duplicate", "重复反映"
    OUT_OF_SCOPE = "out_of_scope", "不属于受理范围"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class SendBackReason(models.TextChoices):
    """Why a handling unit returns a ticket to the dispatchers (退单), as on the 12345 line."""

    WRONG_AREA = "wrong_area", "属地不符"
    UNCLEAR_OWNER = "unclear_owner", "权属不清"
    SHARED_DUTY = "shared_duty", "职能交叉"
    OTHER = "other", "其他"


class EventKind(models.TextChoices):
    """What a timeline entry records, so figures count by kind rather than by title."""

    STATE = "state", "状态变更"
    DISPATCHED = "dispatched", "派单"
    SIGNED = "signed", "签收"
    PROGRESS = "progress", "进展（公开）"
    NOTE = "note", "内部备注"
    SENT_BACK = "sent_back", "退单"
    ASSIGNED = "assigned", "分配"
    EXTENSION_REQUESTED = "extension_requested", "申请延期"
    EXTENSION_DECIDED = "extension_decided", "延期审核"
    EXTENDED = "extended", "延期"
    ESCALATED = "escalated", "督办"
    MERGED = "merged", "合并"
    OTHER = "other", "其他"


class ExtensionDecision(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已同意"
    REFUSED = "refused", "未同意"


# States in which a handling unit still owes the resident an answer.
OPEN_STATES = (State.DISPATCHED, State.IN_PROGRESS, State.REOPENED)


class HandlingUnit(models.Model):
    name = models.CharField("名称", max_length=60, unique=True)
    phone = models.CharField("工作电话", max_length=40, blank=True)
    email = models.EmailField("工作邮箱", blank=True)
    # The unit's staff accounts (group 承办单位): they see and act on only the reports
    # dispatched to a unit they belong to (``feedback.common.scopes``).
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="handling_units",
        verbose_name="单位账号",
        help_text="可登录后台签收、办理本单位工单的工作人员（需在“承办单位”用户组中）。",
    )

    class Meta:
        verbose_name = "承办单位"
        verbose_name_plural = "承办单位"
        ordering = ["name"]

    def __str__(self):
        return self.name


def new_category_code() -> str:
    """A category's code until staff give it a readable one (``open311``'s service code)."""
    return f"c-{secrets.token_hex(3)}"


def readable_category_code(name: str) -> str:
    """The toneless pinyin of a category's name as a code: 环境卫生 → ``huan-jing-wei-sheng``."""
    from pypinyin import Style, lazy_pinyin

    words = lazy_pinyin(name, style=Style.NORMAL, errors="ignore")
    return re.sub(r"[^a-z0-9]+", "-", "-".join(words).lower()).strip("-")[:40] or new_category_code()


class HolidayCalendar(models.Model):
    """A year's official holidays and make-up working days (法定节假日安排), entered by staff
    from the State Council's notice while ``chinesecalendar`` does not know the year; read
    by ``workdays``. ``holidays`` and ``workdays`` (ISO dates) are what the admin form read
    from ``notice`` (``holiday_notice``)."""

    year = models.PositiveSmallIntegerField(
        "年份",
        unique=True,
        validators=[
            MinValueValidator(2000, "年份不能早于 2000 年。"),
            MaxValueValidator(2100, "年份不能晚于 2100 年。"),
        ],
    )
    notice = models.TextField(
        "通知原文",
        help_text="粘贴国务院办公厅《关于部分节假日安排的通知》的各条；或逐行填写，如“2027-01-01 放假”“2027-02-14 上班”。",
    )
    source_url = models.URLField("通知链接", blank=True, help_text="中国政府网上的通知地址，便于核对。")
    holidays = models.JSONField("放假日期", default=list, editable=False)
    workdays = models.JSONField("调休上班日期", default=list, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "法定节假日安排"
        verbose_name_plural = "法定节假日安排"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} 年节假日安排"


class ComplaintCategory(models.Model):
    name = models.CharField("名称", max_length=40, unique=True)
    # What other systems file and read reports by (Open311's ``service_code``): stable
    # when the name is reworded, so change it only together with the systems using it.
    code = models.SlugField(
        "接口代码",
        max_length=40,
        unique=True,
        default=new_category_code,
        help_text="对接系统（Open311 接口）使用的分类代码，只含小写字母、数字和连字符；改动会影响已对接的系统。",
    )
    description = models.CharField("说明", max_length=120, blank=True, help_text="居民选择分类时看到的提示。")
    default_unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="默认承办单位",
    )
    # Working days (工作日, on the official holiday calendar: ``workdays``), at least one:
    # the promised date shown to residents is counted from it.
    default_days = models.PositiveSmallIntegerField(
        "默认办理时限（工作日）",
        default=7,
        validators=[MinValueValidator(1, "办理时限至少为 1 个工作日。")],
        help_text="按国家法定节假日和调休安排计算的工作日，派单当天不计。",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "反映分类"
        verbose_name_plural = "反映分类"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class ComplaintQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, *, today: date | None = None):
        """Past the deadline's last day (Asia/Shanghai) and still owed an answer."""
        today = today or timezone.localdate()
        return self.open().filter(deadline__lt=today)

    def due_on(self, day: date):
        """Still owed an answer and due on ``day`` (today: 今日到期, tomorrow: 明日到期)."""
        return self.open().filter(deadline=day)

    def publicly_visible(self):
        """Residents allowed it, staff accepted it, a moderator approved its public text
        and did not hide it. What a resident typed is never public as typed."""
        return (
            self.filter(allow_public=True, hidden=False, public_text_approved_at__isnull=False)
            .exclude(public_text="")
            .exclude(state__in=(State.SUBMITTED, State.REJECTED))
        )


class Complaint(models.Model):
    # Residents' records, many and personal: Wagtail's "usage" index of what points at
    # what would gain a row set (and a background task) per record and show nobody anything.
    wagtail_reference_index_ignore = True

    reference = models.CharField("编号", max_length=16, unique=True, editable=False)
    tracking_token = models.CharField(max_length=48, unique=True, editable=False)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    category = models.ForeignKey(
        ComplaintCategory, on_delete=models.PROTECT, related_name="complaints", verbose_name="分类"
    )
    community = models.ForeignKey(
        "home.Community", on_delete=models.PROTECT, related_name="complaints", verbose_name="社区"
    )
    grid = models.ForeignKey(
        "home.Grid", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="网格"
    )
    place = models.CharField("地点", max_length=120, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    description = models.TextField("问题描述")
    name = models.CharField("姓名", max_length=30, blank=True)
    phone = models.CharField("手机号", max_length=11)
    allow_public = models.BooleanField("同意隐去姓名后公开", default=False)
    privacy_notice_version = models.CharField("隐私告知版本", max_length=20)
    consented_at = models.DateTimeField("同意告知时间")
    # Consent to be told of each public step (PIPL: its own, explicit choice, with its time).
    email = models.EmailField("电子邮箱", max_length=120, blank=True)
    notify_consent = models.BooleanField("同意通过短信/邮件告知办理进展", default=False)
    notify_consented_at = models.DateTimeField("同意进展通知时间", null=True, blank=True)

    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.SUBMITTED)
    handling_unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name="承办单位",
    )
    deadline = models.DateField("办结时限", null=True, blank=True, help_text="当日 24 时（北京时间）前办结。")
    # 签收: the unit's liaison acknowledged the ticket; cleared on each new dispatch.
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签收人",
    )
    # The person in the street office or unit who handles it (分配给某人 / 分配给我).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_complaints",
        verbose_name="经办人",
    )
    # The last public update or internal note by whoever handles it (no progress for days: a light).
    last_progress_at = models.DateTimeField("最近进展时间", null=True, blank=True)
    # Set when the unit sent it back (退单) and until it is dispatched again: the
    # dispatchers' queue shows why and from which unit.
    send_back_reason = models.CharField("退单原因", max_length=16, choices=SendBackReason.choices, blank=True)
    sent_back_at = models.DateTimeField("退单时间", null=True, blank=True)
    sent_back_by_unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="退单单位",
    )
    reply = models.TextField("答复", blank=True)
    reject_reason = models.CharField("不予受理原因", max_length=16, choices=RejectReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="与之重复的反映",
    )
    hidden = models.BooleanField("不公开展示", default=False)
    # What the public board shows instead of the description: written (from the masked
    # description) and approved by a moderator; empty or unapproved means not public.
    public_text = models.TextField("公开文本", blank=True)
    public_text_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="公开文本审核人",
    )
    public_text_approved_at = models.DateTimeField("公开文本审核时间", null=True, blank=True)
    # The report's own public page, /feedback/public/<public_code>/, given when a moderator
    # first approves its public text. Not the reference: the reference plus the phone's
    # last four digits opens the resident's tracking page, so it is never published.
    public_code = models.CharField(
        "公开编号", max_length=12, unique=True, null=True, blank=True, editable=False
    )
    # Sent from a blocked phone: accepted as normal for the resident, but nobody is
    # notified and it cannot be dispatched until a moderator releases it.
    held = models.BooleanField("已暂缓（屏蔽号码）", default=False, db_index=True)
    # Set when name, phone, coordinates and photos were removed (retention or request).
    anonymised_at = models.DateTimeField("个人信息删除时间", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重新办理次数", default=0)
    rating = models.CharField("评价", max_length=14, choices=Rating.choices, blank=True)
    rating_comment = models.CharField("评价意见", max_length=300, blank=True)

    created_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    dispatched_at = models.DateTimeField("派单时间", null=True, blank=True)
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    resolved_on_time = models.BooleanField("按时办结", null=True, blank=True)
    closed_at = models.DateTimeField("归档时间", null=True, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    # Marks rows built by demo.py so the loader stays idempotent.
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = "居民反映"
        verbose_name_plural = "居民反映"
        ordering = ["-created_at"]
        permissions = [
            ("view_personal_data", "可查看和导出居民个人信息（姓名、手机号、照片）"),
            ("handle_unit_complaint", "可签收、办理和退回派给本单位的居民反映"),
        ]
        indexes = [
            models.Index(fields=["state", "deadline"]),
            models.Index(fields=["community", "created_at"]),
            # The queue filtered by state, newest first; the dashboard's resolved counts.
            models.Index(fields=["state", "-created_at"], name="complaint_state_newest"),
            models.Index(fields=["resolved_at"], name="complaint_resolved_at"),
            # 重复投诉 (``duplicates.with_repeat_flag``): per queue row, an earlier report of
            # the same phone and category in the window; only rows that still keep a phone.
            # A queue page of 25 at 200,000 reports (PostgreSQL): 362 ms without it, 2 ms.
            models.Index(
                fields=["phone", "category", "created_at"],
                name="complaint_repeat_lookup",
                condition=models.Q(anonymised_at__isnull=True) & ~models.Q(phone=""),
            ),
            # The public board, newest first: a few of a million rows, counted and paged
            # from this index alone.
            models.Index(
                fields=["-created_at"],
                name="complaint_public_board",
                condition=models.Q(allow_public=True, hidden=False, public_text_approved_at__isnull=False)
                & ~models.Q(public_text="")
                & ~models.Q(state__in=(State.SUBMITTED, State.REJECTED)),
            ),
            # One community's board: its rows and its count (index-only) without reading
            # the other communities' public reports (270 ms at a million reports).
            models.Index(
                fields=["community", "-created_at"],
                name="complaint_public_community",
                condition=models.Q(allow_public=True, hidden=False, public_text_approved_at__isnull=False)
                & ~models.Q(public_text="")
                & ~models.Q(state__in=(State.SUBMITTED, State.REJECTED)),
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_overdue(self) -> bool:
        return (
            self.state in OPEN_STATES and self.deadline is not None and self.deadline < timezone.localdate()
        )

    def due_mark(self, today: date | None = None) -> str:
        """``overdue``, ``today``, ``tomorrow`` or ``""``: how close an open report is to its deadline."""
        if self.state not in OPEN_STATES or self.deadline is None:
            return ""
        today = today or timezone.localdate()
        days = (self.deadline - today).days
        return "overdue" if days < 0 else {0: "today", 1: "tomorrow"}.get(days, "")

    @property
    def days_to_resolve(self) -> int | None:
        if not self.resolved_at:
            return None
        return (timezone.localtime(self.resolved_at).date() - timezone.localtime(self.created_at).date()).days


class ComplaintEvent(models.Model):
    """One change on a report's timeline; public events are shown to the resident."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间", default=timezone.now)
    # Null for the resident (who has no account) and for the system.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    from_state = models.CharField("原状态", max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField("新状态", max_length=12, choices=State.choices, blank=True)
    title = models.CharField("事项", max_length=40)
    note = models.TextField("说明", blank=True)
    public = models.BooleanField("居民可见", default=True)
    kind = models.CharField("类别", max_length=20, choices=EventKind.choices, default=EventKind.OTHER)
    # The unit the step concerns (dispatched to, signed by, sent back by): figures per unit.
    unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承办单位",
    )
    send_back_reason = models.CharField("退单原因", max_length=16, choices=SendBackReason.choices, blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["kind", "at"], name="complaint_event_kind_at")]

    def __str__(self):
        return f"{self.complaint_id} {self.title}"


class ExtensionRequest(models.Model):
    """A unit's request for a later deadline; a moderator approves (the deadline moves,
    ``services.extend_deadline``) or refuses it, with a reason either way."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="extension_requests")
    requested_deadline = models.DateField("申请延至")
    reason = models.TextField("申请理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="申请人",
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    decision = models.CharField(
        "审核结果", max_length=10, choices=ExtensionDecision.choices, default=ExtensionDecision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_reason = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"], condition=models.Q(decision="pending"), name="extension_one_pending"
            )
        ]

    def __str__(self):
        return f"{self.complaint_id} 延期至 {self.requested_deadline}"


def photo_upload_to(instance, filename):
    return f"complaints/{timezone.localdate():%Y/%m}/{filename}"


class ComplaintPhoto(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField("照片", storage=private_storage, upload_to=photo_upload_to, max_length=200)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    # Shown on public pages only once a moderator marks it (faces, plates, door numbers).
    public = models.BooleanField("可公开展示", default=False)

    class Meta:
        verbose_name = "照片"
        verbose_name_plural = "照片"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.complaint_id} 照片 {self.pk}"


class ComplaintDailyFigure(models.Model):
    """The figures' counts of the reports received on one local day, per community,
    category and kind (spam excluded): what ``rollup`` keeps so that a figure over a
    year adds up a few thousand of these instead of every report. Built by
    ``manage.py rollup_complaint_figures`` for past days; refreshed by ``services``
    whenever a report of a rolled-up day changes state."""

    day = models.DateField("受理日期")
    community = models.ForeignKey("home.Community", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(ComplaintCategory, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    received = models.PositiveIntegerField("收到", default=0)
    resolved = models.PositiveIntegerField("已办结", default=0)
    resolved_on_time = models.PositiveIntegerField("按期办结", default=0)
    rated = models.PositiveIntegerField("已评价", default=0)
    satisfied = models.PositiveIntegerField("满意", default=0)

    class Meta:
        verbose_name = "反映日统计"
        verbose_name_plural = "反映日统计"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "community", "category", "kind"], name="complaint_daily_figure_unique"
            )
        ]
        indexes = [models.Index(fields=["community", "day"], name="complaint_daily_community_day")]

    def __str__(self):
        return f"{self.day} {self.community_id} {self.category_id} {self.kind}"


class ComplaintFollower(models.Model):
    """A resident who pressed 我也遇到 on a public report (FixMyStreet's "me too").

    One per report and device (``device_key``: an HMAC of the random id kept in the
    visitor's signed cookie, never the id itself) and, when a phone is given, one per
    report and phone. The phone is kept only to tell the follower of updates, and only
    when they asked (``notify``, with the privacy notice version and time of consent):
    ``selectors.followers_to_notify`` is what a notifier reads. Personal data, shown to
    moderators only; removed with the report's own (``services._anonymise_locked``).
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="followers")
    device_key = models.CharField(max_length=64)
    phone = models.CharField("手机号", max_length=11, blank=True)
    notify = models.BooleanField("有进展时通知", default=False)
    privacy_notice_version = models.CharField("隐私告知版本", max_length=20, blank=True)
    consented_at = models.DateTimeField("同意告知时间", null=True, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "我也遇到"
        verbose_name_plural = "我也遇到"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "device_key"], name="follower_one_per_device"),
            models.UniqueConstraint(
                fields=["complaint", "phone"], condition=~models.Q(phone=""), name="follower_one_per_phone"
            ),
        ]

    def __str__(self):
        return f"{self.complaint_id} 我也遇到 {self.pk}"
