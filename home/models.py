"""Site-wide ground: the region hierarchy, site settings and the home page.

Every report, station and evaluation belongs to a community (and, where known, a
grid). Streets and communities are snippets so editors can maintain them.
"""

import functools
import re

from django.core.cache import cache
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import QuickEntryBlock
from .routing import ChildPageRouteMixin, ViewRestrictionQueryMixin
from .sections import home_sections

SETTINGS_CACHE_SECONDS = 3600


class Street(index.Indexed, models.Model):
    name = models.CharField("街道名称", max_length=60, unique=True)
    district = models.CharField("所属区", max_length=60, blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "街道"
        verbose_name_plural = "街道"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Community(index.Indexed, models.Model):
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="communities", verbose_name="所属街道"
    )
    name = models.CharField("社区名称", max_length=60)
    slug = models.SlugField("网址标识", max_length=60, unique=True, allow_unicode=True)
    address = models.CharField("社区党群服务中心地址", max_length=200, blank=True)
    phone = models.CharField("社区电话", max_length=40, blank=True)
    households = models.PositiveIntegerField("户数", null=True, blank=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "社区"
        verbose_name_plural = "社区"
        ordering = ["street__name", "name"]
        constraints = [models.UniqueConstraint(fields=["street", "name"], name="unique_community_per_street")]
        # Without it staff edit only the pages of the communities in their scope (feedback.common.pages).
        permissions = [
            ("edit_every_community_page", "可编辑各社区的页面及不属于社区的页面（不受负责范围限制）")
        ]

    def __str__(self):
        return self.name

    @classmethod
    def slug_choices(cls):
        """(slug, name) pairs in street order: the community filter of the public lists."""
        return cls.objects.values_list("slug", "name")


class Grid(index.Indexed, models.Model):
    """A grid of about 300 households served by one grid worker (网格员)."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="grids", verbose_name="所属社区"
    )
    name = models.CharField("网格名称", max_length=60)
    worker_name = models.CharField(
        "网格员", max_length=30, blank=True, help_text="按街道公布的姓名填写，会显示在社区页面上。"
    )
    # A public work number, not the worker's private phone: it is shown to residents.
    worker_phone = models.CharField(
        "网格员工作电话",
        max_length=40,
        blank=True,
        help_text="公开的工作电话（办公电话或工作手机），会显示在社区页面上供居民拨打；不要填写个人手机号。",
    )
    households = models.PositiveIntegerField("户数", null=True, blank=True)
    # Lists show 第一, 第二, 第三…: names sort by code point (一 < 三 < 二), numbers do not.
    number = models.PositiveSmallIntegerField(
        "序号", default=0, help_text="同一社区内网格的排列顺序，如 1、2、3"
    )

    search_fields = [index.SearchField("name")]

    class Meta:
        verbose_name = "网格"
        verbose_name_plural = "网格"
        ordering = ["community__name", "number", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="unique_grid_per_community")
        ]

    def __str__(self):
        return f"{self.community.name}·{self.name}"


@register_setting(icon="cog")
class PortalSettings(BaseSiteSetting):
    portal_name = models.CharField("门户名称", max_length=40, default="同心门户")
    slogan = models.CharField("副标题", max_length=80, blank=True)
    hotline = models.CharField("服务热线", max_length=40, default="12345")
    address = models.CharField("地址", max_length=200, blank=True)
    icp_number = models.CharField("ICP备案号", max_length=60, blank=True)
    psb_number = models.CharField("公安备案号", max_length=60, blank=True)
    privacy_notice = models.TextField(
        "个人信息保护告知",
        blank=True,
        help_text="提交反映、评议前向居民展示的告知内容：处理者、目的、范围、保存期限、删除方式。",
    )
    privacy_notice_version = models.CharField("告知版本", max_length=20, default="1")
    # Rating a service asks for less than reporting a problem (no description, place or
    # photos), so the evaluation form has a notice of its own.
    evaluation_privacy_notice = models.TextField(
        "评议个人信息保护告知",
        blank=True,
        help_text="提交评议前向居民展示的告知内容：处理者、目的、范围（称呼、手机号、评分和意见）、保存期限、删除方式。",
    )
    evaluation_privacy_notice_version = models.CharField("评议告知版本", max_length=20, default="1")

    panels = [
        MultiFieldPanel(
            [FieldPanel("portal_name"), FieldPanel("slogan"), FieldPanel("hotline"), FieldPanel("address")],
            heading="基本信息",
        ),
        MultiFieldPanel([FieldPanel("icp_number"), FieldPanel("psb_number")], heading="备案信息"),
        MultiFieldPanel(
            [
                FieldPanel("privacy_notice"),
                FieldPanel("privacy_notice_version"),
                FieldPanel("evaluation_privacy_notice"),
                FieldPanel("evaluation_privacy_notice_version"),
            ],
            heading="隐私",
        ),
    ]

    class Meta:
        verbose_name = "门户设置"

    # Every page shows these (header, footer, hotline), so they are read from the
    # shared cache instead of the database; saving them clears the entry.
    @classmethod
    def for_site(cls, site):
        key = cls._cache_key(site.pk)
        instance = cache.get(key)
        if instance is None:
            instance = super().for_site(site)
            cache.set(key, instance, SETTINGS_CACHE_SECONDS)
        return instance

    @staticmethod
    def _cache_key(site_id) -> str:
        return f"portal-settings:{site_id}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(self._cache_key(self.site_id))


class SearchSynonym(models.Model):
    """A group of words site search treats as one (低保 = 最低生活保障), applied to queries."""

    words = models.CharField(
        "同义词组",
        max_length=200,
        unique=True,
        help_text="用逗号或顿号分隔，如：低保，最低生活保障。搜索其中任何一个词，都会同时查找其他词。",
    )
    note = models.CharField("备注", max_length=100, blank=True)

    panels = [FieldPanel("words"), FieldPanel("note")]

    class Meta:
        verbose_name = "搜索同义词"
        verbose_name_plural = "搜索同义词"
        ordering = ["words"]

    def __str__(self):
        return self.words

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Queries read synonyms from the cache; an editor's change must show at once.
        cache.delete(SYNONYM_CACHE_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(SYNONYM_CACHE_KEY)
        return result

    def word_list(self) -> list[str]:
        return [w.strip() for w in re.split(r"[,，、;；/\s]+", self.words) if w.strip()]


SYNONYM_CACHE_KEY = "search:synonyms:v1"


class HomePage(ChildPageRouteMixin, ViewRestrictionQueryMixin, Page):
    intro = models.CharField("欢迎语", max_length=200, blank=True)
    quick_entries = StreamField([("entry", QuickEntryBlock())], verbose_name="快捷入口", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("quick_entries")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "首页"

    def child_queryset(self):
        # Sections of every type (/notices/, /stations/…), each as its specific page.
        return Page.objects.specific()

    def passage_queryset(self):
        # On the way to /stations/<slug>/ the index is only routed through and linked to
        # (title, URL): its own fields are left for later, one query instead of two.
        return Page.objects.specific(defer=True)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Built only when the template's {% wagtailcache %} fragment misses: the
        # template calls the function, and the queryset is lazy.
        context["home_sections"] = functools.partial(home_sections, request)
        context["streets"] = Street.objects.prefetch_related("communities")
        return context


from .page_feedback.models import PageFeedback  # noqa: E402, F401  (这个页面有用吗？ answers)
