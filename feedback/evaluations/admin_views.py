"""Moderators' actions on evaluations: one at a time (inspect page) or in bulk (queue).

Both need ``change_evaluation`` (else 403) and work only inside the moderator's
communities: an evaluation outside them is a 404, and a bulk request naming any such
evaluation changes nothing. The work is done by ``services``.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .selectors import can_moderate_evaluations, evaluations_for
from .services import MODERATION_ACTIONS, EvaluationError, moderate_evaluations

FORBIDDEN = "您没有审核居民评议的权限。"
DONE = {"approve": "已公开", "hide": "已隐藏", "abuse": "已标记为滥用（不计入得分）"}


def index_url() -> str:
    return reverse("feedback_evaluation_modeladmin_index")


def inspect_url(pk: int) -> str:
    return reverse("feedback_evaluation_modeladmin_inspect", args=[pk])


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _moderate(request, evaluations, back: str):
    action = request.POST.get("action", "")
    if action not in MODERATION_ACTIONS:
        messages.error(request, "请选择要执行的操作。")
        return redirect(back)
    try:
        changed = moderate_evaluations(
            evaluations=evaluations, action=action, actor=request.user, reason=request.POST.get("reason", "")
        )
    except EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{changed} 条评议{DONE[action]}。")
    return redirect(back)


@require_POST
def evaluation_moderate(request, pk: int):
    if not can_moderate_evaluations(request.user):
        return HttpResponseForbidden(FORBIDDEN)
    evaluation = get_object_or_404(evaluations_for(request.user), pk=pk)
    return _moderate(request, [evaluation], _back(request, inspect_url(evaluation.pk)))


@require_POST
def evaluation_bulk(request):
    if not can_moderate_evaluations(request.user):
        return HttpResponseForbidden(FORBIDDEN)
    back = _back(request, index_url())
    ids = {int(v) for v in request.POST.getlist("ids") if v.isdigit()}
    if not ids:
        messages.error(request, "请先勾选要处理的评议。")
        return redirect(back)
    evaluations = list(evaluations_for(request.user).filter(pk__in=ids).only("pk"))
    if len(evaluations) != len(ids):
        raise Http404  # some are outside the moderator's communities (or gone): change nothing
    return _moderate(request, evaluations, back)
