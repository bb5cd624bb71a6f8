"""Admin screens for trust records: blocked phones and the personal-data audit log.

Registered by ``feedback.wagtail_hooks``. The audit log is read-only for everybody
(superusers and holders of ``feedback.view_auditentry`` may read it, and export what the
list shows as CSV or XLSX, each export itself an audit entry); entries are only ever
written by ``services.record_audit``. The trust actions on one report (release,
block its sender, erase) are screens of the complaint queue (``complaints.admin_views``).
"""

from collections import OrderedDict

from django import forms
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.options import ModelAdminGroup
from wagtail_modeladmin.views import DeleteView

from portal.personal_data import is_mobile, normalise_phone
from portal.spreadsheet import safe_cell

from ..common.admin import CheckedFilterIndexView, PortalModelAdmin, ReadOnlyPermissionHelper, YesNoFilter
from .models import AuditAction, AuditEntry, BlockedPhone
from .selectors import can_read_audit_log, is_phone_blocked
from .services import BlocklistError, block_phone, record_audit, unblock_phone


class BlockedPhoneForm(WagtailAdminModelForm):
    phone = forms.CharField(
        label="手机号",
        max_length=20,
        help_text="只保存加密摘要和隐去中间四位的号码；此后该号码提交的反映会被暂缓，不通知任何人。",
    )

    class Meta:
        model = BlockedPhone
        fields = ["reason"]

    def __init__(self, *args, for_user=None, **kwargs):
        self.for_user = for_user
        super().__init__(*args, for_user=for_user, **kwargs)

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if not is_mobile(phone):
            raise forms.ValidationError("请填写 11 位手机号码，如 13812345678。")
        if is_phone_blocked(phone):
            raise forms.ValidationError("该手机号已在屏蔽名单中。")
        return phone

    def save(self, commit=True):
        try:
            return block_phone(
                phone=self.cleaned_data["phone"], reason=self.cleaned_data["reason"], actor=self.for_user
            )
        except BlocklistError as error:  # lost a race with another moderator
            raise forms.ValidationError(str(error)) from error


class UnblockView(DeleteView):
    def delete_instance(self):
        unblock_phone(blocked=self.instance, actor=self.request.user)


class BlockedPhoneAdmin(PortalModelAdmin):
    model = BlockedPhone
    menu_label = "屏蔽手机号"
    menu_icon = "cross"
    list_display = ("phone_masked", "reason", "created_by", "created_at")
    search_fields = ("reason",)
    delete_view_class = UnblockView
    edit_handler = ObjectList([FieldPanel("phone"), FieldPanel("reason")], base_form_class=BlockedPhoneForm)


class AuditLogPermissionHelper(ReadOnlyPermissionHelper):
    def user_can_list(self, user):
        return can_read_audit_log(user)

    def user_can_inspect_obj(self, user, obj):
        return can_read_audit_log(user)


class ActorFilter(YesNoFilter):
    title = "操作人"
    parameter_name = "system"
    answers = ("系统（定时任务）", "工作人员")
    condition = Q(actor__isnull=True)


class AuditLogIndexView(CheckedFilterIndexView):
    """The log, and its export (``?export=csv|xlsx``) of exactly what the list shows:
    written to the log itself before the file is made, every cell formula-safe."""

    def as_spreadsheet(self, queryset, spreadsheet_format):
        record_audit(
            action=AuditAction.EXPORT_AUDIT,
            actor=self.request.user,
            count=queryset.count(),
            detail=f"{spreadsheet_format} {self.request.GET.urlencode()}",
        )
        response = super().as_spreadsheet(queryset, spreadsheet_format)
        response["Cache-Control"] = "private, no-store"
        return response

    @property
    def export_headings(self):
        return self.model_admin.export_headings

    def stream_csv(self, queryset):
        yield "\ufeff"  # so Excel on Windows opens the Chinese text correctly
        yield from super().stream_csv(queryset)

    def to_row_dict(self, item):
        return OrderedDict((field, safe_cell(value)) for field, value in super().to_row_dict(item).items())


class AuditEntryAdmin(PortalModelAdmin):
    model = AuditEntry
    menu_label = "个人信息操作记录"
    menu_icon = "history"
    permission_helper_class = AuditLogPermissionHelper
    index_view_class = AuditLogIndexView
    inspect_view_enabled = True
    list_display = ("at", "actor", "action", "reference", "count", "detail")
    list_filter = ("action", ActorFilter, "at")
    search_fields = ("reference", "detail")
    list_per_page = 100
    list_export = ("at_local", "actor_name", "action_label", "reference", "count", "detail")
    export_headings = {
        "at_local": "时间",
        "actor_name": "操作人",
        "action_label": "操作",
        "reference": "反映编号",
        "count": "涉及条数",
        "detail": "说明",
    }
    export_filename = "audit-log"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def at_local(self, obj):
        return timezone.localtime(obj.at).strftime("%Y-%m-%d %H:%M:%S")

    def actor_name(self, obj):
        return obj.actor.get_username() if obj.actor else "系统（定时任务）"

    def action_label(self, obj):
        return obj.get_action_display()


class TrustGroup(ModelAdminGroup):
    menu_label = "个人信息与安全"
    menu_icon = "lock"
    menu_order = 210
    items = (BlockedPhoneAdmin, AuditEntryAdmin)
