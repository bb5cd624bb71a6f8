"""Template fragments ({% wagtailcache %}) every visitor sees alike are built once and
dropped on any content change: their key holds the page cache's generation.

The page cache is off here (as for a logged-in editor or a page it cannot keep), so
what is measured is the fragment cache alone.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.models import Street
from tests.factories.notices import NoticeIndexPageFactory, NoticePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fragments_on(settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 300


def _home(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_home_sections_are_built_once_then_shared(client, home_page, fragments_on):
    index = NoticeIndexPageFactory(parent=home_page)
    NoticePageFactory(parent=index, title="关于春雨社区停水的通知")
    first, first_queries = _home(client)
    second, second_queries = _home(client)
    assert "关于春雨社区停水的通知" in first
    assert second == first
    # The notices, featured services and streets no longer cost a query each.
    assert second_queries <= first_queries - 3


def test_fragment_is_built_again_after_a_purge(client, home_page, fragments_on):
    from portal.cache import purge_pages

    _home(client)
    _, kept = _home(client)
    purge_pages()
    _, rebuilt = _home(client)
    assert rebuilt > kept


def test_publishing_a_notice_shows_on_the_home_page_at_once(
    client, home_page, fragments_on, django_capture_on_commit_callbacks
):
    index = NoticeIndexPageFactory(parent=home_page)
    NoticePageFactory(parent=index, title="关于春雨社区停水的通知")
    _home(client)
    notice = NoticePageFactory(parent=index, title="关于金鼎社区燃气检修的通知", live=False)
    assert "燃气检修" not in _home(client)[0]
    with django_capture_on_commit_callbacks(execute=True):
        notice.save_revision().publish()
    assert "关于金鼎社区燃气检修的通知" in _home(client)[0]


def test_renaming_a_street_shows_on_the_home_page_at_once(client, home_page, fragments_on):
    street = Street.objects.first()
    assert street.name in _home(client)[0]
    street.name = "新华街道（更名）"
    street.save()
    assert "新华街道（更名）" in _home(client)[0]


def test_fragment_cache_off_builds_every_time(client, home_page, settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 0
    _home(client)  # warms Wagtail's own caches (site root paths)
    _, second_queries = _home(client)
    _, third_queries = _home(client)
    assert third_queries == second_queries


def test_site_rename_and_home_page_publish_show_at_once(client, home_page, site, fragments_on):
    client.get("/")
    site.site_name = "同心街道"
    site.save()  # any Site edit purges
    home_page.title = "同心门户首页"
    home_page.save_revision().publish()
    response = client.get("/")
    assert "同心门户首页" in response.content.decode()


def test_unknown_host_is_refused_before_any_site_lookup(client, site, fragments_on):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400


def test_making_a_cached_page_private_takes_it_away_at_once(client, home_page, settings):
    from wagtail.models import PageViewRestriction

    settings.FRAGMENT_CACHE_SECONDS = 300  # the page cache stays on too
    index = NoticeIndexPageFactory(parent=home_page)
    notice = NoticePageFactory(parent=index, title="关于网格员内部培训的通知")
    url = notice.url
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Page-Cache"] == "hit"
    restriction = PageViewRestriction.objects.create(
        page=notice, restriction_type=PageViewRestriction.PASSWORD, password="wangge2026"
    )
    restricted = client.get(url)
    assert restricted.get("X-Page-Cache") != "hit"
    assert 'type="password"' in restricted.content.decode()  # the password form, not the notice
    restriction.delete()
    assert "关于网格员内部培训的通知" in client.get(url).content.decode()


def test_republished_notice_shows_its_new_text_at_once(
    client, home_page, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 300
    index = NoticeIndexPageFactory(parent=home_page)
    notice = NoticePageFactory(parent=index, title="关于春雨社区停水的通知", summary="周三停水。")
    url = notice.url
    assert "周三停水" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as shared:
        assert client.get(url).status_code == 200
    notice.summary = "停水改到周五。"
    with django_capture_on_commit_callbacks(execute=True):
        notice.save_revision().publish()
    html = client.get(url).content.decode()
    assert "停水改到周五" in html and "周三停水" not in html
    assert len(shared) <= 8


def test_notice_list_rows_are_kept_per_filter_until_a_notice_is_published(
    client, home_page, fragments_on, django_capture_on_commit_callbacks
):
    index = NoticeIndexPageFactory(parent=home_page)
    NoticePageFactory(parent=index, title="关于春雨社区停水的通知")
    client.get("/notices/")
    with CaptureQueriesContext(connection) as shared:
        first = client.get("/notices/").content.decode()
    assert "关于春雨社区停水的通知" in first and "共 1 条" in first
    assert len(shared) <= 8
    new = NoticePageFactory(parent=index, title="关于金鼎社区燃气检修的通知", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        new.save_revision().publish()
    after = client.get("/notices/").content.decode()
    assert "关于金鼎社区燃气检修的通知" in after and "共 2 条" in after


def test_station_finder_keeps_rows_per_filter(client, home_page, fragments_on):
    from tests.factories.servicecatalog import StationIndexPageFactory, StationPageFactory

    index = StationIndexPageFactory(parent=home_page)
    StationPageFactory(parent=index, title="复兴社区红色驿站", amenities=["water"])
    StationPageFactory(parent=index, title="金鼎社区红色驿站", amenities=["toilet"])
    assert "金鼎社区红色驿站" in client.get(index.url).content.decode()
    html = client.get(index.url, {"amenity": "water"}).content.decode()
    assert "复兴社区红色驿站" in html and "金鼎社区红色驿站" not in html


@pytest.mark.parametrize("path", ["/notices/%20x/", "/notices/" + "长" * 300 + "/", "/%E5%81%9C%E6%B0%B4/"])
def test_odd_paths_are_plain_404s_without_cache_key_warnings(client, home_page, fragments_on, path, recwarn):
    NoticeIndexPageFactory(parent=home_page)
    assert client.get(path).status_code == 404
    assert not [w for w in recwarn if "CacheKeyWarning" in type(w.message).__name__]


def test_routes_are_kept_until_a_purge_and_unknown_slugs_are_not_kept(
    client, home_page, fragments_on, django_capture_on_commit_callbacks
):
    index = NoticeIndexPageFactory(parent=home_page)
    NoticePageFactory(parent=index, title="关于春雨社区停水的通知", slug="tingshui")
    assert client.get("/notices/tingshui/").status_code == 200
    with CaptureQueriesContext(connection) as kept:
        client.get("/notices/tingshui/")
    assert not [q for q in kept.captured_queries if '."slug" = ' in q["sql"]]  # no child looked up
    assert client.get("/notices/ranqi/").status_code == 404
    new = NoticePageFactory(parent=index, title="关于金鼎社区燃气检修的通知", slug="ranqi", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        new.save_revision().publish()
    assert "燃气检修" in client.get("/notices/ranqi/").content.decode()


def test_routing_by_address_follows_a_renamed_section_and_a_moved_notice(
    client, home_page, fragments_on, django_capture_on_commit_callbacks
):
    """Index pages find a child by its address (url_path) and slug: after a section's
    slug changes, or a notice moves to another index, the notice answers at its new
    address and no longer at the old one (Wagtail rewrites descendants' url_path)."""
    index = NoticeIndexPageFactory(parent=home_page, slug="notices")
    other = NoticeIndexPageFactory(parent=home_page, slug="archive", title="历史通知")
    notice = NoticePageFactory(parent=index, title="关于春雨社区停水的通知", slug="tingshui")
    assert client.get("/notices/tingshui/").status_code == 200
    assert client.get("/archive/tingshui/").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        index.slug = "gonggao"
        index.save_revision().publish()
    assert "停水" in client.get("/gonggao/tingshui/").content.decode()
    assert client.get("/notices/tingshui/").status_code != 200

    with django_capture_on_commit_callbacks(execute=True):
        notice.refresh_from_db()
        notice.move(other, pos="last-child")
    assert "停水" in client.get("/archive/tingshui/").content.decode()
    moved = client.get("/gonggao/tingshui/")  # Wagtail leaves a redirect at the old address
    assert moved.status_code == 301 and moved["Location"] == "/archive/tingshui/"
