"""1,000,000 residents' reports: time the admin queue, the public board and the figures.

Not part of the test run (pyproject ignores tests/benchmarks). Run from the repo root:

    python tests/benchmarks/million.py                       # portal_scale_million, 1,000,000 rows
    python tests/benchmarks/million.py --rows 200000 --skip-setup

It builds a fresh PostgreSQL database (``--database``, dropped first), migrates, loads the
demo site, then adds ``--rows`` reports in one ``INSERT … SELECT`` from
``generate_series`` (about a minute for a million: spread over three years, every state,
a third allowed public), runs ``VACUUM ANALYZE`` (what ``analyze_tables`` and autovacuum
leave behind), rolls up the past days' figures (``rollup_complaint_figures``, what the
nightly cron leaves behind; with ``--skip-setup`` only the days not rolled up yet), and prints the median and p95 of ``--runs`` timings of each read, with no
cache: the queue (first page, a state filter, a community, the overdue filter) and the
dashboard panel as the demo administrator sees them, the public board (all, one
community, this year), and the figures behind reports to residents.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def fresh_database(name: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def generate(rows: int) -> None:
    """``rows`` reports in one statement; categories, communities and units from the demo."""
    from django.db import connection

    sql = """
    INSERT INTO feedback_complaint (
        reference, tracking_token, kind, category_id, community_id, place, description, name, phone,
        allow_public, privacy_notice_version, consented_at, state, handling_unit_id, deadline,
        reply, reject_reason, hidden, public_text, public_text_approved_at, held, reopen_count,
        rating, rating_comment, created_at, dispatched_at, resolved_at, resolved_on_time,
        closed_at, rated_at, is_demo, email, notify_consent, send_back_reason
    )
    SELECT
        'M' || lpad(n::text, 11, '0'), md5(n::text) || left(md5((n * 7)::text), 16), 'complaint',
        cat.ids[1 + n %% array_length(cat.ids, 1)], com.ids[1 + (n / 7) %% array_length(com.ids, 1)],
        '', '楼道灯坏了，晚上看不清。', '', '13800000000',
        n %% 3 = 0, '2026-11', t.at,
        s.state, CASE WHEN s.state NOT IN ('submitted', 'rejected') THEN unit.ids[1 + n %% array_length(unit.ids, 1)] END,
        CASE WHEN s.state NOT IN ('submitted', 'rejected') THEN (t.at + interval '7 days')::date END,
        CASE WHEN s.state IN ('resolved', 'closed') THEN '已处理。' ELSE '' END,
        CASE WHEN s.state = 'rejected' THEN 'spam' ELSE '' END, n %% 50 = 0,
        CASE WHEN n %% 3 = 0 AND s.state NOT IN ('submitted', 'rejected') THEN '楼道灯坏了。' ELSE '' END,
        CASE WHEN n %% 3 = 0 AND s.state NOT IN ('submitted', 'rejected') THEN t.at + interval '1 day' END,
        false, 0,
        CASE WHEN s.state = 'closed' THEN (ARRAY['satisfied', 'basically', 'dissatisfied'])[1 + n %% 3] ELSE '' END,
        '', t.at,
        CASE WHEN s.state NOT IN ('submitted', 'rejected') THEN t.at + interval '1 hour' END,
        CASE WHEN s.state IN ('resolved', 'closed') THEN t.at + interval '3 days' END,
        CASE WHEN s.state IN ('resolved', 'closed') THEN n %% 10 <> 0 END,
        CASE WHEN s.state = 'closed' THEN t.at + interval '5 days' END,
        CASE WHEN s.state = 'closed' THEN t.at + interval '5 days' END,
        true, '', false, ''
    FROM generate_series(1, %(rows)s) AS n
    CROSS JOIN LATERAL (SELECT now() - (n * (interval '3 years' / %(rows)s)) AS at) t
    CROSS JOIN LATERAL (SELECT CASE
        WHEN n < %(rows)s / 1000 THEN (ARRAY['submitted', 'dispatched', 'in_progress'])[1 + n %% 3]
        WHEN n < %(rows)s / 100 THEN (ARRAY['dispatched', 'in_progress', 'resolved', 'reopened'])[1 + n %% 4]
        ELSE (ARRAY['closed', 'closed', 'closed', 'resolved', 'rejected'])[1 + n %% 5] END AS state) s
    CROSS JOIN (SELECT array_agg(id) AS ids FROM feedback_complaintcategory) cat
    CROSS JOIN (SELECT array_agg(id) AS ids FROM home_community) com
    CROSS JOIN (SELECT array_agg(id) AS ids FROM feedback_handlingunit) unit
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"rows": rows})


def timings(label: str, read, runs: int) -> tuple[str, float, float]:
    from django.core.cache import cache

    read()  # the first run fills this process's own caches (content types, site root)
    times = []
    for _ in range(runs):
        cache.clear()
        started = time.perf_counter()
        read()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return label, statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def staff_client():
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username="admin")
    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database", default="portal_scale_million")
    parser.add_argument("--skip-setup", action="store_true", help="reuse the database and its reports")
    parser.add_argument(
        "--skip-load", action="store_true", help="reuse the migrated demo database, add reports"
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    if not (args.skip_setup or args.skip_load):
        fresh_database(args.database)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if not (args.skip_setup or args.skip_load):
        call_command("migrate", verbosity=0)
        call_command("load_initial_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    if not args.skip_setup:
        started = time.perf_counter()
        generate(args.rows)
        print(f"{args.rows:,} reports generated in {time.perf_counter() - started:.0f} s", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE feedback_complaint")
    call_command("migrate", verbosity=0)  # a database kept from before a new migration
    started = time.perf_counter()
    call_command("rollup_complaint_figures", rebuild=not args.skip_setup, stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"daily figures rolled up in {time.perf_counter() - started:.0f} s", flush=True)
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from feedback.complaints import selectors
    from feedback.models import Complaint
    from home.models import Community

    print(f"{Complaint.objects.count():,} reports in {args.database}", flush=True)
    community = Community.objects.order_by("pk").first()
    today = timezone.localdate()
    admin, visitor = staff_client(), Client()

    def get(client, path):
        def read():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return read

    queue = "/admin/feedback/complaint/"
    reads = [
        ("queue: first page", get(admin, queue)),
        ("queue: state=submitted", get(admin, queue + "?state__exact=submitted")),
        ("queue: one community", get(admin, queue + f"?community__id__exact={community.pk}")),
        ("queue: overdue", get(admin, queue + "?overdue=yes")),
        ("queue: search reference", get(admin, queue + "?q=M00000123456")),
        (
            "dashboard panel (queue_summary)",
            lambda: selectors.queue_summary(queryset=Complaint.objects.all()),
        ),
        ("public board", get(visitor, "/feedback/public/")),
        ("public board: page 50", get(visitor, "/feedback/public/?page=50")),
        (
            "public board: one community, year",
            get(visitor, f"/feedback/public/?community={community.slug}&period=year"),
        ),
        (
            "figures: all communities, this year",
            lambda: selectors.complaint_figures_by_community(
                communities=Community.objects.all(), start=today.replace(month=1, day=1), end=today
            ),
        ),
        (
            "figures: one community, 3 years",
            lambda: selectors.complaint_figures(
                communities=[community], start=today.replace(year=today.year - 3), end=today
            ),
        ),
    ]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average {load}; median and p95 of {args.runs} runs, ms, nothing cached")
    with override_settings(PAGE_CACHE_SECONDS=0):
        for label, read in reads:
            name, median, p95 = timings(label, read, args.runs)
            print(f"{name:40} {median:8.1f} {p95:8.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
