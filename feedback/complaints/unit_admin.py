"""我的待办: the handling unit's admin screens (list, ticket page with 签收 / 分配 / 进展 /
申请延期 / 办结 with a 答复模板 / 退单, and the unit's extension requests with their state),
and the moderators' list of pending extension requests.

Rules live in ``services``; this module only turns forms into service calls. A ticket
outside the user's units is a 404, never a 403, so a unit cannot probe for others' tickets.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from portal.personal_data import mask_personal_data

from . import selectors, services
from .dispatch_admin import AssignForm, light_badge
from .dispatch_admin import extension_requests as extensions_of
from .lights import with_lights
from .models import SendBackReason
from .responses import USE_TEMPLATE, add_template_field, filled_form
from .workflow import TransitionError

EXCERPT_CHARS = 80
UNIT_PERM = "feedback.handle_unit_complaint"
MODERATOR_PERM = "feedback.change_complaint"


class ProgressForm(forms.Form):
    text = forms.CharField(label="进展内容", widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(
        label="可见范围",
        choices=[("public", "公开（居民可见）"), ("internal", "内部（仅工作人员）")],
        initial="public",
        widget=forms.RadioSelect,
    )


class ExtensionForm(forms.Form):
    new_deadline = forms.DateField(label="申请延至", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(forms.Form):
    reply = forms.CharField(label="答复居民（公开）", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)
        add_template_field(self, complaint)


class SendBackForm(forms.Form):
    reason = forms.ChoiceField(label="退单原因", choices=[("", "请选择")] + list(SendBackReason.choices))
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("reason") == SendBackReason.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", "退单原因为“其他”时须填写说明。")
        return data


class DecisionForm(forms.Form):
    reason = forms.CharField(label="原因", required=False)


FORMS = {
    "progress": ProgressForm,
    "extension": ExtensionForm,
    "resolve": ResolveForm,
    "send_back": SendBackForm,
    "assign": AssignForm,
}
# The field a service's refusal is shown next to, per action.
ERROR_FIELD = {
    "progress": "text",
    "extension": "new_deadline",
    "resolve": "reply",
    "send_back": "reason",
    "assign": "assignee",
}
DONE = {
    "sign": "已签收。",
    "progress": "进展已保存。",
    "extension": "延期申请已提交，等待审核。",
    "resolve": "已办结并答复居民。",
    "send_back": "已退单，工单已退回派单队列。",
    "assign_me": "已分配给我。",
    "assign": "已分配。",
}


def _form(name: str, complaint, data=None) -> forms.Form:
    extra = {"complaint": complaint} if name in ("resolve", "assign") else {}
    if name == "assign":
        extra["unit_only"] = True  # a unit assigns among its own staff
    return FORMS[name](data, prefix=name, **extra)


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise Http404


def _run(action, complaint, user, data):
    if action == "sign":
        services.sign_complaint(complaint=complaint, actor=user)
    elif action == "assign_me":
        services.assign_complaint(complaint=complaint, actor=user, assignee=user)
    elif action == "assign":
        services.assign_complaint(complaint=complaint, actor=user, assignee=data["assignee"])
    elif action == "progress":
        services.post_progress(
            complaint=complaint, actor=user, text=data["text"], public=data["visibility"] == "public"
        )
    elif action == "extension":
        services.request_extension(
            complaint=complaint, actor=user, new_deadline=data["new_deadline"], reason=data["reason"]
        )
    elif action == "resolve":
        services.resolve_complaint(complaint=complaint, reply=data["reply"], actor=user)
    elif action == "send_back":
        services.send_back_complaint(
            complaint=complaint, actor=user, reason=data["reason"], note=data["note"]
        )


@login_required
def todo_list(request):
    _require(request, UNIT_PERM)
    rows = [
        {
            "complaint": c,
            "light": light_badge(c.light, c.light_reason),
            # As the queue: mask a margin past the excerpt so a number cut at the end is masked whole.
            "text": mask_personal_data(c.public_text or c.description[: EXCERPT_CHARS + 24]),
        }
        for c in with_lights(selectors.unit_todo(request.user))
    ]
    return TemplateResponse(request, "feedback/admin/unit_todo.html", {"rows": rows})


@login_required
def ticket(request, pk: int):
    _require(request, UNIT_PERM)
    complaint = get_object_or_404(selectors.unit_complaints_for(request.user), pk=pk)
    forms_ = {name: _form(name, complaint) for name in FORMS}
    error = ""
    if request.method == "POST" and request.POST.get("action") == "resolve" and USE_TEMPLATE in request.POST:
        # 使用模板 without JavaScript: the resolve form comes back filled, nothing is done.
        forms_["resolve"] = filled_form(ResolveForm, request.POST, complaint=complaint, prefix="resolve")
    elif request.method == "POST":
        action = request.POST.get("action", "")
        form = None
        if action in FORMS:
            form = forms_[action] = _form(action, complaint, request.POST)
        if action in DONE and (form is None or form.is_valid()):
            try:
                _run(action, complaint, request.user, form.cleaned_data if form else {})
            except services.NotYourTicket:
                raise Http404 from None
            except TransitionError as exc:
                if form is not None:
                    form.add_error(ERROR_FIELD[action], str(exc))
                else:
                    error = str(exc)
            else:
                messages.success(request, DONE[action])
                if action in ("send_back", "resolve"):
                    return redirect("feedback_unit_todo")
                return redirect("feedback_unit_ticket", complaint.pk)
        elif action not in DONE:
            error = "未知操作。"
    events = complaint.events.select_related("actor").order_by("at", "pk")
    context = {
        "complaint": complaint,
        "masked_description": mask_personal_data(complaint.description),
        "events": events,
        "forms": forms_,
        "error": error,
        "open": complaint.state in selectors.OPEN_STATES,
        "extensions": extensions_of(complaint),
    }
    return TemplateResponse(request, "feedback/admin/unit_ticket.html", context)


@login_required
def extension_requests(request):
    _require(request, MODERATOR_PERM)
    pending = selectors.pending_extension_requests(request.user)
    errors = {}
    if request.method == "POST":
        req = get_object_or_404(pending, pk=request.POST.get("request", 0))
        approve = request.POST.get("decision") == "approve"
        form = DecisionForm(request.POST)
        form.is_valid()
        try:
            services.decide_extension(
                request=req, actor=request.user, approve=approve, reason=form.cleaned_data.get("reason", "")
            )
        except TransitionError as exc:
            errors[req.pk] = (str(exc), request.POST.get("reason", ""))
        else:
            messages.success(request, "已同意延期。" if approve else "已不同意延期。")
            return redirect("feedback_extension_requests")
    rows = [{"req": r, "error": errors.get(r.pk, ("", ""))} for r in pending]
    return TemplateResponse(
        request, "feedback/admin/extension_requests.html", {"rows": rows, "today": timezone.localdate()}
    )


def admin_urls():
    return [
        path("feedback/todo/", todo_list, name="feedback_unit_todo"),
        path("feedback/todo/<int:pk>/", ticket, name="feedback_unit_ticket"),
        path("feedback/extension-requests/", extension_requests, name="feedback_extension_requests"),
    ]
