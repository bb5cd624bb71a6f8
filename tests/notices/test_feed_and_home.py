"""Residents follow notices through the feed and on the home page."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from notices.models import Validity
from tests.factories.notices import NoticePageFactory

pytestmark = pytest.mark.django_db


def _hidden_notices(notice_index):
    now = timezone.now()
    NoticePageFactory(parent=notice_index, title="草稿通知", live=False)
    NoticePageFactory(
        parent=notice_index, title="定时通知", live=False, go_live_at=now + datetime.timedelta(days=2)
    )
    NoticePageFactory(
        parent=notice_index, title="提前上线的定时通知", go_live_at=now + datetime.timedelta(hours=1)
    )
    NoticePageFactory(parent=notice_index, title="已过期通知", expire_at=now - datetime.timedelta(hours=1))
    private = NoticePageFactory(parent=notice_index, title="内部通知", is_pinned=True)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)


def test_feed_is_xml_and_lists_only_live_notices(client, notice_index):
    live = NoticePageFactory(
        parent=notice_index,
        title="燃气安全检查",
        document_number="同应急发〔2026〕22号",
        summary="入户检查不收费。",
    )
    NoticePageFactory(parent=notice_index, title="旧办法", validity=Validity.REPEALED)
    _hidden_notices(notice_index)

    response = client.get("/notices/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 -- our own feed, as the issue asks (xml.etree)
    items = root.findall("./channel/item")
    titles = [item.findtext("title") for item in items]
    assert sorted(titles) == ["【已废止】旧办法", "燃气安全检查"]
    item = items[titles.index("燃气安全检查")]
    assert item.findtext("link") == f"http://testserver{live.url}"
    assert "同应急发〔2026〕22号" in item.findtext("description")
    assert root.findtext("./channel/link") == "http://testserver/notices/"


def test_index_page_advertises_the_feed(client, notice_index):
    html = client.get("/notices/").content.decode()
    assert 'type="application/rss+xml"' in html and 'href="/notices/feed/"' in html


def test_home_shows_pinned_and_urgent_notices_and_the_latest(client, notice_index):
    NoticePageFactory(
        parent=notice_index, title="置顶：三民活动", is_pinned=True, published_on=datetime.date(2026, 6, 8)
    )
    NoticePageFactory(
        parent=notice_index, title="紧急：燃气安全", is_urgent=True, published_on=datetime.date(2026, 11, 18)
    )
    NoticePageFactory(
        parent=notice_index,
        title="已废止的置顶",
        is_pinned=True,
        validity=Validity.REPEALED,
        published_on=datetime.date(2025, 1, 1),
    )
    for i in range(6):
        NoticePageFactory(
            parent=notice_index, title=f"普通通知{i}", published_on=datetime.date(2026, 1, 1 + i)
        )
    _hidden_notices(notice_index)

    html = client.get("/").content.decode()
    section = html[html.index('id="notices-home-title"') : html.index("查看全部通知")]
    important = section[: section.index("最新通知")]
    latest = section[section.index("最新通知") :]
    assert "紧急：燃气安全" in important and "置顶：三民活动" in important
    assert important.index("紧急：燃气安全") < important.index("置顶：三民活动")  # newest first
    assert "已废止的置顶" not in important
    assert [f"普通通知{i}" in latest for i in range(6)] == [False, True, True, True, True, True]
    assert "紧急：燃气安全" not in latest
    for hidden in ["草稿通知", "定时通知", "提前上线的定时通知", "已过期通知", "内部通知"]:
        assert hidden not in html
    assert 'href="/notices/"' in section


def test_home_section_is_absent_without_notices(client, notice_index):
    assert "notices-home-title" not in client.get("/").content.decode()


def test_home_section_costs_two_queries_whatever_the_number_of_notices(rf, notice_index):
    from notices.wagtail_hooks import notices_home_section

    request = rf.get("/")
    for i in range(3):
        NoticePageFactory(parent=notice_index, is_pinned=i == 0)
    notices_home_section(request)  # warm Wagtail's site root paths, as in a running process
    with CaptureQueriesContext(connection) as few:
        notices_home_section(request)
    for i in range(12):
        NoticePageFactory(parent=notice_index, is_urgent=i % 3 == 0)
    notices_home_section(request)  # each publish purges: the restricted paths are read again once
    with CaptureQueriesContext(connection) as many:
        notices_home_section(request)
    assert len(few.captured_queries) == len(many.captured_queries) == 2
