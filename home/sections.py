"""Sections of the home page contributed by the apps built on top of ``home``.

``home`` must not import the apps above it, so those apps register a Wagtail hook
instead::

    @hooks.register("home_page_sections")
    def latest_notices(request):
        return HomeSection(order=20, html=render_to_string(...))

The home page renders every section in ``order``; an app that is not installed
simply contributes nothing. A section is the same for every visitor: the rendered
list is kept in the shared cache and rebuilt after any content change.
"""

from dataclasses import dataclass

from django.utils.safestring import SafeString
from wagtail import hooks

HOOK_NAME = "home_page_sections"


@dataclass(frozen=True)
class HomeSection:
    order: int
    html: SafeString


def build_home_sections(request) -> list[HomeSection]:
    sections = [fn(request) for fn in hooks.get_hooks(HOOK_NAME)]
    return sorted((s for s in sections if s and s.html.strip()), key=lambda s: s.order)


def home_sections(request) -> list[HomeSection]:
    """The sections, shared by every visitor until content changes (a section must not
    depend on who is looking). Their queries cost the home page most of its time."""
    from portal.cache import shared_fragment  # portal sits above the apps

    return shared_fragment("home-sections", lambda: build_home_sections(request))
