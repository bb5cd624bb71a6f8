"""Moderators' views on one report: the actions (dispatch, start, resolve, reject,
extend, hide), the bulk actions of the queue (``bulk``), the trust actions (release a held report, block its sender, erase the
resident's data on request), photos, and the export of the queue.

Every view checks its permission (``change_complaint``, ``view_complaint``,
``view_personal_data`` or ``erase_personal_data``) and the staff scope: a complaint
outside the user's communities is a 404, as if it did not exist. The work itself is
done by ``services`` (and ``trust.services`` for the blocklist); a refused change is
shown as a Chinese error message. Trust actions ask for confirmation on a page that
shows no personal data.
"""

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal.personal_data import find_personal_data, highlight_personal_data

from ..common.lookups import clean_filter_params
from ..common.scopes import can_see_personal_data
from ..trust.models import AuditAction
from ..trust.selectors import is_phone_blocked
from ..trust.services import BlocklistError, block_phone, record_audit
from . import admin_forms, bulk, exports, responses, services
from .concurrency import VersionForm, act_if_unchanged, complaint_version
from .models import Complaint, ComplaintPhoto, HandlingUnit, State
from .references import normalise_reference
from .selectors import can_moderate, complaints_for
from .storage import signed_url
from .workflow import EXTENDABLE, TransitionError, allowed_targets


def inspect_url(complaint) -> str:
    return reverse("feedback_complaint_modeladmin_inspect", args=[complaint.pk])


# Wagtail turns PermissionDenied inside the admin into a redirect to the dashboard;
# these views answer a plain 403 so the refusal is explicit (and testable).
FORBIDDEN = "您没有处理居民反映的权限。"


def _complaint_for(request, pk: int):
    return get_object_or_404(complaints_for(request.user).select_related("category", "community"), pk=pk)


def _perform(action: str, complaint, data, actor):
    if action == "dispatch":
        complaint = services.dispatch_complaint(
            complaint=complaint, unit=data["unit"], deadline=data["deadline"], note=data["note"], actor=actor
        )
        if data.get("public_text"):  # dispatch and approval in one step
            complaint = services.set_public_text(complaint=complaint, text=data["public_text"], actor=actor)
        return complaint
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
        photos = data.get("public_photos")
        return services.set_public_text(
            complaint=complaint,
            text=data["public_text"],
            hidden=data["hidden"],
            public_photo_ids=None if photos is None else [photo.pk for photo in photos],
            note=data["note"],
            actor=actor,
        )
    raise Http404


ACTIONS = {
    "dispatch": ("派单", admin_forms.DispatchForm),
    "start": ("开始处理", admin_forms.NoteForm),
    "resolve": ("办结答复", admin_forms.ResolveForm),
    "reject": ("不予受理", admin_forms.RejectForm),
    "extend": ("延长办结时限", admin_forms.ExtendForm),
    "hide": ("公开展示设置", admin_forms.PublicTextForm),
}


def complaint_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    if not can_moderate(request.user):
        return HttpResponseForbidden(FORBIDDEN)
    complaint = _complaint_for(request, pk)
    title, form_class = ACTIONS[action]
    scoped = {"user": request.user} if form_class is admin_forms.RejectForm else {}
    # 使用模板 without JavaScript: the form comes back filled (the version as posted), not acted on.
    filling = request.method == "POST" and action == "resolve" and responses.USE_TEMPLATE in request.POST
    if filling:
        form = responses.filled_form(form_class, request.POST, complaint=complaint)
    else:
        form = form_class(request.POST or None, complaint=complaint, **scoped)
    if action == "hide" and not can_see_personal_data(request.user):
        form.fields.pop("public_photos", None)  # only who may see the photos marks them
    # The version the moderator saw; a stale one is refused (concurrency.py).
    version_form = VersionForm(request.POST or None, initial={"version": complaint_version(complaint)})
    if request.method == "POST" and not filling and form.is_valid() and version_form.is_valid():
        try:
            act_if_unchanged(
                complaint=complaint,
                version=version_form.cleaned_data["version"],
                act=lambda locked: _perform(action, locked, form.cleaned_data, request.user),
            )
        except TransitionError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
            complaint = _complaint_for(request, pk)  # show the state as it is now
        else:
            messages.success(request, f"{complaint.reference}：{title}已完成。")
            return redirect(inspect_url(complaint))
    context = {
        "complaint": complaint,
        "form": form,
        "version_form": version_form,
        "title": title,
        "back_url": inspect_url(complaint),
    }
    template = "feedback/admin/action.html"
    if action == "hide":
        template = "feedback/admin/public_text.html"
        context.update(_public_text_preview(request, complaint, form))
    return TemplateResponse(request, template, context)


