"""Residents' participation pages: thin, over ``services`` and ``selectors``.

The need and wish forms have the report form's protections: honeypot, signed fill time,
captcha, consent to the privacy notice, and the report throttles (per address, phone and
device: a 点单 counts as a report). The resident's own page is reached by the private
link shown once on submission, like /feedback/track/<token>/.
"""

from datetime import date

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from home.models import Community
from portal.abuse import refused, too_many_requests
from portal.personal_data import mask_phone

from ..common.privacy import portal_settings
from ..complaints.views import private_link_page
from ..trust import devices, throttle
from . import selectors, services
from .figures import participation_figures_for
from .forms import ClaimForm, ConfirmNeedForm, NeedForm, ThanksForm, WishForm
from .models import NeedKind, NeedState, ResourceKind, WishState

SUBMITTED_SALT = "participation.submitted"
SUBMITTED_SECONDS = 3600
PAGE_SIZE = 20


def _remember(response, *, cookie: str, pk: int, path: str):
    response.set_signed_cookie(
        cookie,
        str(pk),
        salt=SUBMITTED_SALT,
        max_age=SUBMITTED_SECONDS,
        path=path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _refused(response, refusal):
    return refused(response, retry_after=refusal.wait) if refusal else response


def _community_filter(request):
    slug = request.GET.get("community", "")
    if not slug or len(slug) > 80:
        return None
    return Community.objects.filter(slug=slug).first()


def _choice(request, name: str, choices) -> str:
    value = request.GET.get(name, "")
    return value if value in choices.values else ""


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _resident_form(request, form_class, *, submit, template, extra=None):
    """The shared POST handling of the need and wish forms (the report form's order)."""
    portal = portal_settings(request)
    refusal = None
    if request.method == "POST":
        refusal = throttle.report_refusal(request)
        form = form_class(request.POST)
        if refusal is None and form.is_valid():
            phone = form.cleaned_data["phone"]
            refusal = throttle.report_sender_refusal(request, phone=phone)
            if refusal is None:
                throttle.count_report(request, phone=phone)
                return submit(form.cleaned_data, portal)
    else:
        initial = {}
        if community := _community_filter(request):
            initial["community"] = community
        form = form_class(initial=initial)
    context = {"form": form, "portal": portal, "refusal": refusal, **(extra or {})}
    return _refused(render(request, template, context), refusal)


# --- 需求清单 ---------------------------------------------------------------------------------


def need_list(request):
    community = _community_filter(request)
    kind = _choice(request, "kind", NeedKind)
    state = _choice(request, "state", NeedState)
    page = _page(request, selectors.public_needs(community=community, kind=kind, state=state))
    context = {
        "page": page,
        "communities": Community.objects.order_by("name").only("name", "slug"),
        "kinds": NeedKind.choices,
        "states": [(s, NeedState(s).label) for s in (NeedState.LISTED, NeedState.TAKEN, NeedState.CONFIRMED)],
        "selected": {"community": community.slug if community else "", "kind": kind, "state": state},
    }
    # This year's figures of the chosen community, as its report to residents counts them.
    today = timezone.localdate()
    context.update(
        figures=participation_figures_for(community, date(today.year, 1, 1), today),
        community=community,
        year=today.year,
    )
    return render(request, "participation/need_list.html", context)


@devices.remembered
def need_new(request):
    def submit(data, portal):
        need = services.submit_need(
            kind=data["kind"],
            community=data["community"],
            description=data["description"],
            preferred_time=data["preferred_time"],
            name=data["name"],
            phone=data["phone"],
            privacy_notice_version=portal.privacy_notice_version,
        )
        path = reverse("participation:need_submitted")
        return _remember(redirect(path), cookie="participation_need", pk=need.pk, path=path)

    return _resident_form(request, NeedForm, submit=submit, template="participation/need_form.html")


def need_submitted(request):
    pk = request.get_signed_cookie("participation_need", None, salt=SUBMITTED_SALT, max_age=SUBMITTED_SECONDS)
    need = selectors.need_by_id(pk=pk) if pk else None
    if need is None:
        return redirect("participation:need_new")
    context = {
        "need": need,
        "track_url": request.build_absolute_uri(
            reverse("participation:need_track", args=[need.tracking_token])
        ),
        "masked_phone": mask_phone(need.phone),
    }
    return private_link_page(render(request, "participation/need_submitted.html", context))


def _need_track_page(request, need, *, form, status=200):
    context = {
        "need": need,
        "events": selectors.need_timeline(need=need),
        "form": form,
        "masked_phone": mask_phone(need.phone),
    }
    return private_link_page(render(request, "participation/need_track.html", context, status=status))


def need_track(request, token: str):
    need = selectors.need_by_token(token=token)
    if need is None:
        raise Http404
    if request.method == "POST":
        if wait := throttle.rating_wait(request):
            return too_many_requests(request, retry_after=wait)
        form = ConfirmNeedForm(request.POST)
        if form.is_valid():
            try:
                services.confirm_need(
                    need=need, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
                )
            except services.TransitionError as error:
                form.add_error(None, str(error))
            else:
                return redirect("participation:need_track", token=token)
        return _need_track_page(request, need, form=form, status=400)
    return _need_track_page(request, need, form=ConfirmNeedForm() if need.state == NeedState.DONE else None)


# --- 微心愿 -----------------------------------------------------------------------------------


def wish_list(request):
    community = _community_filter(request)
    state = _choice(request, "state", WishState)
    page = _page(request, selectors.public_wishes(community=community, state=state))
    context = {
        "page": page,
        "communities": Community.objects.order_by("name").only("name", "slug"),
        "states": [
            (s, WishState(s).label) for s in (WishState.LISTED, WishState.CLAIMED, WishState.FULFILLED)
        ],
        "selected": {"community": community.slug if community else "", "state": state},
        "max_yuan": services.wish_max_yuan(),
    }
    return render(request, "participation/wish_list.html", context)


@devices.remembered
def wish_new(request):
    def submit(data, portal):
        try:
            wish = services.submit_wish(
                community=data["community"],
                title=data["title"],
                description=data["description"],
                value_yuan=data["value_yuan"],
                name=data["name"],
                phone=data["phone"],
                privacy_notice_version=portal.privacy_notice_version,
            )
        except services.TransitionError:  # the cap changed between form and service
            raise Http404 from None
        path = reverse("participation:wish_submitted")
        return _remember(redirect(path), cookie="participation_wish", pk=wish.pk, path=path)

    return _resident_form(
        request,
        WishForm,
        submit=submit,
        template="participation/wish_form.html",
        extra={"max_yuan": services.wish_max_yuan()},
    )


def wish_submitted(request):
    pk = request.get_signed_cookie("participation_wish", None, salt=SUBMITTED_SALT, max_age=SUBMITTED_SECONDS)
    wish = selectors.wish_by_id(pk=pk) if pk else None
    if wish is None:
        return redirect("participation:wish_new")
    context = {
        "wish": wish,
        "track_url": request.build_absolute_uri(
            reverse("participation:wish_track", args=[wish.tracking_token])
        ),
    }
    return private_link_page(render(request, "participation/wish_submitted.html", context))


def wish_track(request, token: str):
    wish = selectors.wish_by_token(token=token)
    if wish is None:
        raise Http404
    form, status = None, 200
    if wish.state == WishState.FULFILLED and not wish.thanked_at:
        form = ThanksForm(request.POST or None)
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.thank_for_wish(wish=wish, message=form.cleaned_data["message"])
                except services.TransitionError as error:
                    form.add_error(None, str(error))
                else:
                    return redirect("participation:wish_track", token=token)
            status = 400
    context = {"wish": wish, "form": form}
    return private_link_page(render(request, "participation/wish_track.html", context, status=status))


@devices.remembered
def wish_detail(request, pk: int):
    wish = selectors.public_wish(pk=pk)
    if wish is None:
        raise Http404
    form, status, claimed = None, 200, request.GET.get("claimed") == "1"
    if wish.state == WishState.LISTED:
        form = ClaimForm(request.POST or None)
        if request.method == "POST":
            refusal = throttle.report_refusal(request)
            if refusal is None and form.is_valid():
                try:
                    services.claim_wish(
                        wish=wish,
                        claimer_name=form.cleaned_data["claimer_name"],
                        claimer_phone=form.cleaned_data["claimer_phone"],
                    )
                except services.TransitionError as error:
                    form.add_error(None, str(error))
                else:
                    return redirect(reverse("participation:wish_detail", args=[wish.pk]) + "?claimed=1")
            status = 429 if refusal else 400
            if refusal:
                form.add_error(None, refusal.reason)
    return render(
        request,
        "participation/wish_detail.html",
        {"wish": wish, "form": form, "claimed": claimed},
        status=status,
    )


# --- 资源清单 / 项目清单 -----------------------------------------------------------------------


def resource_list(request):
    community = _community_filter(request)
    kind = _choice(request, "kind", ResourceKind)
    q = request.GET.get("q", "")[:40]
    page = _page(request, selectors.public_resources(q=q, kind=kind, community=community))
    context = {
        "page": page,
        "q": q,
        "communities": Community.objects.order_by("name").only("name", "slug"),
        "kinds": ResourceKind.choices,
        "selected": {"community": community.slug if community else "", "kind": kind},
    }
    return render(request, "participation/resource_list.html", context)


def project_list(request):
    community = _community_filter(request)
    groups = selectors.community_projects(community=community)
    context = {
        "groups": groups,
        "communities": Community.objects.order_by("name").only("name", "slug"),
        "selected": {"community": community.slug if community else ""},
    }
    return render(request, "participation/project_list.html", context)
