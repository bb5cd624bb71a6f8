"""Residents' pages: report a problem, confirmation, tracking and rating, public list."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from home.models import Community
from portal.abuse import too_many_requests
from portal.personal_data import mask_phone

from ..common.privacy import portal_settings
from ..evaluations.selectors import min_ratings
from ..trust import throttle
from . import selectors, services
from .forms import ComplaintReportForm, RatingForm, TrackLookupForm
from .models import Complaint, State
from .references import normalise_reference
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


def report(request):
    portal = portal_settings(request)
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
    # Only a blank form's fields are kept (0 s: a bound or preset form is built each time).
    blank = not form.is_bound and not form.initial
    context = {
        "form": form,
        "portal": portal,
        "blank_form_seconds": settings.FRAGMENT_CACHE_SECONDS if blank else 0,
    }
    return render(request, "feedback/report.html", context)


def submitted(request):
    pk = request.get_signed_cookie(SUBMITTED_COOKIE, None, salt=SUBMITTED_SALT, max_age=SUBMITTED_SECONDS)
    complaint = (
        Complaint.objects.select_related("category", "community").filter(pk=pk).first() if pk else None
    )
    if complaint is None:
        return redirect("feedback:report")
    promised = selectors.promised_deadline(complaint=complaint)
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


TRACK_REFERENCE_LOCKED = (
    "这个反映编号的查询错误次数过多，为保护反映人的信息，暂停按编号和手机号后 4 位查询。"
    "您可以使用提交时获得的查询链接查看进度。"
)


def _track_refused(request, refusal):
    reason = TRACK_REFERENCE_LOCKED if refusal.by_reference else ""
    return too_many_requests(request, retry_after=refusal.wait, reason=reason)


def track(request):
    if request.method == "POST" and (refusal := throttle.track_refusal(request)):
        return _track_refused(request, refusal)
    form = TrackLookupForm(request.POST or None)
    not_found = False
    if request.method == "POST" and form.is_valid():
        reference = normalise_reference(form.cleaned_data["reference"])
        if refusal := throttle.track_refusal(request, reference=reference):
            return _track_refused(request, refusal)
        complaint = selectors.find_complaint_for_tracking(
            reference=reference, phone_last4=form.cleaned_data["phone_last4"]
        )
        if complaint is not None:
            return redirect("feedback:track_token", token=complaint.tracking_token)
        if refusal := throttle.track_miss(request, reference=reference):
            return _track_refused(request, refusal)
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


def public_photo(request, pk: int):
    """A photo a moderator marked public, of a report on the public board; any other is 404."""
    photo = selectors.public_photos().filter(pk=pk).first()
    if photo is None:
        raise Http404
    response = FileResponse(photo.file.open("rb"))
    response["Cache-Control"] = "public, max-age=300"  # short: a moderator may withdraw it
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The default is a rolling 30 days: a calendar month is nearly empty on its 2nd.
PERIODS = {"30d": "最近 30 天", "month": "本月", "quarter": "本季度", "year": "本年"}
DEFAULT_PERIOD = "30d"


def period_bounds(period: str, today: date) -> tuple[date, date]:
    if period == "30d":
        return today - timedelta(days=29), today
    if period == "year":
        return today.replace(month=1, day=1), today
    if period == "quarter":
        first_month = (today.month - 1) // 3 * 3 + 1
        return today.replace(month=first_month, day=1), today
    return today.replace(day=1), today


BOARD_PER_PAGE = 20


def public_list(request):
    communities = list(Community.objects.select_related("street").order_by("street__name", "name"))
    community = None
    slug = request.GET.get("community", "")
    if slug:
        community = next((c for c in communities if c.slug == slug), None)
        if community is None:
            raise Http404
    period = request.GET.get("period", DEFAULT_PERIOD)
    if period not in PERIODS:
        period = DEFAULT_PERIOD
    start, end = period_bounds(period, timezone.localdate())
    page = Paginator(selectors.public_board_rows(community=community), BOARD_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/public_list.html",
        {
            "board_page": page,  # not "page": base.html reads that as the Wagtail page
            "rows": page.object_list,
            "communities": communities,
            "community": community,
            "period": period,
            "periods": PERIODS,
            "start": start,
            "end": end,
            "figure_rows": selectors.board_figures(
                communities=communities, community=community, start=start, end=end
            ),
            "min_ratings": min_ratings(),
            "querystring": query.urlencode(),
        },
    )
