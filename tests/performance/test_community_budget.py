"""The community pages and the search answers within the public pages' query budget, on
the whole demo site (the pattern of ``test_query_budgets``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .test_query_budgets import QUERY_BUDGET, _short

PATHS = {
    "a community": "/communities/fuxing/",
    "grid-worker lookup": "/communities/",
    "grid-worker lookup, community chosen": "/communities/?community=kunlun",
    "search with a report answer": "/search/?q=停车",
    "search with a finder answer": "/search/?q=充电",
    "search in pinyin": "/search/?q=dibao",
}


@pytest.mark.parametrize("name", PATHS)
def test_community_and_answer_pages_stay_within_query_budget(demo_site, db, client, settings, name, capsys):
    settings.PAGE_CACHE_SECONDS = 0  # measure the view itself, not the page cache
    settings.FRAGMENT_CACHE_SECONDS = 0  # and the search answer built, not read from the cache
    path = PATHS[name]
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    real = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    with capsys.disabled():
        print(f"\n[{name}] {len(real)} queries")
    assert len(real) <= QUERY_BUDGET, f"{path}: {len(real)} queries\n" + "\n".join(
        _short(sql) for sql in real
    )
