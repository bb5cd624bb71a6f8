"""Notices (通知公告/政策文件) and reports to residents (向居民报告).

A notice keeps its place in the record after it stops applying: when it is revised
or repealed its validity changes and it points at the notice now in force
(``replaced_by``); that notice links back through ``replaces``. The revision can
also be named from the new side: a notice's ``supersedes`` (本文件替代) names the
notice it replaces, and publishing it marks that one revised through
``services.notice_supersede`` (see ``services.notice_published``). Which notices a
resident may see is decided in ``visibility``, not here.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.forms import CommunityPageForm
from home.models import Community
from home.routing import ChildPageRouteMixin, ViewRestrictionQueryMixin, as_links
from home.search import page_search_text
from home.slugs import PinyinSlugMixin
from portal.cache import built_when_read

from . import visibility
from .blocks import NoticeBodyBlock
from .feeds import NoticeFeed
from .forms import NoticeFilterForm, ReportFilterForm
from .vocab import PromiseStatus, Validity


class NoticeCategory(models.Model):
    name = models.CharField("分类名称", max_length=30, unique=True)
    slug = models.SlugField("网址标识", max_length=40, unique=True, allow_unicode=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = "通知分类"
        verbose_name_plural = "通知分类"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class NoticeTag(TaggedItemBase):
    content_object = ParentalKey("notices.NoticePage", on_delete=models.CASCADE, related_name="tagged_items")


class NoticeIndexPage(ChildPageRouteMixin, ViewRestrictionQueryMixin, RoutablePageMixin, Page):
    intro = models.CharField("栏目说明", max_length=200, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["notices.NoticePage"]
    max_count = 1
    own_routes = ("feed",)

    class Meta:
        verbose_name = "通知公告栏目"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            built_when_read(
                lambda: self.listing(request.GET), ("filter_form", "filtered", "notices", "paginator")
            )
        )
        return context

    def listing(self, params) -> dict:
        form = NoticeFilterForm(
            params,
            categories=NoticeCategory.objects.values_list("slug", "name"),
            communities=Community.slug_choices(),
            years=visibility.notice_years(),
        )
        filters = form.filters()
        notices = Paginator(self.listed_notices(**filters), visibility.PAGE_SIZE).get_page(params.get("page"))
        return {
            "filter_form": form,
            "filtered": bool(filters),
            "notices": notices,
            "paginator": notices.paginator,
        }

    def listed_notices(self, **filters):
        return visibility.listed(NoticePage.objects.child_of(self), **filters)

    def child_queryset(self):
        return NoticePage.objects.select_related("category")

    @path("feed/")
    def feed(self, request):
        return NoticeFeed(index=self)(request)


# What a link to another notice shows beside its title (its number and validity), and what
# deciding whether it is shown now reads (visibility.shown_now).
LINK_EXTRA = ("document_number", "validity", "go_live_at", "expire_at")


class NoticePage(PinyinSlugMixin, ViewRestrictionQueryMixin, Page):
    issuing_body = models.CharField("发布机构", max_length=80)
    document_number = models.CharField(
        "发文字号", max_length=60, blank=True, help_text="如：同政办发〔2026〕12号；无文号可留空"
    )
    written_on = models.DateField("成文日期", null=True, blank=True)
    published_on = models.DateField("发布日期", default=datetime.date.today)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    validity = models.CharField("效力状态", max_length=10, choices=Validity.choices, default=Validity.CURRENT)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name="现行文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        help_text="已修订或已废止时，选择取代本文件的现行文件",
    )
    supersedes = models.ForeignKey(
        "self",
        verbose_name="本文件替代",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="本文件修订并取代的旧文件。本文件发布后，所选文件自动标记为“已修订”并指向本文件。",
    )
    category = models.ForeignKey(
        NoticeCategory, verbose_name="分类", on_delete=models.PROTECT, related_name="notices"
    )
    tags = ClusterTaggableManager("标签", through=NoticeTag, blank=True)
    summary = models.CharField("摘要", max_length=100, help_text="100字以内，显示在列表和订阅中")
    body = StreamField(NoticeBodyBlock(), verbose_name="正文")
    communities = ParentalManyToManyField(
        "home.Community",
        verbose_name="适用社区",
        blank=True,
        related_name="notices",
        help_text="全区适用时不选",
    )
    is_pinned = models.BooleanField("置顶", default=False)
    is_urgent = models.BooleanField("紧急", default=False)

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("issuing_body"),
        index.SearchField("document_number"),
        index.SearchField("body"),
        index.FilterField("published_on"),
        index.FilterField("validity"),
        index.SearchField("search_text_zh"),  # segmented Chinese for site search (home/search.py)
    ]

    @property
    def search_text_zh(self) -> str:
        return page_search_text(self, "summary", "issuing_body", "document_number", "category", "body")

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("issuing_body"),
                FieldPanel("document_number"),
                FieldRowPanel(
                    [FieldPanel("written_on"), FieldPanel("published_on"), FieldPanel("effective_on")]
                ),
            ],
            heading="文件信息",
        ),
        MultiFieldPanel(
            [FieldPanel("validity"), FieldPanel("replaced_by"), FieldPanel("supersedes")], heading="效力"
        ),
        FieldPanel("category"),
        FieldPanel("tags"),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label="附件", heading="附件"),
        FieldPanel("communities", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("is_pinned"), FieldPanel("is_urgent")], heading="显示"),
    ]
    parent_page_types = ["notices.NoticeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"
        # The lists' orders (visibility.LISTED_ORDER, visibility.LATEST_ORDER), so a page of
        # ten reads ten rows from the index instead of sorting every notice (47 ms at
        # 10,000 notices on PostgreSQL, 0.8 ms with the index).
        indexes = [
            models.Index(fields=["-is_pinned", "-published_on", "-page_ptr"], name="notice_listed_order"),
            models.Index(fields=["-published_on", "-page_ptr"], name="notice_latest_order"),
        ]

    def clean(self):
        super().clean()
        if self.validity == Validity.CURRENT and self.replaced_by_id:
            raise ValidationError({"replaced_by": "现行有效的文件不能指定取代它的文件。"})
        if self.validity == Validity.REVISED and not self.replaced_by_id:
            raise ValidationError({"replaced_by": "已修订的文件须选择修订后的现行文件。"})
        if self.pk and self.replaced_by_id == self.pk:
            raise ValidationError({"replaced_by": "不能选择本文件自身。"})
        if self.supersedes_id:
            self._clean_supersedes()

    def _clean_supersedes(self):
        old = NoticePage.objects.only("title", "validity", "replaced_by").get(pk=self.supersedes_id)
        if self.pk and old.pk == self.pk:
            raise ValidationError({"supersedes": "不能选择本文件自身。"})
        if self.pk and old.replaced_by_id == self.pk:
            return  # already applied: this notice may since have been revised in turn
        if old.pk == self.replaced_by_id:
            raise ValidationError({"supersedes": "所选文件正是取代本文件的现行文件，不能反过来替代它。"})
        if self.validity != Validity.CURRENT:
            raise ValidationError(
                {"supersedes": "只有现行有效的文件才能替代其他文件，请先将效力状态设为“现行有效”。"}
            )
        if old.validity == Validity.REPEALED:
            raise ValidationError({"supersedes": f"《{old.title}》已废止，不能再被替代。"})
        if old.replaced_by_id and old.replaced_by_id != self.pk:
            successor = NoticePage.objects.only("title").get(pk=old.replaced_by_id)
            raise ValidationError({"supersedes": f"《{old.title}》已由《{successor.title}》替代。"})

    @property
    def is_in_force(self) -> bool:
        return self.validity == Validity.CURRENT

    def get_context(self, request, *args, **kwargs):
        """Attachments, communities and tags are lazy: the template reads them only when
        its fragment of the notice's own content misses. What depends on the clock (the
        notices in force that it replaced, whether its successor is in force yet) is read
        every time, in one query of links (:meth:`linked_notices`)."""
        context = super().get_context(request, *args, **kwargs)
        successor, replaced = self.linked_notices(timezone.now())
        context.update(
            attachments=self.attachments.select_related("document"),
            communities=self.communities.all(),
            tags=self.tags.all(),
            current_version=successor,
            replaced_notices=replaced,
        )
        return context

    def linked_notices(self, now) -> tuple["NoticePage | None", list["NoticePage"]]:
        """The successor shown now (or None), and the notices it replaced shown now, newest
        first: both as links, in one query. (Joining the successor's whole specific row to
        the routing query doubled that query's columns.)"""
        if self.pk is None:  # a preview of a notice never saved
            return None, []
        related = Q(replaced_by=self)
        if self.replaced_by_id:
            related |= Q(pk=self.replaced_by_id)
        links = as_links(NoticePage.objects.filter(related), *LINK_EXTRA, "replaced_by", "published_on")
        shown = [notice for notice in links.order_by("-published_on") if visibility.shown_now(notice, now)]
        successor = next((notice for notice in shown if notice.pk == self.replaced_by_id), None)
        return successor, [notice for notice in shown if notice.replaced_by_id == self.pk]


class NoticeAttachment(Orderable):
    page = ParentalKey(NoticePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="文件", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("显示名称", max_length=120, blank=True, help_text="留空则用文件标题")

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"

    @property
    def display_title(self) -> str:
        return self.title or self.document.title

    @property
    def file_type(self) -> str:
        return self.document.file_extension.upper()


class ResidentReportIndexPage(ChildPageRouteMixin, ViewRestrictionQueryMixin, Page):
    intro = models.CharField("栏目说明", max_length=200, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["notices.ResidentReportPage"]
    max_count = 1

    class Meta:
        verbose_name = "向居民报告栏目"

    def child_queryset(self):
        return ResidentReportPage.objects.select_related("community__street")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            built_when_read(
                lambda: self.listing(request.GET), ("filter_form", "filtered", "reports", "paginator")
            )
        )
        return context

    def listing(self, params) -> dict:
        form = ReportFilterForm(params, communities=Community.slug_choices())
        filters = form.filters()
        reports = visibility.listed_reports(ResidentReportPage.objects.child_of(self), **filters)
        reports = Paginator(reports, visibility.PAGE_SIZE).get_page(params.get("page"))
        return {
            "filter_form": form,
            "filtered": bool(filters),
            "reports": reports,
            "paginator": reports.paginator,
        }


class ResidentReportPage(PinyinSlugMixin, ViewRestrictionQueryMixin, Page):
    base_form_class = CommunityPageForm  # offers only the communities the editor serves
    community = models.ForeignKey(
        "home.Community", verbose_name="社区", on_delete=models.PROTECT, related_name="resident_reports"
    )
    period_label = models.CharField("报告期", max_length=30, help_text="如：2026年第三季度")
    period_start = models.DateField("起始日期")
    period_end = models.DateField("截止日期")
    summary = models.TextField("工作综述", max_length=400)
    body = RichTextField("详细情况", blank=True, features=["bold", "link", "ol", "ul", "h3"])

    content_panels = Page.content_panels + [
        FieldPanel("community"),
        MultiFieldPanel(
            [
                FieldPanel("period_label"),
                FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
            ],
            heading="报告期",
        ),
        FieldPanel("summary"),
        InlinePanel("promises", label="实事", heading="为民实事"),
        InlinePanel("figures", label="数据", heading="其他工作数据"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("period_label"),
        index.SearchField("search_text_zh"),  # segmented Chinese for site search (home/search.py)
    ]

    @property
    def search_text_zh(self) -> str:
        return page_search_text(self, "community", "period_label", "summary", "promises.title", "body")

    parent_page_types = ["notices.ResidentReportIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "向居民报告"
        verbose_name_plural = "向居民报告"

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "截止日期不能早于起始日期。"})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: read only when the template's fragments of the report's own content miss.
        context.update(promises=self.promises.all(), figures=self.figures.all(), today=timezone.localdate())
        return context


class ReportPromise(Orderable):
    """One 实事 the community promised residents, with how far it has got."""

    page = ParentalKey(ResidentReportPage, on_delete=models.CASCADE, related_name="promises")
    title = models.CharField("实事内容", max_length=100)
    status = models.CharField(
        "状态", max_length=12, choices=PromiseStatus.choices, default=PromiseStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField("进度（%）", default=0, validators=[MaxValueValidator(100)])
    expected_on = models.DateField("预计完成", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("progress"), FieldPanel("expected_on")]),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "实事"

    def clean(self):
        super().clean()
        if self.status == PromiseStatus.DONE and self.progress != 100:
            raise ValidationError({"progress": "已完成的实事进度应为 100%。"})
        if self.status == PromiseStatus.NOT_STARTED and self.progress:
            raise ValidationError({"progress": "未开始的实事进度应为 0。"})

    @property
    def is_overdue(self) -> bool:
        return (
            self.status != PromiseStatus.DONE
            and self.expected_on is not None
            and self.expected_on < timezone.localdate()
        )


class ReportFigure(Orderable):
    """An editor-reported figure (e.g. 新增停车位 120 个); complaint figures are computed, not typed."""

    page = ParentalKey(ResidentReportPage, on_delete=models.CASCADE, related_name="figures")
    label = models.CharField("指标", max_length=40)
    value = models.DecimalField("数值", max_digits=12, decimal_places=2)
    unit = models.CharField("单位", max_length=10, blank=True)

    panels = [FieldRowPanel([FieldPanel("label"), FieldPanel("value"), FieldPanel("unit")])]

    class Meta(Orderable.Meta):
        verbose_name = "工作数据"
