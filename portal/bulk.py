"""Loading many rows at once (the demo content, an archive import) without leaving the
site slow or its search empty afterwards.

- Search: every save of an indexed model normally queues one index task
  (``modelsearch``'s ``post_save`` handler). Under production settings those tasks wait
  for a worker, so a fresh load left search empty (933 tasks for the demo). Inside
  :func:`bulk_load` nothing is queued; at the end the whole index is rebuilt here, in
  this process, with Wagtail's ``update_index`` — whatever ``TASKS`` says.
- Usage (reference index): every page or snippet save likewise queues a reference
  index task (564 for the demo). Inside :func:`bulk_load` Wagtail's documented
  ``disable_reference_index_auto_update`` is on; at the end the reference index is
  rebuilt once, here, with ``rebuild_references_index``.
- Statistics: PostgreSQL plans a query on a table it has never analysed from guesses;
  right after a bulk import they can be off by a thousand times (Wagtail's
  ``public()`` filter: 3.9 s before, 5 ms after). :func:`analyze` runs ``ANALYZE`` so
  the first visitors do not wait for autovacuum. SQLite needs nothing.
"""

from contextlib import contextmanager
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.db.models.signals import post_save


def analyze() -> None:
    """Refresh the planner's statistics of every table (PostgreSQL only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@contextmanager
def bulk_load(*, stdout=None):
    """Save as much as you like inside; on leaving, search and the reference index are
    built and statistics are fresh. Leave it outside the load's transaction: a rebuild that reads rows not
    yet committed is fine, but ``ANALYZE`` only sees committed rows."""
    from modelsearch import index
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.signal_handlers import disable_reference_index_auto_update

    models = [m for m in index.get_indexed_models() if getattr(m, "search_auto_update", True)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)
    call_command("update_index", stdout=stdout, verbosity=0)
    call_command("rebuild_references_index", stdout=stdout or StringIO(), verbosity=0)
    analyze()
