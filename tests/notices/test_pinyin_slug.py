"""A page editors create is addressed in pinyin, not in percent-encoded Chinese
(found by an outside check: /notices/%E6%B5%8B%E8%AF%95…b%E6%B3%A8%E6%84%8Fb/)."""

import pytest

from notices.models import NoticePage
from portal.chinese import pinyin_slug
from tests.factories.notices import NoticeCategoryFactory

pytestmark = pytest.mark.django_db


def test_pinyin_slug_keeps_words_together_and_drops_markup_and_emoji():
    assert pinyin_slug("复兴路停水通知") == "fuxinglu-tingshuitongzhi"
    assert pinyin_slug("测试通知：12月10日复兴路停水😀<b>注意</b>") == (
        "ceshi-tongzhi-12-yue-10-ri-fuxinglu-tingshui-b-zhuyi-b"
    )
    assert pinyin_slug("関於綠化帶維修").isascii()  # traditional forms folded first
    long = pinyin_slug("关于" + "老旧小区加装电梯" * 10)
    assert len(long) <= 60 and not long.endswith("-")
    assert pinyin_slug("😀") == ""


def _notice(title: str, slug: str) -> NoticePage:
    return NoticePage(
        title=title,
        slug=slug,
        summary="测试",
        issuing_body="复兴街道办事处",
        category=NoticeCategoryFactory(),
    )


def test_a_new_notice_with_a_chinese_slug_is_addressed_in_pinyin(demo_site):
    from notices.models import NoticeIndexPage

    index = NoticeIndexPage.objects.get()
    notice = index.add_child(instance=_notice("复兴路停水通知", "复兴路停水通知"))
    notice.save_revision().publish()
    notice.refresh_from_db()
    assert notice.slug == "fuxinglu-tingshuitongzhi" and notice.url.endswith("/fuxinglu-tingshuitongzhi/")
    # A second one with the same title gets Wagtail's own sibling check, on the pinyin.
    with pytest.raises(Exception, match="fuxinglu-tingshuitongzhi"):
        index.add_child(instance=_notice("复兴路停水通知", "复兴路停水通知"))


def test_a_published_page_keeps_its_address(demo_site):
    from notices.models import NoticeIndexPage

    index = NoticeIndexPage.objects.get()
    notice = index.add_child(instance=_notice("旧通知", "old"))
    notice.save_revision().publish()
    NoticePage.objects.filter(pk=notice.pk).update(slug="旧通知")  # as an older site stored it
    notice = NoticePage.objects.get(pk=notice.pk)
    notice.summary = "改过"
    notice.save_revision().publish()
    notice.refresh_from_db()
    assert notice.slug == "旧通知"
