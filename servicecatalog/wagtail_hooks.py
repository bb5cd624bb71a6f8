from django.template.loader import render_to_string
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from home.communities import COMMUNITY_SECTIONS_HOOK
from home.intents import INTENT_TARGETS_HOOK
from home.search import SEARCH_TYPES_HOOK, SearchType
from home.sections import HOOK_NAME, HomeSection

from .communities import community_stations_section
from .intents import station_answers
from .models import ServiceAudience, ServiceCategory, ServiceItemPage, StationPage
from .selectors import featured_services


class ServiceCategoryViewSet(SnippetViewSet):
    model = ServiceCategory
    icon = "folder-open-inverse"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


class ServiceAudienceViewSet(SnippetViewSet):
    model = ServiceAudience
    icon = "group"
    list_display = ["name", "slug", "sort_order"]


class CatalogueViewSetGroup(SnippetViewSetGroup):
    menu_label = "办事指南设置"
    menu_icon = "list-ul"
    menu_order = 300
    items = (ServiceCategoryViewSet, ServiceAudienceViewSet)


register_snippet(CatalogueViewSetGroup)


@hooks.register(HOOK_NAME)
def featured_services_section(request):
    services = featured_services(limit=6)
    if not services:
        return None
    html = render_to_string(
        "servicecatalog/includes/home_featured.html", {"services": services, "request": request}
    )
    return HomeSection(order=30, html=html)


@hooks.register(SEARCH_TYPES_HOOK)
def catalogue_search_types():
    return [
        SearchType("service", "办事指南", (ServiceItemPage,), order=20),
        SearchType("station", "红色驿站", (StationPage,), order=30),
    ]


@hooks.register(INTENT_TARGETS_HOOK)
def station_intent_targets():
    return {"stations": station_answers}


hooks.register(COMMUNITY_SECTIONS_HOOK, community_stations_section)
