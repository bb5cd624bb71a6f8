"""One-query routing from an index page to its children.

Wagtail's default ``Page.route`` loads a child as a plain ``Page`` and then again as
its specific type, and every related object the template shows costs one more
query. Public pages have a budget of 12 queries, so index pages fetch the child as
its specific model with what it shows, in one query, kept until the next purge.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404
from django.utils.functional import cached_property

from portal.cache import generation_key


class ChildPageRouteMixin:
    """Mix into a page that loads its children as their specific type in one query.

    ``child_queryset()`` returns the children's queryset with what their page shows
    (``select_related``, ``prefetch_related``, annotations; the home page, whose
    children differ in type, returns ``Page.objects.specific()``); ``own_routes`` are
    the page's own sub-paths (e.g. ``feed`` of a RoutablePage). ``passage_queryset()``
    loads a child the request only passes through on its way to a page below it.
    """

    own_routes: tuple[str, ...] = ()

    def child_queryset(self):
        raise NotImplementedError

    def passage_queryset(self):
        """The children's queryset when the request goes on below the child (by default
        the same as ``child_queryset()``)."""
        return self.child_queryset()

    def route(self, request, path_components):
        if path_components and path_components[0] not in self.own_routes:
            child = self._child(path_components[0], passing=len(path_components) > 1)
            if child is None:
                raise Http404
            # Templates link back to the index without asking the database for the parent.
            child.index_page = self
            # The child still decides whether it is live and serves its own sub-paths.
            return child.route(request, path_components[1:])
        if not path_components and (deferred := self.get_deferred_fields()):
            # Served itself after being routed through with its own fields deferred (the
            # site's root page, a passage): all of them in one query, not one per field.
            self.refresh_from_db(fields=list(deferred))
        return super().route(request, path_components)

    def _child(self, slug: str, *, passing: bool = False):
        """The child with what it shows (or, when ``passing``, what routing through it
        needs). Kept in the cache until the next purge (every publish, move or delete):
        building and running these queries was two thirds of a list or detail page's
        time when the page cache cannot answer. Unknown slugs are not kept, so a scan of
        made-up paths fills nothing."""
        key = generation_key(f"{'passage' if passing else 'child'}:{self.pk}:{slug}")
        child = cache.get(key)
        if child is None:
            queryset = self.passage_queryset() if passing else self.child_queryset()
            # By address: a child's url_path is its parent's plus its slug (Wagtail keeps it
            # so through every move and rename), so this is child_of(self).filter(slug=…),
            # found through the slug's index without child_of's path prefix, depth and
            # exclusion (4.3 → 3.2 ms a routing query on PostgreSQL, one process). Unordered: the
            # address is unique, and ordering a wide specific row made Django hash every
            # selected column; first() would order by pk, hence the slice.
            address = f"{self.url_path}{slug}/"
            child = next(iter(queryset.filter(slug=slug, url_path=address).order_by()[:1]), None)
            if child is not None:
                cache.set(key, child, settings.FRAGMENT_CACHE_SECONDS)
        return child


class ViewRestrictionQueryMixin:
    """Find the view restrictions of a page and its ancestors in one query, or none.

    Wagtail's ``get_view_restrictions`` loads the ancestors first and then queries
    their restrictions: two queries on every page view. Ancestors' paths are
    prefixes of the page's own path, so one query with the paths does the same, and
    none at all when no restricted page (nor an alias of one) lies on that path: the
    restricted paths are kept per generation (:func:`guarded_paths`). Aliases keep
    Wagtail's behaviour (an alias uses its source page's restrictions).
    """

    def get_view_restrictions(self):
        from wagtail.models import Page, PageViewRestriction

        if self.alias_of_id:
            return super().get_view_restrictions()
        if not any(self.path.startswith(path) for path in guarded_paths()):
            return PageViewRestriction.objects.none()
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        aliased = Page.objects.filter(path__in=paths, alias_of__isnull=False).values("alias_of_id")
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page_id__in=aliased)
        )


# What ``{% pageurl %}`` and a link's text need of a page: a list of links to pages loads
# only these columns (a station page's specific row has some 45; loading 7 of them in
# full took 7.9 ms on PostgreSQL, 3.2 ms with these).
LINK_FIELDS = ("title", "url_path", "path", "depth", "live", "locale_id", "translation_key")


def as_links(pages, *extra: str):
    """``pages`` (a page queryset) with only what a link to each needs, and ``extra``."""
    return pages.only(*LINK_FIELDS, *extra)


class IndexChildMixin:
    """A page served through a ``ChildPageRouteMixin`` index knows that index."""

    @cached_property
    def index_page(self):
        # Set by the index's route() when served; previews ask the database.
        return self.get_parent()


def _restrictions() -> dict[str, list[str]]:
    """What view restrictions cover, read once per generation (saving or deleting a
    restriction, or moving or publishing a page, purges):

    - ``restricted``: the paths of restricted pages, a section inside one left out;
    - ``guarded``: those paths and the paths of aliases of restricted pages, under
      which a page's own restrictions must be read.
    """
    from wagtail.models import Page, PageViewRestriction

    key = generation_key("view-restrictions")
    found = cache.get(key)
    if found is None:
        rows = sorted(PageViewRestriction.objects.values_list("page__path", "page_id"))
        restricted: list[str] = []
        for path, _page_id in rows:
            if not restricted or not path.startswith(restricted[-1]):
                restricted.append(path)
        aliases = Page.objects.filter(alias_of_id__in=[page_id for _path, page_id in rows]) if rows else None
        guarded = restricted + (list(aliases.values_list("path", flat=True)) if aliases is not None else [])
        found = {"restricted": restricted, "guarded": guarded}
        cache.set(key, found, settings.FRAGMENT_CACHE_SECONDS)
    return found


def restricted_paths() -> list[str]:
    """Paths of the pages that carry a view restriction (none inside another)."""
    return _restrictions()["restricted"]


def guarded_paths() -> list[str]:
    """Paths under which a page may carry a view restriction, its own or an aliased one's."""
    return _restrictions()["guarded"]


def not_restricted() -> Q:
    """Pages under no view restriction: what ``PageQuerySet.public()`` keeps.

    Wagtail's ``public()`` is a ``NOT EXISTS`` over the restrictions joined on a
    ``SUBSTRING`` of the path. Before PostgreSQL has statistics for a freshly
    imported table it plans that as a nested loop over every page (3.9 s at 5,000
    notices, 5 ms after ``ANALYZE``). The restricted paths are few and change only with a
    purge, so they are read once per generation and the list filters on plain path
    prefixes — nothing at all when no page is restricted.
    """
    paths = restricted_paths()
    condition = Q()
    for path in paths:
        condition &= ~Q(path__startswith=path)
    return condition
