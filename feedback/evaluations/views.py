"""Residents' evaluation pages: the form, thanks, company and community pages, 红黑榜."""

import re
import secrets

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from home.models import Community
from portal.abuse import ratelimited
from servicecatalog.models import ServiceItemPage, StationPage

from ..common.lookups import valid_lookup
from ..common.privacy import portal_settings
from . import selectors as scores
from .forms import TARGET_FIELDS, EvaluationForm
from .models import PropertyCompany, TargetType
from .quarters import parse_quarter, quarter_for, quarter_label
from .services import EvaluationError, submit_evaluation

# A random token, stored only as an HMAC, that stands for the device when no phone is given.
DEVICE_COOKIE = "tx_device"
DEVICE_COOKIE_AGE = 2 * 365 * 24 * 3600
_DEVICE_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def _target_from_query(params) -> tuple[str, object] | None:
    """``?station=12`` / ``?service=40`` / ``?company=3`` / ``?community=<slug>``."""
    models = {
        TargetType.STATION: StationPage.objects.live(),
        TargetType.SERVICE: ServiceItemPage.objects.live(),
        TargetType.COMPANY: PropertyCompany.objects.all(),
    }
    for target_type, queryset in models.items():
        value = params.get(TARGET_FIELDS[target_type], "")
        # Only ASCII digits the id column can hold: a 21-digit id overflows SQLite's
        # integers, and is no target rather than a 500.
        if value.isascii() and value.isdigit() and valid_lookup(queryset.model, "pk", value):
            target = queryset.filter(pk=int(value)).first()
            return (target_type, target) if target else None
    slug = params.get("community", "")
    if slug:
        community = Community.objects.filter(slug=slug).first()
        return (TargetType.COMMUNITY, community) if community else None
    return None


def _fixed_type(request) -> str:
    if request.method == "POST":
        fixed = request.POST.get("fixed", "")
        return fixed if fixed in TargetType.values else ""
    found = _target_from_query(request.GET)
    return found[0] if found else ""


def _target_name(target) -> str:
    return getattr(target, "title", None) or getattr(target, "name", "")


@ratelimited(scope="feedback-evaluate", rate="10/h")
def evaluate(request):
    portal = portal_settings(request)
    fixed_type = _fixed_type(request)
    fixed_target = None
    if request.method == "POST":
        form = EvaluationForm(request.POST, fixed_type=fixed_type)
        if form.is_valid():
            return _save(request, form, portal)
        if fixed_type:
            fixed_target = form.cleaned_data.get(TARGET_FIELDS[fixed_type])
    else:
        initial = {}
        found = _target_from_query(request.GET)
        if found:
            fixed_type, fixed_target = found
            initial = {"target_type": fixed_type, TARGET_FIELDS[fixed_type]: fixed_target}
        elif request.GET.get("type") in TargetType.values:
            initial = {"target_type": request.GET["type"]}
        form = EvaluationForm(initial=initial, fixed_type=fixed_type)
    return _form_page(request, form, portal, fixed_type=fixed_type, fixed_target=fixed_target)


def _form_page(request, form, portal, *, fixed_type: str, fixed_target):
    return render(
        request,
        "feedback/evaluate.html",
        {
            "form": form,
            "portal": portal,
            "fixed_type": fixed_type,
            "fixed_target": fixed_target,
            "fixed_name": _target_name(fixed_target) if fixed_target else "",
            "fixed_type_label": TargetType(fixed_type).label if fixed_type else "",
        },
        status=400 if form.is_bound else 200,
    )


def _save(request, form, portal):
    data = form.cleaned_data
    device = request.COOKIES.get(DEVICE_COOKIE, "")
    new_device = not _DEVICE_RE.match(device)
    if new_device:
        device = secrets.token_urlsafe(32)
    try:
        submission = submit_evaluation(
            target_type=data["target_type"],
            target=data["target"],
            stars=data["stars"],
            community=data.get("home_community"),
            dimensions=form.dimension_scores(),
            comment=data["comment"],
            name=data["name"],
            phone=data["phone"],
            device_token="" if data["phone"] else device,
            privacy_notice_version=portal.evaluation_privacy_notice_version,
        )
    except EvaluationError as error:
        form.add_error(None, str(error))
        fixed_type = form.fixed_type
        return _form_page(request, form, portal, fixed_type=fixed_type, fixed_target=data.get("target"))
    evaluation = submission.evaluation
    query = {"type": evaluation.target_type, "id": evaluation.target.pk}
    if submission.replaced:
        query["updated"] = "1"
    response = redirect(f"{reverse('feedback:evaluate_thanks')}?{urlencode(query)}")
    if new_device:
        response.set_cookie(
            DEVICE_COOKIE,
            device,
            max_age=DEVICE_COOKIE_AGE,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    return response


def target_url(target_type: str, target) -> str:
    if target_type in (TargetType.STATION, TargetType.SERVICE):
        return target.url
    if target_type == TargetType.COMPANY:
        return reverse("feedback:company", args=[target.pk])
    return reverse("feedback:community", args=[target.slug])


def _find_target(target_type: str, pk: str):
    if target_type not in TargetType.values or not pk.isdigit():
        return None
    model = {
        TargetType.STATION: StationPage,
        TargetType.SERVICE: ServiceItemPage,
        TargetType.COMPANY: PropertyCompany,
        TargetType.COMMUNITY: Community,
    }[target_type]
    return model.objects.filter(pk=int(pk)).first()


def evaluate_thanks(request):
    target_type = request.GET.get("type", "")
    target = _find_target(target_type, request.GET.get("id", ""))
    if target is None:
        return redirect("feedback:evaluate")
    return render(
        request,
        "feedback/evaluate_thanks.html",
        {
            "updated": request.GET.get("updated") == "1",
            "target_name": _target_name(target),
            "target_url": target_url(target_type, target),
            "quarter": quarter_label(quarter_for(timezone.localdate())),
        },
    )


def company(request, pk: int):
    company = get_object_or_404(PropertyCompany.objects.prefetch_related("communities"), pk=pk)
    return render(
        request,
        "feedback/company.html",
        {"company": company, "evaluate_url": f"{reverse('feedback:evaluate')}?company={company.pk}"},
    )


def community(request, slug: str):
    community = get_object_or_404(Community.objects.select_related("street"), slug=slug)
    return render(
        request,
        "feedback/community.html",
        {
            "community": community,
            "companies": PropertyCompany.objects.filter(communities=community),
            "evaluate_url": f"{reverse('feedback:evaluate')}?{urlencode({'community': community.slug})}",
        },
    )


def ranking(request):
    default = scores.default_ranking_quarter()
    quarter = request.GET.get("quarter", "") or default
    if parse_quarter(quarter) is None:
        raise Http404
    quarter = quarter.upper()
    current = quarter_for(timezone.localdate())
    quarters = scores.ranking_quarters()
    return render(
        request,
        "feedback/ranking.html",
        {
            "ranking": scores.company_ranking(quarter=quarter),
            "quarters": [(q, quarter_label(q), q == current) for q in quarters],
            "is_current": quarter == current,
            "default_quarter": default,
        },
    )
