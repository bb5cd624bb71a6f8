"""Residents' pages: report a problem, confirmation, tracking and rating, public list."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from home.models import Community
from portal.abuse import refused, too_many_requests
from portal.personal_data import mask_email, mask_phone

from ..common.privacy import portal_settings
from ..evaluations.selectors import min_ratings
from ..trust import devices, throttle
from . import selectors, services
from .forms import (
    ComplaintReportForm,
    FollowForm,
    RatingForm,
    SimilarQueryForm,
    TrackLookupForm,
    confirm_token_valid,
    issue_confirm_token,
    use_confirm_token,
)
from .models import OPEN_STATES, Complaint, ComplaintCategory, State
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


@devices.remembered
def report(request):
    portal = portal_settings(request)
    refusal = step_up = None
    similar, photos_dropped, captcha_answered = [], False, False
    if request.method == "POST":
        refusal = throttle.report_refusal(request)
        # Kept through a refusal too, so the wait already done still counts when sent again.
        step_up = throttle.report_step_up(request, posted_token=request.POST.get("step_up", ""))
        seen = request.POST.get("similar_seen", "")
        captcha_answered = confirm_token_valid(seen)
        # Photos of a refused POST are not even decoded: it is shown again, photos to re-pick.
        files = None if refusal else request.FILES
        form = ComplaintReportForm(request.POST, files, captcha_answered=captcha_answered)
        if refusal is None and form.is_valid():
            data = form.cleaned_data
            if not seen and (similar := _similar_to(data)):
                # The similar-reports step: everything typed comes back, the captcha
                # counts as answered; only the browser cannot be given the photos back.
                form, captcha_answered = _similar_step_form(request.POST), True
                photos_dropped = bool(data["photos"])
            elif captcha_answered and not use_confirm_token(seen):
                # The same step sent twice: this copy must answer a captcha of its own.
                form, captcha_answered = ComplaintReportForm(request.POST), False
                form.is_valid()
            else:
                refusal = throttle.report_sender_refusal(request, phone=data["phone"])
                if refusal is None and (step_up is None or step_up.passed):
                    throttle.count_report(request, phone=data["phone"])
                    return _remember_submitted(redirect("feedback:submitted"), _submit(data, portal))
    else:
        initial = {}
        slug = request.GET.get("community")
        if slug and (community := Community.objects.filter(slug=slug).first()):
            initial["community"] = community
        if request.GET.get("place"):
            initial["place"] = request.GET["place"][:120]
        # ?category=<id> from a search answer (停车 → 停车管理); anything else is ignored.
        category_id = request.GET.get("category", "")
        if category_id.isascii() and category_id.isdigit() and len(category_id) < 10:
            if category := ComplaintCategory.objects.filter(active=True, pk=category_id).first():
                initial["category"] = category
        form = ComplaintReportForm(initial=initial)
        step_up = throttle.report_step_up(request)
    # Only a blank form's fields are kept (0 s: a bound or preset form is built each time).
    blank = not form.is_bound and not form.initial
    context = {
        "form": form,
        "portal": portal,
        "blank_form_seconds": settings.FRAGMENT_CACHE_SECONDS if blank else 0,
        "refusal": refusal,
        "step_up": step_up,
        "similar": similar,
        "photos_dropped": photos_dropped,
        "captcha_answered": captcha_answered,
    }
    return _limited(render(request, "feedback/report.html", context), refusal)


def _submit(data, portal) -> Complaint:
    fields = {name: data[name] for name in ComplaintReportForm.SUBMITTED}
    return services.submit_complaint(**fields, privacy_notice_version=portal.privacy_notice_version)


def _limited(response, refusal):
    """The form shown again with what was typed; a 429 when a limit refused it."""
    return refused(response, retry_after=refusal.wait) if refusal else response


def _similar_to(data: dict) -> list:
    return selectors.similar_public_complaints(
        category=data["category"],
        community=data["community"],
        text=data["description"],
        latitude=data["latitude"],
        longitude=data["longitude"],
    )


def _similar_step_form(posted) -> ComplaintReportForm:
    data = posted.copy()
    data["similar_seen"] = issue_confirm_token()
    form = ComplaintReportForm(data, captcha_answered=True)
    form.is_valid()  # valid as before (no photos): the step shows no errors
    return form


@require_POST
def report_similar(request):
    """Similar open public reports for feedback.js while the form is filled in: only what
    the public board shows (approved public text), no reference, no personal data. POST,
    so what the resident typed stays out of URLs and server logs."""
    if wait := throttle.similar_wait(request):
        response = JsonResponse({"count": 0, "html": ""}, status=429)
        response["Retry-After"] = str(wait)
        return response
    form = SimilarQueryForm(request.POST)
    similar = _similar_to(form.cleaned_data) if form.is_valid() else []
    html = render_to_string("feedback/includes/similar_reports.html", {"similar": similar}) if similar else ""
    return JsonResponse({"count": len(similar), "html": html})


def submitted(request):
    pk = request.get_signed_cookie(SUBMITTED_COOKIE, None, salt=SUBMITTED_SALT, max_age=SUBMITTED_SECONDS)
    complaint = (
        Complaint.objects.select_related("category", "community").filter(pk=pk).first() if pk else None
    )
    if complaint is None:
        return redirect("feedback:report")
    try:
        promised = selectors.promised_deadline(complaint=complaint)
    except TransitionError:  # the holiday calendar lacks the year: dispatch names the date
        promised = None
    track_url = request.build_absolute_uri(reverse("feedback:track_token", args=[complaint.tracking_token]))
    context = {
        "complaint": complaint,
        "promised": promised,
        "track_url": track_url,
        "masked_phone": mask_phone(complaint.phone),
    }
    return private_link_page(render(request, "feedback/submitted.html", context))


@devices.remembered
def track(request):
    form = TrackLookupForm(request.POST or None)
    not_found, refusal = False, None
    if request.method == "POST":
        refusal = throttle.track_refusal(request)
        if refusal is None and form.is_valid():
            reference = normalise_reference(form.cleaned_data["reference"])
            refusal = throttle.track_refusal(request, reference=reference)
            if refusal is None:
                complaint = selectors.find_complaint_for_tracking(
                    reference=reference, phone_last4=form.cleaned_data["phone_last4"]
                )
                if complaint is not None:
                    return redirect("feedback:track_token", token=complaint.tracking_token)
                refusal = throttle.track_miss(request, reference=reference)
                not_found = refusal is None
    context = {"form": form, "not_found": not_found, "refusal": refusal}
    return _limited(render(request, "feedback/track_lookup.html", context), refusal)


def private_link_page(response):
    """A page reached by (or showing) the resident's secret link: the token never leaves it
    in a Referer, nothing keeps a copy, no search engine lists it.

    ``strict-origin``: links and requests from the page carry the site's origin alone,
    never the path with the token. Not ``no-referrer``: with it browsers send
    ``Origin: null`` on the page's own forms (the rating), which Django's CSRF check refuses.
    """
    response["Referrer-Policy"] = "strict-origin"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _track_page(request, complaint: Complaint, *, rating_form, status=200):
    context = {
        "complaint": complaint,
        "events": selectors.public_timeline(complaint=complaint),
        "rating_form": rating_form,
        "masked_phone": mask_phone(complaint.phone),
        "masked_email": mask_email(complaint.email) if complaint.email else "",
    }
    return private_link_page(render(request, "feedback/track_detail.html", context, status=status))


def track_detail(request, token: str):
    """The resident's own link (confirmation page, SMS, e-mail): the 192-bit token alone
    opens the report, without reference, digits or captcha."""
    complaint = selectors.complaint_by_token(token=token)
    if complaint is None:
        raise Http404
    return _track_page(
        request, complaint, rating_form=RatingForm() if complaint.state == State.RESOLVED else None
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
        return private_link_page(redirect("feedback:track_token", token=token))
    return _track_page(request, complaint, rating_form=form, status=400)


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
    slug = request.GET.get("community", "")
    # An unknown community (an old link, a typo) is left out, as the other lists do.
    community = next((c for c in communities if c.slug == slug), None) if slug else None
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
            "unknown_community": bool(slug) and community is None,
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


def _public_page(request, complaint: Complaint, *, form: FollowForm, status: int = 200):
    # 我也遇到 counts one per device: the same device id the form limits use (trust.devices).
    device = devices.device_of(request)
    return render(
        request,
        "feedback/public_detail.html",
        {
            "complaint": complaint,
            "events": selectors.public_timeline_for_page(complaint=complaint),
            "form": form,
            "can_follow": complaint.state in OPEN_STATES,
            "following": selectors.follower_for_device(
                complaint=complaint, device_key="" if device.new else services.follower_device_key(device.id)
            ),
            "portal": portal_settings(request),
        },
        status=status,
    )


@devices.remembered
def public_detail(request, code: str):
    """One public report's own page: shareable, without personal data, read live as the board."""
    complaint = selectors.public_complaint(code=code)
    if complaint is None:
        # A reference a resident shares (/feedback/public/20261122-4KX7/) leads to the same
        # page at its public code, so the page itself never shows the reference.
        if public_code := selectors.public_code_for_reference(reference=normalise_reference(code)):
            return redirect("feedback:public_detail", code=public_code, permanent=True)
        raise Http404
    return _public_page(request, complaint, form=FollowForm())


