"""The demo site with template fragments and cached search answers gives the same HTML
as building everything, costs fewer queries once kept, and shows edits at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

# Demo pages whose HTML holds no CSRF token, captcha or clock-dependent text outside
# what the test fixes (stations say "open now", so they are compared at one moment).
DEMO_URLS = [
    "/",
    "/notices/",
    "/notices/?validity=current",
    "/reports/",
    "/services/",
    "/services/?q=低保",
    "/services/dibao/",
    "/stations/",
    "/stations/?amenity=water&lat=25.04&lng=102.71",
    "/stations/fuxing-center/",
    "/notices/wangge-banfa-2024/",
    "/search/?q=驿站",
    "/search/?q=驿站&page=2",
    "/search/?q=低保",
]


@pytest.fixture
def sharing_on(settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 300


@pytest.fixture
def fixed_clock(monkeypatch):
    """Stations' "open now" badges read the clock; hold it still."""
    from datetime import datetime

    from django.utils import timezone

    moment = timezone.make_aware(datetime(2026, 11, 25, 10, 30))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_kept_fragments_give_the_same_html_as_building_everything(
    demo_site, db, client, settings, fixed_clock
):
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 0
    built = {url: _html(client, url) for url in DEMO_URLS}
    settings.FRAGMENT_CACHE_SECONDS = 300
    for url in DEMO_URLS:
        _html(client, url)  # builds and keeps
        assert _html(client, url) == built[url], url  # answered from the kept fragments


@pytest.mark.parametrize(
    "url", ["/", "/notices/", "/reports/", "/services/", "/services/dibao/", "/stations/", "/search/?q=驿站"]
)
def test_demo_pages_cost_fewer_queries_once_fragments_are_kept(demo_site, db, client, sharing_on, url):
    with CaptureQueriesContext(connection) as building:
        _html(client, url)
    with CaptureQueriesContext(connection) as kept:
        _html(client, url)
    assert len(kept) < len(building), (url, len(building), len(kept))
    assert len(kept) <= 8, (url, [q["sql"][:80] for q in kept.captured_queries])


@pytest.mark.parametrize(
    "url", ["/notices/", "/reports/", "/services/", "/stations/", "/notices/?validity=current"]
)
def test_a_kept_list_reads_none_of_its_filters_counts_or_rows(demo_site, db, client, sharing_on, url):
    _html(client, url)
    with CaptureQueriesContext(connection) as kept:
        _html(client, url)
    # The site, its root page and the page's view restrictions: nothing of the list.
    assert len(kept) <= 3, (url, [q["sql"][:80] for q in kept.captured_queries])


def test_published_changes_show_on_shared_station_service_and_notice_pages_at_once(
    demo_site, db, client, sharing_on
):
    from notices.models import NoticePage
    from servicecatalog.models import ServiceItemPage, StationPage

    station = StationPage.objects.get(slug="fuxing-center")
    service = ServiceItemPage.objects.get(slug="dibao")
    notice = NoticePage.objects.get(slug="wangge-banfa-2024")
    _html(client, station.url), _html(client, service.url), _html(client, notice.url)
    notice.summary = "网格办法摘要已更新"
    notice.save_revision().publish()
    assert "网格办法摘要已更新" in _html(client, notice.url)
    station.address = "同心区复兴路 99 号（新址）"
    station.save_revision().publish()
    service.fee = "工本费 5 元"
    service.save_revision().publish()
    assert "同心区复兴路 99 号（新址）" in _html(client, station.url)
    assert "工本费 5 元" in _html(client, service.url)


def test_renamed_station_shows_on_the_station_list_at_once(demo_site, db, client, sharing_on):
    from servicecatalog.models import StationPage

    station = StationPage.objects.live().select_related("community").first()
    # The list shows 20 cards a page; the station's community fits on one.
    listed = f"/stations/?community={station.community.slug}"
    assert station.title in _html(client, listed)
    station.title = "复兴红色驿站（新址）"
    station.save_revision().publish()
    assert "复兴红色驿站（新址）" in _html(client, listed)


def _without_per_visitor_values(html: str) -> str:
    import re

    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
    html = re.sub(r'name="form_started" value="[^"]+"', "STARTED", html)
    html = re.sub(r"/captcha/image/[0-9a-f]+/", "IMAGE", html)
    return re.sub(r'name="captcha_0" value="[0-9a-f]+"', "KEY", html)


def test_blank_report_form_keeps_its_fields_and_a_preset_one_does_not(demo_site, db, client, settings):
    from home.models import Community

    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 0
    built = _without_per_visitor_values(_html(client, "/feedback/report/"))
    settings.FRAGMENT_CACHE_SECONDS = 300
    first, second = (_html(client, "/feedback/report/") for _ in range(2))
    assert _without_per_visitor_values(second) == built
    assert first != second  # the token, fill time and captcha are each visitor's own
    community = Community.objects.order_by("name").last()
    preset = _html(client, f"/feedback/report/?community={community.slug}")
    assert f'<option value="{community.pk}" selected>' in preset
    assert f'<option value="{community.pk}" selected>' not in _html(client, "/feedback/report/")
