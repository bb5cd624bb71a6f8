"""What Wagtail discovers here: the admin menus, the admin URLs and the dashboard panel.

Each concern keeps its screens in its own admin module; this module only puts them in
their menu groups and registers them.
"""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from .common.admin import StaffScopeAdmin
from .complaints import admin as complaints_admin
from .evaluations import admin as evaluations_admin
from .evaluations.models import PropertyCompany
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
        StaffScopeAdmin,
    )


modeladmin_register(FeedbackGroup)
modeladmin_register(TrustGroup)
register_snippet(PropertyCompany)


@hooks.register("register_admin_urls")
def register_feedback_admin_urls():
    return complaints_admin.admin_urls() + evaluations_admin.admin_urls()


@hooks.register("construct_homepage_panels")
def add_complaint_queue_panel(request, panels):
    complaints_admin.add_queue_panel(request, panels)
