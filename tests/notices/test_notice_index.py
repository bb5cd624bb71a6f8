"""A resident browses /notices/: newest first, pinned on top, filters kept in the URL."""

import datetime
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notices.models import Validity
from tests.factories.home import CommunityFactory
from tests.factories.notices import NoticeCategoryFactory, NoticePageFactory

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return [n.title for n in response.context["notices"]]


def test_newest_first_with_pinned_on_top(client, notice_index):
    NoticePageFactory(parent=notice_index, title="旧通知", published_on=datetime.date(2025, 1, 1))
    NoticePageFactory(parent=notice_index, title="新通知", published_on=datetime.date(2026, 5, 1))
    NoticePageFactory(
        parent=notice_index, title="置顶的旧通知", published_on=datetime.date(2024, 1, 1), is_pinned=True
    )
    response = client.get("/notices/")
    assert response.status_code == 200
    assert _titles(response) == ["置顶的旧通知", "新通知", "旧通知"]
    html = response.content.decode()
    assert "置顶" in html and "共 3 条" in html


def test_filters_combine_and_stay_in_the_url(client, notice_index):
    policy = NoticeCategoryFactory(name="民生保障", slug="minsheng")
    safety = NoticeCategoryFactory(name="平安建设", slug="pingan")
    fuxing = CommunityFactory(name="复兴社区", slug="fuxing-t")
    kunlun = CommunityFactory(name="昆仑社区", slug="kunlun-t")
    target = NoticePageFactory(
        parent=notice_index,
        title="目标",
        category=policy,
        published_on=datetime.date(2026, 3, 1),
        communities=[fuxing],
    )
    NoticePageFactory(
        parent=notice_index,
        title="别的分类",
        category=safety,
        published_on=datetime.date(2026, 3, 1),
        communities=[fuxing],
    )
    NoticePageFactory(
        parent=notice_index,
        title="别的年份",
        category=policy,
        published_on=datetime.date(2025, 3, 1),
        communities=[fuxing],
    )
    NoticePageFactory(
        parent=notice_index,
        title="别的社区",
        category=policy,
        published_on=datetime.date(2026, 3, 1),
        communities=[kunlun],
    )
    NoticePageFactory(
        parent=notice_index,
        title="已废止",
        category=policy,
        published_on=datetime.date(2026, 3, 1),
        communities=[fuxing],
        validity=Validity.REPEALED,
    )

    response = client.get("/notices/?category=minsheng&year=2026&validity=current&community=fuxing-t")
    assert _titles(response) == [target.title]
    html = response.content.decode()
    # The form shows what was chosen, so the filters survive a reload and a shared link.
    assert '<option value="minsheng" selected>' in html
    assert '<option value="2026" selected>' in html
    assert '<option value="fuxing-t" selected>' in html

    assert sorted(_titles(client.get("/notices/?category=minsheng&year=2026"))) == sorted(
        ["目标", "别的社区", "已废止"]
    )
    assert _titles(client.get("/notices/?validity=repealed")) == ["已废止"]
    assert _titles(client.get("/notices/?community=kunlun-t")) == ["别的社区"]
    # A notice with no community chosen applies to the whole district, so to every community.
    NoticePageFactory(parent=notice_index, title="全区适用", published_on=datetime.date(2026, 3, 2))
    assert _titles(client.get("/notices/?community=kunlun-t&year=2026")) == ["全区适用", "别的社区"]


def test_pagination_keeps_filters(client, notice_index):
    category = NoticeCategoryFactory(slug="many")
    for i in range(12):
        NoticePageFactory(parent=notice_index, category=category, published_on=datetime.date(2026, 1, 1 + i))
    html = client.get("/notices/?category=many").content.decode()
    assert 'href="?category=many&amp;page=2"' in html
    page2 = client.get("/notices/?category=many&page=2")
    assert len(page2.context["notices"]) == 2


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "category=nope",
        "validity=bogus",
        "community=nowhere",
        "page=zzz",
        "year=99999999999999999999",
    ],
)
def test_bad_filter_values_are_ignored_not_500(client, notice_index, query):
    NoticePageFactory(parent=notice_index, title="仍然显示")
    response = client.get(f"/notices/?{query}")
    assert response.status_code == 200
    assert _titles(response) == ["仍然显示"]
    if not query.startswith("page"):
        assert "有筛选条件无效" in response.content.decode()


def test_scheduled_expired_and_draft_notices_are_not_listed(client, notice_index):
    now = timezone.now()
    NoticePageFactory(parent=notice_index, title="已发布")
    NoticePageFactory(parent=notice_index, title="草稿", live=False)
    NoticePageFactory(
        parent=notice_index, title="定时发布", live=False, go_live_at=now + datetime.timedelta(days=1)
    )
    # Even if a page is flagged live early, its go-live time is respected.
    NoticePageFactory(parent=notice_index, title="提前标记上线", go_live_at=now + datetime.timedelta(hours=1))
    NoticePageFactory(parent=notice_index, title="已过期", expire_at=now - datetime.timedelta(minutes=1))
    assert _titles(client.get("/notices/")) == ["已发布"]


def test_scheduled_notice_appears_once_publish_scheduled_runs(client, notice_index):
    notice = NoticePageFactory(parent=notice_index, title="元旦服务安排", live=False)
    notice.go_live_at = timezone.now() + datetime.timedelta(seconds=2)
    notice.save_revision().publish()
    assert "元旦服务安排" not in _titles(client.get("/notices/"))
    time.sleep(max(0, (notice.go_live_at - timezone.now()).total_seconds()) + 0.1)
    call_command("publish_scheduled")  # what the every-minute cron job runs
    assert _titles(client.get("/notices/")) == ["元旦服务安排"]


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _build(notice_index, n, communities, categories):
    for i in range(n):
        NoticePageFactory(
            parent=notice_index,
            category=categories[i % len(categories)],
            communities=communities[: 1 + i % len(communities)],
            is_pinned=i % 4 == 0,
            published_on=datetime.date(2024 + i % 3, 1 + i % 12, 1),
        )


@pytest.mark.parametrize(
    "url", ["/notices/", "/notices/?category=c1&year=2025&validity=current&community=q0"]
)
def test_index_query_count_does_not_grow_with_notices(client, notice_index, url, settings):
    settings.PAGE_CACHE_SECONDS = 0  # measure the page itself, not the anonymous page cache
    communities = [CommunityFactory(slug=f"q{i}") for i in range(3)]
    categories = [NoticeCategoryFactory(slug=f"c{i}") for i in range(3)]
    client.get(url)  # warm Wagtail's per-process caches (site root paths)
    _build(notice_index, 5, communities, categories)
    with_5 = _count_queries(client, url)
    _build(notice_index, 10, communities, categories)
    with_15 = _count_queries(client, url)
    # Each build purges, so these are first visits after a publish: seven queries (the
    # site's root page is routed through without its own fields), and the restricted
    # paths read once per purge for both the list's filter and the index page's own
    # view restrictions (home.routing._restrictions).
    assert with_5 == with_15 == 8
    assert len(client.get(url).context["notices"]) > 1
