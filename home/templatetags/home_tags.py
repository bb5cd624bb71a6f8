"""Template tags for every public page."""

from django import template

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