def _public_text_preview(request, complaint, form) -> dict:
    """The resident's description with each detection marked, and the text as it would
    be published (what the moderator typed, once posted), with what is still detected."""
    text = form["public_text"].value() or ""
    personal = can_see_personal_data(request.user)
    return {
        "original_marked": highlight_personal_data(complaint.description),
        "original_findings": find_personal_data(complaint.description),
        "draft_marked": highlight_personal_data(text),
        "draft_findings": find_personal_data(text),
        "personal": personal,
        "photos": list(complaint.photos.all()) if personal else [],
    }


def _queue_url(request) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("feedback_complaint_modeladmin_index")


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit()  # "²".isdigit() is True too


@require_POST
def complaint_bulk(request):
    """Bulk dispatch / reject as spam / hide of the reports ticked on the queue.

    Only reports inside the user's communities are touched: a request naming any
    other report (or a vanished one) changes nothing, as if they did not exist."""
    if not can_moderate(request.user):
        return HttpResponseForbidden(FORBIDDEN)
    back = _queue_url(request)
    action = request.POST.get("action", "")
    if action not in bulk.BULK_ACTIONS:
        messages.error(request, "请选择要执行的批量操作。")
        return redirect(back)
    ids = {int(v) for v in request.POST.getlist("ids") if _is_id(v)}
    if not ids:
        messages.error(request, "请先勾选要处理的反映。")
        return redirect(back)
    complaints = list(
        complaints_for(request.user)
        .select_related("category__default_unit")
        .filter(pk__in=ids)
        .order_by("created_at")
    )
    if len(complaints) != len(ids):
        raise Http404
    title, run = bulk.BULK_ACTIONS[action]
    options = {"note": request.POST.get("note", "").strip()[:500]}
    if action == "dispatch" and request.POST.get("unit"):
        unit = (
            HandlingUnit.objects.filter(pk=request.POST["unit"]).first()
            if _is_id(request.POST["unit"])
            else None
        )
        if unit is None:
            messages.error(request, "所选承办单位不存在，请重新选择。")
            return redirect(back)
        options["unit"] = unit
    outcome = run(complaints=complaints, actor=request.user, **options)
    if outcome.done:
        messages.success(request, f"{title}：{len(outcome.done)} 条已完成（{'、'.join(outcome.done)}）。")
    if outcome.skipped:
        reasons = "；".join(f"{reference}：{why}" for reference, why in outcome.skipped)
        messages.warning(request, f"{title}：{len(outcome.skipped)} 条未处理。{reasons}")
    return redirect(back)


def complaint_photo(request, pk: int):
    """A resident's photo for a moderator allowed to see personal data in that community:
    streamed from the private folder, or a redirect to a short-lived signed URL of the
    private bucket (``storage``). Either way only after the checks and the audit entry."""
    if not can_see_personal_data(request.user):
        return HttpResponseForbidden("您没有查看居民个人信息的权限。")
    photo = get_object_or_404(ComplaintPhoto, pk=pk)
    complaint = complaints_for(request.user).filter(pk=photo.complaint_id).only("reference").first()
    if complaint is None:
        raise Http404
    record_audit(
        action=AuditAction.VIEW_PHOTO, actor=request.user, reference=complaint.reference, detail=f"照片 {pk}"
    )
    url = signed_url(photo.file)
    if url is not None:
        response = HttpResponseRedirect(url)
    else:
        try:
            response = FileResponse(photo.file.open("rb"))
        except FileNotFoundError:
            # A row whose file is on another server's disk (see README: one shared folder).
            raise Http404 from None
    # Not even the redirect is kept: its URL stops working within minutes.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


EXPORT_FILTERS = {
    "state__exact": "state",
    "kind__exact": "kind",
    "category__id__exact": "category_id",
    "community__id__exact": "community_id",
    "handling_unit__id__exact": "handling_unit_id",
    "created_at__gte": "created_at__gte",
    "created_at__lt": "created_at__lt",
}


