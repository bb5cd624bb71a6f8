"""Staff-screen pieces for dispatch lights, repeats, duplicates, assignment and extension
requests (queue, inspect page, dashboard, the unit's ticket page). Rules live in
``lights``, ``duplicates`` and ``services``; this module only shows them."""

from django import forms
from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from . import duplicates, lights, services
from .models import OPEN_STATES, Complaint
from .selectors import assignable_users, complaints_for, user_covers
from .workflow import TransitionError


class LightFilter(SimpleListFilter):
    title = "预警灯"
    parameter_name = "light"

    def lookups(self, request, model_admin):
        return [(lights.RED, "红灯"), (lights.YELLOW, "黄灯")]

    def queryset(self, request, queryset):
        if self.value() in (lights.RED, lights.YELLOW):
            return queryset.filter(light=self.value())
        return queryset


class RepeatFilter(SimpleListFilter):
    title = "重复投诉"
    parameter_name = "repeat"

    def lookups(self, request, model_admin):
        return [("yes", "重复投诉")]

    def queryset(self, request, queryset):
        return queryset.filter(is_repeat=True) if self.value() == "yes" else queryset


def light_badge(colour: str, reason: str) -> str:
    """Colour and words: the text says what the colour means."""
    if not colour:
        return "—"
    return format_html(
        '<strong class="dispatch-light dispatch-light--{}"><span aria-hidden="true">●</span> {}</strong>',
        colour,
        lights.reason_text(reason),
    )


def repeat_badge() -> str:
    return mark_safe('<span class="w-status w-status--critical dispatch-repeat">重复投诉</span>')


def queue_queryset(queryset):
    """The queue's rows with their light and repeat flag, computed in the list's query."""
    return duplicates.with_repeat_flag(lights.with_lights(queryset))


class AssigneeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person(obj)


def person(user) -> str:
    """How staff are named to staff (the full name, or the login name)."""
    return user.get_full_name() or user.get_username()


class AssignForm(forms.Form):
    """分配: a named person of the unit (and, for street or community staff, of their offices)."""

    assignee = AssigneeChoice(label="分配给", queryset=None, empty_label="请选择承办人")

    def __init__(self, *args, complaint: Complaint, unit_only: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users(complaint, unit_only=unit_only)
        self.fields["assignee"].initial = complaint.assignee_id


def extension_requests(complaint: Complaint) -> list:
    """The ticket's extension requests, newest first: the pending one and how others ended."""
    return list(
        complaint.extension_requests.select_related("requested_by", "decided_by").order_by(
            "-requested_at", "-pk"
        )
    )


def inspect_context(complaint: Complaint, *, can_change: bool) -> dict:
    colour, text = lights.light_for(complaint)
    assignable = can_change and complaint.state in OPEN_STATES
    return {
        "assign_form": AssignForm(complaint=complaint, unit_only=False) if assignable else None,
        "extensions": extension_requests(complaint),
        "light": {"colour": colour, "text": text} if colour else None,
        "is_repeat": duplicates.is_repeat(complaint),
        "duplicate_suggestions": duplicates.suggest_duplicates(complaint)
        if complaint.duplicate_of_id is None
        else [],
        "can_merge": can_change and complaint.state in duplicates.MERGEABLE_STATES,
    }


class MergeForm(forms.Form):
    main = forms.CharField(label="主反映编号", max_length=16)


@require_POST
def merge_view(request, pk: int):
    """合并为重复: this report (``pk``) into the one whose reference is posted."""
    if not request.user.has_perm("feedback.change_complaint"):
        raise PermissionDenied
    duplicate = get_object_or_404(Complaint, pk=pk)
    if not user_covers(request.user, duplicate):
        raise Http404
    back = redirect("feedback_complaint_modeladmin_inspect", duplicate.pk)
    form = MergeForm(request.POST)
    main = None
    if form.is_valid():
        main = complaints_for(request.user).filter(reference=form.cleaned_data["main"].strip()).first()
    if main is None:
        messages.error(request, "找不到该编号的反映（或不在您的管辖范围内）。")
        return back
    try:
        duplicates.merge_complaint(duplicate=duplicate, main=main, actor=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
        return back
    messages.success(request, f"已将 {duplicate.reference} 合并到 {main.reference}，居民将收到主反映的进展。")
    return redirect("feedback_complaint_modeladmin_inspect", main.pk)


@require_POST
def assign_view(request, pk: int):
    """分配 from the inspect page: to a named person of the unit or of the offices."""
    if not request.user.has_perm("feedback.change_complaint"):
        raise PermissionDenied
    complaint = get_object_or_404(Complaint, pk=pk)
    if not user_covers(request.user, complaint):
        raise Http404
    form = AssignForm(request.POST, complaint=complaint, unit_only=False)
    if not form.is_valid():
        messages.error(request, "请选择承办人（承办单位或本社区的工作人员）。")
    else:
        try:
            services.assign_complaint(
                complaint=complaint, actor=request.user, assignee=form.cleaned_data["assignee"]
            )
        except (TransitionError, services.NotYourTicket) as error:
            messages.error(request, str(error) if isinstance(error, TransitionError) else "无权分配该工单。")
        else:
            messages.success(
                request, f"{complaint.reference} 已分配给{person(form.cleaned_data['assignee'])}。"
            )
    return redirect("feedback_complaint_modeladmin_inspect", complaint.pk)


class PeriodForm(forms.Form):
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            if data["end"] < data["start"]:
                self.add_error("end", "结束日期不能早于开始日期。")
            elif (data["end"] - data["start"]).days > 366:
                self.add_error("end", "统计期间最长一年。")
        return data


def bulletin_view(request):
    """周报: printable HTML, or XLSX with ?format=xlsx; default last week (Mon–Sun)."""
    from django.http import HttpResponse
    from django.template.response import TemplateResponse

    from . import bulletin

    if not request.user.has_perm("feedback.view_complaint"):
        raise PermissionDenied
    start, end = bulletin.last_week()
    form = PeriodForm(request.GET or {"start": start, "end": end})
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    data = bulletin.bulletin(queryset=complaints_for(request.user), start=start, end=end)
    if request.GET.get("format") == "xlsx" and (not request.GET or form.is_valid()):
        response = HttpResponse(
            bulletin.to_xlsx(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="bulletin-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
        return response
    return TemplateResponse(
        request,
        "feedback/admin/bulletin.html",
        {"form": form, "data": data, "columns": bulletin.COLUMNS, "query": f"start={start}&end={end}"},
    )
