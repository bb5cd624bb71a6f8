"""Moderation of evaluations in the Wagtail admin: the queue, the inspect page, its URLs.

Registered by ``feedback.wagtail_hooks`` (in the 居民反映 menu group). Evaluations change
only through the moderation views (``admin_views``), inside the moderator's communities.
"""

from django.contrib.admin import SimpleListFilter
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.views import InspectView

from portal.personal_data import mask_name, mask_phone

from ..common.admin import PortalModelAdmin, ReadOnlyPermissionHelper, bulk_select_box
from ..common.scopes import can_see_personal_data
from ..trust.models import AuditAction
from ..trust.services import record_audit
from . import admin_views
from .models import Evaluation, ModerationState
from .selectors import can_moderate_evaluations, evaluations_for


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


class EvaluationPermissionHelper(ReadOnlyPermissionHelper):
    """Evaluations change only through the moderation actions, inside the user's scope."""

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
        if personal and (evaluation.name or evaluation.phone):
            # The unmasked name or phone is on this page: log who saw them, as for reports.
            record_audit(
                action=AuditAction.VIEW_CONTACT, actor=self.request.user, detail=f"评议 {evaluation.pk}"
            )
        context = super().get_context_data(**kwargs)
        context.update(
            evaluation=evaluation,
            shown_name=evaluation.name if personal else mask_name(evaluation.name),
            shown_phone=evaluation.phone if personal else mask_phone(evaluation.phone),
            can_moderate=can_moderate_evaluations(self.request.user),
            moderate_url=reverse("feedback_evaluation_moderate", args=[evaluation.pk]),
        )
        return context


class EvaluationAdmin(PortalModelAdmin):
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
        return bulk_select_box(obj, form="evaluation-bulk", label=f"选择评议 {obj.pk}")

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


def admin_urls() -> list:
    return [
        path("feedback/evaluation/bulk/", admin_views.evaluation_bulk, name="feedback_evaluation_bulk"),
        path(
            "feedback/evaluation/<int:pk>/moderate/",
            admin_views.evaluation_moderate,
            name="feedback_evaluation_moderate",
        ),
    ]
