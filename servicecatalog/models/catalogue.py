"""The service catalogue (办事指南): categories, audiences, service items and their materials."""

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch, Q
from django.template.response import TemplateResponse
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.routing import (
    ChildPageRouteMixin,
    IndexChildMixin,
    ViewRestrictionQueryMixin,
    as_links,
    not_restricted,
)
from home.search import matching_page_ids, page_search_text
from home.slugs import PinyinSlugMixin
from portal.cache import built_when_read

from ..blocks import FaqBlock, ProcessStepBlock
from ..vocab import MaterialForm


class ServiceCategory(index.Indexed, models.Model):
    name = models.CharField("分类名称", max_length=30, unique=True)
    slug = models.SlugField("网址标识", max_length=40, unique=True)
    description = models.CharField("说明", max_length=120, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "办事分类"
        verbose_name_plural = "办事分类"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class ServiceAudience(index.Indexed, models.Model):
    """Who a service is for (服务对象): 老年人, 残疾人, 困难群众, 新就业群体…"""

    name = models.CharField("服务对象", max_length=20, unique=True)
    slug = models.SlugField("网址标识", max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    search_fields = [index.SearchField("name")]

    class Meta:
        verbose_name = "服务对象"
        verbose_name_plural = "服务对象"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class ServiceIndexPage(ChildPageRouteMixin, ViewRestrictionQueryMixin, Page):
    """/services/: browse and filter service items by category and audience."""

    intro = models.CharField("导语", max_length=200, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["servicecatalog.ServiceItemPage"]
    max_count = 1
    ITEMS_PER_PAGE = 20

    class Meta:
        verbose_name = "办事指南目录"

    def child_queryset(self):
        # The place is shown as a link with its address, so only that is read of it (a
        # station's row has some 45 columns); audiences are read when a fragment misses.
        place = ServiceItemPage._meta.get_field("place_station").related_model
        return ServiceItemPage.objects.select_related("category").prefetch_related(
            Prefetch("place_station", queryset=as_links(place.objects.all(), "address"))
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        names = ("categories", "audiences", "current_category", "current_audience", "keyword", "services")
        context.update(built_when_read(lambda: self.catalogue(request.GET), names))
        return context

    def catalogue(self, params) -> dict:
        """Items filtered by category, audience and a keyword (AND), a page at a time."""
        categories = list(ServiceCategory.objects.all())
        audiences = list(ServiceAudience.objects.all())
        category = next((c for c in categories if c.slug == params.get("category")), None)
        audience = next((a for a in audiences if a.slug == params.get("audience")), None)
        keyword = (params.get("q") or "").strip()[:40]
        found = (
            ServiceItemPage.objects.live()
            .descendant_of(self)
            .filter(not_restricted())
            .select_related("category")
            .prefetch_related("audiences")
            .order_by("category__sort_order", "category__name", "title")
        )
        if category:
            found = found.filter(category=category)
        if audience:
            found = found.filter(audiences=audience)
        if keyword:
            # What site search finds (pinyin, synonyms, the guide's whole text), and the
            # title, summary or item code containing what was typed (事项编码 fragments).
            searched = matching_page_ids(ServiceItemPage.objects.live().descendant_of(self), keyword)
            found = found.filter(
                Q(title__icontains=keyword)
                | Q(summary__icontains=keyword)
                | Q(code__icontains=keyword)
                | Q(pk__in=searched)
            )
        return {
            "categories": categories,
            "audiences": audiences,
            "current_category": category,
            "current_audience": audience,
            "keyword": keyword,
            # The count is read here; the rows only when the template's fragment misses.
            "services": Paginator(found, self.ITEMS_PER_PAGE).get_page(params.get("page")),
        }


class ServiceItemPage(PinyinSlugMixin, IndexChildMixin, ViewRestrictionQueryMixin, RoutablePageMixin, Page):
    """One service guide: what it needs, how it goes, how long, where, whom to call."""

    code = models.CharField("事项编码", max_length=60, blank=True)
    summary = models.CharField("一句话说明", max_length=120, blank=True)
    category = models.ForeignKey(
        ServiceCategory,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name="办事分类",
        null=True,
    )
    audiences = ParentalManyToManyField(ServiceAudience, blank=True, verbose_name="服务对象")
    department = models.CharField("责任部门", max_length=80)
    conditions = RichTextField("受理条件", features=["bold", "ol", "ul", "link"])
    process = StreamField([("step", ProcessStepBlock())], verbose_name="办理流程", blank=True)
    legal_time_limit = models.PositiveSmallIntegerField(
        "法定办结时限（工作日）", null=True, blank=True, help_text="0 表示即办件"
    )
    promised_time_limit = models.PositiveSmallIntegerField(
        "承诺办结时限（工作日）", null=True, blank=True, help_text="0 表示当场办结"
    )
    max_visits = models.PositiveSmallIntegerField("最多跑几次", default=1, help_text="0 表示全程网办、不用跑")
    fee = models.CharField("收费标准", max_length=120, default="免费")
    place_station = models.ForeignKey(
        "servicecatalog.StationPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_services",
        verbose_name="办理地点（站点）",
    )
    hall_name = models.CharField("办理地点（大厅名称）", max_length=80, blank=True)
    hall_address = models.CharField("大厅地址", max_length=200, blank=True)
    office_hours = models.CharField("办公时间", max_length=120, blank=True)
    enquiry_phone = models.CharField("咨询电话", max_length=40, blank=True)
    complaint_phone = models.CharField("投诉电话", max_length=40, blank=True, default="12345")
    online_url = models.URLField("网上办理地址", blank=True)
    faq = StreamField([("faq", FaqBlock())], verbose_name="常见问题", blank=True)
    last_verified = models.DateField("信息核对日期", null=True, blank=True)
    featured = models.BooleanField("首页推荐", default=False)

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("conditions"),
        index.SearchField("department"),
        index.FilterField("featured"),
        index.SearchField("search_text_zh"),  # segmented Chinese for site search (home/search.py)
    ]

    @property
    def search_text_zh(self) -> str:
        return page_search_text(
            self,
            "summary",
            "code",
            "category",
            "audiences",
            "department",
            "conditions",
            "materials.name",
            "process",
            "faq",
            "hall_name",
        )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("summary"),
                FieldRowPanel([FieldPanel("code"), FieldPanel("category")]),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("department"),
                FieldPanel("featured"),
            ],
            heading="基本信息",
        ),
        FieldPanel("conditions"),
        InlinePanel("materials", label="申请材料", heading="申请材料"),
        FieldPanel("process"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("legal_time_limit"), FieldPanel("promised_time_limit")]),
                FieldRowPanel([FieldPanel("max_visits"), FieldPanel("fee")]),
            ],
            heading="时限与收费",
        ),
        MultiFieldPanel(
            [
                FieldPanel("place_station"),
                FieldPanel("hall_name"),
                FieldPanel("hall_address"),
                FieldPanel("office_hours"),
                FieldRowPanel([FieldPanel("enquiry_phone"), FieldPanel("complaint_phone")]),
                FieldPanel("online_url"),
            ],
            heading="办理地点与咨询",
        ),
        FieldPanel("faq"),
        FieldPanel("last_verified"),
    ]

    parent_page_types = ["servicecatalog.ServiceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "办事指南"

    @property
    def place_name(self) -> str:
        return self.place_station.title if self.place_station_id else self.hall_name

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Category and place come with the page (ServiceIndexPage.child_queryset); the
        # lists are lazy, read only when the template's fragments miss.
        context.update(
            materials=self.materials.select_related("blank_form"),
            stations=as_links(self.offered_at.live(), "address"),
        )
        return context

    @path("checklist/")
    def checklist(self, request):
        """A printable tick list of materials; plain HTML checkboxes, no script needed."""
        context = self.get_context(request)
        # The host that served the list (the page cache keys by host), not the Site's
        # root URL, which on a fresh install says http://localhost.
        context["page_address"] = request.build_absolute_uri(self.get_url(request))
        return TemplateResponse(request, "servicecatalog/service_checklist.html", context)


class ServiceMaterial(Orderable):
    service = ParentalKey(ServiceItemPage, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField("材料名称", max_length=120)
    form = models.CharField(
        "原件/复印件", max_length=10, choices=MaterialForm.choices, default=MaterialForm.ORIGINAL
    )
    copies = models.PositiveSmallIntegerField("份数", default=1)
    required = models.BooleanField("必须提供", default=True)
    note = models.CharField(
        "说明", max_length=200, blank=True, help_text="如：复印件需本人签字；哪些情形才需要"
    )
    blank_form = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="空白表格",
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("form"), FieldPanel("copies"), FieldPanel("required")]),
        FieldPanel("note"),
        FieldPanel("blank_form"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"

    def __str__(self):
        return self.name
