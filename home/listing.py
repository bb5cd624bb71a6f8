"""Pages of public lists, shared by every visitor until content changes.

A list page's rows and total depend only on the filters and the page number, not on
who asks, and change only when pages or snippets do — which purge the shared cache
(``portal.cache``). Free-text filters are not worth a cache slot each: callers pass
``shared=False`` for them.
"""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def shared_choices(name: str, build) -> list:
    """Options of a filter (categories, communities…), one query per content change."""
    from portal.cache import shared_fragment  # portal sits above the apps

    return shared_fragment(f"choices:{name}", build)


def shared_page(name: str, items: QuerySet, *, number, per_page: int, shared: bool = True) -> Page:
    """``Paginator(items, per_page).get_page(number)`` with its count and rows shared."""
    from portal.cache import shared_fragment

    paginator = Paginator(items, per_page)
    if not shared:
        page = paginator.get_page(number)
        page.shared_name = None
        return page
    paginator.count = shared_fragment(f"list:{name}:count", items.count)
    page = paginator.get_page(number)
    rows = page.object_list
    # Templates may share the rows' markup too: {% shared "rows" page.shared_name %}.
    page.shared_name = f"{name}:{page.number}"
    page.object_list = shared_fragment(f"list:{page.shared_name}", lambda: list(rows))
    return page
