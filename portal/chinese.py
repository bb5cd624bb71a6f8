"""Chinese text for site search: normalisation, segmentation and highlighting.

Stock full-text search splits on spaces, so a Chinese title is one giant "word" and
驿站 never matches 红色驿站便民服务指南. We therefore index *segmented* text and
segment queries the same way:

- Normalise first (NFKC folds full-width ＡＢＣ１２３ to ABC123, OpenCC ``t2s`` folds
  traditional to simplified, lower-case), so 紅色驛站, ５Ｇ and 5g meet their twins.
- Index text = jieba ``cut_for_search`` words (sub-words of long words too) plus every
  character bigram of each Chinese run. Bigrams guarantee recall for words jieba does
  not know (网格员, place names): any Chinese query word of two or more characters is
  found by requiring all of its bigrams. Each character of a run is indexed once too, so
  a resident who types one character (灯, 房) finds the pages that have it.
- Index text also carries each word's pinyin and initials (``portal.pinyin``), so
  ``dibao`` and ``wgy`` find 低保 and 网格员 pages; at query time a Latin word that is the
  pinyin of a known word (a synonym, a domain word) stands for that word too.
- A query is split into words with jieba; editor synonyms are matched first so
  低保 stays one unit that can be expanded to 最低生活保障.

Segmentation can be switched off with ``PORTAL_SEARCH_SEGMENTATION = False`` for a
backend that analyses Chinese itself (OpenSearch/Elasticsearch with ik or smartcn);
normalisation still applies.

jieba loads its dictionary (~1.5 s) once per process, on first use, without logging.
"""

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import pinyin

MAX_QUERY_CHARS = 50

# CJK ideographs (basic, extension A, compatibility) and the supplementary planes.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN_RE = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>[^\W_{_CJK}]+)")
_CJK_RE = re.compile(rf"^[{_CJK}]+$")

# Words residents type around what they look for; they carry no meaning for search.
QUERY_STOPWORDS = frozenset(
    "怎么 怎样 如何 什么 哪里 哪儿 哪些 哪个 多少 是否 可以 能否 能不能 请问 一下 我 我要 我想 想 要 "
    "的 地 得 了 吗 呢 吧 啊 在 和 与 及 或 是 有 去 到 附近 最近".split()
)
# A single character at the start of a query is usually a verb (办/查/找/交):
# dropped when other words remain. After a word it is usually a suffix (员/站/证): glued on.
_LEADING_SINGLE_DROP = True

# Domain words jieba's general dictionary splits apart; adding them keeps them whole.
DOMAIN_WORDS = (
    "红色驿站 党群服务中心 户外劳动者之家 红色蓄能站 网格员 网格化 最低生活保障 低保 特困供养 "
    "临时救助 医保 社保 居住证 新就业群体 外卖骑手 快递小哥 环卫工人 向居民报告 办事指南 "
    "便民服务 一网通办 接诉即办 物业服务 老旧小区 加装电梯 适老化 助餐 养老服务 残疾人 "
    "退役军人 志愿服务 垃圾分类 充电桩"
).split()

_jieba_lock = threading.Lock()
_tokenizer = None


def segmentation_enabled() -> bool:
    return getattr(settings, "PORTAL_SEARCH_SEGMENTATION", True)


def _jieba():
    """The process-wide jieba tokenizer, built on first use (not at import time)."""
    global _tokenizer
    if _tokenizer is None:
        with _jieba_lock:
            if _tokenizer is None:
                import jieba

                # jieba prints "Building prefix dict…" at DEBUG/INFO; keep logs quiet.
                jieba.setLogLevel(logging.WARNING)
                logging.getLogger("jieba").setLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                for word in DOMAIN_WORDS:
                    tokenizer.add_word(word, freq=50_000)
                _tokenizer = tokenizer
    return _tokenizer


def warm_up() -> None:
    """Load the dictionaries now (~1 s): gunicorn's master calls it before forking, so
    workers share them and no resident's first search waits for them."""
    index_text("红色驿站")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _clean_char(char: str) -> str:
    # Control, format (zero-width, bidi overrides), surrogate, private-use and unassigned
    # code points become spaces: invisible in a query and never in an index word.
    return " " if unicodedata.category(char)[0] == "C" and char not in "\t\n" else char


def strip_control(text: str) -> str:
    return "".join(_clean_char(c) for c in text)


