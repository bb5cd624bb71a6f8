"""Moderation of complaints in the Wagtail admin: the queue, the inspect page, the
categories and units, the dashboard panel and the admin URLs of the action views.

Registered by ``feedback.wagtail_hooks``. Complaints change only through the action
views (``admin_views``), which call ``services``.
"""

import re
from datetime import timedelta

from django.contrib.admin import SimpleListFilter
from django.db.models import Q
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail_modeladmin.helpers import ButtonHelper, DjangoORMSearchHandler
from wagtail_modeladmin.views import InspectView

from portal.personal_data import (
    is_mobile,
    mask_email,
    mask_name,
    mask_personal_data,
    mask_phone,
    normalise_phone,
)

from ..common.admin import (
    CappedCountIndexView,
    CheckedFilterIndexView,
    PortalModelAdmin,
    ReadOnlyPermissionHelper,
    YesNoFilter,
    bulk_select_box,
)
from ..common.scopes import can_see_personal_data, unwatched_communities
from ..evaluations.selectors import evaluations_waiting
from ..trust.models import AuditAction
from ..trust.services import record_audit
from . import admin_views, calendar_admin, dispatch_admin, lights, selectors
from .models import Complaint, ComplaintCategory, HandlingUnit, State
from .references import normalise_reference
from .responses import ResponseTemplate, ResponseTemplateForm
from .selectors import complaints_for, follower_count, follower_summary, followers_to_notify, user_covers

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


class DueFilter(SimpleListFilter):
    """Open reports whose deadline is today or tomorrow (the dashboard's 今日/明日到期)."""

    title = "即将到期"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("today", "今日到期"), ("tomorrow", "明日到期")]

    def queryset(self, request, queryset):
        days = {"today": 0, "tomorrow": 1}.get(self.value())
        if days is None:
            return queryset
        return queryset.due_on(timezone.localdate() + timedelta(days=days))


# One format for every date on the queue and the detail screens (as WAGTAIL_DATE_FORMAT).
DATE = "Y-m-d"
DATETIME = "Y-m-d H:i"
EXCERPT_CHARS = 40
DUE_MARKS = {
    "overdue": ("overdue", "已超期"),
    "today": ("soon", "今日到期"),
    "tomorrow": ("soon", "明日到期"),
}


class HeldFilter(YesNoFilter):
    """Reports from blocked phones, held without notification (``Complaint.held``)."""

    title = "是否暂缓"
    parameter_name = "held"
    answers = ("已暂缓（屏蔽号码）", "正常")
    condition = Q(held=True)


class ComplaintPermissionHelper(ReadOnlyPermissionHelper):
    """Complaints change only through the actions; the scope decides what is visible."""

    def user_can_list(self, user):
        # Not "any permission on the model": a unit's liaison holds handle_unit_complaint
        # and works in 我的待办, never in the street's queue.
        return user.has_perm("feedback.view_complaint") or user.has_perm("feedback.change_complaint")

    def user_can_inspect_obj(self, user, obj):
        return super().user_can_inspect_obj(user, obj) and user_covers(user, obj)

    def user_can_inspect_listed(self, user) -> bool:
        """For rows of the queue, which already lists only ``complaints_for(user)``."""
        return super().user_can_inspect_obj(user, None)


class ComplaintButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        # Every row of the queue comes from the scoped queryset; asking the scope again
        # per row cost two queries a row (the inspect view itself still checks).
        if "inspect" in (exclude or ()) or not self.permission_helper.user_can_inspect_listed(
            self.request.user
        ):
            return []
        return [self.inspect_button(obj.pk, classnames_add, classnames_exclude)]

    def get_primary_button(self, obj):
        if self.permission_helper.user_can_inspect_listed(self.request.user):
            return self.inspect_button(obj.pk)
        return None

    def inspect_button(self, pk, classnames_add=None, classnames_exclude=None):
        button = super().inspect_button(pk, classnames_add, classnames_exclude)
        button.update(label="查看/处理", title="查看详情并处理这条反映")
        return button


class ComplaintSearchHandler(DjangoORMSearchHandler):
    """Reference, description and place; and, for staff who may see phones, the phone
    in whatever form it is typed (``138 1111 2222``, full-width, +86): stored phones are
    normalised, so the search term is too.

    A term that looks like a reference number (one word with six digits or more:
    ``20261122-4KX7``, ``202611224kx7``, a day's ``20261122``) is looked up on the
    reference's own index, whole or as its beginning: searching every description for
    it took 3 s at a million reports."""

    def __init__(self, search_fields, *, phones: bool):
        super().__init__(search_fields)
        self.phones = phones

    def search_queryset(self, queryset, search_term, **kwargs):
        phone = normalise_phone(search_term or "")
        if self.phones and is_mobile(phone):
            return queryset.filter(phone=phone)
        term = (search_term or "").strip()
        if REFERENCE_LIKE.fullmatch(term) and sum(ch.isdigit() for ch in term) >= 6:
            return queryset.filter(
                Q(reference__startswith=term.upper()) | Q(reference=normalise_reference(term))
            )
        return super().search_queryset(queryset, search_term, **kwargs)


