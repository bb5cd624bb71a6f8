"""Relevance of site search on a realistic little site: recall@5 and MRR over ~50 queries.

Run on PostgreSQL too: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_search
python -m pytest tests/search``.
"""

import pytest
from django.db import connection

from home.views import run_search

from . import relevance_cases as cases


def _ranked_keys(pages: dict, query: str) -> list[str]:
    key_of = {page.pk: key for key, page in pages.items()}
    found = run_search(query=query)
    return [key_of.get(hit.page.pk, f"?{hit.page.title}") for hit in found["results"].object_list]


@pytest.mark.django_db
def test_residents_queries_find_the_right_pages_first(search_site, capsys):
    assert len(cases.CASES) >= 40
    reciprocal_ranks, misses = [], []
    for query, expected, why in cases.CASES:
        ranked = _ranked_keys(search_site, query)
        rank = next((i + 1 for i, key in enumerate(ranked) if key in expected), None)
        reciprocal_ranks.append(1 / rank if rank else 0.0)
        if rank != 1:
            misses.append(f"  {query!r} ({why}): expected {sorted(expected)}, rank {rank}, got {ranked[:5]}")
    recall = sum(1 for rr in reciprocal_ranks if rr >= 1 / 5) / len(reciprocal_ranks)
    mrr = sum(reciprocal_ranks) / len(reciprocal_ranks)
    with capsys.disabled():
        print(
            f"\n[search relevance on {connection.vendor}] {len(cases.CASES)} queries: "
            f"recall@5={recall:.3f} MRR={mrr:.3f}"
        )
        print("\n".join(misses) or "  every expected page ranked first")
    assert recall >= cases.RECALL_AT_5_MIN, "\n".join(misses)
    assert mrr >= cases.MRR_MIN, "\n".join(misses)
