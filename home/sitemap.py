"""What search engines are told: ``/sitemap.xml`` and ``/robots.txt``.

Residents find a 办事指南 or a notice through 百度 as often as through the home page, so
the site lists every live, public page of the request's site and the entry pages served by
views (the report form, the board, …; their URL names are given in ``portal/urls.py``), with
Django's sitemap framework. Every address is on the host the sitemap was asked on, as
search engines require (Wagtail's own sitemap would take the host from the ``Site`` record).
Pages under a view restriction are left out with ``not_restricted()`` rather than Wagtail's
``public()``, for the query plan reason given there. The sitemap is an anonymous GET, so the
page cache keeps it until the next purge.

``robots.txt`` keeps crawlers out of the admin, search results and every address that
carries a resident's tracking token or account (a token in a URL is as good as a password
for that report), and points them at the sitemap.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

from .routing import not_restricted

# What a page's address and date need: no specific rows, no content columns.
_SITEMAP_FIELDS = (
    "id",
    "path",
    "depth",
    "url_path",
    "locale_id",
    "last_published_at",
    "latest_revision_created_at",
)


class PageSitemap(Sitemap):
    """Every live page of the request's site that nobody needs to sign in to see."""

    def __init__(self, request):
        self.request = request

    def items(self):
        site = Site.find_for_request(self.request)  # kept per generation (portal.sites)
        if site is None:  # no site at all: an empty sitemap, not an error
            return Page.objects.none()
        return (
            site.root_page.get_descendants(inclusive=True)
            .live()
            .filter(not_restricted())
            .order_by("path")
            .only(*_SITEMAP_FIELDS)
        )

    def location(self, page):
        return page.get_url(self.request)  # relative: the page is on the request's site

    def lastmod(self, page):
        return page.last_published_at or page.latest_revision_created_at


class NamedViewSitemap(Sitemap):
    """Public entry pages that are views, not Wagtail pages, listed by URL name."""

    def __init__(self, names):
        self.names = tuple(names)

    def items(self):
        return self.names

    def location(self, item):
        return reverse(item)


@require_safe
def sitemap_xml(request, entries=()):
    return sitemap(request, {"pages": PageSitemap(request), "entries": NamedViewSitemap(entries)})


@require_safe
def robots_txt(request, disallow=()):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallow)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
