"""Pages of public lists, shared by every visitor until content changes.

A list page's rows and total depend only on the filters and the page number, not on
who asks, and change only when pages or snippets do — which purge the shared cache
(``portal.cache``). Free-text filters are not worth a cache slot each: callers pass
``shared=False`` for them.
"""

from django.core.paginator import Page, Paginator


def shared_choices(name: str, build) -> list:
    """Options of a filter (categories, communities…), one query per content change."""
    from portal.cache import shared_fragment  # portal sits above the apps

    return shared_fragment(f"choices:{name}", build)


def shared_page(name: str, items, *, number, per_page: int, shared: bool = True) -> Page:
    """``Paginator(items, per_page).get_page(number)`` with its count and rows shared.

    ``items`` is the queryset, or a function that makes it: building a filtered
    queryset costs more than reading the shared rows, so it is made only on a miss.
    """
    from portal.cache import shared_fragment  # portal sits above the apps

    make = items if callable(items) else lambda: items
    if not shared:
        page = Paginator(make(), per_page).get_page(number)
        page.shared_name = None
        return page
    paginator = Paginator(_Rows(shared_fragment(f"list:{name}:count", lambda: make().count())), per_page)
    page = paginator.get_page(number)
    wanted = page.object_list  # a _Slice: nothing read yet
    # Templates may share the rows' markup too: {% shared "rows" page.shared_name %}.
    page.shared_name = f"{name}:{page.number}"
    page.object_list = shared_fragment(f"list:{page.shared_name}", lambda: list(make()[wanted.key]))
    return page


class _Rows:
    """The list as the paginator sees it: a known length; a slice reads nothing."""

    def __init__(self, total: int):
        self.total = total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key: slice) -> "_Slice":
        return _Slice(key)


class _Slice:
    def __init__(self, key: slice):
        self.key = key
