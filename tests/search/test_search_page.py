"""The /search/ page itself: empty state, robustness, escaping, no indexing by robots."""

import pytest

pytestmark = pytest.mark.django_db


def test_resident_with_empty_box_gets_suggestions_and_hotline(client, site):
    response = client.get("/search/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "请输入要找的内容" in html
    assert "大家常搜" in html
    assert 'href="tel:12345"' in html


def test_search_pages_are_not_indexed_by_search_engines(client, site):
    html = client.get("/search/", {"q": "低保"}).content.decode()
    assert '<meta name="robots" content="noindex">' in html


def test_nothing_found_explains_what_to_try_and_gives_the_hotline(client, site):
    html = client.get("/search/", {"q": "火星移民登记"}).content.decode()
    assert "没有找到与“火星移民登记”相关的内容" in html
    assert "检查有没有错别字" in html
    assert 'href="tel:12345"' in html


def test_query_is_echoed_escaped_never_as_markup(client, site):
    html = client.get("/search/", {"q": "<img src=x onerror=alert(1)>"}).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x" in html


@pytest.mark.parametrize(
    "query",
    [
        "驿" * 10_000,
        "低保" + "\u0007\u001b\u202e\u200b\ufeff" * 50,
        "\U0001f600\U0001f468\u200d\U0001f469\u200d\U0001f467 驿站",
        "'\"\\%_*() AND OR NOT NEAR(",
        "\ud7ff\ue000\U0010ffff",
        "ｑｕｅｒｙ：（１２３４５）",
        "\U0001f475\U0001f3fb",
        "，。！？……",
    ],
)
def test_long_or_odd_queries_answer_normally(client, site, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert len(response.context["search_query"]) <= 50


def test_unknown_type_and_page_numbers_fall_back_quietly(client, site):
    response = client.get("/search/", {"q": "驿站", "type": "<x>", "page": "-3"})
    assert response.status_code == 200
    assert response.context["type_key"] == ""


def test_pages_under_a_view_restriction_never_show_in_results(client, home_page, settings):
    """Search filters with the restricted paths kept per generation (home.routing), not
    Wagtail's public(): a restricted notice and the pages below it stay out, and lifting
    the restriction brings them back."""
    from wagtail.models import PageViewRestriction

    from tests.factories.notices import NoticeIndexPageFactory, NoticePageFactory

    settings.PAGE_CACHE_SECONDS = 0
    index = NoticeIndexPageFactory(parent=home_page)
    NoticePageFactory(parent=index, title="燃气检修公开通知", slug="gongkai")
    private = NoticePageFactory(parent=index, title="燃气检修内部通知", slug="neibu")
    NoticePageFactory(parent=private, title="燃气检修内部附件", slug="neibu-fujian")
    restriction = PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    html = client.get("/search/", {"q": "燃气检修"}).content.decode()
    assert "公开通知" in html
    assert "内部通知" not in html and "内部附件" not in html
    restriction.delete()
    html = client.get("/search/", {"q": "燃气检修"}).content.decode()
    assert "内部通知" in html and "内部附件" in html
