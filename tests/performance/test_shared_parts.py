"""Shared parts of pages: each process's own copies, previews, and new content at once
in shared rows, search answers and form options."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import cache as page_cache
from portal.cache import page_part, purge_pages, shared_fragment
from tests.factories.feedback import ComplaintCategoryFactory
from tests.factories.notices import NoticeIndexPageFactory, NoticePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sharing_on(settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 300
    settings.PAGE_CACHE_LOCAL_SECONDS = 5


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_process_copy_answers_without_a_round_trip_until_a_purge(site, sharing_on, monkeypatch):
    built = []
    shared_fragment("answer", lambda: built.append(1) or ["甲"])
    reads = []
    original = page_cache._read_with_generation
    monkeypatch.setattr(page_cache, "_read_with_generation", lambda key: reads.append(key) or original(key))
    assert shared_fragment("answer", lambda: built.append(1) or ["乙"]) == ["甲"]
    assert (built, reads) == ([1], [])
    purge_pages()
    assert shared_fragment("answer", lambda: built.append(1) or ["乙"]) == ["乙"]
    assert built == [1, 1]


def test_short_lived_fragment_expires_in_the_process_copy_too(site, sharing_on, monkeypatch):
    import time

    shared_fragment("figures", lambda: 1, seconds=60)
    assert shared_fragment("figures", lambda: 2, seconds=60) == 1
    later = time.time() + 61
    monkeypatch.setattr(page_cache.time, "time", lambda: later)
    assert shared_fragment("figures", lambda: 2, seconds=60) == 2


def test_preview_parts_are_built_every_time(site, sharing_on):
    page = SimpleNamespace(pk=1)
    live, preview = SimpleNamespace(), SimpleNamespace(is_preview=True)
    assert page_part(page, live, "materials", lambda: "已发布") == "已发布"
    assert page_part(page, live, "materials", lambda: "草稿") == "已发布"
    assert page_part(page, preview, "materials", lambda: "草稿") == "草稿"


def test_published_notice_joins_the_shared_rows_at_once(
    client, home_page, sharing_on, django_capture_on_commit_callbacks
):
    index = NoticeIndexPageFactory(parent=home_page)
    NoticePageFactory(parent=index, title="关于春雨社区停水的通知")
    url = index.url
    assert "停水" in _html(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        NoticePageFactory(parent=index, title="关于金鼎社区燃气检修的通知")
    assert "燃气检修" in _html(client, url)


def test_new_complaint_category_is_offered_at_once(client, site, sharing_on):
    assert "井盖缺失" not in _html(client, "/feedback/report/")
    ComplaintCategoryFactory(name="井盖缺失")
    assert "井盖缺失" in _html(client, "/feedback/report/")


def _publish_notice(index, title: str, capture) -> None:
    notice = NoticePageFactory(parent=index, title=title, live=False)
    with capture(execute=True):  # the index is updated by a task run on commit
        notice.save_revision().publish()


def test_search_answers_are_shared_and_see_new_pages_at_once(
    client, home_page, sharing_on, django_capture_on_commit_callbacks
):
    index = NoticeIndexPageFactory(parent=home_page)
    _publish_notice(index, "关于春雨社区停水的通知", django_capture_on_commit_callbacks)
    assert "关于春雨社区" in _html(client, "/search/?q=停水")  # 停水 itself is highlighted
    with CaptureQueriesContext(connection) as queries:
        _html(client, "/search/?q=停水")
    assert not any("wagtailsearch_indexentry" in q["sql"] for q in queries.captured_queries)
    _publish_notice(index, "关于金鼎社区停水检修的通知", django_capture_on_commit_callbacks)
    assert "关于金鼎社区" in _html(client, "/search/?q=停水")
