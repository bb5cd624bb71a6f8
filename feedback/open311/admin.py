"""The staff screen of API clients (接口接入方): create one (its key is shown once, on the
answer to the form, never again), change its name, access or communities, give it a new
key, or revoke its key. Clients are never deleted: the reports they filed point at them.
Registered by ``feedback.wagtail_hooks``."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.views import CreateView

from home.models import Community

from ..common.admin import PortalModelAdmin
from . import keys
from .models import ApiClient


class ApiClientForm(WagtailAdminModelForm):
    communities = forms.ModelMultipleChoiceField(
        label="可访问的社区",
        queryset=Community.objects.order_by("street__name", "name"),
        widget=forms.CheckboxSelectMultiple,
        help_text="只能查询和提交这些社区的反映。",
        error_messages={"required": "请至少选择一个社区。"},
    )

    class Meta:
        model = ApiClient
        fields = ["name", "contact", "access", "communities"]


class ApiClientCreateView(CreateView):
    def form_valid(self, form):
        data = form.cleaned_data
        client, key = keys.create_client(
            name=data["name"], contact=data["contact"], access=data["access"], communities=data["communities"]
        )
        return key_page(self.request, client, key)


def key_page(request, client: ApiClient, key: str):
    """The one answer that shows the key; not cached anywhere."""
    response = TemplateResponse(
        request,
        "feedback/open311/admin/key_issued.html",
        {"client": client, "key": key, "index_url": reverse("feedback_apiclient_modeladmin_index")},
    )
    response["Cache-Control"] = "private, no-store"
    return response


class ApiClientPermissionHelper(PermissionHelper):
    def user_can_delete_obj(self, user, obj):
        return False


class ApiClientButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        if not self.permission_helper.user_can_edit_obj(self.request.user, obj):
            return []
        buttons = [self.edit_button(obj.pk, classnames_add, classnames_exclude)]
        buttons.append(
            {
                "url": reverse("open311_client_rotate", args=[obj.pk]),
                "label": "换新密钥",
                "classname": "button button-small button-secondary",
                "title": f"给“{obj.name}”换一个新密钥（旧密钥立即失效）",
            }
        )
        if obj.active:
            buttons.append(
                {
                    "url": reverse("open311_client_revoke", args=[obj.pk]),
                    "label": "停用密钥",
                    "classname": "button button-small button-secondary no",
                    "title": f"停用“{obj.name}”的密钥",
                }
            )
        return buttons


class ApiClientAdmin(PortalModelAdmin):
    model = ApiClient
    menu_label = "接口接入方"
    menu_icon = "link"
    permission_helper_class = ApiClientPermissionHelper
    button_helper_class = ApiClientButtonHelper
    create_view_class = ApiClientCreateView
    # Few columns, short words: the list stays readable on a phone.
    list_display = ("name", "access_short", "key_status", "community_names", "last_used_at")
    list_filter = ("access",)
    search_fields = ("name", "contact")

    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("contact"), FieldPanel("access"), FieldPanel("communities")],
        base_form_class=ApiClientForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("communities")

    def access_short(self, obj):
        return "读写" if obj.can_write else "只读"

    access_short.short_description = "权限"

    def key_status(self, obj):
        tag = (
            '<span class="status-tag primary">有效</span>'
            if obj.active
            else '<span class="status-tag">已停用</span>'
        )
        return format_html(tag + '<br><code style="white-space: nowrap">{}…</code>', obj.key_prefix[5:])

    key_status.short_description = "密钥"

    def community_names(self, obj):
        names = [c.name for c in obj.communities.all()]
        return "、".join(names) if len(names) <= 3 else f"{'、'.join(names[:2])}等 {len(names)} 个"

    community_names.short_description = "社区"


def _confirm(request, client, *, title, text, button):
    return TemplateResponse(
        request,
        "feedback/open311/admin/confirm.html",
        {
            "client": client,
            "title": title,
            "text": text,
            "button": button,
            "index_url": reverse("feedback_apiclient_modeladmin_index"),
        },
    )


@permission_required("feedback.change_apiclient", raise_exception=True)
def rotate(request, pk: int):
    client = get_object_or_404(ApiClient, pk=pk)
    if request.method == "POST":
        return key_page(request, client, keys.issue_key(client=client))
    return _confirm(
        request,
        client,
        title="换新密钥",
        text="换新后旧密钥立即失效，接入方需要改用新密钥。新密钥只显示一次。",
        button="换新密钥",
    )


@permission_required("feedback.change_apiclient", raise_exception=True)
def revoke(request, pk: int):
    client = get_object_or_404(ApiClient, pk=pk)
    if request.method == "POST":
        keys.revoke_key(client=client)
        messages.success(request, f"已停用“{client.name}”的密钥。")
        return redirect("feedback_apiclient_modeladmin_index")
    return _confirm(
        request,
        client,
        title="停用密钥",
        text="停用后这个密钥的所有请求都会被拒绝（403）。需要时可以再换新密钥恢复接入。",
        button="停用密钥",
    )


def admin_urls() -> list:
    return [
        path("open311/client/<int:pk>/rotate/", rotate, name="open311_client_rotate"),
        path("open311/client/<int:pk>/revoke/", revoke, name="open311_client_revoke"),
    ]
