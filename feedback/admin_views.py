"""Moderators' action views (dispatch, start, resolve, reject, extend, hide), photos, export.

Every view checks the ``change_complaint`` (or ``view_complaint``) permission and the
staff scope: a complaint outside the user's communities is a 404, as if it did not
exist. The work itself is done by ``services``; a refused transition is shown as a
Chinese error message.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from . import admin_forms, audit, exports, services
from .concurrency import VersionForm, act_if_unchanged, complaint_version
from .models import AuditAction, ComplaintPhoto, State
from .scopes import can_moderate, can_see_personal_data, complaints_for
from .workflow import TransitionError


def inspect_url(complaint) -> str:
    return reverse("feedback_complaint_modeladmin_inspect", args=[complaint.pk])


# Wagtail turns PermissionDenied inside the admin into a redirect to the dashboard;
# these views answer a plain 403 so the refusal is explicit (and testable).
FORBIDDEN = "您没有处理居民反映的权限。"


def _complaint_for(request, pk: int):
    return get_object_or_404(complaints_for(request.user).select_related("category", "community"), pk=pk)


def _perform(action: str, complaint, data, actor):
    if action == "dispatch":
        return services.dispatch_complaint(
            complaint=complaint, unit=data["unit"], deadline=data["deadline"], note=data["note"], actor=actor
        )
    if action == "start":
        return services.start_complaint(complaint=complaint, note=data["note"], actor=actor)
    if action == "resolve":
        return services.resolve_complaint(complaint=complaint, reply=data["reply"], actor=actor)
    if action == "reject":
        return services.reject_complaint(
            complaint=complaint,
            reason=data["reason"],
            duplicate_of=data["duplicate_of"],
            note=data["note"],
            actor=actor,
        )
    if action == "extend":
        return services.extend_deadline(
            complaint=complaint, new_deadline=data["deadline"], reason=data["reason"], actor=actor
        )
    if action == "hide":
        return services.set_public_visibility(
            complaint=complaint, hidden=data["hidden"], note=data["note"], actor=actor
        )
    raise Http404


ACTIONS = {
    "dispatch": ("派单", admin_forms.DispatchForm),
    "start": ("开始处理", admin_forms.NoteForm),
    "resolve": ("办结答复", admin_forms.ResolveForm),
    "reject": ("不予受理", admin_forms.RejectForm),
    "extend": ("延长办结时限", admin_forms.ExtendForm),
    "hide": ("公开展示设置", admin_forms.HideForm),
}


def complaint_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    if not can_moderate(request.user):
        return HttpResponseForbidden(FORBIDDEN)
    complaint = _complaint_for(request, pk)
    title, form_class = ACTIONS[action]
    form = form_class(request.POST or None, complaint=complaint)
    # The version the moderator saw; a stale one is refused (feedback/concurrency.py).
    version_form = VersionForm(request.POST or None, initial={"version": complaint_version(complaint)})
    if request.method == "POST" and form.is_valid() and version_form.is_valid():
        try:
            act_if_unchanged(
                complaint=complaint,
                version=version_form.cleaned_data["version"],
                act=lambda locked: _perform(action, locked, form.cleaned_data, request.user),
            )
        except TransitionError as error:
            form.add_error(None, str(error))
            complaint = _complaint_for(request, pk)  # show the state as it is now
        else:
            messages.success(request, f"{complaint.reference}：{title}已完成。")
            return redirect(inspect_url(complaint))
    return TemplateResponse(
        request,
        "feedback/admin/action.html",
        {
            "complaint": complaint,
            "form": form,
            "version_form": version_form,
            "title": title,
            "back_url": inspect_url(complaint),
        },
    )


def complaint_photo(request, pk: int):
    """Stream a resident's photo to a moderator allowed to see personal data in that community."""
    if not can_see_personal_data(request.user):
        return HttpResponseForbidden("您没有查看居民个人信息的权限。")
    photo = get_object_or_404(ComplaintPhoto, pk=pk)
    complaint = complaints_for(request.user).filter(pk=photo.complaint_id).only("reference").first()
    if complaint is None:
        raise Http404
    audit.record(
        action=AuditAction.VIEW_PHOTO, actor=request.user, reference=complaint.reference, detail=f"照片 {pk}"
    )
    response = FileResponse(photo.file.open("rb"))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


EXPORT_FILTERS = {
    "state__exact": "state",
    "kind__exact": "kind",
    "category__id__exact": "category_id",
    "community__id__exact": "community_id",
    "handling_unit__id__exact": "handling_unit_id",
}


def complaint_export(request):
    if not request.user.has_perm("feedback.view_complaint"):
        return HttpResponseForbidden(FORBIDDEN)
    queryset = complaints_for(request.user).order_by("-created_at")
    for param, field in EXPORT_FILTERS.items():
        if request.GET.get(param):
            queryset = queryset.filter(**{field: request.GET[param]})
    if request.GET.get("overdue") == "yes":
        queryset = queryset.overdue()
    personal = can_see_personal_data(request.user)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if personal:
        audit.record(
            action=AuditAction.EXPORT_PERSONAL,
            actor=request.user,
            count=queryset.count(),
            detail=f"{request.GET.get('format') or 'csv'} {request.GET.urlencode()}"[:120],
        )
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(queryset, personal_data=personal),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="complaints-{stamp}.xlsx"'
    else:
        response = HttpResponse(
            exports.to_csv(queryset, personal_data=personal), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="complaints-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def allowed_actions(complaint) -> list[tuple[str, str]]:
    """Which action buttons make sense for the complaint's current state."""
    from .workflow import EXTENDABLE, allowed_targets

    targets = allowed_targets(complaint.state)
    actions = []
    if State.DISPATCHED in targets:
        actions.append(("dispatch", "重新派单" if complaint.state == State.DISPATCHED else "受理并派单"))
    if State.IN_PROGRESS in targets:
        actions.append(("start", "开始处理"))
    if State.RESOLVED in targets:
        actions.append(("resolve", "办结答复"))
    if complaint.state in EXTENDABLE:
        actions.append(("extend", "延期"))
    if State.REJECTED in targets:
        actions.append(("reject", "不予受理"))
    actions.append(("hide", "公开展示设置"))
    return actions