def clean_query(raw: str | None) -> str:
    """What the resident typed, safe to search and to show back: no control characters,
    single spaces, at most ``MAX_QUERY_CHARS`` characters (longer input is cut, not refused)."""
    if not raw:
        return ""
    text = strip_control(raw[: MAX_QUERY_CHARS * 4])
    return " ".join(text.split())[:MAX_QUERY_CHARS].strip()


def normalize(text: str) -> str:
    """Fold width, script and case so variants of a word compare equal."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", strip_control(text))
    return _t2s().convert(text).lower()


def _bigrams(run: str) -> list[str]:
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_text(*parts: str | None) -> str:
    """Space-separated index words for the given texts (see module docstring)."""
    text = normalize(" ".join(p for p in parts if p))
    if not segmentation_enabled():
        return " ".join(text.split())
    words: list[str] = []
    tokenizer = _jieba()
    for match in _RUN_RE.finditer(text):
        run = match.group()
        if match.lastgroup == "word":
            words.append(run)
            continue
        segmented = [w for w in tokenizer.cut_for_search(run, HMM=True) if _CJK_RE.match(w)]
        words.extend(segmented)
        words.extend(_bigrams(run))
        words.extend(dict.fromkeys(run))  # each character once: a one-character query (灯, 房)
        words.extend(pinyin.index_words(segmented, [w for w in tokenizer.cut(run, HMM=True) if w.strip()]))
    return " ".join(words)


def match_words(word: str) -> list[str]:
    """Index words that must all be present for a document to contain ``word``."""
    if segmentation_enabled() and _CJK_RE.match(word) and len(word) > 2:
        return _bigrams(word)
    return [word]


@dataclass(frozen=True)
class QueryTerm:
    """One unit of meaning in a query, with the editor-managed synonyms it stands for."""

    word: str
    alternatives: tuple[str, ...] = field(default=())
    # The Chinese word a term typed in pinyin was read as (dibao → 低保); it counts as typed.
    reading: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.word, *(a for a in self.alternatives if a != self.word))


def _split_words(chunk: str) -> list[str]:
    """Query words of a chunk without synonyms: jieba words for Chinese, runs otherwise."""
    if not segmentation_enabled():
        return chunk.split()
    words: list[str] = []
    for match in _RUN_RE.finditer(chunk):
        run = match.group()
        if match.lastgroup == "word":
            words.append(run)
            continue
        pieces = [w for w in _jieba().cut(run, HMM=False) if w.strip()]
        glued: list[str] = []
        for position, piece in enumerate(pieces):
            if piece in QUERY_STOPWORDS:
                glued.append("")  # a boundary: never glue across a removed word
            elif len(piece) == 1 and glued and glued[-1]:
                glued[-1] += piece
            elif len(piece) == 1 and position == 0 and len(pieces) > 1 and _LEADING_SINGLE_DROP:
                glued.append("")
            else:
                glued.append(piece)
        words.extend(w for w in glued if w)
    return words


def parse_query(query: str, *, synonyms: Mapping[str, tuple[str, ...]] | None = None) -> list[QueryTerm]:
    """Split a cleaned query into terms; synonym keys are recognised before segmentation."""
    text = normalize(query)
    synonyms = synonyms or {}
    terms: list[QueryTerm] = []
    position = 0
    if synonyms:
        pattern = re.compile("|".join(re.escape(k) for k in sorted(synonyms, key=len, reverse=True)))
        for match in pattern.finditer(text):
            terms.extend(QueryTerm(w) for w in _split_words(text[position : match.start()]))
            terms.append(QueryTerm(match.group(), synonyms[match.group()]))
            position = match.end()
    terms.extend(QueryTerm(w) for w in _split_words(text[position:]))
    if not terms:
        # Nothing but stop words ("怎么办"): search for what was typed rather than nothing.
        terms = [QueryTerm(w) for w in _RUN_RE.findall(text) for w in [w[0] or w[1]] if w]
    if len(terms) > 1:
        # A lone character left beside a synonym (医保|卡) is rarely an index word.
        terms = [t for t in terms if t.alternatives or len(t.word) > 1 or not _CJK_RE.match(t.word)] or terms
    unique: dict[str, QueryTerm] = {}
    for term in terms:
        unique.setdefault(term.word, term)
    return list(unique.values())[:12]


@lru_cache(maxsize=4096)  # the same public texts are compared again on every look-up
def content_words(text: str | None) -> frozenset[str]:
    """The distinct words of a text that carry meaning, to compare two texts: every
    dictionary word of two or more characters jieba finds in it (full mode, so 路灯 is
    found in 门口路灯不亮 although the best cut is 路/灯不亮; single characters are
    mostly particles), Latin/digit runs of two or more, no query stop words; normalised
    as for search."""
    folded = normalize(text or "")
    if not folded:
        return frozenset()
    words: set[str] = set()
    for match in _RUN_RE.finditer(folded):
        run = match.group()
        if match.lastgroup == "word" or not segmentation_enabled():
            pieces = [run]
        else:
            pieces = _jieba().cut(run, cut_all=True)
        words.update(w for w in pieces if len(w) > 1 and w not in QUERY_STOPWORDS)
    return frozenset(words)


# --- highlighting -------------------------------------------------------------------


def _normalized_with_offsets(text: str) -> tuple[str, list[int]]:
    """``normalize(text)`` plus, for each output character, the index of its source character."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", _clean_char(char)).lower()
        chars.append(folded)
        offsets.extend([i] * len(folded))
    folded = "".join(chars)
    simplified = _t2s().convert(folded)
    if len(simplified) != len(folded):  # a phrase conversion changed length: go char by char
        simplified = "".join(_t2s().convert(c) if len(_t2s().convert(c)) == 1 else c for c in folded)
    return simplified, offsets


