"""Staff views for trust work on one report: erase personal data, release, block the sender.

Each checks its permission and the staff scope (outside it a report is a 404), asks
for confirmation on a page that shows no personal data, and calls a service.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from .admin_views import inspect_url
from .blocklist import block_phone, is_phone_blocked, release_held_complaint
from .references import normalise_reference
from .retention import erase_personal_data as erase_service
from .scopes import can_moderate, complaints_for
from .workflow import TransitionError


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
            erase_service(complaint=complaint, actor=request.user)
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
            release_held_complaint(complaint=complaint, actor=request.user, note=request.POST.get("note", ""))
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
            except TransitionError as error:
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
