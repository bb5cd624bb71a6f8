"""What a phone, a search engine and the HTML checker read on every public page:
a description, words residents use, valid form markup."""

import re

import pytest

from tests.factories.notices import NoticeIndexPageFactory, NoticePageFactory
from tests.factories.servicecatalog import (
    ServiceIndexPageFactory,
    ServiceItemPageFactory,
    StationIndexPageFactory,
    StationPageFactory,
)

pytestmark = pytest.mark.django_db


def description(html: str) -> str:
    found = re.findall(r'<meta name="description" content="([^"]*)">', html)
    assert len(found) == 1, found
    return found[0]


def test_every_kind_of_public_page_has_a_description(client, home_page):
    service = ServiceItemPageFactory(
        parent=ServiceIndexPageFactory(parent=home_page), summary="为困难家庭提供基本生活保障。"
    )
    notice = NoticePageFactory(
        parent=NoticeIndexPageFactory(parent=home_page), summary="冬季燃气安全检查安排。"
    )
    assert description(client.get(service.url).content.decode()) == "为困难家庭提供基本生活保障。"
    assert description(client.get(notice.url).content.decode()) == "冬季燃气安全检查安排。"
    assert description(client.get("/").content.decode()) == home_page.intro
    for path, words in [
        ("/feedback/report/", "反映身边的问题"),
        ("/feedback/track/", "反映编号"),
        ("/feedback/public/", "办结"),
        ("/feedback/ranking/", "红黑榜"),
        ("/feedback/evaluate/", "打分"),
    ]:
        assert words in description(client.get(path).content.decode()), path


def test_notice_list_says_subscribe_in_plain_words(client, home_page):
    index = NoticeIndexPageFactory(parent=home_page)
    html = client.get(index.url).content.decode()
    assert "订阅更新（RSS）" in html and "发布新通知时会自动收到" in html
    assert "RSS 订阅" not in html


def test_station_page_does_not_speak_of_wgs84(client, home_page):
    station = StationPageFactory(parent=StationIndexPageFactory(parent=home_page))
    html = client.get(station.url).content.decode()
    assert "WGS-84" not in html and "GPS" not in html
    assert "与手机定位一致" in html


def test_captcha_key_input_carries_no_typed_input_attributes(client, site):
    html = client.get("/feedback/report/").content.decode()
    hidden = re.search(r'<input type="hidden" name="captcha_0"[^>]*>', html).group(0)
    for attribute in ("pattern=", "maxlength=", "required", "inputmode="):
        assert attribute not in hidden, hidden
    typed = re.search(r'<input type="text" name="captcha_1"[^>]*>', html).group(0)
    assert 'inputmode="numeric"' in typed and 'maxlength="8"' in typed
    assert '<div class="privacy-notice" tabindex="0" role="region"' in html


def test_a_page_without_an_introduction_falls_back_to_the_portal_and_its_services():
    from types import SimpleNamespace

    from home.templatetags.home_tags import page_description

    portal = SimpleNamespace(portal_name="同心门户", slogan="同心区街道社区公共服务平台")
    bare = SimpleNamespace(search_description="", summary="", intro="")
    assert page_description(bare, portal).startswith("同心门户（同心区街道社区公共服务平台）：办事指南")
    assert page_description(bare, portal, "本页说明") == "本页说明"
    long = SimpleNamespace(search_description="", summary="<p>" + "很长的导语" * 40 + "</p>")
    assert len(page_description(long, portal)) == 120 and "<p>" not in page_description(long, portal)