@require_POST
@devices.remembered
def public_follow(request, code: str):
    """我也遇到: count this resident (device, phone) once; optionally tell them of updates."""
    complaint = selectors.public_complaint(code=code)
    if complaint is None:
        raise Http404
    if complaint.state not in OPEN_STATES:
        messages.info(request, "这条反映已办结，不再接受“我也遇到”。如问题再次出现，请提交新的反映。")
        return redirect("feedback:public_detail", code=code)
    if wait := throttle.follow_wait(request):
        return too_many_requests(request, retry_after=wait)
    form = FollowForm(request.POST)
    if not form.is_valid():
        return _public_page(request, complaint, form=form, status=400)
    counted = services.add_follower(
        complaint=complaint,
        device_id=devices.device_of(request).id,
        phone=form.cleaned_data["phone"],
        notify=form.cleaned_data["notify"],
        privacy_notice_version=portal_settings(request).privacy_notice_version,
    )
    if counted:
        messages.success(request, "已记录“我也遇到”，谢谢您！同样的问题会一并督促办理。")
    elif form.cleaned_data["notify"]:
        messages.success(request, "您之前已经点过“我也遇到”；有进展时会短信告诉您。")
    else:
        messages.info(request, "您之前已经点过“我也遇到”，每台设备或每个手机号只计一次。")
    return redirect(reverse("feedback:public_detail", args=[code]) + "#metoo")
