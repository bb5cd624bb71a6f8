"""Admin parts every concern of feedback uses: list filters that never fail on bad
input, two-answer list filters, the row checkbox of a bulk form, read-only permissions, and the screen of staff scopes
(who sees which communities).

wagtail_modeladmin hands the query string to the ORM as it comes: ``?community__id__exact=abc``
or ``?created_at__gte=notadate`` raise ``IncorrectLookupParameters`` (a 500), and a
21-digit id passes the filter and overflows SQLite's integers (or PostgreSQL's) when the
list is rendered. :func:`lookups.clean_filter_params` checks every lookup against the model's
field before any query: a value the field cannot hold, an unknown field or lookup, a
NUL byte are dropped, and the list says in Chinese which filter was ignored.
:class:`PortalModelAdmin` (the base of every feedback ModelAdmin) uses it for its list
and its built-in exports; the complaint export view calls it for its own filters.
"""

from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.core.paginator import InvalidPage
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.html import format_html
from wagtail.admin.paginator import WagtailPaginator
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import IndexView

from .lookups import clean_filter_params, ignored_filters_message
from .scopes import StaffScope


class CheckedFilterIndexView(IndexView):
    """The modeladmin list (and its CSV/XLSX export) with bad filter values ignored and
    said, instead of a 500."""

    def dispatch(self, request, *args, **kwargs):
        simple = [f.parameter_name for f in self.model_admin.get_list_filter(request) if _is_simple(f)]
        cleaned, dropped = clean_filter_params(self.model, request.GET, simple_params=simple)
        if dropped:
            request.GET = cleaned
            messages.warning(request, ignored_filters_message(dropped))
        return super().dispatch(request, *args, **kwargs)


# A queue says "1000+" rather than count a million rows three times per page view.
COUNT_CAP = 1000


def capped_count(queryset, cap: int = COUNT_CAP) -> int:
    """``queryset.count()``, but at most ``cap + 1``: counting stops there, so the
    cost is that of ``cap`` rows read from an index, not of the whole table. Only the
    key is selected: the list's annotations (followers, lights, repeats) stay in the
    count only where a filter uses them (10 ms -> 2.5 ms for a community's queue)."""
    return queryset.values("pk")[: cap + 1].count()


def shown_count(count: int, cap: int = COUNT_CAP) -> int | str:
    return f"{cap}+" if count > cap else count


class CappedPaginator(WagtailPaginator):
    """Pages through the first ``COUNT_CAP`` rows (and one more); staff reach older
    ones with the filters and the search, as they would anyway in a list that long."""

    @cached_property
    def count(self):
        return capped_count(self.object_list)


class CappedCountIndexView(IndexView):
    """The modeladmin list with its counts capped at ``COUNT_CAP``.

    wagtail_modeladmin counts the whole list, the filtered list and again for the
    paginator on every view: three scans of every row (~450 ms at a million reports).
    Here the filtered count is done once and capped, and the whole list is counted
    (capped) only when filters or a search narrow it. Shown as "1000+" past the cap."""

    paginator_class = CappedPaginator

    def get_context_data(self, **kwargs):
        queryset = self.get_queryset()
        paginator = self.paginator_class(queryset, self.items_per_page)
        result_count = paginator.count
        narrowed = bool(set(self.request.GET) - {self.PAGE_VAR, self.ORDER_VAR})
        all_count = capped_count(self.get_base_queryset()) if narrowed else result_count
        try:
            page_obj = paginator.page(self.page_num)
        except InvalidPage:
            page_obj = paginator.page(1)
        context = {
            "view": self,
            "all_count": shown_count(all_count),
            "result_count": shown_count(result_count),
            "paginator": paginator,
            "page_obj": page_obj,
            "elided_page_range": paginator.get_elided_page_range(self.page_num),
            "object_list": page_obj.object_list,
            "user_can_create": self.permission_helper.user_can_create(self.request.user),
            "show_search": self.search_handler.show_search_form,
            **kwargs,
        }
        # IndexView's own get_context_data would count everything again: skip to its base.
        return super(IndexView, self).get_context_data(**context)


def _is_simple(list_filter) -> bool:
    return isinstance(list_filter, type) and issubclass(list_filter, SimpleListFilter)


class PortalModelAdmin(ModelAdmin):
    """Every feedback list uses :class:`CheckedFilterIndexView`."""

    index_view_class = CheckedFilterIndexView


class StaffScopeAdmin(PortalModelAdmin):
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


def bulk_select_box(obj, *, form: str, label: str):
    """A listing row's checkbox; it belongs to the bulk form ``form`` above the listing
    (the HTML ``form`` attribute), so the listing's own markup stays Wagtail's."""
    return format_html(
        '<input type="checkbox" name="ids" value="{}" form="{}" aria-label="{}">', obj.pk, form, label
    )
