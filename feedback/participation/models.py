"""Participation lists: 需求清单 (居民点单 → 支部下单 → 部门接单), 微心愿, 资源清单.

The rules (which state may follow which, who may take a need) live in ``services``;
the models only hold the data.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.personal_data import mask_name
from portal.pinyin import forms as pinyin_forms

from .members.models import Member


class NeedKind(models.TextChoices):
    ELDERLY = "elderly", "助老"
    DISABLED = "disabled", "助残"
    REPAIR = "repair", "维修"
    POLICY = "policy", "政策咨询"
    CULTURE = "culture", "文体"
    OTHER = "other", "其他"


class NeedState(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    LISTED = "listed", "待接单"
    DECLINED = "declined", "未列入"
    TAKEN = "taken", "已接单"
    DONE = "done", "已完成"
    CONFIRMED = "confirmed", "已确认"


class TakerKind(models.TextChoices):
    UNIT = "unit", "驻区单位"
    MEMBER = "member", "在职党员"
    VOLUNTEER = "volunteer", "志愿者"


# States shown on the public list (after the branch placed it: 支部下单).
PUBLIC_NEED_STATES = (NeedState.LISTED, NeedState.TAKEN, NeedState.DONE, NeedState.CONFIRMED)


class NeedQuerySet(models.QuerySet):
    def publicly_visible(self):
        """Placed on the list by the branch with an approved public text; never as typed."""
        return self.filter(state__in=PUBLIC_NEED_STATES, public_text_approved_at__isnull=False).exclude(
            public_text=""
        )


class Need(models.Model):
    """One resident's 点单: what they need, reviewed by the community's party branch."""

    wagtail_reference_index_ignore = True

    tracking_token = models.CharField(max_length=48, unique=True, editable=False)
    kind = models.CharField("类型", max_length=12, choices=NeedKind.choices)
    community = models.ForeignKey(
        "home.Community", on_delete=models.PROTECT, related_name="needs", verbose_name="社区"
    )
    description = models.TextField("需求描述")
    name = models.CharField("称呼", max_length=30, blank=True)
    phone = models.CharField("手机号", max_length=11)
    preferred_time = models.CharField("希望服务时间", max_length=60, blank=True)
    privacy_notice_version = models.CharField("隐私告知版本", max_length=20)
    consented_at = models.DateTimeField("同意告知时间")

    state = models.CharField("状态", max_length=12, choices=NeedState.choices, default=NeedState.SUBMITTED)
    decline_reason = models.CharField("未列入原因", max_length=200, blank=True)
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

    taker_kind = models.CharField("接单方类型", max_length=12, choices=TakerKind.choices, blank=True)
    # The organisation or the volunteer's public name, shown on the list.
    taker_name = models.CharField("接单方", max_length=60, blank=True)
    # The taker's participation account (双报到), when a signed-in member took it.
    taker_member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="taken_needs",
        verbose_name="接单人账号",
    )
    done_note = models.TextField("完成情况", blank=True)
    rating = models.PositiveSmallIntegerField("评分", null=True, blank=True)
    rating_comment = models.CharField("评价意见", max_length=300, blank=True)

    created_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    listed_at = models.DateTimeField("下单时间", null=True, blank=True)
    taken_at = models.DateTimeField("接单时间", null=True, blank=True)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = "居民需求"
        verbose_name_plural = "需求清单"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["community", "state"], name="need_community_state")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def public_taker(self) -> str:
        """Who took it, as the public list may show it: a unit by its name, a person (an
        in-job member or a volunteer, residents too) by their family name only."""
        return self.taker_name if self.taker_kind == TakerKind.UNIT else mask_name(self.taker_name)


class NeedEvent(models.Model):
    """One change on a need's timeline; public events are shown to the resident."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    from_state = models.CharField("原状态", max_length=12, choices=NeedState.choices, blank=True)
    to_state = models.CharField("新状态", max_length=12, choices=NeedState.choices, blank=True)
    title = models.CharField("事项", max_length=40)
    note = models.TextField("说明", blank=True)
    public = models.BooleanField("居民可见", default=True)

    class Meta:
        verbose_name = "需求记录"
        verbose_name_plural = "需求记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.need_id} {self.title}"


