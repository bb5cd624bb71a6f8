"""/sitemap.xml, /robots.txt and the icons browsers ask for at the site's root."""

import pytest
from defusedxml import ElementTree as ET
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from notices.models import NoticePage
from tests.factories.notices import NoticeCategoryFactory, NoticeIndexPageFactory, NoticePageFactory
from tests.performance.growth import grow_pages, notice_fields

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_locations(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    tree = ET.fromstring(response.content)
    return [loc.text for loc in tree.findall("s:url/s:loc", SITEMAP_NS)]


@pytest.fixture
def notices(home_page):
    index = NoticeIndexPageFactory(parent=home_page)
    public = NoticePageFactory(parent=index, title="公开的通知", slug="gongkai")
    draft = NoticePageFactory(parent=index, title="草稿", slug="caogao", live=False)
    private = NoticePageFactory(parent=index, title="仅限网格员", slug="neibu")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    below_private = NoticePageFactory(parent=private, title="内部附件", slug="neibu-fujian")
    return index, public, draft, private, below_private


def test_the_sitemap_lists_live_public_pages_and_the_entry_pages(client, home_page, notices, settings):
    settings.PAGE_CACHE_SECONDS = 0
    index, public, draft, private, below_private = notices
    locations = sitemap_locations(client)
    root = "http://testserver"  # the host asked, whatever the Site record says (localhost)
    assert f"{root}/" in locations
    assert f"{root}{index.url}" in locations and f"{root}{public.url}" in locations
    for hidden in (draft, private, below_private):
        assert not any(location.endswith(f"/{hidden.slug}/") for location in locations), hidden.title
    # The pages residents start from that are views, not Wagtail pages.
    for path in ("/feedback/report/", "/feedback/public/", "/participation/needs/"):
        assert any(location.endswith(path) for location in locations), path
    assert len(locations) == len(set(locations))
    # Every page says when it last changed.
    tree = ET.fromstring(client.get("/sitemap.xml").content)
    page_entry = next(
        u for u in tree.findall("s:url", SITEMAP_NS) if u.find("s:loc", SITEMAP_NS).text.endswith("/gongkai/")
    )
    assert (
        page_entry.find("s:lastmod", SITEMAP_NS).text
        == timezone.localdate(public.last_published_at).isoformat()
    )


def test_the_sitemap_costs_the_same_queries_at_ten_and_at_a_thousand_notices(client, home_page, settings):
    settings.PAGE_CACHE_SECONDS = 0
    index = NoticeIndexPageFactory(parent=home_page)
    category = NoticeCategoryFactory()

    grow_pages(index, NoticePage, 10, lambda i: notice_fields(category, i))
    with CaptureQueriesContext(connection) as small:
        few = sitemap_locations(client)
    grow_pages(index, NoticePage, 990, lambda i: notice_fields(category, 10 + i))
    with CaptureQueriesContext(connection) as large:
        many = sitemap_locations(client)
    assert len(many) - len(few) == 990
    assert len(large) <= len(small) + 1, [q["sql"][:120] for q in large.captured_queries]


def test_the_sitemap_of_a_server_without_a_site_lists_the_entry_pages_only(client, home_page, settings):
    from wagtail.models import Site

    settings.PAGE_CACHE_SECONDS = 0
    Site.objects.all().delete()
    locations = sitemap_locations(client)
    assert locations and all(not location.endswith("/notices/") for location in locations)
    assert "http://testserver/feedback/report/" in locations


def test_robots_keeps_crawlers_off_staff_screens_and_tracking_links(client, site):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/django-admin/", "/feedback/track/", "/participation/needs/track/", "/search/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    # Nothing the sitemap lists is closed to crawlers.
    listed = sitemap_locations(client)
    closed = [line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow: ")]
    assert not [
        url for url in listed if any(url.removeprefix("http://testserver").startswith(p) for p in closed)
    ]
    assert client.post("/robots.txt").status_code == 405


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/favicon.ico", ("image/x-icon", "image/vnd.microsoft.icon")),
        ("/apple-touch-icon.png", ("image/png",)),
    ],
)
def test_the_icons_browsers_ask_for_are_at_the_root(client, path, content_type):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] in content_type
    assert b"".join(response.streaming_content)[:4] in (b"\x00\x00\x01\x00", b"\x89PNG")


def test_pages_name_the_home_screen_icon(client, home_page):
    html = client.get("/").content.decode()
    assert '<link rel="apple-touch-icon" href="/apple-touch-icon.png">' in html
