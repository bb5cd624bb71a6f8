"""Moderation of complaints in the Wagtail admin: the queue, the inspect page, the
categories and units, the dashboard panel and the admin URLs of the action views.

Registered by ``feedback.wagtail_hooks``. Complaints change only through the action
views (``admin_views``), which call ``services``.
"""

from django.db.models import Q
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from wagtail.admin.ui.components import Component
from wagtail_modeladmin.helpers import ButtonHelper, DjangoORMSearchHandler
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import InspectView

from portal.personal_data import is_mobile, mask_name, mask_phone, normalise_phone

from ..common.admin import ReadOnlyPermissionHelper, YesNoFilter
from ..common.scopes import can_see_personal_data
from ..trust.models import AuditAction
from ..trust.services import record_audit
from . import admin_views, selectors
from .models import Complaint, ComplaintCategory, HandlingUnit, State
from .selectors import complaints_for, user_covers

STATE_BADGE = {
    State.SUBMITTED: "warning",
    State.REJECTED: "default",
    State.RESOLVED: "positive",
    State.CLOSED: "positive",
}


class OverdueFilter(YesNoFilter):
    title = "是否超期"
    parameter_name = "overdue"
    answers = ("已超期", "未超期")

    def matching(self, queryset):
        return queryset.overdue()

    def others(self, queryset):
        return queryset.exclude(pk__in=queryset.overdue().values("pk"))


class HeldFilter(YesNoFilter):
    """Reports from blocked phones, held without notification (``Complaint.held``)."""

    title = "是否暂缓"
    parameter_name = "held"
    answers = ("已暂缓（屏蔽号码）", "正常")
    condition = Q(held=True)


class ComplaintPermissionHelper(ReadOnlyPermissionHelper):
    """Complaints change only through the actions; the scope decides what is visible."""

    def user_can_inspect_obj(self, user, obj):
        return super().user_can_inspect_obj(user, obj) and user_covers(user, obj)


class ComplaintButtonHelper(ButtonHelper):
    def inspect_button(self, pk, classnames_add=None, classnames_exclude=None):
        button = super().inspect_button(pk, classnames_add, classnames_exclude)
        button.update(label="查看/处理", title="查看详情并处理这条反映")
        return button


class ComplaintSearchHandler(DjangoORMSearchHandler):
    """Reference, description and place; and, for staff who may see phones, the phone
    in whatever form it is typed (``138 1111 2222``, full-width, +86): stored phones are
    normalised, so the search term is too."""

    def __init__(self, search_fields, *, phones: bool):
        super().__init__(search_fields)
        self.phones = phones

    def search_queryset(self, queryset, search_term, **kwargs):
        phone = normalise_phone(search_term or "")
        if self.phones and is_mobile(phone):
            return queryset.filter(phone=phone)
        return super().search_queryset(queryset, search_term, **kwargs)


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

    def get_search_handler(self, request, search_fields=None):
        return ComplaintSearchHandler(
            search_fields or self.get_search_fields(request), phones=can_see_personal_data(request.user)
        )

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


def admin_urls() -> list:
    # The trust actions first: "<pk>/<slug:action>/" would take their paths too.
    return [
        path(
            "feedback/personal-data/erase/",
            admin_views.erase_personal_data,
            name="feedback_erase_personal_data",
        ),
        path(
            "feedback/complaint/<int:pk>/release/",
            admin_views.release_held,
            name="feedback_complaint_release",
        ),
        path(
            "feedback/complaint/<int:pk>/block-phone/",
            admin_views.block_reporter_phone,
            name="feedback_complaint_block_phone",
        ),
        path("feedback/complaint/export/", admin_views.complaint_export, name="feedback_complaint_export"),
        path(
            "feedback/complaint/photo/<int:pk>/", admin_views.complaint_photo, name="feedback_complaint_photo"
        ),
        path(
            "feedback/complaint/<int:pk>/<slug:action>/",
            admin_views.complaint_action,
            name="feedback_complaint_action",
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


def add_queue_panel(request, panels) -> None:
    if request.user.has_perm("feedback.view_complaint"):
        panels.append(ComplaintQueuePanel(request))
