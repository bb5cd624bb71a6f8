"""What Wagtail discovers here: the admin menus, the admin URLs and the dashboard panel.

Each concern keeps its screens in its own admin module; this module only puts them in
their menu groups and registers them.
"""

from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from wagtail import hooks
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.models import Page
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from home.communities import COMMUNITY_SECTIONS_HOOK
from home.forms import COMMUNITY_CHOICES_HOOK
from home.intents import INTENT_TARGETS_HOOK
from home.sections import HOOK_NAME as HOME_SECTIONS_HOOK
from home.sections import HomeSection

from .common import pages as page_scope
from .common.admin import StaffScopeAdmin
from .common.scopes import communities_for
from .complaints import admin as complaints_admin
from .complaints import calendar_admin, unit_admin
from .complaints.intents import report_answers
from .deliberation import admin as deliberation_admin
from .deliberation import selectors as deliberation_selectors
from .evaluations import admin as evaluations_admin
from .evaluations.models import PropertyCompany
from .open311 import admin as open311_admin
from .participation import admin as participation_admin
from .participation import selectors as participation_selectors
from .participation.members import admin as members_admin
from .trust.admin import TrustGroup


class FeedbackGroup(ModelAdminGroup):
    menu_label = "居民反映"
    menu_icon = "mail"
    menu_order = 200
    items = (
        complaints_admin.ComplaintAdmin,
        evaluations_admin.EvaluationAdmin,
        complaints_admin.ComplaintCategoryAdmin,
        complaints_admin.HandlingUnitAdmin,
        complaints_admin.ResponseTemplateAdmin,
        calendar_admin.HolidayCalendarAdmin,
        StaffScopeAdmin,
        open311_admin.ApiClientAdmin,
    )


# Registered before any admin view asks for the page policy (Wagtail's advice).
register_permission_policy(Page, page_scope.CommunityPagePermissionPolicy(Page))


class ParticipationGroup(ModelAdminGroup):
    menu_label = "居民参与"
    menu_icon = "group"
    menu_order = 210
    items = (participation_admin.NeedAdmin, participation_admin.WishAdmin, participation_admin.ResourceAdmin)


modeladmin_register(FeedbackGroup)
modeladmin_register(ParticipationGroup)
modeladmin_register(members_admin.ParticipationGroup)
modeladmin_register(TrustGroup)
modeladmin_register(deliberation_admin.TopicAdmin)
register_snippet(PropertyCompany)


@hooks.register("register_admin_urls")
def register_feedback_admin_urls():
    return (
        complaints_admin.admin_urls()
        + evaluations_admin.admin_urls()
        + participation_admin.admin_urls()
        + members_admin.admin_urls()
        + deliberation_admin.admin_urls()
        + unit_admin.admin_urls()
        + open311_admin.admin_urls()
    )


@hooks.register("construct_homepage_panels")
def add_complaint_queue_panel(request, panels):
    complaints_admin.add_queue_panel(request, panels)


# -- community workers edit only their communities' pages (common.pages) --------------------


def _forbid_unless(request, allowed: bool):
    # A response stops Wagtail's view; PermissionDenied would redirect to the dashboard instead.
    if not allowed:
        return TemplateResponse(request, "feedback/admin/page_forbidden.html", status=403)
    return None


@hooks.register("before_edit_page")
@hooks.register("before_delete_page")
@hooks.register("before_unpublish_page")
@hooks.register("before_convert_alias_page")
def only_own_community_page(request, page):
    return _forbid_unless(request, page_scope.may_edit_page(request.user, page))


@hooks.register("before_create_page")
def only_under_own_community_page(request, parent_page, page_class):
    return _forbid_unless(request, page_scope.may_create_under(request.user, parent_page, page_class))


@hooks.register("before_copy_page")
@hooks.register("before_move_page")
def only_own_community_page_moved(request, page, *destination):
    allowed = page_scope.may_edit_page(request.user, page)
    if destination:  # the move view gives the destination; copy chooses it in its form
        allowed = allowed and page_scope.may_edit_page(request.user, destination[0])
    return _forbid_unless(request, allowed)


@hooks.register("construct_explorer_page_queryset")
def explorer_shows_own_community_pages(parent_page, pages, request):
    return page_scope.visible_pages(request.user, pages)


@hooks.register("construct_page_chooser_queryset")
def chooser_shows_own_community_pages(pages, request):
    return page_scope.visible_pages(request.user, pages)


@hooks.register("construct_homepage_summary_items", order=100)  # after Wagtail adds its items
def summary_counts_no_other_communities_pages(request, summary_items):
    # The stock count covers the whole site; a community worker sees only their pages.
    if page_scope.is_page_scoped(request.user):
        summary_items[:] = [item for item in summary_items if not isinstance(item, PagesSummaryItem)]


@hooks.register(COMMUNITY_CHOICES_HOOK)
def page_community_choices(user):
    return communities_for(user) if page_scope.is_page_scoped(user) else None


@hooks.register(INTENT_TARGETS_HOOK)
def report_intent_targets():
    return {"report": report_answers}


@hooks.register(COMMUNITY_SECTIONS_HOOK)
def community_feedback_links(request, community):
    html = render_to_string(
        "feedback/includes/community_links.html", {"community": community}, request=request
    )
    return HomeSection(order=20, html=html)


@hooks.register("register_admin_menu_item")
def bulletin_menu_item():
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    class BulletinMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm("feedback.view_complaint")

    return BulletinMenuItem("周报", reverse("feedback_bulletin"), icon_name="doc-full", order=205)


@hooks.register("register_admin_menu_item")
def unit_todo_menu_item():
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    class TodoMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm(unit_admin.UNIT_PERM)

    return TodoMenuItem("我的待办", reverse("feedback_unit_todo"), icon_name="tasks", order=190)


@hooks.register("register_admin_menu_item")
def extension_requests_menu_item():
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    class ExtensionMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm(unit_admin.MODERATOR_PERM)

    return ExtensionMenuItem("延期申请", reverse("feedback_extension_requests"), icon_name="date", order=206)


@hooks.register(HOME_SECTIONS_HOOK)
def participation_home_section(request):
    html = render_to_string("participation/includes/home_section.html", request=request)
    return HomeSection(order=35, html=html)


@hooks.register(HOME_SECTIONS_HOOK)
def deliberation_home_section(request):
    topics = deliberation_selectors.open_for_support()
    if not topics:
        return None
    html = render_to_string(
        "deliberation/includes/open_topics.html", {"topics": topics, "suffix": "home"}, request=request
    )
    return HomeSection(order=36, html=html)


@hooks.register(COMMUNITY_SECTIONS_HOOK)
def community_participation(request, community):
    return HomeSection(order=25, html=participation_selectors.community_section_html(request, community))


@hooks.register(COMMUNITY_SECTIONS_HOOK)
def deliberation_community_section(request, community):
    topics = deliberation_selectors.open_for_support(community=community)
    html = render_to_string(
        "deliberation/includes/open_topics.html",
        {"topics": topics, "community": community, "suffix": community.slug},
        request=request,
    )
    return HomeSection(order=26, html=html)
