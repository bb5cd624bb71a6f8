"""PostgreSQL plans the lists well before it has statistics (CI's PostgreSQL pass; skipped
on SQLite). A bulk import meets the planner's guesses before autovacuum runs: with
Wagtail's ``public()`` filter an uncached /notices/ then took 5-6 s at 5,000 notices."""

import datetime

import pytest
from django.db import connection
from wagtail.models import PageViewRestriction

from notices.models import NoticePage
from tests.factories.notices import NoticeCategoryFactory, NoticeIndexPageFactory, NoticePageFactory

from .growth import grow_pages, measure

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner only")

NOTICES = 5_000
BUDGET_SECONDS = 0.1


def test_notice_list_is_fast_at_5000_notices_before_analyze(client, home_page, settings):
    settings.PAGE_CACHE_SECONDS = 0
    index = NoticeIndexPageFactory(parent=home_page)
    category = NoticeCategoryFactory()
    grow_pages(
        index,
        NoticePage,
        NOTICES,
        lambda i: {
            "issuing_body": "同心区人民政府办公室",
            "published_on": datetime.date(2020, 1, 1) + datetime.timedelta(days=i % 2000),
            "category_id": category.pk,
            "summary": "批量导入的历史通知。",
            "body": [{"type": "paragraph", "value": "<p>正文。</p>"}],
        },
    )
    # A restricted notice, so the filter has something to leave out.
    private = NoticePageFactory(parent=index, title="仅限网格员阅读的通知")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    # The rows above are not committed, so neither ANALYZE nor autovacuum has seen them.

    size, queries, seconds = measure(client, "/notices/")
    html = client.get("/notices/").content.decode()
    assert "仅限网格员阅读的通知" not in html
    assert "批量导入的历史通知" in html
    assert seconds < BUDGET_SECONDS, (
        f"/notices/ at {NOTICES} notices: {seconds * 1000:.0f} ms, {queries} queries"
    )
