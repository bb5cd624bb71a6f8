"""The search backend the portal configures: stock behaviour, ranking that scales on SQLite."""

import pytest
from django.db import connection
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from home import search as site_search
from portal.chinese import parse_query

pytestmark = pytest.mark.django_db


def test_ranked_slices_count_and_facets_agree(search_site):
    query = site_search.build_query(parse_query("补贴"))
    results = Page.objects.live().search(query)
    everything = list(results)
    assert len(everything) == results.count() == sum(results.facet("content_type_id").values()) >= 2
    assert list(results[1:3]) == everything[1:3]
    assert everything[0].title in {"残疾人两项补贴申请", "同心区既有住宅加装电梯财政补贴办法"}


def test_sqlite_and_postgresql_use_the_scaling_rankers_other_databases_the_stock_backend():
    backend = get_search_backend()
    if connection.vendor == "postgresql":
        from portal.search.postgres import RankedPostgresSearchBackend

        assert isinstance(backend, RankedPostgresSearchBackend)
        return
    if connection.vendor != "sqlite":
        assert type(backend).__module__.startswith("modelsearch.backends.database")
        return
    from portal.search.sqlite import RankedSQLiteSearchBackend  # imports SQLite-only models

    assert isinstance(backend, RankedSQLiteSearchBackend)
