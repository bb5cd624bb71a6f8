"""Wagtail's database search backend, with relevance ranking that scales on SQLite
(``sqlite.py``) and PostgreSQL (``postgres.py``: only the newest matches are ranked).

The stock SQLite backend orders results with a *correlated* subquery that re-runs the
FTS5 MATCH once per matching row, so ranking costs O(matches²): with 10,000 notices a
query matching 5,000 of them took minutes. Here the ranked page of ids comes from one
MATCH (bm25 computed once per row, ``ORDER BY score LIMIT n``) and the objects are
then fetched by primary key — what the Elasticsearch backends do. Counting skips the
scores. Everything else (indexing, filters, MySQL) is the stock backend, so
``WAGTAILSEARCH_BACKENDS`` can still point at OpenSearch/Elasticsearch.

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "portal.search"}}
"""

from django.db import connection
from modelsearch.backends.database import SearchBackend as database_backend


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = database_backend(params)
    if connection.vendor == "postgresql":
        from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend

        from .postgres import RankedPostgresSearchBackend

        return RankedPostgresSearchBackend(params) if isinstance(backend, PostgresSearchBackend) else backend
    if connection.vendor != "sqlite":
        return backend
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

    from .sqlite import RankedSQLiteSearchBackend

    return RankedSQLiteSearchBackend(params) if isinstance(backend, SQLiteSearchBackend) else backend
