"""Grow a list to thousands of pages or reports in a second or two, for tests that
compare a list at 10 and at 10,000 items.

Factories save one page at a time through treebeard (several queries, a revision, a
search-index task each): 10,000 of them take minutes. Here the rows are written in a
few statements: the base pages with ``bulk_create`` and the specific rows with one
``executemany``. No signal is sent, so nothing is purged or indexed: the test clears
the cache itself before it measures.
"""

import datetime
import time
from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's, as Wagtail configures it
_BATCH = 2000


def _step(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(_ALPHABET))
        digits = _ALPHABET[rest] + digits
    return digits.rjust(Page.steplen, "0")


def notice_fields(category, i: int) -> dict:
    """The own fields of the i-th grown notice, for ``grow_pages(index, NoticePage, …)``."""
    return {
        "issuing_body": "同心区人民政府办公室",
        "published_on": datetime.date(2020, 1, 1) + datetime.timedelta(days=i % 2000),
        "category_id": category.pk,
        "summary": "批量导入的历史通知。",
        "body": [{"type": "paragraph", "value": "<p>正文。</p>"}],
    }


def grow_pages(parent: Page, model: type[Page], n: int, build: Callable[[int], dict]) -> None:
    """Add ``n`` live children of type ``model`` under ``parent``; ``build(i)`` gives
    the i-th page's own fields (and may set ``title``/``slug``)."""
    parent.refresh_from_db()
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    first = parent.numchild + 1
    for start in range(0, n, _BATCH):
        numbers = range(start, min(n, start + _BATCH))
        specific = [
            model(**{"title": f"{model._meta.verbose_name}{i}", "slug": f"grown-{i}", **build(i)})
            for i in numbers
        ]
        pages = Page.objects.bulk_create(
            Page(
                title=page.title,
                draft_title=page.title,
                slug=f"{page.slug}-{first + i}",
                content_type=content_type,
                path=parent.path + _step(first + i),
                depth=parent.depth + 1,
                url_path=f"{parent.url_path}{page.slug}-{first + i}/",
                locale_id=parent.locale_id,
                live=True,
                first_published_at=now,
                last_published_at=now,
            )
            for i, page in zip(numbers, specific, strict=True)
        )
        for page, base in zip(specific, pages, strict=True):
            page.page_ptr_id = page.pk = base.pk
        _insert_own_rows(model, specific)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + n)


def _insert_own_rows(model, objects: Iterable) -> None:
    """The rows of ``model``'s own table (multi-table inheritance: ``bulk_create`` refuses)."""
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objects]
    with connection.cursor() as cursor:
        # Names from the model, values as parameters.
        cursor.executemany(f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})", rows)  # noqa: S608


def cold_visit(client, path: str) -> tuple[int, int, float]:
    """Bytes, queries and seconds of one visit with nothing cached (page cache off in
    the test's settings, fragments and low-level entries cleared)."""
    cache.clear()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, path
    real = [q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    return len(response.content), len(real), elapsed


def measure(client, path: str, *, runs: int = 5) -> tuple[int, int, float]:
    """Bytes and queries of a cold visit, and the median time of ``runs`` of them (after
    one visit that warms Wagtail's per-process caches, as in a running server)."""
    client.get(path)
    visits = [cold_visit(client, path) for _ in range(runs)]
    times = sorted(v[2] for v in visits)
    size, count, _ = visits[-1]
    return size, count, times[len(times) // 2]


def measure_pair(client, small: str, large: str, *, runs: int = 5) -> tuple[tuple, tuple]:
    """``measure`` of two paths, their visits interleaved so that whatever else the
    machine does slows both alike."""
    client.get(small)
    client.get(large)
    visits = [(cold_visit(client, small), cold_visit(client, large)) for _ in range(runs)]

    def summary(side: int) -> tuple[int, int, float]:
        times = sorted(v[side][2] for v in visits)
        size, count, _ = visits[-1][side]
        return size, count, times[len(times) // 2]

    return summary(0), summary(1)
