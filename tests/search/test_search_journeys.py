"""What a resident sees on /search/: grouped results, highlights, synonyms, promotions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from home.models import SearchSynonym

from .corpus import add_notices

pytestmark = pytest.mark.django_db


def test_resident_typing_驿站_finds_red_stations_with_the_word_marked(client, search_site):
    response = client.get("/search/", {"q": "驿站"})
    html = response.content.decode()
    titles = [hit.page.title for hit in response.context["results"].object_list]
    assert titles[:2] == ["复兴社区红色驿站", "千秋社區紅色驛站"] or titles[:2] == [
        "千秋社區紅色驛站",
        "复兴社区红色驿站",
    ]
    assert "<mark>驿站</mark>" in html or "<mark>驛站</mark>" in html
    assert "红色驿站" in html and "共找到" in html


def test_results_can_be_narrowed_to_one_type_with_counts_per_type(client, search_site):
    response = client.get("/search/", {"q": "电梯", "type": "notice"})
    tabs = {key: count for key, _, count in response.context["type_tabs"]}
    assert tabs["notice"] == 1 and tabs["service"] == 1 and tabs["report"] == 1
    assert [hit.type_label for hit in response.context["results"].object_list] == ["通知公告"]
    assert 'aria-current="page">通知公告' in response.content.decode()


def test_editor_synonym_takes_effect_at_once(client, search_site):
    assert client.get("/search/", {"q": "廉租房"}).context["total"] == 0
    SearchSynonym.objects.create(words="廉租房，加装电梯")
    response = client.get("/search/", {"q": "廉租房"})
    assert {hit.page.title for hit in response.context["results"].object_list} >= {
        "老旧小区既有住宅加装电梯申请"
    }


def test_promoted_page_shows_above_results_for_traditional_query_too(client, search_site):
    query = Query.get("红色驿站")
    SearchPromotion.objects.create(
        query=query, page=search_site["st_qianqiu"], description="离地铁站最近", sort_order=0
    )
    html = client.get("/search/", {"q": "紅色驛站"}).content.decode()
    assert "推荐" in html and "离地铁站最近" in html
    assert html.index("离地铁站最近") < html.index("共找到")


def test_searches_with_results_are_counted_for_editors_in_batches(client, search_site):
    from home.views import HIT_BATCH

    client.get("/search/", {"q": "低保"})
    assert Query.get("低保").hits == 1  # a query's first search of the day shows at once
    for _ in range(2 * HIT_BATCH + 3):
        client.get("/search/", {"q": "低保"})
    assert Query.get("低保").hits == 2 * HIT_BATCH  # counted in the cache, written every HIT_BATCH
    client.get("/search/", {"q": "火星移民"})
    assert not Query.objects.filter(query_string="火星移民").exists()


def test_loose_match_is_said_out_loud(client, search_site):
    response = client.get("/search/", {"q": "红色驿战"})
    assert response.context["loose"] is True
    assert "没有找到同时包含全部词语的内容" in response.content.decode()


def test_results_are_paginated_and_keep_query_and_type(client, home_page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        add_notices(home_page, count=23)
    first = client.get("/search/", {"q": "驿站", "type": "notice"})
    assert first.context["total"] == 23
    assert len(first.context["results"].object_list) == 10
    assert "type=notice&amp;page=2" in first.content.decode()
    third = client.get("/search/", {"q": "驿站", "type": "notice", "page": 3})
    assert len(third.context["results"].object_list) == 3
    seen = {
        hit.page.pk
        for p in (1, 2, 3)
        for hit in client.get("/search/", {"q": "驿站", "page": p}).context["results"].object_list
    }
    assert len(seen) == 23


def _queries_for_search(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/search/", {"q": "红色驿站"}).status_code == 200
    return len(ctx)


def test_search_page_query_count_does_not_grow_with_results(
    client, home_page, django_capture_on_commit_callbacks, settings
):
    settings.FRAGMENT_CACHE_SECONDS = 0  # count the search's own queries, not a kept answer
    with django_capture_on_commit_callbacks(execute=True):
        add_notices(home_page, count=4)
    client.get("/search/", {"q": "红色驿站"})  # warm caches (site root paths, synonyms)
    few = _queries_for_search(client)
    with django_capture_on_commit_callbacks(execute=True):
        add_notices(home_page, count=8, start=4)
    many = _queries_for_search(client)
    assert few == many
    assert many <= 12


def test_all_tab_keeps_the_overall_count_while_a_type_is_chosen(client, search_site):
    everything = client.get("/search/", {"q": "电梯"}).context["total"]
    response = client.get("/search/", {"q": "电梯", "type": "notice"})
    assert response.context["all_total"] == everything == 3
    assert f'全部 <span class="search-count">{everything}</span>' in response.content.decode()
