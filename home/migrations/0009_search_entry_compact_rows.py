"""PostgreSQL: keep the search index entries' rows small, so a match reads few pages.

An entry holds a page's tsvectors and plain text (~4 KB compressed for a notice); rows
under PostgreSQL's 2 KB TOAST target stay in the table, about two per 8 KB page, so the
5,000 matches of a common word at 10,000 notices touched 2,400 heap pages (18-50 ms).
With ``toast_tuple_target = 128`` the long columns go to the TOAST table and the heap of
10,000 entries is ~1.5 MB (180 pages, 4 ms for the same match, and it stays in memory);
only the ranked candidates' vectors are read from TOAST (portal/search/postgres.py).

Existing rows are re-written so they are stored that way: the text is re-assigned
uncompressed (an UPDATE of the stored datums would keep them inline), and ``VACUUM FULL``
packs the small rows into few pages (it locks the table for a few seconds per 10,000
entries, hence a migration that is not atomic). Other databases are left alone.
"""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"


def compact(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = 128)")
        schema_editor.execute(f"UPDATE {TABLE} SET body_text = body_text || ''")  # noqa: S608 - a constant
        schema_editor.execute(f"VACUUM FULL ANALYZE {TABLE}")


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    atomic = False  # VACUUM cannot run inside a transaction
    dependencies = [
        ("home", "0008_page_feedback"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(compact, restore)]
