"""Text rules of site search: what a resident types is found however it is written."""

import pytest

from portal import chinese


def test_word_inside_a_long_title_is_an_index_word():
    words = chinese.index_text("红色驿站便民服务指南").split()
    assert "驿站" in words
    assert "便民" in words


def test_unknown_word_is_still_reachable_through_its_bigrams():
    words = set(chinese.index_text("社区网格员巡查走访制度").split())
    assert set(chinese.match_words("网格员")) <= words
    assert set(chinese.match_words("巡查走访")) <= words


def test_traditional_and_full_width_forms_index_like_simplified_half_width():
    assert chinese.index_text("紅色驛站 ５Ｇ 熱線１２３４５") == chinese.index_text("红色驿站 5g 热线12345")


def test_mixed_chinese_latin_and_digits_split_into_words():
    words = chinese.index_text("拨打12345热线咨询5G基站").split()
    assert {"12345", "5g", "热线", "基站"} <= set(words)


def test_question_words_and_leading_verbs_are_dropped_from_queries():
    assert [t.word for t in chinese.parse_query("怎么申请低保")] == ["申请", "低保"]
    assert [t.word for t in chinese.parse_query("找驿站")] == ["驿站"]


def test_single_character_suffix_is_glued_to_its_word():
    assert [t.word for t in chinese.parse_query("网格员")] == ["网格员"]


def test_synonym_is_recognised_before_segmentation_and_carries_its_group():
    synonyms = {"低保": ("低保", "最低生活保障"), "最低生活保障": ("最低生活保障", "低保")}
    (term,) = chinese.parse_query("低保", synonyms=synonyms)
    assert term.forms == ("低保", "最低生活保障")
    terms = chinese.parse_query("最低生活保障怎么申请", synonyms=synonyms)
    assert [t.word for t in terms] == ["最低生活保障", "申请"]


def test_only_stop_words_still_searches_for_what_was_typed():
    assert [t.word for t in chinese.parse_query("怎么")] == ["怎么"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  低保   申请 ", "低保 申请"),
        ("\u202e低保\x00\u200b申请", "低保 申请"),
        ("驿" * 10_000, "驿" * chinese.MAX_QUERY_CHARS),
        ("\ud800\udfff", ""),
        (None, ""),
    ],
)
def test_query_is_cleaned_and_truncated(raw, expected):
    assert chinese.clean_query(raw) == expected


def test_highlight_marks_traditional_text_for_a_simplified_query_and_escapes_the_rest():
    html = chinese.highlight("關於紅色驛站的通知<script>alert(1)</script>", ["红色驿站"])
    assert "<mark>紅色驛站</mark>" in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_highlight_cuts_a_window_around_the_first_match():
    text = "前言" * 100 + "最低生活保障" + "后记" * 100
    html = chinese.highlight(text, ["最低生活保障"], width=40)
    assert html.startswith("…")
    assert html.endswith("…")
    assert "<mark>最低生活保障</mark>" in html


def test_segmentation_can_be_switched_off_for_an_analysing_backend(settings):
    settings.PORTAL_SEARCH_SEGMENTATION = False
    assert chinese.index_text("紅色驛站便民服務指南") == "红色驿站便民服务指南"
    assert chinese.match_words("红色驿站") == ["红色驿站"]


def test_highlight_falls_back_to_pieces_only_when_no_whole_word_occurs():
    assert "<mark>" not in chinese.highlight("共同生活的家庭", ["低保", "最低生活保障"])
    html = chinese.highlight("共同生活的家庭", ["低保"], fallback=["生活"])
    assert "<mark>生活</mark>" in html
