"""What residents may see of notices and reports, and in which order.

A notice is visible when it is live, public, and inside its publication window.
Wagtail's ``publish_scheduled`` command flips ``live`` at ``go_live_at`` /
``expire_at``; the window is checked here as well so that a late or missing cron
run never shows a notice early or keeps an expired one up.

The rules take the queryset they narrow and import no model, so the page models use
them for their own lists and ``selectors`` for the home page's.
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from wagtail.query import PageQuerySet

from home.routing import not_restricted

from .vocab import PromiseStatus

PAGE_SIZE = 10
FIRST_YEAR = 2018
# Newest first, by the date on the document, then the later-created notice. Every column
# is the notice's own, so an index serves the order (NoticePage.Meta.indexes): a
# column of the page table (first_published_at) would make the database sort them all.
LATEST_ORDER = ("-published_on", "-pk")
LISTED_ORDER = ("-is_pinned", *LATEST_ORDER)


def in_window(now) -> Q:
    return (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now)) & (
        Q(expire_at__isnull=True) | Q(expire_at__gt=now)
    )


def shown_now(page, now) -> bool:
    """The same window for one page already read."""
    return (
        page.live
        and (page.go_live_at is None or page.go_live_at <= now)
        and (page.expire_at is None or page.expire_at > now)
    )


def visible(notices: PageQuerySet) -> PageQuerySet:
    return notices.live().filter(not_restricted(), in_window(timezone.now()))


def listed(
    notices: PageQuerySet,
    *,
    category: str | None = None,
    year: int | None = None,
    validity: str | None = None,
    community: str | None = None,
) -> PageQuerySet:
    """Visible notices, pinned first, then newest first; filters (slugs) combine with AND.

    A notice for a community is one chosen for it or one with no community chosen
    (it applies to the whole district).
    """
    notices = visible(notices)
    if category:
        notices = notices.filter(category__slug=category)
    if year is not None:
        notices = notices.filter(published_on__year=year)
    if validity:
        notices = notices.filter(validity=validity)
    if community:
        links = notices.model.communities.through.objects.filter(noticepage=OuterRef("pk"))
        notices = notices.filter(Exists(links.filter(community__slug=community)) | ~Exists(links))
    # A list shows summaries: the body (the widest column) is not sorted with every row.
    return notices.select_related("category").defer("body").order_by(*LISTED_ORDER)


def latest(notices: PageQuerySet) -> PageQuerySet:
    """Visible notices, newest first (the home page's latest and important ones)."""
    return visible(notices).select_related("category").order_by(*LATEST_ORDER)


def notice_years() -> list[int]:
    """Years offered in the filter: a fixed span, so the list costs no query."""
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def listed_reports(reports: PageQuerySet, *, community: str | None = None) -> PageQuerySet:
    reports = reports.live().filter(not_restricted())
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
