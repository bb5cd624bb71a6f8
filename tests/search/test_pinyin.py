"""Pinyin and initials: what the index carries and how a query typed in pinyin is read."""

import pytest

from home import search as site_search
from home.models import SearchSynonym
from portal import chinese, pinyin


def test_a_word_has_its_toneless_pinyin_and_initials_from_three_characters():
    assert pinyin.forms("网格员") == ("wanggeyuan", "wgy")
    assert pinyin.forms("低保") == ("dibao",)  # two letters of initials match too much
    assert pinyin.forms("银行") == ("yinhang",)  # the heteronym read from the phrase
    assert pinyin.forms("绿化") == ("lvhua",)  # ü typed as v, as on a phone keyboard


def test_index_text_carries_pinyin_of_words_and_of_neighbouring_word_pairs():
    words = chinese.index_text("低保证明开具").split()
    assert {"低保", "证明", "dibao", "zhengming", "dibaozhengming", "dbzm"} <= set(words)
    # A lone character's pinyin is not an index word, alone or in a pair.
    assert "de" not in chinese.index_text("网格员的通知").split()


def test_traditional_text_gets_the_pinyin_of_its_simplified_form():
    assert "wanggeyuan" in chinese.index_text("網格員").split()


def test_only_lowercase_latin_words_may_be_pinyin():
    assert pinyin.could_be_pinyin("dibao")
    assert not pinyin.could_be_pinyin("5g")
    assert not pinyin.could_be_pinyin("a")


@pytest.mark.django_db
def test_pinyin_of_a_synonym_stands_for_its_whole_group():
    SearchSynonym.objects.create(words="低保，最低生活保障")
    [term] = site_search.query_terms("DiBao")
    assert term.word == "dibao"
    assert term.reading == "低保"
    assert set(term.forms) == {"dibao", "低保", "最低生活保障"}


@pytest.mark.django_db
def test_pinyin_of_no_known_word_is_searched_as_typed():
    [term] = site_search.query_terms("tingshui")  # 停水: no synonym, domain or intent word
    assert term.forms == ("tingshui",) and term.reading == ""


@pytest.mark.django_db
def test_latin_words_that_are_no_pinyin_keep_their_meaning():
    assert [t.forms for t in site_search.query_terms("5G 基站")] == [("5g",), ("基站",)]


@pytest.mark.django_db
def test_resident_is_told_how_the_pinyin_was_read(client, site):
    html = client.get("/search/", {"q": "dibao"}).content.decode()
    assert "按拼音“dibao”查找“低保”。" in html