class WishState(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    LISTED = "listed", "待认领"
    DECLINED = "declined", "未通过"
    CLAIMED = "claimed", "已认领"
    FULFILLED = "fulfilled", "已实现"


PUBLIC_WISH_STATES = (WishState.LISTED, WishState.CLAIMED, WishState.FULFILLED)


class WishQuerySet(models.QuerySet):
    def publicly_visible(self):
        return self.filter(state__in=PUBLIC_WISH_STATES, public_text_approved_at__isnull=False).exclude(
            public_text=""
        )


class Wish(models.Model):
    """微心愿: a small wish of a resident in difficulty, posted by them or by staff for them."""

    wagtail_reference_index_ignore = True

    tracking_token = models.CharField(max_length=48, unique=True, editable=False)
    community = models.ForeignKey(
        "home.Community", on_delete=models.PROTECT, related_name="wishes", verbose_name="社区"
    )
    title = models.CharField("心愿", max_length=60)
    description = models.TextField("说明", blank=True)
    value_yuan = models.PositiveIntegerField("约值（元）")
    # Only its first character is ever public (王**).
    name = models.CharField("姓名", max_length=30)
    phone = models.CharField("手机号", max_length=11, blank=True)
    posted_by_staff = models.BooleanField("工作人员代为发布", default=False)
    privacy_notice_version = models.CharField("隐私告知版本", max_length=20)
    consented_at = models.DateTimeField("同意告知时间")

    state = models.CharField("状态", max_length=12, choices=WishState.choices, default=WishState.SUBMITTED)
    decline_reason = models.CharField("未通过原因", max_length=200, blank=True)
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
    claimer_name = models.CharField("认领人/单位", max_length=60, blank=True)
    claimer_phone = models.CharField("认领人手机号", max_length=11, blank=True)
    thanks = models.CharField("感谢留言", max_length=300, blank=True)

    created_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    listed_at = models.DateTimeField("上墙时间", null=True, blank=True)
    claimed_at = models.DateTimeField("认领时间", null=True, blank=True)
    fulfilled_at = models.DateTimeField("实现时间", null=True, blank=True)
    thanked_at = models.DateTimeField("留言时间", null=True, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = WishQuerySet.as_manager()

    class Meta:
        verbose_name = "微心愿"
        verbose_name_plural = "微心愿"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["community", "state"], name="wish_community_state")]

    def __str__(self):
        return self.title

    @property
    def public_name(self) -> str:
        """The only form of the name ever public: its first character and two stars,
        whatever its length (王** for 王芳 and 王建国 alike)."""
        return (self.name or "?")[0] + "**"


class ResourceKind(models.TextChoices):
    SERVICE = "service", "服务项目"
    VENUE = "venue", "活动场地"
    SKILL = "skill", "专业技能"
    GOODS = "goods", "物资支持"


class Resource(models.Model):
    """资源清单: what a unit or organisation offers residents; contact details are public by nature."""

    kind = models.CharField("类型", max_length=12, choices=ResourceKind.choices)
    title = models.CharField("资源名称", max_length=80)
    provider = models.CharField("提供单位", max_length=80)
    community = models.ForeignKey(
        "home.Community",
        on_delete=models.PROTECT,
        related_name="participation_resources",
        verbose_name="服务社区",
        null=True,
        blank=True,
        help_text="留空表示面向全街道。",
    )
    description = models.TextField("内容")
    hours = models.CharField("开放/服务时间", max_length=80, blank=True)
    address = models.CharField("地点", max_length=120, blank=True)
    contact_phone = models.CharField("单位联系电话", max_length=40, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    active = models.BooleanField("公开展示", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = "资源"
        verbose_name_plural = "资源清单"
        ordering = ["sort_order", "provider", "title"]

    def __str__(self):
        return f"{self.provider} · {self.title}"

    def save(self, *args, **kwargs):
        # What the q= filter matches: the words as written, plus the pinyin (full and
        # initials) of title and provider, as residents type ``weixiu`` for 维修.
        words = [self.title, self.provider, self.get_kind_display(), self.description, self.address]
        found = []
        for text in (self.title, self.provider):
            for part in text.replace("·", " ").split():
                found.extend(pinyin_forms(part))
        self.search_text = " ".join([*words, *found]).lower()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)
