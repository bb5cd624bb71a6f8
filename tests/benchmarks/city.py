"""Grow a demo database to a city's size (issue 25): 1,300 stations, 10,000 notices,
1,000,000 residents' reports; and the bytes and queries of every public page.

Used by ``load.py --city`` (after the demo load, before the servers start); alone:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        python tests/benchmarks/city.py [--stations N --notices N --reports N]

Pages are written in a few statements (``tests/performance/growth.py``), reports in one
``INSERT … SELECT`` (``million.generate``); then the search index is built, the past
days' figures are rolled up and the statistics refreshed, as after an import through
``portal.bulk``. Counts are targets: what the demo already holds is counted in.
"""

import argparse
import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
STATIONS, NOTICES, REPORTS = 1_300, 10_000, 1_000_000


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def grow_stations(target: int) -> int:
    from home.models import Community
    from servicecatalog.models import StationIndexPage, StationOpeningHours, StationPage
    from tests.performance.growth import grow_pages

    index = StationIndexPage.objects.live().order_by("path").first()
    have = StationPage.objects.count()
    if index is None or have >= target:
        return have
    communities = list(Community.objects.values_list("pk", flat=True))
    before = set(StationPage.objects.values_list("pk", flat=True))
    grow_pages(
        index,
        StationPage,
        target - have,
        lambda i: {
            "title": f"第{i}号红色驿站",
            "slug": f"city-station-{i}",
            "community_id": communities[i % len(communities)],
            "address": f"同心区城市路{i}号",
            "latitude": Decimal("24.90") + Decimal(i % 40) * Decimal("0.007"),
            "longitude": Decimal("102.60") + Decimal(i // 40) * Decimal("0.007"),
            "always_open": i % 7 == 0,
            "amenities": ["rest", "water", "charging"] if i % 2 else ["water", "toilet"],
            "phone": "0871-64150000",
        },
    )
    new = StationPage.objects.exclude(pk__in=before).values_list("pk", flat=True)
    StationOpeningHours.objects.bulk_create(
        [
            StationOpeningHours(station_id=pk, weekday=d, opens=datetime.time(8), closes=datetime.time(18))
            for pk in new
            for d in range(7)
        ],
        batch_size=5000,
    )
    return StationPage.objects.count()


def grow_notices(target: int) -> int:
    from notices.models import NoticeCategory, NoticeIndexPage, NoticePage
    from tests.performance.growth import grow_pages

    index = NoticeIndexPage.objects.live().order_by("path").first()
    have = NoticePage.objects.count()
    if index is None or have >= target:
        return have
    categories = list(NoticeCategory.objects.values_list("pk", flat=True)) or [None]
    grow_pages(
        index,
        NoticePage,
        target - have,
        lambda i: {
            "title": f"关于第{i}批社区事务安排的通知",
            "slug": f"city-notice-{i}",
            "issuing_body": "同心区人民政府办公室",
            "document_number": f"同政办发〔2025〕{i}号",
            "published_on": datetime.date(2020, 1, 1) + datetime.timedelta(days=i % 2000),
            "category_id": categories[i % len(categories)],
            "summary": "关于社区事务安排的通知摘要。",
            "body": [{"type": "paragraph", "value": "<p>请辖区居民相互转告。</p>"}],
        },
    )
    return NoticePage.objects.count()


def grow_reports(target: int) -> int:
    from feedback.models import Complaint

    sys.path.insert(0, str(HERE))
    from million import generate

    have = Complaint.objects.count()
    if have < target:
        generate(target - have)
    return Complaint.objects.count()


def grow_city(*, stations: int = STATIONS, notices: int = NOTICES, reports: int = REPORTS) -> None:
    from django.core.management import call_command
    from django.db import connection

    from portal.bulk import analyze

    started = time.perf_counter()
    log(f"stations: {grow_stations(stations):,}")
    log(f"notices: {grow_notices(notices):,}")
    log(f"reports: {grow_reports(reports):,}")
    log("search index, reference index, daily figures, ANALYZE …")
    call_command("update_index", verbosity=0)
    call_command("rebuild_references_index", verbosity=0)
    call_command("rollup_complaint_figures", rebuild=True, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        analyze()
    log(f"city grown in {time.perf_counter() - started:.0f} s")


def page_costs(pages: dict[str, str]) -> list[list[str]]:
    """Bytes and queries of each page, in this process, with the page cache off and
    fragments shared ("off", filled by a first visit) and with nothing shared ("cold")."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from portal.cache import purge_pages

    def forget():
        # Emptied, and this process no longer trusts the generation it read last
        # (PAGE_CACHE_LOCAL_SECONDS): otherwise it starts a new one mid-measurement.
        cache.clear()
        purge_pages()

    # load.py's production settings allow 127.0.0.1, not the test client's "testserver".
    client = Client(HTTP_HOST="127.0.0.1")
    rows = []
    for name, path in pages.items():
        for label, fragments in (("off", None), ("cold", 0)):
            extra = {} if fragments is None else {"FRAGMENT_CACHE_SECONDS": fragments}
            with override_settings(PAGE_CACHE_SECONDS=0, **extra):
                if fragments == 0:
                    forget()
                client.get(path)  # per-process caches (and, for "off", the fragments)
                if fragments == 0:
                    forget()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(path)
            rows.append(
                [name, label, str(response.status_code), f"{len(response.content):,}", str(len(queries))]
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stations", type=int, default=STATIONS)
    parser.add_argument("--notices", type=int, default=NOTICES)
    parser.add_argument("--reports", type=int, default=REPORTS)
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    grow_city(stations=args.stations, notices=args.notices, reports=args.reports)
    return 0


if __name__ == "__main__":
    sys.exit(main())
