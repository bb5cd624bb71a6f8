"""The admin screen of staff scopes (who sees which communities), in the 居民反映 group."""

from wagtail_modeladmin.options import ModelAdmin

from .scopes import StaffScope


class StaffScopeAdmin(ModelAdmin):
    model = StaffScope
    menu_label = "工作人员负责范围"
    menu_icon = "lock"
    list_display = ("user", "all_communities")
    form_fields_exclude = ()
