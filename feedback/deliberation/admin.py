"""议事协商 in the Wagtail admin: the list of topics (scoped by community) and the links to
each topic's step screen (``admin_views``). Registered by ``feedback.wagtail_hooks``."""

from django.urls import path, reverse
from django.utils.html import format_html
from wagtail_modeladmin.helpers import ButtonHelper

from ..common.admin import PortalModelAdmin, ReadOnlyPermissionHelper
from . import admin_views
from .models import Topic


class TopicPermissionHelper(ReadOnlyPermissionHelper):
    def user_can_list(self, user):
        return user.has_perm("feedback.view_topic") or user.has_perm("feedback.change_topic")


class TopicButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        return [
            {
                "url": reverse("deliberation_topic_manage", args=[obj.pk]),
                "label": "办理",
                "classname": "button button-small",
                "title": f"办理议题“{obj.title}”",
            }
        ]


class TopicAdmin(PortalModelAdmin):
    model = Topic
    menu_label = "议事协商"
    menu_icon = "group"
    menu_order = 250
    add_to_admin_menu = True
    permission_helper_class = TopicPermissionHelper
    button_helper_class = TopicButtonHelper
    index_template_name = "deliberation/admin/index.html"
    list_display = ("title_link", "community", "step", "support_count", "created_at")
    list_filter = ("step", "community")
    search_fields = ("title",)
    list_per_page = 50

    def get_queryset(self, request):
        return admin_views.topics_for(request.user).select_related("community")

    def title_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("deliberation_topic_manage", args=[obj.pk]), obj.title
        )

    title_link.short_description = "议题"


def admin_urls() -> list:
    return [
        path("deliberation/topic/new/", admin_views.new_topic, name="deliberation_topic_new"),
        path("deliberation/topic/<int:pk>/", admin_views.manage, name="deliberation_topic_manage"),
    ]
