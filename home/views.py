"""Site search at /search/?q=…&type=…: one box over notices, reports, services and stations.

The Chinese-specific work (normalising, segmenting, synonyms, highlighting) lives in
``portal.chinese`` and ``home.search``; this module shows the results. Which page types
are searchable the apps say through the ``search_types`` hook, so home imports none of them.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import F
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from home import search as site_search
from home.intents import intent_answers
from home.routing import LINK_FIELDS, not_restricted
from portal import chinese
from portal.cache import generation_key

PAGE_SIZE = 10
RERANK_WINDOW = 30  # results re-ordered by title matches (three pages' worth)
# Fields a snippet is cut from, in order, whichever a page type has.
SNIPPET_FIELDS = ("search_description", "summary", "intro", "address", "conditions", "body")
DEFAULT_SUGGESTIONS = ("低保", "居住证", "医保", "红色驿站", "充电", "网格员")


def searchable_types() -> dict[str, tuple[site_search.SearchType, list[int]]]:
    """Type key → (type, content type ids) for the page types the apps registered."""
    result = {}
    for search_type in site_search.search_types():
        ids = [ct.pk for ct in ContentType.objects.get_for_models(*search_type.models).values()]
        result[search_type.key] = (search_type, ids)
    return result


@dataclass
class SearchHit:
    page: Page
    type_label: str
    title: str
    snippet: str


class _RankedResults:
    """Backend results with the first ``RERANK_WINDOW`` re-ordered by title matches.

    Backends rank by term statistics, which favour short pages and treat a synonym like
    the word typed; residents expect a page whose title holds their words first. The
    total is known from the facet, which saves a COUNT query.
    """

    def __init__(self, results, total: int, terms):
        self.results, self.total, self.terms = results, total, terms
        self._window = None

    def count(self) -> int:
        return self.total

    def _ranked_window(self) -> list:
        if self._window is None:
            window = list(self.results[:RERANK_WINDOW])
            scores = {page.pk: title_score(page.title, self.terms) for page in window}
            self._window = sorted(window, key=lambda page: -scores[page.pk])  # stable
        return self._window

    def __getitem__(self, key):
        if isinstance(key, slice) and (key.stop or 0) <= RERANK_WINDOW:
            return self._ranked_window()[key]
        return list(self.results[key])


def title_score(title: str, terms) -> float:
    """How many query terms the title holds; a synonym counts less than the word typed."""
    folded = chinese.normalize(title)
    score = 0.0
    for term in terms:
        if term.word in folded or (term.reading and term.reading in folded):
            score += 1.0
        elif any(form in folded for form in term.forms):
            score += 0.6
    return score


def snippet_text(page) -> str:
    return " ".join(site_search.field_text(page, name) for name in SNIPPET_FIELDS if hasattr(page, name))


def run_search(*, query: str, type_key: str = "", page_number=1) -> dict:
    """Everything the results page shows for one query; pure reads apart from hit logging."""
    types = searchable_types()
    all_ids = [ct for _, ids in types.values() for ct in ids]
    # not_restricted(): the restricted paths kept per generation, where Wagtail's public()
    # read every restriction with its page's row on each search.
    pages = Page.objects.live().filter(not_restricted()).specific()
    pages = pages.filter(content_type_id__in=all_ids) if all_ids else pages.exclude(depth__lte=2)

    terms = site_search.query_terms(query)
    if not terms:  # only emoji or punctuation: nothing an index word could match
        paginator = Paginator([], PAGE_SIZE)
        return {
            "terms": [],
            "loose": False,
            "total": 0,
            "all_total": 0,
            "type_key": "",
            "type_tabs": [],
            "results": paginator.get_page(1),
            "paginator": paginator,
        }
    loose = False
    results = pages.search(site_search.build_query(terms))
    facet = results.facet("content_type_id")
    if not facet:
        loose = True
        results = pages.search(site_search.build_loose_query(terms))
        facet = results.facet("content_type_id")

    type_of_ct = {ct: key for key, (_, ids) in types.items() for ct in ids}
    type_counts = {key: 0 for key in types}
    for ct, count in facet.items():
        if ct in type_of_ct:
            type_counts[type_of_ct[ct]] += count
    total = all_total = sum(facet.values())
    if type_key in types:
        results = pages.filter(content_type_id__in=types[type_key][1]).search(
            site_search.build_loose_query(terms) if loose else site_search.build_query(terms)
        )
        total = type_counts[type_key]
    else:
        type_key = ""

    paginator = Paginator(_RankedResults(results, total, terms), PAGE_SIZE)
    current = paginator.get_page(page_number)
    words, pieces = site_search.highlight_words(terms)
    labels = {key: t.label for key, (t, _) in types.items()}
    current.object_list = [
        SearchHit(
            page=page,
            type_label=labels.get(type_of_ct.get(page.content_type_id, ""), "页面"),
            title=chinese.highlight(page.title, words, fallback=pieces, width=len(page.title)),
            snippet=chinese.highlight(snippet_text(page), words, fallback=pieces),
        )
        for page in current.object_list
    ]
    # The page of hits, its number and the page count are all the template needs; the
    # backend's result set (unpicklable) goes, so the answer can be cached (cached_search).
    paginator.object_list = ()
    return {
        "terms": terms,
        "loose": loose,
        "total": total,
        "all_total": all_total,
        "type_key": type_key,
        "type_tabs": [(key, labels[key], type_counts[key]) for key in types],
        "results": current,
        "paginator": paginator,
    }


def cached_search(*, query: str, type_key: str = "", page_number=1) -> dict:
    """:func:`run_search`'s answer, kept for everyone who asks the same until content
    changes (the page cache's generation is in the key): residents ask the same few
    things (低保, 驿站, 停水), and a search costs several queries and the ranking and
    highlighting in Python."""
    # Hashed: what residents type (a phone number, a name) never shows in a cache key.
    return cache.get_or_set(
        generation_key(f"search:{query}\x00{type_key}\x00{page_number}"),
        lambda: _answered_search(query=query, type_key=type_key, page_number=page_number),
        settings.FRAGMENT_CACHE_SECONDS,
    )


def _answered_search(*, query: str, type_key: str, page_number) -> dict:
    """The results, and above them what the query asks to do (``home.intents``)."""
    found = run_search(query=query, type_key=type_key, page_number=page_number)
    found["answers"] = intent_answers(query, found["terms"]) if found["results"].number == 1 else []
    return found


def _promoted_query(query: str, terms) -> str:
    """The query editors' picks are looked up for: a word typed in pinyin (yibao) gets
    the picks of the word it stands for (医保)."""
    return terms[0].reading if len(terms) == 1 and terms[0].reading else query


# What the results page shows of an editor's pick; its page is read as a link.
PICK_FIELDS = ("sort_order", "page", "external_link_url", "external_link_text", "description")


def promotions_for(query: str) -> list[SearchPromotion]:
    """Editor-picked results for this query; traditional or full-width forms match too."""
    key = normalise_query_string(chinese.normalize(query))

    picks = (
        SearchPromotion.objects.filter(query__query_string=key)
        .select_related("page")
        .only(*PICK_FIELDS, *(f"page__{name}" for name in LINK_FIELDS))
    )
    return [p for p in picks if p.page is None or p.page.live]


# Hits are counted in the shared cache and written to the database in batches: a
# write per search made every search wait for a commit, and a popular query's
# daily row became a lock every search queued on (p99 270 ms under load). The
# first hit of a query each day is written at once, so editors see every query.
HIT_BATCH = 10


def log_query_hit(query: str) -> None:
    """Count a search for the editors' popular-queries list (at most HIT_BATCH - 1
    hits of a query per day stay uncounted, in the cache, when the day ends)."""
    normalised = normalise_query_string(chinese.normalize(query))
    today = timezone.localdate()
    key = f"search-hits:{today}:{hashlib.md5(normalised.encode(), usedforsecurity=False).hexdigest()}"
    cache.add(key, 0, timeout=2 * 24 * 3600)
    count = cache.incr(key)
    if count == 1:
        hits = 1
    elif count % HIT_BATCH == 0:
        hits = HIT_BATCH - 1 if count == HIT_BATCH else HIT_BATCH  # the first was written alone
    else:
        return
    add_hits(Query.get(normalised), date=today, hits=hits)


def add_hits(query: Query, *, date, hits: int) -> None:
    daily, _ = QueryDailyHits.objects.get_or_create(query=query, date=date)
    QueryDailyHits.objects.filter(pk=daily.pk).update(hits=F("hits") + hits)


def suggested_queries() -> list[str]:
    """Queries editors promote (curated, so never a resident's odd input), else defaults."""
    curated = (
        Query.objects.filter(editors_picks__isnull=False)
        .order_by("query_string")
        .values_list("query_string", flat=True)
        .distinct()[:8]
    )
    return list(curated) or list(DEFAULT_SUGGESTIONS)


@require_GET
def search_view(request):
    query = chinese.clean_query(request.GET.get("q"))
    context = {"search_query": query}
    if query:
        found = cached_search(
            query=query, type_key=request.GET.get("type", ""), page_number=request.GET.get("page")
        )
        context.update(found)
        first_page = found["results"].number == 1
        context["promotions"] = (
            promotions_for(_promoted_query(query, found["terms"]))
            if first_page and not found["type_key"]
            else []
        )
        if first_page and found["total"]:
            log_query_hit(query)
    if not query or not context.get("total"):
        context["suggestions"] = suggested_queries()
    return TemplateResponse(request, "search/search.html", context)
