"""The answer endpoint: its own URL, so the pages that link to it stay cacheable."""

from django.conf import settings
from django.core import signing
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from wagtail.models import Page

from portal.abuse import check_rate, ip_rate_key, parse_rate, too_many_requests

from .forms import PageFeedbackForm
from .models import PageFeedback
from .services import add_comment, record_answer

ANSWER_SALT = "page-feedback.answer"
ANSWER_SECONDS = 3600


def _wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _page(value) -> Page | None:
    try:
        return Page.objects.live().public().filter(pk=int(value)).first()
    except (TypeError, ValueError):
        return None


def _earlier_answer(value, page) -> PageFeedback | None:
    """The answer a signed token from this hour names, if it is of the same page and has no comment yet."""
    if not value:
        return None
    try:
        pk = signing.loads(value, salt=ANSWER_SALT, max_age=ANSWER_SECONDS)
    except signing.BadSignature:
        return None
    return PageFeedback.objects.filter(pk=pk, page=page, comment="").first()


@never_cache
def answer(request):
    """GET (from the form on a page, without script): confirm the answer and offer a
    comment in a CSRF-protected form. POST: record it, throttled per network."""
    if request.method == "POST":
        form = PageFeedbackForm(request.POST)
        limit, period = parse_rate(getattr(settings, "PAGE_FEEDBACK_RATE_PER_IP", "20/h"))
        verdict = check_rate(scope="page-feedback-ip", key=ip_rate_key(request), limit=limit, period=period)
        if not verdict.allowed:
            if _wants_json(request):
                return JsonResponse({"error": "提交太频繁，请稍后再试。"}, status=429)
            return too_many_requests(request, retry_after=verdict.retry_after)
        if form.is_valid():
            page = form.cleaned_data["page"]
            earlier = _earlier_answer(request.POST.get("answer"), page)
            if earlier is not None:  # the script's second post: the comment to its click
                add_comment(answer=earlier, comment=form.cleaned_data["comment"])
                return JsonResponse({"message": "谢谢您的意见！"})
            saved = record_answer(page=page, useful=form.is_useful, comment=form.cleaned_data["comment"])
            if _wants_json(request):
                answer_token = signing.dumps(saved.pk, salt=ANSWER_SALT)
                return JsonResponse({"message": "谢谢您的反馈！", "answer": answer_token})
            return render(request, "home/page_feedback/thanks.html", {"target": page.specific})
        if _wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        target = _page(request.POST.get("page"))
        if target is None:
            raise Http404
        return render(
            request, "home/page_feedback/answer.html", {"form": form, "target": target.specific}, status=400
        )
    target = _page(request.GET.get("page"))
    if target is None:
        raise Http404
    useful = request.GET.get("useful") if request.GET.get("useful") in ("yes", "no") else None
    form = PageFeedbackForm(initial={"page": target.pk, "useful": useful})
    return render(request, "home/page_feedback/answer.html", {"form": form, "target": target.specific})


@never_cache
def token(request):
    """A CSRF token for ``page-feedback.js`` (the cached page has none); sets the cookie."""
    return JsonResponse({"token": get_token(request)})