REFERENCE_LIKE = re.compile(r"[0-9A-Za-z-]+")


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
            shown_email=complaint.email if personal else mask_email(complaint.email),
            photos=list(complaint.photos.all()) if personal else [],
            photo_count=complaint.photos.count(),
            followers=follower_summary(complaint=complaint),
            follower_phones=(
                list(followers_to_notify(complaint=complaint).values_list("phone", "consented_at"))
                if personal
                else []
            ),
            events=complaint.events.select_related("actor"),
            due_mark=DUE_MARKS.get(complaint.due_mark()),
            **dispatch_admin.inspect_context(
                complaint, can_change=self.request.user.has_perm("feedback.change_complaint")
            ),
            actions=admin_views.allowed_actions(complaint)
            if self.request.user.has_perm("feedback.change_complaint")
            else [],
        )
        return context


# Query parameters of the listing that are not filters (search, page, ordering).
NOT_FILTERS = {"q", "p", "o"}


class ComplaintIndexView(CappedCountIndexView, CheckedFilterIndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            bulk_units=HandlingUnit.objects.only("pk", "name"),
            filters_applied=bool(set(self.request.GET) - NOT_FILTERS),
        )
        return context


class ComplaintAdmin(PortalModelAdmin):
    model = Complaint
    menu_label = "反映处理队列"
    menu_icon = "mail"
    permission_helper_class = ComplaintPermissionHelper
    button_helper_class = ComplaintButtonHelper
    index_view_class = ComplaintIndexView
    inspect_view_enabled = True
    inspect_view_class = ComplaintInspectView
    inspect_template_name = "feedback/admin/inspect.html"
    index_template_name = "feedback/admin/index.html"
    list_display = (
        "select_box",
        "reference_cell",
        "light_cell",
        "created_cell",
        "kind_category",
        "excerpt_cell",
        "unit_cell",
        "state_badge",
        "masked_phone",
        "followers_cell",
        "deadline_cell",
    )
    list_display_add_buttons = "reference_cell"  # not under the checkbox
    list_filter = (
        "state", "kind", "category", "community", "handling_unit",
        dispatch_admin.LightFilter, dispatch_admin.RepeatFilter,
        OverdueFilter, DueFilter, HeldFilter, "created_at",
    )  # fmt: skip
    search_fields = ("reference", "description", "place")
    # Each row costs ~4 ms to render (modeladmin's cells, masking the excerpt): 50 rows
    # made the queue's page ~450 ms whatever the number of reports, 25 keep it under
    # 300 ms; a phone shows fewer than ten at a time.
    list_per_page = 25
    index_view_extra_css = ["css/feedback-admin.css"]
    inspect_view_extra_css = ["css/feedback-admin.css"]
    index_view_extra_js = ["js/feedback-admin.js"]

    def get_queryset(self, request):
        return dispatch_admin.queue_queryset(
            complaints_for(request.user)
            .select_related("category", "community", "handling_unit")
            .annotate(follower_count=follower_count())
        )

    def select_box(self, obj):
        return bulk_select_box(obj, form="complaint-bulk", label=f"选择反映 {obj.reference}")

    select_box.short_description = "选择"

    def get_search_handler(self, request, search_fields=None):
        return ComplaintSearchHandler(
            search_fields or self.get_search_fields(request), phones=can_see_personal_data(request.user)
        )

    def reference_cell(self, obj):
        reference = format_html('<strong style="white-space:nowrap">{}</strong>', obj.reference)
        if getattr(obj, "is_repeat", False):
            return format_html("{}<br>{}", reference, dispatch_admin.repeat_badge())
        return reference

    reference_cell.short_description = "编号"
    reference_cell.admin_order_field = "reference"

    def light_cell(self, obj):
        return dispatch_admin.light_badge(obj.light, obj.light_reason)

    light_cell.short_description = "预警"
    light_cell.admin_order_field = "light"

    def created_cell(self, obj):
        return date_format(timezone.localtime(obj.created_at), DATETIME)

    created_cell.short_description = "提交时间"
    created_cell.admin_order_field = "created_at"

    def kind_category(self, obj):
        return format_html(
            '{} · {}<br><span class="queue-community">{}</span>',
            obj.get_kind_display(),
            obj.category.name,
            obj.community.name,
        )

    kind_category.short_description = "类型 · 分类 · 社区"
    kind_category.admin_order_field = "community__name"

    def excerpt_cell(self, obj):
        # A staff screen, but a glance at the queue need not show residents' personal data.
        # Only the opening is masked (the detector costs ~1 ms per 60 characters); the
        # margin keeps a number that runs past the excerpt from being cut before masking.
        text = " ".join(mask_personal_data(obj.description[: EXCERPT_CHARS + 24]).split())
        return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"

    excerpt_cell.short_description = "问题描述"

    def unit_cell(self, obj):
        return obj.handling_unit.name if obj.handling_unit else "—"

    unit_cell.short_description = "承办单位"

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

    def followers_cell(self, obj):
        return obj.follower_count or "—"

    followers_cell.short_description = "我也遇到"
    followers_cell.admin_order_field = "follower_count"

    def deadline_cell(self, obj):
        if not obj.deadline:
            return "—"
        shown = date_format(obj.deadline, DATE)
        mark = DUE_MARKS.get(obj.due_mark())
        if mark is None:
            return shown
        return format_html(
            '<span class="queue-date">{}</span> <strong class="queue-due queue-due--{}">{}</strong>',
            shown,
            *mark,
        )

    deadline_cell.short_description = "办结时限"
    deadline_cell.admin_order_field = "deadline"


