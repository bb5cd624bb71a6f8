"""Moderation in the Wagtail admin: the complaint queue, its actions and the dashboard panel."""

from django.contrib.admin import SimpleListFilter
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import InspectView

from . import admin_views, evaluation_admin_views, selectors
from .audit import record as record_audit
from .models import (
    Complaint,
    ComplaintCategory,
    Evaluation,
    HandlingUnit,
    ModerationState,
    PropertyCompany,
    StaffScope,
    State,
)
from .models.trust import AuditAction
from .privacy import mask_name, mask_phone
from .scopes import (
    can_moderate_evaluations,
    can_see_personal_data,
    complaints_for,
    evaluations_for,
    user_covers,
)
from .trust_admin import HeldFilter  # importing it also registers the trust screens and URLs

STATE_BADGE = {
    State.SUBMITTED: "warning",
    State.REJECTED: "default",
    State.RESOLVED: "positive",
    State.CLOSED: "positive",
}


class OverdueFilter(SimpleListFilter):
    title = "是否超期"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "已超期"), ("no", "未超期")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.overdue().values("pk"))
        return queryset


class ComplaintPermissionHelper(PermissionHelper):
    """Complaints change only through the actions; the scope decides what is visible."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False

    def user_can_inspect_obj(self, user, obj):
        return super().user_can_inspect_obj(user, obj) and user_covers(user, obj)


class ComplaintButtonHelper(ButtonHelper):
    def inspect_button(self, pk, classnames_add=None, classnames_exclude=None):
        button = super().inspect_button(pk, classnames_add, classnames_exclude)
        button.update(label="查看/处理", title="查看详情并处理这条反映")
        return button


class ComplaintInspectView(InspectView):
    def dispatch(self, request, *args, **kwargs):
        # Outside the user's communities a report does not exist for them.
        if not user_covers(request.user, self.instance):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        complaint = self.instance
        personal = can_see_personal_data(self.request.user)
        if personal:  # unmasked name and phone are on this page: log who saw them
            record_audit(
                action=AuditAction.VIEW_CONTACT, actor=self.request.user, reference=complaint.reference
            )
        context = super().get_context_data(**kwargs)
        context.update(
            complaint=complaint,
            personal=personal,
            shown_name=complaint.name if personal else mask_name(complaint.name),
            shown_phone=complaint.phone if personal else mask_phone(complaint.phone),
            photos=list(complaint.photos.all()) if personal else [],
            photo_count=complaint.photos.count(),
            events=complaint.events.select_related("actor"),
            actions=admin_views.allowed_actions(complaint)
            if self.request.user.has_perm("feedback.change_complaint")
            else [],
        )
        return context


class ComplaintAdmin(ModelAdmin):
    model = Complaint
    menu_label = "反映处理队列"
    menu_icon = "mail"
    permission_helper_class = ComplaintPermissionHelper
    button_helper_class = ComplaintButtonHelper
    inspect_view_enabled = True
    inspect_view_class = ComplaintInspectView
    inspect_template_name = "feedback/admin/inspect.html"
    index_template_name = "feedback/admin/index.html"
    list_display = (
        "reference_cell",
        "created_at",
        "kind",
        "category",
        "community",
        "state_badge",
        "masked_phone",
        "deadline_cell",
    )
    list_filter = (
        "state", "kind", "category", "community", "handling_unit", OverdueFilter, HeldFilter, "created_at",
    )  # fmt: skip
    search_fields = ("reference", "description", "place")
    list_per_page = 50

    def get_queryset(self, request):
        return complaints_for(request.user).select_related("category", "community", "handling_unit")

    def reference_cell(self, obj):
        return format_html('<strong style="white-space:nowrap">{}</strong>', obj.reference)

    reference_cell.short_description = "编号"

    def state_badge(self, obj):
        return format_html(
            '<span class="w-status w-status--{}">{}</span>',
            STATE_BADGE.get(obj.state, "primary"),
            obj.get_state_display() + (" · 暂缓" if obj.held else ""),
        )

    state_badge.short_description = "状态"

    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    masked_phone.short_description = "手机号"

    def deadline_cell(self, obj):
        if not obj.deadline:
            return "—"
        if obj.is_overdue:
            return format_html('<strong class="w-text-critical-200">{} 已超期</strong>', obj.deadline)
        return obj.deadline

    deadline_cell.short_description = "办结时限"


class ComplaintCategoryAdmin(ModelAdmin):
    model = ComplaintCategory
    menu_label = "反映分类"
    menu_icon = "tag"
    list_display = ("name", "default_unit", "default_days", "active")


class HandlingUnitAdmin(ModelAdmin):
    model = HandlingUnit
    menu_label = "承办单位"
    menu_icon = "group"
    list_display = ("name", "phone", "email")


class StaffScopeAdmin(ModelAdmin):
    model = StaffScope
    menu_label = "工作人员负责范围"
    menu_icon = "lock"
    list_display = ("user", "all_communities")
    form_fields_exclude = ()


class StarsFilter(SimpleListFilter):
    title = "总体评分"
    parameter_name = "stars"

    def lookups(self, request, model_admin):
        return [(str(n), f"{n} 星") for n in range(5, 0, -1)]

    def queryset(self, request, queryset):
        if self.value() in {"1", "2", "3", "4", "5"}:
            return queryset.filter(stars=int(self.value()))
        return queryset


EVALUATION_BADGE = {
    ModerationState.PENDING: "warning",
    ModerationState.APPROVED: "positive",
    ModerationState.HIDDEN: "default",
    ModerationState.ABUSE: "critical",
}


class EvaluationPermissionHelper(PermissionHelper):
    """Evaluations change only through the moderation actions, inside the user's scope."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False

    def user_can_inspect_obj(self, user, obj):
        return super().user_can_inspect_obj(user, obj) and evaluations_for(user).filter(pk=obj.pk).exists()