def _match_spans(folded: str, offsets: list[int], words: Iterable[str]) -> list[tuple[int, int]]:
    """Spans of the source text whose normalised form is one of ``words``, merged."""
    needles = sorted({w for w in words if w}, key=len, reverse=True)
    spans: list[tuple[int, int]] = []
    if not needles:
        return spans
    pattern = re.compile("|".join(re.escape(n) for n in needles))
    for match in pattern.finditer(folded):
        start, end = offsets[match.start()], offsets[match.end() - 1] + 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def highlight(
    text: str, words: Iterable[str], *, fallback: Iterable[str] = (), width: int = 90
) -> SafeString:
    """An escaped excerpt of ``text`` around the first match, matches wrapped in <mark>.

    ``words`` are normalised query words; they are matched against the normalised text
    so 紅色驛站 in a page is marked for the query 红色驿站. ``fallback`` words are
    marked only when none of ``words`` occurs. Nothing from the input is trusted:
    every piece of text is escaped before the <mark> tags are added.
    """
    text = " ".join((text or "").split())
    if not text:
        return mark_safe("")  # noqa: S308 - a constant empty string
    folded, offsets = _normalized_with_offsets(text)
    spans = _match_spans(folded, offsets, words) or _match_spans(folded, offsets, fallback)
    first = spans[0][0] if spans else 0
    begin = max(0, min(first - width // 4, len(text) - width))
    end = min(len(text), begin + width)
    pieces = ["…" if begin else ""]
    cursor = begin
    for start, stop in spans:
        if stop <= begin or start >= end:
            continue
        start, stop = max(start, begin), min(stop, end)
        pieces.append(escape(text[cursor:start]))
        pieces.append(f"<mark>{escape(text[start:stop])}</mark>")
        cursor = stop
    pieces.append(escape(text[cursor:end]))
    pieces.append("…" if end < len(text) else "")
    return mark_safe("".join(pieces))  # noqa: S308 - every piece above is escaped


SLUG_MAX_CHARS = 60


def pinyin_slug(text: str, *, max_chars: int = SLUG_MAX_CHARS) -> str:
    """An ASCII web address part for Chinese text: each word's toneless pinyin, words
    joined by hyphens (复兴路停水通知 → ``fuxinglu-tingshui-tongzhi``), Latin letters and
    digits kept, everything else dropped; cut at a hyphen to ``max_chars``. A percent-
    encoded Chinese address is some 150 characters in a WeChat share or a printed notice."""
    from django.utils.text import slugify
    from pypinyin import Style, lazy_pinyin

    text = normalize(text)
    words = [w for w in _jieba().cut(text, HMM=False) if w.strip()]
    parts = ["".join(lazy_pinyin(w, style=Style.NORMAL, errors="default")) for w in words]
    slug = slugify(" ".join(parts))
    if len(slug) > max_chars:  # at the last hyphen that keeps it within max_chars
        cut = slug[: max_chars + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_chars]
    return slug.strip("-")
