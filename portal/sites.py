"""The request's Wagtail ``Site``, with its root page as its specific type, found once
per generation instead of on every request.

Wagtail looks the site up on every request (``Site.find_for_request``: one query with a
``CASE`` over the hostnames) and then loads the root page again as its specific type
before it can route (a second query). Both change only when a site or the root page is
saved, and each of those purges the page cache's generation (``portal.cache``), so the
pair is kept under ``generation_key()`` like an index page's child lookup.

``Site.find_for_request`` keeps its answer for the rest of a request in
``request._wagtail_site`` (its docstring says so); handing it the kept site there is the
one way in without replacing Wagtail's serve view. Measured before and after in the
commit that added this (issue 25): two queries fewer on every page, 8–10 ms of the
15–28 ms an uncached page took in one process.
"""

from django.conf import settings
from django.core.cache import cache
from wagtail.models import Site

from portal.cache import generation_key


def _key(request) -> str:
    return generation_key(f"site:{request.get_host()}:{request.get_port()}")


class CachedSiteMiddleware:
    """Goes after ``CommonMiddleware``, which has already refused a host not in
    ``ALLOWED_HOSTS``: the key is the validated host."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _key(request)
        site = cache.get(key)
        if site is None:
            site = Site.find_for_request(request)
            if site is not None:
                # Routing starts from the root page as its specific type; keep it so. Its
                # own fields are read only if it is served itself (home.routing): a page
                # below it needs its place in the tree, which the site's query brought.
                site.root_page = site.root_page.specific_deferred
                cache.set(key, site, settings.FRAGMENT_CACHE_SECONDS)
        else:
            request._wagtail_site = site
        return self.get_response(request)
