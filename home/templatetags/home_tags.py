"""Template tags for every public page."""

from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator

register = template.Library()


@register.simple_tag
def breadcrumb_ancestors(page) -> list:
    """The pages between the home page and ``page``, top first, for the breadcrumb.

    A section page (depth 3) has none; a page served through its index knows the
    index already; deeper pages ask the database once.
    """
    if page.depth <= 3:
        return []
    index = page.__dict__.get("index_page")  # set by ChildPageRouteMixin.route()
    if page.depth == 4 and index is not None:
        return [index]
    return list(page.get_ancestors().filter(depth__gt=2))


# Fields a page may carry a one-line introduction in, in order of preference.
DESCRIPTION_FIELDS = ("search_description", "summary", "intro")
DESCRIPTION_LENGTH = 120


@register.simple_tag
def page_description(page, portal, text="") -> str:
    """The ``<meta name="description">`` of a page: its search description, else its
    summary or intro, else ``text`` (a view's own), else the portal's name and slogan."""
    for name in DESCRIPTION_FIELDS:
        value = strip_tags(str(getattr(page, name, "") or "")).strip()
        if value:
            return Truncator(" ".join(value.split())).chars(DESCRIPTION_LENGTH)
    if text:
        return text
    name = getattr(portal, "portal_name", "") or "同心门户"
    slogan = getattr(portal, "slogan", "")
    about = "办事指南、红色驿站、通知公告，反映问题、评议服务、查询办理进度。"
    return f"{name}{'（' + slogan + '）' if slogan else ''}：{about}"