class ComplaintCategoryAdmin(PortalModelAdmin):
    model = ComplaintCategory
    menu_label = "反映分类"
    menu_icon = "tag"
    list_display = ("name", "default_unit", "default_days", "active")


class HandlingUnitAdmin(PortalModelAdmin):
    model = HandlingUnit
    menu_label = "承办单位"
    menu_icon = "group"
    list_display = ("name", "phone", "email")


class ResponseTemplateAdmin(PortalModelAdmin):
    model = ResponseTemplate
    menu_label = "答复模板"
    menu_icon = "doc-full"
    list_display = ("title", "category", "states_cell", "active")
    list_filter = ("category", "active")
    search_fields = ("title", "body")
    edit_handler = ObjectList(
        [FieldPanel(name) for name in ("title", "category", "states", "body", "active", "sort_order")],
        base_form_class=ResponseTemplateForm,
    )

    def states_cell(self, obj):
        return "、".join(State(s).label for s in obj.state_list()) or "全部待办状态"

    states_cell.short_description = "适用状态"


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
        path("feedback/bulletin/", dispatch_admin.bulletin_view, name="feedback_bulletin"),
        path(
            "feedback/complaint/<int:pk>/merge/", dispatch_admin.merge_view, name="feedback_complaint_merge"
        ),
        path(
            "feedback/complaint/<int:pk>/assign/",
            dispatch_admin.assign_view,
            name="feedback_complaint_assign",
        ),
        path("feedback/complaint/bulk/", admin_views.complaint_bulk, name="feedback_complaint_bulk"),
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

    class Media:
        css = {"all": ["css/feedback-admin.css"]}

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        scoped = complaints_for(user)
        summary = selectors.queue_summary(queryset=scoped)
        index = reverse("feedback_complaint_modeladmin_index")
        evaluations = None
        if user.has_perm("feedback.view_evaluation"):
            evaluations = {
                "waiting": evaluations_waiting(user),
                "url": reverse("feedback_evaluation_modeladmin_index") + "?state__exact=pending",
            }
        return {
            "summary": summary,
            "lights": lights.light_counts(scoped),
            "red_url": f"{index}?light=red",
            "yellow_url": f"{index}?light=yellow",
            "today": timezone.localdate(),
            "evaluations": evaluations,
            "calendar": calendar_admin.missing_calendar(user),
            "unwatched": _unwatched(user),
            "waiting_url": f"{index}?state__exact={State.SUBMITTED}&held=no",
            "held_url": f"{index}?state__exact={State.SUBMITTED}&held=yes",
            "overdue_url": f"{index}?overdue=yes",
            "due_today_url": f"{index}?due=today",
            "due_tomorrow_url": f"{index}?due=tomorrow",
            "index_url": index,
        }


MAX_UNWATCHED_SHOWN = 12


def _unwatched(user) -> dict | None:
    """For who assigns staff scopes: the communities whose reports nobody would see."""
    if not user.has_perm("feedback.change_staffscope"):
        return None
    communities = list(unwatched_communities()[: MAX_UNWATCHED_SHOWN + 1])
    if not communities:
        return None
    return {
        "communities": communities[:MAX_UNWATCHED_SHOWN],
        "more": len(communities) > MAX_UNWATCHED_SHOWN,
        "url": reverse("feedback_staffscope_modeladmin_index"),
    }


def add_queue_panel(request, panels) -> None:
    if request.user.has_perm("feedback.view_complaint"):
        panels.append(ComplaintQueuePanel(request))
