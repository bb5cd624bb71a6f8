"""PostgreSQL: index the expression Wagtail's database search backend filters on.

The backend matches ``(title || body) @@ query``; the stock GIN indexes cover ``title``
and ``body`` separately, so every search scanned and concatenated all index entries
(10,000 notices: ~150 ms per query, twice per search). With this expression index the
match is a bitmap index scan (tests/benchmarks/search_bench.py, 10,000 notices: p50 329 ms → 27 ms).
Other databases are left alone.
"""

from django.db import migrations

INDEX = "home_indexentry_title_body_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin ((title || body))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_searchsynonym"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
