"""Red stations (红色驿站, 党群服务中心, 红色蓄能站, 户外劳动者之家) and their opening hours.

Coordinates are WGS-84 decimal degrees (what a phone's GPS and browser geolocation
report); see ``servicecatalog/geo.py``.
"""

from collections import defaultdict
from datetime import datetime
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.forms import CommunityPageForm
from home.models import Community
from home.routing import ChildPageRouteMixin, IndexChildMixin, ViewRestrictionQueryMixin, as_links
from home.search import page_search_text
from home.slugs import PinyinSlugMixin
from portal.cache import built_when_read, generation_key

from ..finder import StationPoint, station_finder, stations_in_view
from ..geo import amap_marker_url, geo_uri
from ..hours import WEEKDAYS, OpenState, Span, local_time, open_state, week_table
from ..vocab import AMENITIES, StationStatus, StationType, amenity_items
from .catalogue import ServiceItemPage


class AmenitiesField(models.JSONField):
    """A list of amenity codes from ``vocab.AMENITIES``, edited as checkboxes."""

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=AMENITIES,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )


# This process's copy of the latest station rows, by generation key (see station_points).
_POINTS_HERE: dict[str, list[StationPoint]] = {}


class StationIndexPage(ChildPageRouteMixin, ViewRestrictionQueryMixin, RoutablePageMixin, Page):
    """/stations/: the station finder (open now, amenities, distance, a page at a time)
    and /stations/map/, the compact JSON its map view reads."""

    intro = models.CharField("导语", max_length=200, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["servicecatalog.StationPage"]
    max_count = 1
    own_routes = ("map",)

    class Meta:
        verbose_name = "红色驿站目录"

    def child_queryset(self):
        return StationPage.objects.select_related("community__street", "grid").prefetch_related(
            "opening_hours"
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        names = (
            "filter_form",
            "rows",
            "page_obj",
            "total_count",
            "open_count",
            "position",
            "position_note",
            "open_only",
            "bounds",
            "canonical_query",
            "filtered",
        )
        context.update(built_when_read(lambda: self.finder(request.GET, now), names))
        # The list's fragment: "open now" changes by the minute, and a list sorted for one
        # resident's position is theirs alone (0 s: not kept).
        context["list_minute"] = local_time(now).strftime("%Y%m%d%H%M")
        context["list_seconds"] = 0 if request.GET.get("lat") or request.GET.get("lng") else 60
        return context

    def finder(self, params, now) -> dict:
        return station_finder(
            stations=self.station_points(), communities=Community.slug_choices(), params=params, now=now
        )

    @path("map/")
    def map_points(self, request):
        """The stations inside ``?bbox=west,south,east,north`` (and the list's filters) as
        compact JSON for the map view. Public and the same for everyone: shared caches
        may keep it for a minute, as "open now" changes by the minute."""
        answer = stations_in_view(
            stations=self.station_points(),
            communities=Community.slug_choices(),
            params=request.GET,
            now=timezone.now(),
        )
        response = JsonResponse(
            answer, status=400 if "error" in answer else 200, json_dumps_params={"ensure_ascii": False}
        )
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=60)
        return response

    def station_points(self) -> list[StationPoint]:
        """Every live station under this index as compact rows, in two queries, kept
        until the next purge (every publish, move or delete of a page): in the shared
        cache, and in this process for as long as the generation stays the same (reading
        a city's 1,300 rows back from the cache cost more than the finder's own work).
        With the fragment cache off (several processes without a shared cache, where a
        purge would not reach the others) they are read every time."""
        if settings.FRAGMENT_CACHE_SECONDS <= 0:
            return self._read_station_points()
        key = generation_key(f"station-points:{self.pk}")
        points = _POINTS_HERE.get(key)
        if points is None:
            points = cache.get(key)
            if points is None:
                points = self._read_station_points()
                cache.set(key, points, settings.FRAGMENT_CACHE_SECONDS)
            _POINTS_HERE.clear()  # only the current generation's rows stay in memory
            _POINTS_HERE[key] = points
        return points

    def _read_station_points(self) -> list[StationPoint]:
        stations = StationPage.objects.live().descendant_of(self)
        spans = defaultdict(list)
        hours = StationOpeningHours.objects.filter(station__in=stations.values("pk")).order_by("sort_order")
        for station_id, weekday, opens, closes in hours.values_list(
            "station_id", "weekday", "opens", "closes"
        ):
            spans[station_id].append(Span(weekday, opens, closes))
        base = self.url or "/"
        fields = (
            "pk", "title", "slug", "station_type", "community__slug", "community__name", "address",
            "phone", "amenities", "latitude", "longitude", "always_open", "status",
        )  # fmt: skip
        return [
            StationPoint(
                pk=pk,
                title=title,
                url=f"{base}{slug}/",
                station_type=station_type,
                community_slug=community_slug,
                community_name=community_name,
                address=address,
                phone=phone,
                amenities=tuple(amenities or ()),
                lat=None if lat is None else float(lat),
                lng=None if lng is None else float(lng),
                always_open=always_open,
                suspended=status == StationStatus.SUSPENDED,
                spans=tuple(spans[pk]),
            )
            for (pk, title, slug, station_type, community_slug, community_name, address, phone, amenities,
                 lat, lng, always_open, status) in stations.values_list(*fields)
        ]  # fmt: skip


class StationPage(PinyinSlugMixin, IndexChildMixin, ViewRestrictionQueryMixin, Page):
    base_form_class = CommunityPageForm  # offers only the communities the editor serves
    station_type = models.CharField(
        "站点类型", max_length=20, choices=StationType.choices, default=StationType.RED_STATION
    )
    status = models.CharField(
        "运营状态", max_length=12, choices=StationStatus.choices, default=StationStatus.OPERATING
    )
    status_note = models.CharField("状态说明", max_length=120, blank=True, help_text="如：装修暂停至 12 月底")
    community = models.ForeignKey(
        "home.Community", on_delete=models.PROTECT, related_name="stations", verbose_name="所属社区"
    )
    grid = models.ForeignKey(
        "home.Grid",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stations",
        verbose_name="所属网格",
    )
    address = models.CharField("地址", max_length=200)
    latitude = models.DecimalField(
        "纬度（WGS-84）",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="GPS 坐标（WGS-84），如 25.041234",
    )
    longitude = models.DecimalField(
        "经度（WGS-84）",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text="GPS 坐标（WGS-84），如 102.712345",
    )
    always_open = models.BooleanField("24 小时开放", default=False)
    hours_note = models.CharField(
        "开放时间说明", max_length=120, blank=True, help_text="如：法定节假日照常开放"
    )
    amenities = AmenitiesField("便民设施", default=list, blank=True)
    served_people = models.CharField(
        "服务对象",
        max_length=120,
        blank=True,
        help_text="如：快递员、外卖骑手、环卫工人等户外劳动者和周边居民",
    )
    phone = models.CharField("联系电话", max_length=40, blank=True)
    intro = models.TextField("简介", blank=True)
    services = ParentalManyToManyField(
        "servicecatalog.ServiceItemPage", blank=True, related_name="offered_at", verbose_name="可办事项"
    )

    search_fields = Page.search_fields + [
        index.SearchField("address"),
        index.SearchField("intro"),
        index.FilterField("station_type"),
        index.SearchField("search_text_zh"),  # segmented Chinese for site search (home/search.py)
    ]

    @property
    def search_text_zh(self) -> str:
        return page_search_text(
            self,
            "get_station_type_display",
            "community",
            "address",
            "amenity_items",
            "served_people",
            "intro",
        )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("station_type"), FieldPanel("status")]),
                FieldPanel("status_note"),
                FieldRowPanel([FieldPanel("community"), FieldPanel("grid")]),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("phone"),
            ],
            heading="位置与联系",
        ),
        MultiFieldPanel(
            [
                FieldPanel("always_open"),
                InlinePanel("opening_hours", label="开放时段"),
                FieldPanel("hours_note"),
            ],
            heading="开放时间（未填时段的日子即为闭站日；关门早于开门表示跨夜到次日）",
        ),
        FieldPanel("amenities"),
        FieldPanel("served_people"),
        FieldPanel("intro"),
        FieldPanel("services", widget=forms.CheckboxSelectMultiple),
        InlinePanel("photos", label="照片"),
    ]

    parent_page_types = ["servicecatalog.StationIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "驿站/服务站点"

    def clean(self):
        super().clean()
        if self.grid_id and self.community_id and self.grid.community_id != self.community_id:
            raise ValidationError({"grid": "所选网格不属于所选社区。"})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        # Community, street, grid and hours come with the page (StationIndexPage.child_queryset).
        offered = as_links(
            ServiceItemPage.objects.live()
            .filter(models.Q(offered_at=self) | models.Q(place_station=self))
            .distinct()
            .order_by("title")
        )
        context.update(
            # Lazy: read only when the template's fragments of the page's own content miss.
            services=offered,
            photos=self.photos.select_related("image").prefetch_related("image__renditions"),
            state=self.open_state(now=now),
            week=self.week_table(),
            today=local_time(now).weekday(),
        )
        return context

    # --- opening hours -------------------------------------------------
    def spans(self) -> list[Span]:
        # Uses the prefetched rows when the list page prefetched them; read once per instance.
        if not hasattr(self, "_spans"):
            self._spans = [Span(row.weekday, row.opens, row.closes) for row in self.opening_hours.all()]
        return self._spans

    @property
    def suspended(self) -> bool:
        return self.status == StationStatus.SUSPENDED

    def open_state(self, *, now: datetime) -> OpenState:
        return open_state(spans=self.spans(), always_open=self.always_open, suspended=self.suspended, now=now)

    def week_table(self):
        return week_table(spans=self.spans())

    # --- display helpers ------------------------------------------------
    @property
    def amenity_items(self):
        return amenity_items(self.amenities)

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def lat(self) -> float | None:
        return None if self.latitude is None else float(self.latitude)

    @property
    def lng(self) -> float | None:
        return None if self.longitude is None else float(self.longitude)

    @property
    def geo_uri(self) -> str:
        return geo_uri(lat=self.latitude, lng=self.longitude, name=self.title)

    @property
    def web_map_url(self) -> str:
        return amap_marker_url(lat=self.lat, lng=self.lng, name=self.title)

    @property
    def report_url(self) -> str:
        """The feedback form, pre-filled with this station as the place of the problem."""
        return (
            reverse("feedback:report")
            + "?"
            + urlencode({"community": self.community.slug, "place": self.title})
        )


class StationOpeningHours(Orderable):
    station = ParentalKey(StationPage, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField("星期", choices=list(enumerate(WEEKDAYS)))
    opens = models.TimeField("开门")
    closes = models.TimeField("关门", help_text="早于开门时间表示开到次日，如 20:00–02:00")

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")])]

    class Meta(Orderable.Meta):
        verbose_name = "开放时段"
        verbose_name_plural = "开放时段"

    def clean(self):
        if self.opens is not None and self.opens == self.closes:
            raise ValidationError({"closes": "开门和关门时间不能相同；全天开放请勾选“24 小时开放”。"})


class StationPhoto(Orderable):
    station = ParentalKey(StationPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name="照片"
    )
    caption = models.CharField("说明", max_length=80, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]
