"""Site search rules every app shares: what a page puts in the index, how a query is built.

Pages add one search field whose value comes from :func:`page_search_text`::

    search_fields = Page.search_fields + [index.SearchField("search_text_zh")]

    @property
    def search_text_zh(self):
        return page_search_text(self, "summary", "body")

Apps name the page types residents may narrow a search to (the tabs of ``/search/``)
through the ``search_types`` hook, so ``home`` imports none of them::

    @hooks.register(SEARCH_TYPES_HOOK)
    def notice_search_types():
        return [SearchType("notice", "通知公告", (NoticePage,), order=10)]

Queries go through Wagtail's own search API (``Page.objects.search(query)``) with a
query object from :func:`build_query`, so any Wagtail/modelsearch backend serves them:
the database backends on SQLite (FTS5) and PostgreSQL (tsvector), or OpenSearch.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.fields.files import FieldFile
from django.utils.html import strip_tags
from wagtail import hooks
from wagtail.fields import RichTextField, StreamField
from wagtail.search.query import And, Or, PlainText

from portal import chinese, pinyin

from .intents import intent_words
from .models import SYNONYM_CACHE_KEY, SearchSynonym

SEARCH_TYPES_HOOK = "search_types"


@dataclass(frozen=True)
class SearchType:
    key: str  # the ?type= value
    label: str
    models: tuple[type, ...]
    order: int


def search_types() -> list[SearchType]:
    found = [search_type for register in hooks.get_hooks(SEARCH_TYPES_HOOK) for search_type in register()]
    return sorted(found, key=lambda search_type: search_type.order)


# How often the title is repeated in the index text. SQLite's database backend ignores
# field boosts, so repetition is what lets a title word outrank a passing mention.
TITLE_WEIGHT = 3


def field_text(obj, name: str) -> str:
    """Plain text of one field (StreamField and rich text included) or related list.

    ``"materials.name"`` reads ``name`` of every child in the ``materials`` relation.
    """
    if "." in name:
        relation, attribute = name.split(".", 1)
        children = getattr(obj, relation).all()
        return " ".join(field_text(child, attribute) for child in children)
    try:
        model_field = obj._meta.get_field(name)
    except Exception:  # a property or method, not a model field
        model_field = None
    value = getattr(obj, name, None)
    if callable(value) and not hasattr(value, "all"):
        value = value()
    if value is None or isinstance(value, FieldFile):
        return ""
    if isinstance(model_field, StreamField):
        return " ".join(str(s) for s in model_field.get_searchable_content(value))
    if isinstance(model_field, RichTextField):
        return strip_tags(str(value))
    if hasattr(value, "all"):  # a related manager: index every child's text
        return " ".join(str(child) for child in value.all())
    if isinstance(value, list | tuple | set):
        return " ".join(" ".join(map(str, v.values())) if isinstance(v, dict) else str(v) for v in value)
    return str(value)


def page_search_text(page, *field_names: str) -> str:
    """Segmented index text for a page: its title (weighted) and the named fields."""
    parts = [page.title] * TITLE_WEIGHT
    parts += [getattr(page, "search_description", "")]
    parts += [field_text(page, name) for name in field_names]
    return chinese.index_text(*parts)


def synonym_map() -> dict[str, tuple[str, ...]]:
    """Normalised word → every word of its synonym group (cached; one query on a miss)."""
    mapping = cache.get(SYNONYM_CACHE_KEY)
    if mapping is None:
        mapping = {}
        for synonym in SearchSynonym.objects.all():
            group = tuple(dict.fromkeys(chinese.normalize(w) for w in synonym.word_list()))
            for word in group:
                mapping[word] = tuple(dict.fromkeys(mapping.get(word, ()) + group))
        cache.set(SYNONYM_CACHE_KEY, mapping, 300)
    return mapping


def pinyin_map(synonyms: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Pinyin and initials of the words the site knows (synonyms, domain words, the intent
    table) → those words with their synonyms: ``dibao`` → 低保, 最低生活保障."""
    mapping: dict[str, tuple[str, ...]] = {}
    known = [
        *synonyms,
        *map(chinese.normalize, chinese.DOMAIN_WORDS),
        *map(chinese.normalize, intent_words()),
    ]
    for word in dict.fromkeys(known):
        group = (word, *synonyms.get(word, ()))  # the word read first: it counts as typed
        for form in pinyin.forms(word):
            mapping[form] = tuple(dict.fromkeys(mapping.get(form, ()) + group))
    return mapping


def query_terms(query: str) -> list[chinese.QueryTerm]:
    """The query's terms with editors' synonyms; a word typed in pinyin (dibao, wgy) that
    names a known word also stands for that word and its synonyms. Pages are matched on
    the pinyin in the index too (``portal.pinyin``), so any word's pinyin finds it."""
    synonyms = synonym_map()
    terms = chinese.parse_query(query, synonyms=synonyms)
    readings = pinyin_map(synonyms) if any(pinyin.could_be_pinyin(t.word) for t in terms) else {}
    return [
        chinese.QueryTerm(
            t.word, tuple(dict.fromkeys(t.alternatives + readings[t.word])), reading=readings[t.word][0]
        )
        if t.word in readings
        else t
        for t in terms
    ]


def _word_query(word: str) -> PlainText:
    return PlainText(" ".join(chinese.match_words(word)), operator="and")


def _term_query(term: chinese.QueryTerm):
    forms = [_word_query(form) for form in term.forms]
    return forms[0] if len(forms) == 1 else Or(forms)


def build_query(terms: Sequence[chinese.QueryTerm]):
    """Every term must match (in one of its synonym forms)."""
    parts = [_term_query(term) for term in terms]
    return parts[0] if len(parts) == 1 else And(parts)


def build_loose_query(terms: Sequence[chinese.QueryTerm]):
    """Any index word of any term may match: the fallback when the strict query finds
    nothing (a typo such as 红色驿战 still shares 红色 and 色驿 with 红色驿站)."""
    words: dict[str, None] = {}
    for term in terms:
        for form in term.forms:
            words.update(dict.fromkeys(chinese.match_words(form)))
    return PlainText(" ".join(words), operator="or")


def matching_page_ids(pages, query: str, *, limit: int = 1000) -> list[int]:
    """The ids of ``pages`` (a page queryset) that site search finds for ``query``, with its
    synonyms, pinyin and segmented index: for a list's own keyword box, so that 医保,
    dibao or one character find there what they find in site search. At most ``limit``
    ids, unranked: a list that needs more must page through site search itself."""
    terms = query_terms(query)
    if not terms:
        return []
    return [page.pk for page in pages.only("pk").search(build_query(terms), order_by_relevance=False)[:limit]]


def highlight_words(terms: Sequence[chinese.QueryTerm]) -> tuple[list[str], list[str]]:
    """Words to mark in snippets: every form of every term, and — used only where no
    whole form occurs (a loose match) — the bigram pieces of the words typed."""
    forms = list(dict.fromkeys(form for term in terms for form in term.forms))
    pieces = list(dict.fromkeys(piece for term in terms for piece in chinese.match_words(term.word)))
    return forms, pieces
