"""What residents may see of notices and reports, and in which order.

A notice is visible when it is live, public, and inside its publication window.
Wagtail's ``publish_scheduled`` command flips ``live`` at ``go_live_at`` /
``expire_at``; the window is checked here as well so that a late or missing cron
run never shows a notice early or keeps an expired one up.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from home.models import Community

from .models import (
    NoticeCategory,
    NoticeIndexPage,
    NoticePage,
    PromiseStatus,
    ResidentReportIndexPage,
    ResidentReportPage,
)

PAGE_SIZE = 10


def _in_window(now) -> Q:
    return (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now)) & (
        Q(expire_at__isnull=True) | Q(expire_at__gt=now)
    )


def visible_notices(*, index: NoticeIndexPage | None = None) -> QuerySet[NoticePage]:
    notices = NoticePage.objects.live().public().filter(_in_window(timezone.now()))
    if index is not None:
        notices = notices.child_of(index)
    return notices


def notice_list(
    *,
    index: NoticeIndexPage | None = None,
    category: NoticeCategory | None = None,
    year: int | None = None,
    validity: str | None = None,
    community: Community | None = None,
) -> QuerySet[NoticePage]:
    """Pinned notices first, then newest first; filters combine with AND."""
    notices = visible_notices(index=index)
    if category is not None:
        notices = notices.filter(category=category)
    if year is not None:
        notices = notices.filter(published_on__year=year)
    if validity:
        notices = notices.filter(validity=validity)
    if community is not None:
        notices = notices.filter(communities=community)
    return (
        notices.select_related("category")
        .prefetch_related(Prefetch("communities", queryset=Community.objects.only("id", "name", "slug")))
        .order_by("-is_pinned", "-published_on", "-first_published_at", "-pk")
    )


def notice_years(*, index: NoticeIndexPage | None = None) -> list[int]:
    dates = visible_notices(index=index).dates("published_on", "year", order="DESC")
    return [d.year for d in dates]


def notice_detail(*, notice: NoticePage) -> dict:
    """Everything a notice page shows beyond its own fields, in a few queries."""
    now = timezone.now()
    live = NoticePage.objects.live().filter(_in_window(now))
    communities = list(notice.communities.all())
    return {
        "attachments": list(notice.attachments.select_related("document")),
        "communities": communities,
        # No community chosen means the notice applies everywhere, as does choosing all.
        "applies_everywhere": not communities or len(communities) == Community.objects.count(),
        "tags": list(notice.tags.all()),
        "current_version": live.filter(pk=notice.replaced_by_id).first() if notice.replaced_by_id else None,
        "replaced_notices": list(live.filter(replaced_by=notice).order_by("-published_on")),
    }


def home_notices(*, latest: int = 5, important: int = 3) -> tuple[list[NoticePage], list[NoticePage]]:
    """Pinned/urgent notices in force, and the latest others; two queries."""
    base = (
        visible_notices().select_related("category").order_by("-published_on", "-first_published_at", "-pk")
    )
    flagged = list(base.filter(Q(is_pinned=True) | Q(is_urgent=True), validity="current")[:important])
    others = list(base.exclude(pk__in=[n.pk for n in flagged])[:latest])
    return flagged, others


def report_list(
    *, index: ResidentReportIndexPage | None = None, community: Community | None = None
) -> QuerySet[ResidentReportPage]:
    reports = ResidentReportPage.objects.live().public()
    if index is not None:
        reports = reports.child_of(index)
    if community is not None:
        reports = reports.filter(community=community)
    return (
        reports.select_related("community__street")
        .annotate(
            promise_total=Count("promises"),
            promise_done=Count("promises", filter=Q(promises__status=PromiseStatus.DONE)),
        )
        .order_by("-period_end", "community__name", "-pk")
    )
