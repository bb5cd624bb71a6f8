"""Reads for the participation pages: public lists (never a phone or a name as typed),
the resident's private pages, and 项目清单 from the reports to residents."""

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from home.models import Community
from notices.models import ReportPromise, ResidentReportPage

from .models import Need, NeedEvent, NeedState, Resource, Wish, WishState

PUBLIC_NEED_FIELDS = (
    "pk", "kind", "community__name", "community__slug", "state", "public_text",
    "taker_kind", "taker_name", "listed_at", "taken_at", "done_at", "confirmed_at", "rating",
)  # fmt: skip


def public_needs(*, community: Community | None = None, kind: str = "", state: str = ""):
    """The public 需求清单: approved text, kind, community, state and the taker's name only."""
    rows = Need.objects.publicly_visible().select_related("community")
    if community is not None:
        rows = rows.filter(community=community)
    if kind:
        rows = rows.filter(kind=kind)
    if state:
        rows = rows.filter(state=state)
    # Only what the public may see leaves the database.
    return rows.only(
        "kind", "community__name", "community__slug", "state", "public_text",
        "taker_kind", "taker_name", "listed_at", "taken_at", "done_at", "confirmed_at", "rating",
        "public_text_approved_at",
    ).order_by("-listed_at", "-pk")  # fmt: skip


def need_by_token(*, token: str) -> Need | None:
    if not token or len(token) > 64:
        return None
    return Need.objects.select_related("community").filter(tracking_token=token).first()


def need_timeline(*, need: Need):
    return NeedEvent.objects.filter(need=need, public=True).order_by("at", "pk")


def public_wishes(*, community: Community | None = None, state: str = ""):
    rows = Wish.objects.publicly_visible().select_related("community")
    if community is not None:
        rows = rows.filter(community=community)
    if state:
        rows = rows.filter(state=state)
    return rows.only(
        "community__name", "community__slug", "state", "public_text", "title", "value_yuan", "name",
        "claimer_name", "thanks", "listed_at", "claimed_at", "fulfilled_at", "public_text_approved_at",
    ).order_by("-listed_at", "-pk")  # fmt: skip


def public_wish(*, pk: int) -> Wish | None:
    return Wish.objects.publicly_visible().select_related("community").filter(pk=pk).first()


def wish_by_token(*, token: str) -> Wish | None:
    if not token or len(token) > 64:
        return None
    return Wish.objects.select_related("community").filter(tracking_token=token).first()


def public_resources(*, q: str = "", kind: str = "", community: Community | None = None):
    """资源清单, searchable by Chinese words or pinyin (``Resource.search_text``)."""
    rows = Resource.objects.filter(active=True).select_related("community")
    q = (q or "").strip()[:40]
    for word in q.lower().split():
        rows = rows.filter(search_text__icontains=word)
    if kind:
        rows = rows.filter(kind=kind)
    if community is not None:
        # A street-wide resource serves every community too.
        rows = rows.filter(Q(community=community) | Q(community__isnull=True))
    return rows


def community_projects(*, year: int | None = None, community: Community | None = None) -> list[dict]:
    """项目清单: the 实事 each community promised in its published reports to residents
    of ``year`` (by the report period's end), grouped by community with their progress."""
    year = year or timezone.localdate().year
    pages = ResidentReportPage.objects.live().public().filter(period_end__year=year)
    if community is not None:
        pages = pages.filter(community=community)
    promises = (
        ReportPromise.objects.filter(page__in=pages.values("pk"))
        .select_related("page__community")
        .order_by("page__community__name", "sort_order", "pk")
    )
    grouped: dict[int, dict] = {}
    for promise in promises:
        report = promise.page
        entry = grouped.setdefault(
            report.community_id, {"community": report.community, "promises": [], "reports": {}}
        )
        entry["promises"].append(promise)
        entry["reports"][report.pk] = report
    for entry in grouped.values():
        items = entry["promises"]
        entry["average_progress"] = round(sum(p.progress for p in items) / len(items)) if items else 0
        entry["done"] = sum(1 for p in items if p.status == "done")
    return list(grouped.values())


def need_by_id(*, pk) -> Need | None:
    return Need.objects.select_related("community").filter(pk=pk).first()


def wish_by_id(*, pk) -> Wish | None:
    return Wish.objects.select_related("community").filter(pk=pk).first()


def community_section_html(request, community: Community):
    """The community page's part: up to three needs waiting for a taker and three wishes
    waiting for a claimer (two queries), with links to the lists narrowed to it."""
    needs = list(public_needs(community=community, state=NeedState.LISTED)[:3])
    wishes = list(public_wishes(community=community, state=WishState.LISTED)[:3])
    context = {"community": community, "needs": needs, "wishes": wishes}
    return render_to_string("participation/includes/community_section.html", context, request=request)
