"""Template tags for every public page."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def breadcrumb_ancestors(page) -> list:
    """The pages between the home page and ``page``, top first, for the breadcrumb.

    A section page (depth 3) has none; a page served through its index knows the
    index already; deeper pages ask once per content generation.
    """
    from portal.cache import shared_fragment  # portal sits above the apps

    if page.depth <= 3:
        return []
    index = page.__dict__.get("index_page")  # set by ChildPageRouteMixin.route()
    if page.depth == 4 and index is not None:
        return [index]
    return shared_fragment(f"ancestors:{page.path}", lambda: list(page.get_ancestors().filter(depth__gt=2)))


@register.tag("shared")
def do_shared(parser, token):
    """``{% shared "name" value… %}…{% endshared %}``: render the enclosed markup once per
    content generation and share the HTML (``portal.cache.shared_fragment``), one copy
    per name, values and host. A value that is ``None`` means "not shared": the markup
    is rendered every time (a list filtered by free text, say).

    Only for markup that is the same for every visitor and every moment until content
    changes: no CSRF token, no form state, nothing about the visitor or the clock.
    """
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% shared %} needs a name")
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(nodelist, [parser.compile_filter(bit) for bit in bits])


class SharedNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist, self.parts = nodelist, parts

    def render(self, context):
        from portal.cache import shared_fragment  # portal sits above the apps

        request = context.get("request")
        if request is not None and getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        host = request.get_host() if request is not None else ""
        values = [part.resolve(context) for part in self.parts]
        if any(value is None for value in values):
            return self.nodelist.render(context)
        name = ":".join(str(value) for value in values)
        html = shared_fragment(f"html:{host}:{name}", lambda: self.nodelist.render(context))
        return mark_safe(html)  # noqa: S308 - the template's own output, escaped as it was rendered
