"""Public pages of 议事协商: thin, every write goes through ``services``."""

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from home.models import Community
from portal.abuse import too_many_requests

from ..common.privacy import portal_settings
from ..complaints.models import Rating
from ..trust import devices, throttle
from . import selectors, services
from .figures import deliberation_figures_for
from .forms import FilterForm, ObjectionForm, ProposeForm, RatingForm, SupportForm
from .models import Step

DEVICE_PATH = "/deliberation/"
remembered = devices.remembered(path=DEVICE_PATH)


def topic_list(request):
    form = FilterForm(request.GET or None)
    step, community = "", None
    if form.is_valid():
        step = form.cleaned_data["step"] or ""
        community = form.cleaned_data["community"]
    page = selectors.topics_page(step=step, community=community, page=request.GET.get("page", 1))
    params = request.GET.copy()
    params.pop("page", None)
    # This year's figures of the chosen community, as its report to residents counts them.
    today = timezone.localdate()
    summary = deliberation_figures_for(community, date(today.year, 1, 1), today)
    return TemplateResponse(
        request,
        "deliberation/topic_list.html",
        {
            "form": form,
            "topics": page,
            "querystring": params.urlencode(),
            "steps": Step,
            "summary": summary,
            "summary_community": community,
            "year": today.year,
        },
    )


@remembered
def propose(request):
    portal = portal_settings(request)
    if request.method == "POST":
        form = ProposeForm(request.POST)
        if form.is_valid():
            if wait := throttle.deliberation_propose_wait(request):
                return too_many_requests(request, retry_after=wait)
            data = form.cleaned_data
            topic = services.propose_topic(
                community=data["community"],
                title=data["title"],
                description=data["description"],
                phone=data["phone"],
                name=data["name"],
                privacy_notice_version=portal.privacy_notice_version,
            )
            messages.success(request, "议题已提交，正在征集居民附议。把本页分享给邻居，请他们一起附议。")
            return redirect("deliberation:detail", code=topic.public_code)
        status = 400
    else:
        initial = {}
        slug = request.GET.get("community")
        if slug and (community := Community.objects.filter(slug=slug).first()):
            initial["community"] = community
        form, status = ProposeForm(initial=initial), 200
    return TemplateResponse(
        request, "deliberation/propose.html", {"form": form, "portal": portal}, status=status
    )


def _topic_or_404(code: str):
    topic = selectors.public_topic(code=code)
    if topic is None:
        raise Http404
    return topic


def _detail(request, topic, *, support_form=None, objection_form=None, rating_form=None, status=200):
    counts = selectors.rating_counts(topic) if topic.step == Step.DONE else {}
    context = {
        "topic": topic,
        "steps": selectors.six_steps(topic),
        "meeting": selectors.meeting_of(topic),
        "support_form": support_form or SupportForm(),
        "objection_form": objection_form or ObjectionForm(),
        "rating_form": rating_form or RatingForm(),
        "rating_counts": [(label, counts.get(value, 0)) for value, label in Rating.choices],
        "Step": Step,
    }
    return TemplateResponse(request, "deliberation/topic_detail.html", context, status=status)


def topic_detail(request, code: str):
    return _detail(request, _topic_or_404(code))


def _back(code: str, anchor: str):
    return redirect(reverse("deliberation:detail", args=[code]) + anchor)


@require_POST
@remembered
def support(request, code: str):
    topic = _topic_or_404(code)
    if topic.step != Step.COLLECTING:
        messages.info(request, "该议题已结束征集附议。")
        return _back(code, "#support")
    if wait := throttle.deliberation_support_wait(request):
        return too_many_requests(request, retry_after=wait)
    form = SupportForm(request.POST)
    if not form.is_valid():
        return _detail(request, topic, support_form=form, status=400)
    counted = services.support_topic(
        topic=topic, device_id=devices.device_of(request).id, phone=form.cleaned_data["phone"]
    )
    if counted:
        messages.success(request, "已附议，谢谢您！附议人数多的议题会优先提交社区党组织研究。")
    else:
        messages.info(request, "您已经附议过这个议题，每台设备或每个手机号只计一次。")
    return _back(code, "#support")


@require_POST
@remembered
def object_to_result(request, code: str):
    topic = _topic_or_404(code)
    if not topic.notice_open:
        messages.info(request, "该议题不在公示期内，不能提出异议。")
        return _back(code, "#objections")
    if wait := throttle.deliberation_objection_wait(request):
        return too_many_requests(request, retry_after=wait)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        return _detail(request, topic, objection_form=form, status=400)
    try:
        services.object_to_result(
            topic=topic, text=form.cleaned_data["text"], phone=form.cleaned_data["phone"]
        )
    except services.DeliberationError as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return _detail(request, topic, objection_form=form, status=400)
    messages.success(request, "异议已提交，工作人员会答复并在本页公开答复。")
    return _back(code, "#objections")


@require_POST
@remembered
def rate(request, code: str):
    topic = _topic_or_404(code)
    if topic.step != Step.DONE:
        messages.info(request, "决议事项落实完成后才能评价。")
        return _back(code, "#rating")
    if wait := throttle.rating_wait(request):
        return too_many_requests(request, retry_after=wait)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _detail(request, topic, rating_form=form, status=400)
    if services.rate_outcome(
        topic=topic, device_id=devices.device_of(request).id, rating=form.cleaned_data["rating"]
    ):
        messages.success(request, "谢谢您的评价！")
    else:
        messages.info(request, "您已经评价过，每台设备只计一次。")
    return _back(code, "#rating")
