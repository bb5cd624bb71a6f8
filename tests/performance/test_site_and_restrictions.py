"""Every page a visitor opens starts with the same three reads: which Site answers this
host, its root page as its specific type, and the view restrictions on the page's path.
They change only with a purge, so they are kept per generation (``portal.sites``,
``home.routing``): a page served again reads none of them, and a change to a site or a
privacy setting shows on the next request.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from home.models import HomePage
from tests.factories.notices import NoticeIndexPageFactory, NoticePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fragments_on(settings):
    settings.PAGE_CACHE_SECONDS = 0  # as for a logged-in editor: only the kept parts help
    settings.FRAGMENT_CACHE_SECONDS = 300


def _get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, [query["sql"] for query in queries.captured_queries]


def test_a_page_served_again_reads_no_site_root_page_or_restrictions(client, home_page, fragments_on):
    index = NoticeIndexPageFactory(parent=home_page)
    notice = NoticePageFactory(parent=index, title="关于春雨社区停水的通知")
    first, first_sql = _get(client, notice.url)
    assert first.status_code == 200
    assert any('FROM "wagtailcore_site"' in sql for sql in first_sql)
    again, again_sql = _get(client, notice.url)
    assert again.status_code == 200
    assert "关于春雨社区停水的通知" in again.content.decode()
    assert not [sql for sql in again_sql if 'FROM "wagtailcore_site"' in sql]
    assert not [sql for sql in again_sql if "wagtailcore_pageviewrestriction" in sql]
    assert not [sql for sql in again_sql if f'"wagtailcore_page"."id" = {home_page.pk}' in sql]


def test_a_new_site_for_a_host_answers_at_once(client, home_page, fragments_on):
    other_root = home_page.get_parent().add_child(
        instance=HomePage(title="春雨社区门户", slug="chunyu-home", live=True)
    )
    default = Site.objects.get(is_default_site=True)
    assert client.get("/", HTTP_HOST="127.0.0.1").context["page"].pk == home_page.pk  # the default, kept
    Site.objects.create(hostname="127.0.0.1", port=80, root_page=other_root, site_name="春雨社区")
    response = client.get("/", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    assert response.context["page"].pk == other_root.pk
    # The default site still answers its own host.
    assert client.get("/", HTTP_HOST=default.hostname).context["page"].pk == home_page.pk


def test_restricting_a_section_takes_its_pages_away_at_once(client, home_page, fragments_on):
    index = NoticeIndexPageFactory(parent=home_page)
    notice = NoticePageFactory(parent=index, title="关于网格员内部培训的通知")
    assert client.get(notice.url).status_code == 200
    assert client.get(notice.url).status_code == 200  # restrictions now kept: none
    PageViewRestriction.objects.create(
        page=index, restriction_type=PageViewRestriction.PASSWORD, password="wg2026"
    )
    html = client.get(notice.url).content.decode()
    assert 'type="password"' in html and "关于网格员内部培训的通知" not in html


def test_a_page_under_an_alias_of_a_restricted_page_stays_restricted(client, home_page, fragments_on):
    index = NoticeIndexPageFactory(parent=home_page)
    notice = NoticePageFactory(parent=index, title="关于网格员内部培训的通知")
    PageViewRestriction.objects.create(
        page=notice, restriction_type=PageViewRestriction.PASSWORD, password="wg2026"
    )
    other = NoticeIndexPageFactory(parent=home_page, title="内部通知", slug="internal")
    alias = notice.create_alias(parent=other, update_slug="training-copy")
    assert Page.objects.get(pk=alias.pk).alias_of_id == notice.pk
    for url in (notice.url, Page.objects.get(pk=alias.pk).url):
        html = client.get(url).content.decode()
        assert 'type="password"' in html and "关于网格员内部培训的通知" not in html


def test_a_section_routed_through_is_read_without_its_own_fields(client, home_page, fragments_on):
    # /notices/<slug>/ passes through the notice index: it needs the index's place in the
    # tree, title and URL (the way back), not its own row, read only when it is served.
    index = NoticeIndexPageFactory(parent=home_page, title="通知公告")
    notice = NoticePageFactory(parent=index, title="关于春雨社区停水的通知")
    response, sql = _get(client, notice.url)
    assert response.status_code == 200
    assert f'href="{index.url}"' in response.content.decode()
    assert not [query for query in sql if 'FROM "notices_noticeindexpage"' in query]
    response, sql = _get(client, index.url)
    assert response.status_code == 200
    assert [query for query in sql if 'FROM "notices_noticeindexpage"' in query]


def test_the_root_page_own_fields_are_read_only_when_it_is_served(client, home_page, fragments_on):
    home_page.intro = "欢迎来到同心社区"
    home_page.save_revision().publish()
    index = NoticeIndexPageFactory(parent=home_page)
    notice = NoticePageFactory(parent=index)
    response, sql = _get(client, notice.url)
    assert response.status_code == 200
    assert not [query for query in sql if 'FROM "home_homepage"' in query]
    response, sql = _get(client, "/")
    assert "欢迎来到同心社区" in response.content.decode()
    assert len([query for query in sql if 'FROM "home_homepage"' in query]) == 1
