from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Community, Grid, SearchSynonym, Street
from .page_feedback import admin_views as page_feedback_admin


class StreetViewSet(SnippetViewSet):
    # The admin list searches its own columns in the database: modelsearch's SQLite
    # autocomplete fails on these indexed models (OperationalError, a 500 for any ?q=).
    search_backend_name = None
    model = Street
    icon = "site"
    list_display = ["name", "district", "phone"]
    search_fields = ["name"]


class CommunityViewSet(SnippetViewSet):
    # The admin list searches its own columns in the database: modelsearch's SQLite
    # autocomplete fails on these indexed models (OperationalError, a 500 for any ?q=).
    search_backend_name = None
    model = Community
    icon = "home"
    list_display = ["name", "street", "phone", "households"]
    list_filter = ["street"]
    search_fields = ["name"]


class GridViewSet(SnippetViewSet):
    # The admin list searches its own columns in the database: modelsearch's SQLite
    # autocomplete fails on these indexed models (OperationalError, a 500 for any ?q=).
    search_backend_name = None
    model = Grid
    icon = "table"
    list_display = ["name", "community", "worker_name", "worker_phone"]
    list_filter = ["community"]
    search_fields = ["name", "worker_name"]


class RegionViewSetGroup(SnippetViewSetGroup):
    menu_label = "区域"
    menu_icon = "site"
    menu_order = 900
    items = (StreetViewSet, CommunityViewSet, GridViewSet)


register_snippet(RegionViewSetGroup)


class SearchSynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    icon = "search"
    menu_label = "搜索同义词"
    menu_order = 910
    add_to_admin_menu = True
    list_display = ["words", "note"]
    search_fields = ["words"]


register_snippet(SearchSynonymViewSet)


@hooks.register("register_admin_urls")
def page_feedback_urls():
    return [path("page-feedback/", page_feedback_admin.report, name="page_feedback_report")]


@hooks.register("register_reports_menu_item")
def page_feedback_menu_item():
    return PermissionMenuItem("页面有用吗", reverse("page_feedback_report"), icon_name="help", order=900)


class PermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(page_feedback_admin.PERMISSION)
