"""Sections of the home page contributed by the apps built on top of ``home``.

``home`` must not import the apps above it, so those apps register a Wagtail hook
instead::

    @hooks.register("home_page_sections")
    def latest_notices(request):
        return HomeSection(order=20, html=render_to_string(...))

The home page renders every section in ``order``; an app that is not installed
simply contributes nothing. A section must be the same for every visitor: the home
page template keeps the rendered sections in a ``{% wagtailcache %}`` fragment.
"""

from dataclasses import dataclass

from django.utils.safestring import SafeString
from wagtail import hooks

HOOK_NAME = "home_page_sections"


@dataclass(frozen=True)
class HomeSection:
    order: int
    html: SafeString


def home_sections(request) -> list[HomeSection]:
    sections = [fn(request) for fn in hooks.get_hooks(HOOK_NAME)]
    return sorted((s for s in sections if s and s.html.strip()), key=lambda s: s.order)
