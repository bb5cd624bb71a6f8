"""Admin parts every concern of feedback uses: two-answer list filters, read-only
permissions, and the screen of staff scopes (who sees which communities)."""

from django.contrib.admin import SimpleListFilter
from django.db.models import Q
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin

from .scopes import StaffScope


class StaffScopeAdmin(ModelAdmin):
    model = StaffScope
    menu_label = "工作人员负责范围"
    menu_icon = "lock"
    list_display = ("user", "all_communities")
    form_fields_exclude = ()


class YesNoFilter(SimpleListFilter):
    """A list filter with two answers: the rows that match ``condition`` and the others.
    Subclasses set ``title``, ``parameter_name``, ``answers`` (yes label, no label) and
    ``condition``, or override :meth:`matching` and :meth:`others`."""

    answers: tuple[str, str] = ("是", "否")
    condition: Q | None = None

    def lookups(self, request, model_admin):
        return [("yes", self.answers[0]), ("no", self.answers[1])]

    def matching(self, queryset):
        return queryset.filter(self.condition)

    def others(self, queryset):
        return queryset.exclude(self.condition)

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return self.matching(queryset)
        if self.value() == "no":
            return self.others(queryset)
        return queryset


class ReadOnlyPermissionHelper(PermissionHelper):
    """Records that change only through their own action views, never the stock forms."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False
