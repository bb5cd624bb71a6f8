"""Residents' pages: report a problem, confirmation, tracking and rating, public list."""

import hashlib
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from home.listing import shared_choices
from wagtail.models import Site

from home.models import Community, PortalSettings
from portal.abuse import too_many_requests

from . import selectors, services, throttle
from .evaluation_selectors import evaluation_figures_by_community, min_ratings
from .forms import ComplaintReportForm, RatingForm, TrackLookupForm
from .models import Complaint, State
from .privacy import mask_phone
from .workflow import TransitionError

# The confirmation page after a report: which report it is, in a signed cookie for that
# one path (the session would cost a database write on every report; it holds no more).
SUBMITTED_COOKIE = "feedback_submitted"
SUBMITTED_SALT = "feedback.submitted"
SUBMITTED_SECONDS = 3600


def _remember_submitted(response, complaint: Complaint):
    response.set_signed_cookie(
        SUBMITTED_COOKIE,
        str(complaint.pk),
        salt=SUBMITTED_SALT,
        max_age=SUBMITTED_SECONDS,
        path=reverse("feedback:submitted"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _portal_settings(request) -> PortalSettings:
    site = Site.find_for_request(request)
    return PortalSettings.for_site(site) if site else PortalSettings()


def report(request):
    portal = _portal_settings(request)
    if request.method == "POST":
        if wait := throttle.report_ip_wait(request):
            return too_many_requests(request, retry_after=wait)
        form = ComplaintReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            if wait := throttle.report_phone_wait(data["phone"]):
                return too_many_requests(request, retry_after=wait)
            complaint = services.submit_complaint(
                kind=data["kind"],
                category=data["category"],
                community=data["community"],
                grid=data["grid"],
                place=data["place"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                description=data["description"],
                name=data["name"],
                phone=data["phone"],
                allow_public=data["allow_public"],
                privacy_notice_version=portal.privacy_notice_version,
                photos=data["photos"],
            )
            return _remember_submitted(redirect("feedback:submitted"), complaint)
    else:
        initial = {}
        slug = request.GET.get("community")
        if slug and (community := Community.objects.filter(slug=slug).first()):
            initial["community"] = community
        if request.GET.get("place"):
            initial["place"] = request.GET["place"][:120]
        form = ComplaintReportForm(initial=initial)
    # The fields of a blank form (no errors, nothing typed or preset) are the same for
    # every visitor; the CSRF token, fill time and captcha around them are not.
    blank = not form.is_bound and not form.initial
    return render(
        request, "feedback/report.html", {"form": form, "portal": portal, "blank_form": "" if blank else None}
    )


def submitted(request):
    pk = request.get_signed_cookie(SUBMITTED_COOKIE, None, salt=SUBMITTED_SALT, max_age=SUBMITTED_SECONDS)
    complaint = (
        Complaint.objects.select_related("category", "community").filter(pk=pk).first() if pk else None
    )
    if complaint is None:
        return redirect("feedback:report")
    promised = timezone.localdate(complaint.created_at) + timedelta(days=complaint.category.default_days)
    track_url = request.build_absolute_uri(reverse("feedback:track_token", args=[complaint.tracking_token]))
    return render(
        request,
        "feedback/submitted.html",
        {
            "complaint": complaint,
            "promised": promised,
            "track_url": track_url,
            "masked_phone": mask_phone(complaint.phone),
        },
    )


def track(request):
    if request.method == "POST" and (wait := throttle.track_lockout_wait(request)):
        return too_many_requests(request, retry_after=wait)
    form = TrackLookupForm(request.POST or None)
    not_found = False
    if request.method == "POST" and form.is_valid():
        complaint = selectors.find_complaint_for_tracking(
            reference=form.cleaned_data["reference"], phone_last4=form.cleaned_data["phone_last4"]
        )
        if complaint is not None:
            return redirect("feedback:track_token", token=complaint.tracking_token)
        if wait := throttle.track_miss(request):
            return too_many_requests(request, retry_after=wait)
        not_found = True
    return render(request, "feedback/track_lookup.html", {"form": form, "not_found": not_found})


def track_detail(request, token: str):
    complaint = selectors.complaint_by_token(token=token)
    if complaint is None:
        raise Http404
    return render(
        request,
        "feedback/track_detail.html",
        {
            "complaint": complaint,
            "events": selectors.public_timeline(complaint=complaint),
            "rating_form": RatingForm() if complaint.state == State.RESOLVED else None,
            "masked_phone": mask_phone(complaint.phone),
        },
    )


@require_POST
def rate(request, token: str):
    complaint = selectors.complaint_by_token(token=token)
    if complaint is None:
        raise Http404
    if wait := throttle.rating_wait(request):
        return too_many_requests(request, retry_after=wait)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            complaint = services.rate_complaint(
                complaint=complaint, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
            )
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            if complaint.state == State.REOPENED:
                messages.success(request, "已收到您的评价。该反映已重新交办，工作人员会再次联系您。")
            else:
                messages.success(request, "感谢您的评价！")
        return redirect("feedback:track_token", token=token)
    return render(
        request,
        "feedback/track_detail.html",
        {
            "complaint": complaint,
            "events": selectors.public_timeline(complaint=complaint),
            "rating_form": form,
            "masked_phone": mask_phone(complaint.phone),
        },
        status=400,
    )


PERIODS = {"month": "本月", "quarter": "本季度", "year": "本年"}


def period_bounds(period: str, today: date) -> tuple[date, date]:
    if period == "year":
        return today.replace(month=1, day=1), today
    if period == "quarter":
        first_month = (today.month - 1) // 3 * 3 + 1
        return today.replace(month=first_month, day=1), today
    return today.replace(day=1), today


def _board_summary(*, communities, community, period, start, end) -> dict:
    """The filters and the figures table as HTML, and how many reports are public: built
    once a minute per community and period (they follow every report, which no purge
    does), the same for every visitor."""
    shown = [community] if community else list(communities)

    def build():
        figures = selectors.complaint_figures_by_community(communities=shown, start=start, end=end)
        ratings = evaluation_figures_by_community(communities=shown, start=start, end=end)
        return {
            "html": render_to_string(
                "feedback/includes/board_summary.html",
                {
                    "communities": communities,
                    "community": community,
                    "period": period,
                    "periods": PERIODS,
                    "start": start,
                    "end": end,
                    "figure_rows": [(c, figures[c.pk], ratings[c.pk]) for c in shown],
                    "min_ratings": min_ratings(),
                },
            ),
            "total": selectors.public_complaints(community=community).count(),
        }

    return selectors.shared_figures(
        f"board:{community.pk if community else 'all'}:{period}:{start}:{end}", build
    )


BOARD_PER_PAGE = 20
# What a public board row shows (names and phone numbers are not even read).
PUBLIC_ROW_FIELDS = (
    "kind", "state", "created_at", "resolved_at", "description", "reply",
    "category__name", "community__name", "handling_unit__name",
)  # fmt: skip
# The same facts without joins: the page's rows are rendered again only when these
# change (names of categories, communities and units purge the shared parts anyway).
PUBLIC_ROW_VALUES = (
    "pk", "kind", "state", "created_at", "resolved_at", "description", "reply",
    "category_id", "community_id", "handling_unit_id",
)  # fmt: skip


def rows_digest(rows: QuerySet) -> str:
    """A name for the HTML of these rows: it changes with anything a row shows, so the
    rows are always live while their markup is built once per change."""
    values = list(rows.values_list(*PUBLIC_ROW_VALUES))
    if not values:
        return ""
    return hashlib.md5(repr(values).encode(), usedforsecurity=False).hexdigest()


def public_list(request):
    communities = shared_choices(
        "board-communities",
        lambda: list(Community.objects.select_related("street").order_by("street__name", "name")),
    )
    community = None
    slug = request.GET.get("community", "")
    if slug:
        community = next((c for c in communities if c.slug == slug), None)
        if community is None:
            raise Http404
    period = request.GET.get("period", "month")
    if period not in PERIODS:
        period = "month"
    start, end = period_bounds(period, timezone.localdate())
    summary = _board_summary(
        communities=communities, community=community, period=period, start=start, end=end
    )
    complaints = selectors.public_complaints(community=community).only(*PUBLIC_ROW_FIELDS)
    paginator = Paginator(complaints, BOARD_PER_PAGE)
    paginator.count = summary["total"]  # up to a minute old: spares a COUNT over every public report
    page = paginator.get_page(request.GET.get("page"))
    # The rows are sliced here, not by that count: reports made public since it was
    # taken still show (the page numbers catch up within the minute).
    bottom = (page.number - 1) * BOARD_PER_PAGE
    rows = complaints[bottom : bottom + BOARD_PER_PAGE]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/public_list.html",
        {
            "board_page": page,  # not "page": base.html reads that as the Wagtail page
            "rows": rows,
            "rows_digest": rows_digest(rows),
            "summary": mark_safe(summary["html"]),  # noqa: S308 - our template's output, escaped when rendered
            "querystring": query.urlencode(),
        },
    )
