from django.template.loader import render_to_string
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.search import SEARCH_TYPES_HOOK, SearchType
from home.sections import HOOK_NAME, HomeSection

from . import selectors
from .choosers import notice_chooser_viewset
from .models import NoticeCategory, NoticePage, ResidentReportPage


class NoticeCategoryViewSet(SnippetViewSet):
    model = NoticeCategory
    icon = "tag"
    menu_label = "通知分类"
    menu_order = 910
    add_to_admin_menu = True
    list_display = ["name", "slug", "sort_order"]


register_snippet(NoticeCategoryViewSet)


@hooks.register("register_admin_viewset")
def register_notice_chooser():
    return notice_chooser_viewset


@hooks.register(HOOK_NAME)
def notices_home_section(request):
    important, latest = selectors.home_notices()
    if not important and not latest:
        return None
    html = render_to_string(
        "notices/includes/home_section.html",
        {
            "important_notices": important,
            "latest_notices": latest,
            # The index is the notices' parent: its URL needs no query of its own.
            "index_url": (important or latest)[0].url.rstrip("/").rsplit("/", 1)[0] + "/",
        },
        request=request,
    )
    return HomeSection(order=20, html=html)


@hooks.register(SEARCH_TYPES_HOOK)
def notices_search_types():
    return [
        SearchType("notice", "通知公告", (NoticePage,), order=10),
        SearchType("report", "向居民报告", (ResidentReportPage,), order=40),
    ]