class EvaluationButtonHelper(ButtonHelper):
    def inspect_button(self, pk, classnames_add=None, classnames_exclude=None):
        button = super().inspect_button(pk, classnames_add, classnames_exclude)
        button.update(label="查看/审核", title="查看这条评议并审核")
        return button


class EvaluationInspectView(InspectView):
    def dispatch(self, request, *args, **kwargs):
        if not evaluations_for(request.user).filter(pk=self.instance.pk).exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        evaluation = self.instance
        personal = can_see_personal_data(self.request.user)
        context = super().get_context_data(**kwargs)
        context.update(
            evaluation=evaluation,
            shown_name=evaluation.name if personal else mask_name(evaluation.name),
            shown_phone=evaluation.phone if personal else mask_phone(evaluation.phone),
            can_moderate=can_moderate_evaluations(self.request.user),
            moderate_url=reverse("feedback_evaluation_moderate", args=[evaluation.pk]),
        )
        return context


class EvaluationAdmin(ModelAdmin):
    model = Evaluation
    menu_label = "评议审核队列"
    menu_icon = "pick"
    permission_helper_class = EvaluationPermissionHelper
    button_helper_class = EvaluationButtonHelper
    inspect_view_enabled = True
    inspect_view_class = EvaluationInspectView
    inspect_template_name = "feedback/admin/evaluation_inspect.html"
    index_template_name = "feedback/admin/evaluation_index.html"
    list_display = (
        "select_box",
        "submitted_at",
        "target_type",
        "target_cell",
        "community",
        "stars_cell",
        "comment_cell",
        "state_badge",
    )
    list_filter = ("state", "target_type", "community", StarsFilter, "quarter")
    search_fields = ("comment",)
    list_per_page = 50

    def get_queryset(self, request):
        return evaluations_for(request.user).select_related("service", "station", "company", "community")

    def select_box(self, obj):
        # The checkbox belongs to the bulk form above the listing (HTML form attribute).
        return format_html(
            '<input type="checkbox" name="ids" value="{}" form="evaluation-bulk" aria-label="选择评议 {}">',
            obj.pk,
            obj.pk,
        )

    select_box.short_description = "选择"

    def target_cell(self, obj):
        return obj.target_name

    target_cell.short_description = "评议对象"

    def stars_cell(self, obj):
        return format_html('<span style="white-space:nowrap">{} 星</span>', obj.stars)

    stars_cell.short_description = "评分"

    def comment_cell(self, obj):
        if not obj.comment:
            return "（无意见）"
        return obj.comment if len(obj.comment) <= 60 else obj.comment[:60] + "…"

    comment_cell.short_description = "意见"

    def state_badge(self, obj):
        return format_html(
            '<span class="w-status w-status--{}">{}</span>',
            EVALUATION_BADGE.get(obj.state, "primary"),
            obj.get_state_display(),
        )

    state_badge.short_description = "审核状态"


class FeedbackGroup(ModelAdminGroup):
    menu_label = "居民反映"
    menu_icon = "mail"
    menu_order = 200
    items = (ComplaintAdmin, EvaluationAdmin, ComplaintCategoryAdmin, HandlingUnitAdmin, StaffScopeAdmin)


modeladmin_register(FeedbackGroup)
register_snippet(PropertyCompany)


@hooks.register("register_admin_urls")
def register_feedback_admin_urls():
    return [
        path("feedback/complaint/export/", admin_views.complaint_export, name="feedback_complaint_export"),
        path(
            "feedback/complaint/photo/<int:pk>/", admin_views.complaint_photo, name="feedback_complaint_photo"
        ),
        path(
            "feedback/complaint/<int:pk>/<slug:action>/",
            admin_views.complaint_action,
            name="feedback_complaint_action",
        ),
        path(
            "feedback/evaluation/bulk/",
            evaluation_admin_views.evaluation_bulk,
            name="feedback_evaluation_bulk",
        ),
        path(
            "feedback/evaluation/<int:pk>/moderate/",
            evaluation_admin_views.evaluation_moderate,
            name="feedback_evaluation_moderate",
        ),
    ]


class ComplaintQueuePanel(Component):
    name = "feedback_queue"
    order = 50
    template_name = "feedback/admin/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        summary = selectors.queue_summary(queryset=complaints_for(self.request.user))
        index = reverse("feedback_complaint_modeladmin_index")
        return {
            "summary": summary,
            "month": timezone.localdate(),
            "waiting_url": f"{index}?state__exact={State.SUBMITTED}&held=no",
            "held_url": f"{index}?state__exact={State.SUBMITTED}&held=yes",
            "overdue_url": f"{index}?overdue=yes",
            "index_url": index,
        }


@hooks.register("construct_homepage_panels")
def add_complaint_queue_panel(request, panels):
    if request.user.has_perm("feedback.view_complaint"):
        panels.append(ComplaintQueuePanel(request))
