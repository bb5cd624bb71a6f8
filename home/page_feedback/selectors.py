"""Reads: the pages residents found least useful, for staff.

A page is listed once it has ``MIN_ANSWERS`` answers (a single 没有帮助 says little),
ordered by the share of 没有帮助, then by how many said so; only pages the staff member
may edit, so a community worker sees their own community's pages.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import PageFeedback

MIN_ANSWERS = 3
LATEST_COMMENTS = 3


@dataclass
class PageScore:
    page: Page
    answers: int
    useful: int
    not_useful: int
    comments: list[str] = field(default_factory=list)

    @property
    def not_useful_percent(self) -> Decimal:
        return (Decimal(self.not_useful) * 100 / Decimal(self.answers)).quantize(Decimal("0.1"))


def editable_pages(user):
    return PagePermissionPolicy().instances_user_has_permission_for(user, "change")


def worst_pages(*, user, limit: int = 50, min_answers: int = MIN_ANSWERS) -> list[PageScore]:
    """Three queries whatever the number of answers: counts, pages, latest comments."""
    rows = (
        PageFeedback.objects.filter(page__in=editable_pages(user).values("pk"))
        .values("page")
        .annotate(answers=Count("pk"), useful=Count("pk", filter=Q(useful=True)))
        .filter(answers__gte=min_answers)
        .order_by()
    )
    rows = sorted(
        rows, key=lambda r: (-(r["answers"] - r["useful"]) / r["answers"], -r["answers"], r["page"])
    )
    rows = rows[:limit]
    pages = Page.objects.in_bulk([r["page"] for r in rows])
    comments: dict[int, list[str]] = {}
    recent = (
        PageFeedback.objects.filter(page__in=pages, useful=False)
        .exclude(comment="")
        .order_by("-created_at")
        .values_list("page", "comment")
    )
    for page_id, comment in recent[: limit * LATEST_COMMENTS]:
        if len(comments.setdefault(page_id, [])) < LATEST_COMMENTS:
            comments[page_id].append(comment)
    return [
        PageScore(
            page=pages[r["page"]],
            answers=r["answers"],
            useful=r["useful"],
            not_useful=r["answers"] - r["useful"],
            comments=comments.get(r["page"], []),
        )
        for r in rows
        if r["page"] in pages
    ]
