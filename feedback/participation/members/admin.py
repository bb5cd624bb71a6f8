"""Staff screens of participation in the Wagtail admin: registrations (members, units),
service hours and redemptions to decide, the rules, the catalogue and the read-only ledger.

Lists are scoped by community (``feedback.common.scopes``); phones are masked unless the
user may see personal data. Decisions go through one decide view that calls the services.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail_modeladmin.options import ModelAdminGroup

from portal.personal_data import mask_phone

from ...common.admin import PortalModelAdmin, ReadOnlyPermissionHelper
from ...common.scopes import can_see_personal_data, communities_for
from ..points import services as point_services
from ..points.models import PointEntry, PointRule, Redemption, RedemptionState, RewardItem
from . import services as member_services
from .models import HoursState, Member, Registration, ServiceHours, Unit


class ScopedAdmin(PortalModelAdmin):
    community_path = "community"
    permission_helper_class = ReadOnlyPermissionHelper
    decide_kind = ""

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(**{f"{self.community_path}__in": communities_for(request.user)})
        )

    def decide_link(self, obj):
        if getattr(obj, self.state_field) != "pending":
            return "—"
        url = reverse("participation_decide", args=[self.decide_kind, obj.pk])
        return format_html('<a class="button button-small" href="{}">审核</a>', url)

    decide_link.short_description = "操作"


def _phone_column(field):
    def column(self, obj):
        phone = getattr(obj, field)
        return phone if can_see_personal_data(self._request_user) else mask_phone(phone)

    column.short_description = "手机号"
    return column


class PhoneMaskingMixin:
    def get_list_display(self, request):
        self._request_user = request.user
        return super().get_list_display(request)


class MemberAdmin(PhoneMaskingMixin, ScopedAdmin):
    model = Member
    menu_label = "志愿者与党员报到"
    menu_icon = "user"
    decide_kind, state_field = "member", "registration"
    list_display = (
        "display_name",
        "kind",
        "phone_column",
        "community",
        "unit",
        "registration",
        "decide_link",
    )
    list_filter = ("registration", "kind", "community")
    search_fields = ("display_name",)
    phone_column = _phone_column("phone")


class UnitAdmin(PhoneMaskingMixin, ScopedAdmin):
    model = Unit
    menu_label = "驻区单位报到"
    menu_icon = "group"
    decide_kind, state_field = "unit", "registration"
    list_display = ("name", "contact_name", "phone_column", "community", "registration", "decide_link")
    list_filter = ("registration", "community")
    search_fields = ("name",)
    phone_column = _phone_column("contact_phone")


class ServiceHoursAdmin(ScopedAdmin):
    model = ServiceHours
    menu_label = "服务时长确认"
    menu_icon = "time"
    decide_kind, state_field = "hours", "state"
    list_display = ("activity", "member", "unit", "served_on", "hours", "community", "state", "decide_link")
    list_filter = ("state", "community")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member", "unit", "community")


class RedemptionAdmin(ScopedAdmin):
    model = Redemption
    menu_label = "积分兑换确认"
    menu_icon = "pick"
    community_path = "member__community"
    decide_kind, state_field = "redemption", "state"
    list_display = ("item", "member", "points", "created_at", "state", "decide_link")
    list_filter = ("state",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item", "member")


class PointEntryAdmin(ScopedAdmin):
    """The ledger, to read: no add, edit or delete here (it is append-only)."""

    model = PointEntry
    menu_label = "积分流水"
    menu_icon = "list-ul"
    community_path = "member__community"
    list_display = ("created_at", "member", "delta", "kind", "source_id", "note")
    list_filter = ("kind",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")


class PointRuleAdmin(PortalModelAdmin):
    model = PointRule
    menu_label = "积分规则"
    menu_icon = "cog"
    list_display = ("source", "points", "yearly_cap", "active")


class RewardItemAdmin(PortalModelAdmin):
    model = RewardItem
    menu_label = "积分兑换项目"
    menu_icon = "tag"
    list_display = ("name", "points_cost", "stock", "community", "active")
    list_filter = ("active",)


class ParticipationGroup(ModelAdminGroup):
    menu_label = "志愿服务与积分"
    menu_icon = "group"
    menu_order = 215
    items = (
        MemberAdmin,
        UnitAdmin,
        ServiceHoursAdmin,
        RedemptionAdmin,
        PointEntryAdmin,
        PointRuleAdmin,
        RewardItemAdmin,
    )


class DecideForm(forms.Form):
    note = forms.CharField(label="说明（不通过时必填）", max_length=200, required=False)


def _act(kind, obj, user, approve, note):
    if kind in ("member", "unit"):
        return member_services.decide_registration(registration=obj, actor=user, verified=approve, note=note)
    if kind == "hours":
        return member_services.decide_hours(hours=obj, actor=user, confirmed=approve, note=note)
    if approve:
        return point_services.confirm_redemption(redemption=obj, actor=user)
    return point_services.refuse_redemption(redemption=obj, actor=user, reason=note)


DECIDE = {
    "member": (Member, "community_id", "志愿者与党员报到", Registration.PENDING, "registration"),
    "unit": (Unit, "community_id", "驻区单位报到", Registration.PENDING, "registration"),
    "hours": (ServiceHours, "community_id", "服务时长", HoursState.PENDING, "state"),
    "redemption": (Redemption, "member__community_id", "积分兑换", RedemptionState.PENDING, "state"),
}


def decide(request, kind: str, pk: int):
    if kind not in DECIDE:
        raise PermissionDenied
    model, community_field, title, _pending, _state = DECIDE[kind]
    scope = communities_for(request.user).values("pk")
    obj = get_object_or_404(model.objects.filter(**{f"{community_field}__in": scope}), pk=pk)
    form = DecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = "approve" in request.POST
        try:
            _act(kind, obj, request.user, approve, form.cleaned_data["note"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error("note", sum(error.message_dict.values(), []))
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, f"{title}已{'通过' if approve else '退回'}。")
            return redirect(f"feedback_{model._meta.model_name}_modeladmin_index")
    context = {"form": form, "obj": obj, "title": f"审核{title}", "kind": kind}
    return render(request, "feedback/participation/admin/decide.html", context)


def admin_urls() -> list:
    return [path("participation/decide/<slug:kind>/<int:pk>/", decide, name="participation_decide")]
