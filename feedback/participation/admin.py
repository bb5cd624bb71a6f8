"""Staff screens for 需求清单, 微心愿 and 资源清单, scoped by community like complaints.

Needs and wishes change only through the action view here (``participation_action``),
which calls ``services``; names and phones are masked for staff without
``feedback.view_personal_data``. Resources are plain staff-managed records.
"""

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from portal.personal_data import mask_name, mask_personal_data, mask_phone

from ..common.admin import PortalModelAdmin, ReadOnlyPermissionHelper
from ..common.scopes import can_see_personal_data, communities_for
from . import services
from .models import Need, NeedState, Resource, TakerKind, Wish, WishState

FORBIDDEN = "您没有处理居民参与事项的权限。"


def _masked(user, *, name: str, phone: str) -> tuple[str, str]:
    if can_see_personal_data(user):
        return name, phone
    return mask_name(name), mask_phone(phone) if phone else ""


class _ScopedAdmin(PortalModelAdmin):
    permission_helper_class = ReadOnlyPermissionHelper
    inspect_view_enabled = False
    list_per_page = 50

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(community__in=communities_for(request.user))
            .select_related("community")
        )

    def action_cell(self, obj):
        url = reverse("participation_action", args=[self.model._meta.model_name, obj.pk])
        return format_html('<a class="button button-small" href="{}">查看/处理</a>', url)

    action_cell.short_description = "操作"

    def masked_phone(self, obj):
        return mask_phone(obj.phone) if obj.phone else "—"

    masked_phone.short_description = "手机号"


class NeedAdmin(_ScopedAdmin):
    model = Need
    menu_label = "需求清单（居民点单）"
    menu_icon = "list-ul"
    list_display = (
        "created_at",
        "kind",
        "community",
        "excerpt",
        "state",
        "taker_name",
        "masked_phone",
        "action_cell",
    )
    list_filter = ("state", "kind", "community", "taker_kind")
    search_fields = ("description", "public_text", "taker_name")

    def excerpt(self, obj):
        # The typed description may hold names and numbers: staff lists show it masked.
        return mask_personal_data(obj.description)[:40]

    excerpt.short_description = "需求"


class WishAdmin(_ScopedAdmin):
    model = Wish
    menu_label = "微心愿"
    menu_icon = "pick"
    list_display = (
        "created_at",
        "title",
        "community",
        "value_yuan",
        "state",
        "public_name",
        "claimer_name",
        "action_cell",
    )
    list_filter = ("state", "community", "posted_by_staff")
    search_fields = ("title", "public_text", "claimer_name")


class ResourceAdmin(PortalModelAdmin):
    model = Resource
    menu_label = "资源清单"
    menu_icon = "site"
    list_display = ("title", "provider", "kind", "community", "active")
    list_filter = ("kind", "community", "active")
    search_fields = ("title", "provider", "description")
    form_fields_exclude = ("search_text", "is_demo")

    def get_queryset(self, request):
        # Street-wide resources (no community) are every community's staff's to keep.
        scope = communities_for(request.user)
        return super().get_queryset(request).filter(Q(community__in=scope) | Q(community__isnull=True))


# --- The action view ------------------------------------------------------------------------


class ListForm(forms.Form):
    public_text = forms.CharField(
        label="公开文本",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="公开展示的文字：已自动隐去检测到的姓名、电话、门牌号，请再核对。",
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(label="原因（居民可见）", max_length=200)


class TakeForm(forms.Form):
    taker_kind = forms.ChoiceField(label="接单方类型", choices=TakerKind.choices)
    taker_name = forms.CharField(label="接单单位/志愿者（单位公开全称，个人只公开姓氏）", max_length=60)


class NoteForm(forms.Form):
    note = forms.CharField(label="完成情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EmptyForm(forms.Form):
    pass


NEED_ACTIONS = {
    NeedState.SUBMITTED: [("list", "支部下单（列入清单）", ListForm), ("decline", "不予列入", DeclineForm)],
    NeedState.LISTED: [
        ("take", "登记接单", TakeForm),
        ("decline", "撤下", DeclineForm),
        ("edit", "修改公开文本", ListForm),
    ],
    NeedState.TAKEN: [("complete", "登记完成", NoteForm)],
}
WISH_ACTIONS = {
    WishState.SUBMITTED: [("list", "审核上墙", ListForm), ("decline", "不予上墙", DeclineForm)],
    WishState.LISTED: [("decline", "撤下", DeclineForm)],
    WishState.CLAIMED: [("fulfil", "登记已实现", EmptyForm), ("release", "取消认领，重新上墙", EmptyForm)],
}


def _perform(kind: str, action: str, obj, data, actor):
    if kind == "need":
        calls = {
            "list": lambda: services.list_need(need=obj, public_text=data["public_text"], actor=actor),
            "edit": lambda: services.update_need_public_text(
                need=obj, public_text=data["public_text"], actor=actor
            ),
            "decline": lambda: services.decline_need(need=obj, reason=data["reason"], actor=actor),
            "take": lambda: services.take_need(
                need=obj, taker_name=data["taker_name"], taker_kind=data["taker_kind"], actor=actor
            ),
            "complete": lambda: services.complete_need(need=obj, note=data["note"], actor=actor),
        }
    else:
        calls = {
            "list": lambda: services.list_wish(wish=obj, public_text=data["public_text"], actor=actor),
            "decline": lambda: services.decline_wish(wish=obj, reason=data["reason"], actor=actor),
            "fulfil": lambda: services.fulfil_wish(wish=obj, actor=actor),
            "release": lambda: services.release_wish(wish=obj, actor=actor),
        }
    return calls[action]()


def participation_action(request, kind: str, pk: int):
    models = {"need": (Need, NEED_ACTIONS), "wish": (Wish, WISH_ACTIONS)}
    if kind not in models:
        raise Http404
    model, table = models[kind]
    if not request.user.has_perm(f"feedback.change_{kind}"):
        return HttpResponseForbidden(FORBIDDEN)
    obj = get_object_or_404(
        model.objects.filter(community__in=communities_for(request.user)).select_related("community"), pk=pk
    )
    actions = table.get(obj.state, [])
    chosen = request.POST.get("action", "")
    forms_by_action = {}
    for action, label, form_class in actions:
        bound = request.method == "POST" and action == chosen
        initial = {
            "public_text": obj.public_text or mask_personal_data(getattr(obj, "description", "") or "")
        }
        if kind == "wish" and not obj.public_text:
            initial["public_text"] = mask_personal_data(f"{obj.title}。{obj.description}")
        form = form_class(request.POST if bound else None, initial=initial, prefix=action)
        if bound and form.is_valid():
            try:
                _perform(kind, action, obj, form.cleaned_data, request.user)
            except services.TransitionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{label}：已完成。")
                return redirect("participation_action", kind=kind, pk=pk)
        forms_by_action[action] = (label, form)
    name, phone = _masked(request.user, name=obj.name, phone=obj.phone)
    context = {
        "obj": obj,
        "kind": kind,
        "forms": forms_by_action,
        "shown_name": name,
        "shown_phone": phone,
        "shown_claimer_phone": _masked(request.user, name="", phone=getattr(obj, "claimer_phone", ""))[1],
        "description": obj.description
        if can_see_personal_data(request.user)
        else mask_personal_data(obj.description),
        "events": obj.events.all() if kind == "need" else [],
        "back_url": reverse(f"feedback_{kind}_modeladmin_index"),
    }
    return TemplateResponse(request, "participation/admin/action.html", context)


def admin_urls() -> list:
    return [path("participation/<slug:kind>/<int:pk>/", participation_action, name="participation_action")]
