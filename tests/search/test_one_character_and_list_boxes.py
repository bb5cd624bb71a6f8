"""A resident who types one character, or pinyin into a list's own box, finds what site
search finds (found missing by an outside check: 灯, 水, 电 answered nothing on /search/,
and /services/?q=dibao answered 0 where /search/ found 13)."""

import pytest

from portal import chinese

pytestmark = pytest.mark.django_db


def test_every_character_of_a_run_is_an_index_word():
    words = chinese.index_text("小区停水通知").split()
    assert set("小区停水通知") <= set(words)
    assert {"小区", "停水", "水通"} <= set(words)  # words and bigrams as before


@pytest.mark.parametrize("character", ["灯", "房", "水"])
def test_site_search_finds_pages_with_a_single_character(client, demo_site, character):
    response = client.get("/search/", {"q": character})
    hits = response.context["results"].object_list
    assert response.context["total"] > 0 and not response.context["loose"], character
    for hit in hits:  # each found page has the character in what is indexed of it
        assert character in hit.page.specific.search_text_zh, (character, hit.page.title)
    if any(character in hit.page.title + hit.snippet for hit in hits):  # marked where it shows
        assert f"<mark>{character}</mark>" in response.content.decode()


def _service_titles(client, query: str) -> list[str]:
    response = client.get("/services/", {"q": query})
    assert response.status_code == 200
    return [service.title for service in response.context["services"]]


def test_service_list_box_reads_pinyin_and_synonyms_like_site_search(client, demo_site):
    from servicecatalog.models import ServiceItemPage

    dibao = set(_service_titles(client, "低保"))
    assert dibao and set(_service_titles(client, "dibao")) == dibao
    # 医保 is an editor synonym of 医疗保险: a guide that only writes it out is found.
    written_out = set(
        ServiceItemPage.objects.live().filter(title__contains="医疗保险").values_list("title", flat=True)
    )
    assert written_out <= set(_service_titles(client, "医保"))
    # Parts of titles and item codes still match as typed.
    assert _service_titles(client, "保")
    code = ServiceItemPage.objects.live().exclude(code="").values_list("code", flat=True).first()
    assert code and _service_titles(client, code[-6:])
    assert _service_titles(client, "并无此事项xyz") == []
