"""What residents may see of notices and reports, and in which order.

A notice is visible when it is live, public, and inside its publication window.
Wagtail's ``publish_scheduled`` command flips ``live`` at ``go_live_at`` /
``expire_at``; the window is checked here as well so that a late or missing cron
run never shows a notice early or keeps an expired one up.
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import PageViewRestriction

from .models import (
    NoticeIndexPage,
    NoticePage,
    PromiseStatus,
    ResidentReportIndexPage,
    ResidentReportPage,
    Validity,
)

PAGE_SIZE = 10
FIRST_YEAR = 2018


def _in_window(now) -> Q:
    return (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now)) & (
        Q(expire_at__isnull=True) | Q(expire_at__gt=now)
    )


def _public() -> Exists:
    """Not under a view restriction: like ``PageQuerySet.public()``, but as a
    subquery, so it costs no query of its own on every list."""
    restricting = PageViewRestriction.objects.annotate(
        prefix=Substr(OuterRef("path"), 1, Length("page__path"))
    ).filter(prefix=F("page__path"))
    return ~Exists(restricting)


def visible_notices(*, index: NoticeIndexPage | None = None) -> QuerySet[NoticePage]:
    notices = NoticePage.objects.live().filter(_public(), _in_window(timezone.now()))
    if index is not None:
        notices = notices.child_of(index)
    return notices


def notice_list(
    *,
    index: NoticeIndexPage | None = None,
    category: str | None = None,
    year: int | None = None,
    validity: str | None = None,
    community: str | None = None,
) -> QuerySet[NoticePage]:
    """Pinned notices first, then newest first; filters (slugs) combine with AND.

    A notice for a community is one chosen for it or one with no community chosen
    (it applies to the whole district).
    """
    notices = visible_notices(index=index)
    if category:
        notices = notices.filter(category__slug=category)
    if year is not None:
        notices = notices.filter(published_on__year=year)
    if validity:
        notices = notices.filter(validity=validity)
    if community:
        links = NoticePage.communities.through.objects.filter(noticepage=OuterRef("pk"))
        notices = notices.filter(Exists(links.filter(community__slug=community)) | ~Exists(links))
    return notices.select_related("category").order_by(
        "-is_pinned", "-published_on", "-first_published_at", "-pk"
    )


def notice_years() -> list[int]:
    """Years offered in the filter: a fixed span, so the list costs no query."""
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def _shown_now(notice: NoticePage, now) -> bool:
    return (
        notice.live
        and (notice.go_live_at is None or notice.go_live_at <= now)
        and (notice.expire_at is None or notice.expire_at > now)
    )


def notice_detail(*, notice: NoticePage) -> dict:
    """Everything a notice page shows beyond its own fields.

    The index routes to a notice with ``replaced_by`` joined. Attachments, communities
    and tags are lazy: the template reads them only when its fragment of the notice's
    own content misses. What depends on the clock (the notices in force that it
    replaced, whether its successor is in force yet) is read every time.
    """
    now = timezone.now()
    successor = notice.replaced_by if notice.replaced_by_id else None
    replaced = NoticePage.objects.live().filter(_in_window(now), replaced_by=notice).order_by("-published_on")
    return {
        "attachments": notice.attachments.select_related("document"),
        "communities": notice.communities.all(),
        "tags": notice.tags.all(),
        "current_version": successor if successor is not None and _shown_now(successor, now) else None,
        "replaced_notices": replaced,
    }


def home_notices(*, latest: int = 5, important: int = 3) -> tuple[list[NoticePage], list[NoticePage]]:
    """Pinned/urgent notices in force, and the latest others; two queries."""
    base = (
        visible_notices().select_related("category").order_by("-published_on", "-first_published_at", "-pk")
    )
    flagged = list(base.filter(Q(is_pinned=True) | Q(is_urgent=True), validity=Validity.CURRENT)[:important])
    shown = {n.pk for n in flagged}
    others = [n for n in base[: latest + len(flagged)] if n.pk not in shown][:latest]
    return flagged, others


def report_list(
    *, index: ResidentReportIndexPage | None = None, community: str | None = None
) -> QuerySet[ResidentReportPage]:
    reports = ResidentReportPage.objects.live().filter(_public())
    if index is not None:
        reports = reports.child_of(index)
    if community:
        reports = reports.filter(community__slug=community)
    return (
        reports.select_related("community__street")
        .annotate(
            promise_total=Count("promises"),
            promise_done=Count("promises", filter=Q(promises__status=PromiseStatus.DONE)),
        )
        .order_by("-period_end", "community__name", "-pk")
    )