def complaint_export(request):
    if not request.user.has_perm("feedback.view_complaint"):
        return HttpResponseForbidden(FORBIDDEN)
    queryset = complaints_for(request.user).order_by("-created_at")
    # The list's links carry its filters; bad values are dropped as in the list itself.
    params, _ = clean_filter_params(Complaint, request.GET, simple_params=("overdue", "held"))
    for param, field in EXPORT_FILTERS.items():
        if params.get(param):
            queryset = queryset.filter(**{field: params[param]})
    if params.get("held") in ("yes", "no"):
        queryset = queryset.filter(held=params["held"] == "yes")
    if params.get("overdue") == "yes":
        queryset = queryset.overdue()
    personal = can_see_personal_data(request.user)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if personal:
        record_audit(
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


class ErasureForm(forms.Form):
    reference = forms.CharField(
        label="反映编号", max_length=20, help_text="居民提出删除申请时提供的反映编号。"
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


def erase_personal_data(request):
    """A resident asked for deletion: find the report by reference, confirm, anonymise."""
    if not request.user.has_perm("feedback.erase_personal_data"):
        return HttpResponseForbidden("您没有删除居民个人信息的权限。")
    form = ErasureForm(request.POST or None, initial={"reference": request.GET.get("reference", "")})
    complaint = None
    if request.method == "POST" and form.is_valid():
        reference = normalise_reference(form.cleaned_data["reference"])
        complaint = (
            complaints_for(request.user)
            .select_related("category", "community")
            .filter(reference=reference)
            .first()
        )
        if complaint is None:
            form.add_error("reference", "在您负责的社区中没有找到这个编号的反映。")
        elif complaint.anonymised_at is not None:
            messages.info(request, f"{complaint.reference} 的个人信息已于此前删除。")
            return redirect(inspect_url(complaint))
        elif form.cleaned_data["confirm"]:
            services.erase_personal_data(complaint=complaint, actor=request.user)
            messages.success(request, f"{complaint.reference}：居民的姓名、手机号、位置和照片已删除。")
            return redirect(inspect_url(complaint))
    return TemplateResponse(
        request,
        "feedback/admin/trust/erase.html",
        {"form": form, "complaint": complaint if form.is_bound and not form.errors else None},
    )


def release_held(request, pk: int):
    if not can_moderate(request.user):
        return HttpResponseForbidden("您没有处理居民反映的权限。")
    complaint = get_object_or_404(complaints_for(request.user), pk=pk)
    if request.method == "POST":
        try:
            services.release_held_complaint(
                complaint=complaint, actor=request.user, note=request.POST.get("note", "")
            )
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{complaint.reference} 已解除暂缓，可以正常受理。")
        return redirect(inspect_url(complaint))
    return TemplateResponse(
        request,
        "feedback/admin/trust/confirm.html",
        {
            "complaint": complaint,
            "title": "解除暂缓",
            "lead": "该反映来自已屏蔽的手机号。确认内容属实后解除暂缓，转入正常受理流程。",
            "note_label": "说明（内部）",
            "button": "解除暂缓",
        },
    )


def block_reporter_phone(request, pk: int):
    """Block the number a report came from, without showing it to the moderator."""
    if not can_moderate(request.user):
        return HttpResponseForbidden("您没有处理居民反映的权限。")
    complaint = get_object_or_404(complaints_for(request.user), pk=pk)
    if request.method == "POST":
        reason = request.POST.get("note", "").strip() or f"反映 {complaint.reference} 属恶意或骚扰信息"
        if is_phone_blocked(complaint.phone):
            messages.info(request, "该手机号已在屏蔽名单中。")
        else:
            try:
                block_phone(
                    phone=complaint.phone, reason=reason, actor=request.user, reference=complaint.reference
                )
            except BlocklistError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, "已屏蔽该反映的手机号，此后该号码提交的反映将被暂缓且不发送通知。")
        return redirect(inspect_url(complaint))
    return TemplateResponse(
        request,
        "feedback/admin/trust/confirm.html",
        {
            "complaint": complaint,
            "title": "屏蔽提交人手机号",
            "lead": "屏蔽后，该号码提交的新反映对居民显示正常，但会被暂缓、不通知工作人员，需人工核实后才能派单。",
            "note_label": "屏蔽原因",
            "button": "确认屏蔽",
        },
    )
