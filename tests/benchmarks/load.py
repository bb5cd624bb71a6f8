"""Load benchmark: ``python tests/benchmarks/load.py`` (about 5 minutes, loopback only).

1. Builds a fresh PostgreSQL database (``portal_bench``), migrates, loads the demo
   site, runs ``collectstatic`` (CompressedManifestStaticFilesStorage, as production).
2. Runs the ceiling (tests/benchmarks/ceiling.py: one Django view, no middleware; again
   before the page-cache pass, as this machine's speed drifts) and
   the portal (production settings + bench_settings.py, PostgreSQL, Redis db 5) under
   gunicorn with gunicorn.conf.py and 2 workers, and drives each with wrk.
3. Prints: requests/s, p50/p99 latency, errors and the ratio to the ceiling for every
   public page with the page cache off ("off": shared fragments still on), with nothing
   shared ("cold") and with the page cache on; report-submission throughput with
   a row count before/after; the admin queue's time at 100,000 reports; bytes for a
   first visit to the home page (HTML + CSS + JS + fonts, gzip accepted).

``--city`` grows the database to a city's size before the servers start
(tests/benchmarks/city.py: 1,300 stations, 10,000 notices, 1,000,000 reports; several
minutes). Every run also prints the bytes and queries of each page, off and cold.

``--bakerydemo PATH`` runs wagtail/bakerydemo from a checkout with its own venv (layout and
settings in tests/benchmarks/bakery.py) beside the portal: each page kind right after the
portal's (blog for notices, locations for stations, breads for services), off and cold
(it has no page cache), with its bytes and queries and the ratios; ``--city`` grows it too.

Needs: PostgreSQL at 127.0.0.1:5432 (user postgres, trust), Redis at 127.0.0.1:6379
(db 5 is flushed; with --bakerydemo also db 6 and database bakery_bench), /usr/bin/wrk. Options: ``--seconds``, ``--connections``, ``--skip-setup``, ``--skip-cold``, ``--city``, ``--only PART``,
``--bakerydemo PATH``, ``--bakerydemo-python``.
"""

import argparse
import gzip
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DB_NAME = "portal_bench"
REDIS_URL = "redis://127.0.0.1:6379/5"
PORTS = {"ceiling": 8108, "uncached": 8106, "cached": 8107, "cold": 8109}
TARGET_QUEUE_SIZE = 100_000
# What --only can pick: pages with the page cache off, with nothing shared, with the
# page cache on; report submission; the admin queue; first-visit bytes.
PARTS = ("off", "cold", "on", "submit", "queue", "bytes")

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "bench_settings",
    "PYTHONPATH": f"{HERE}{os.pathsep}{ROOT}",
    "SECRET_KEY": "bench-" + secrets.token_hex(16),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "REDIS_URL": REDIS_URL,
    "TRUSTED_PROXIES": "127.0.0.1",
    # Production refuses to start without delivering mail and a public base URL
    # (portal/checks.py); nothing listens on this port, so notification tasks just fail.
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": "2525",
    "WAGTAILADMIN_BASE_URL": "https://portal.example.cn",
    "WEB_CONCURRENCY": "2",
    "GUNICORN_ACCESS_LOG": "",
    "GUNICORN_LOG_LEVEL": "warning",
    "DEMO_ADMIN_PASSWORD": "bench-admin-" + secrets.token_hex(4),
}


def log(message: str) -> None:
    # The load average shows whether something else was using the cores meanwhile.
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"[{time.strftime('%H:%M:%S')} load {load}] {message}", flush=True)


# -- Setup ---------------------------------------------------------------------------


def fresh_database(name: str = DB_NAME, redis_url: str = REDIS_URL) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    forget_shared(redis_url)


def forget_shared(redis_url: str = REDIS_URL) -> None:
    """Empty the portal's Redis database: no page, fragment or generation-kept entry left."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def manage(*args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL
    )


def django_setup() -> None:
    os.environ.update(ENV)
    sys.path[:0] = [str(HERE), str(ROOT)]
    import django

    django.setup()


# -- Servers -------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, app: str, port: int, *, command=None, cwd=ROOT, env=None, **extra_env: str):
        """The portal (or, with ``command``, ``cwd`` and ``env``, another app: bakerydemo)."""
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.command = [
            *(command or [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")]),
            app,
        ]
        self.cwd = cwd
        self.env = {**(env or ENV), "GUNICORN_BIND": f"127.0.0.1:{port}", **extra_env}
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, cwd=self.cwd, env=self.env)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.base + "/", timeout=5).read()  # noqa: S310
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{self.command[-1]} did not start on port {self.port}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def restart(self) -> None:
        """Drop what is still queued: after wrk stops, a slow page's workers go on serving
        the requests already sent (bakerydemo's city-sized lists: 16 of 5-30 s each), and
        would take both cores from the next page measured. Gunicorn's quick shutdown
        (SIGQUIT) ends the workers mid-request."""
        self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.start()


def wrk(url: str, *, seconds: int, connections: int, **env: str) -> dict:
    done = subprocess.run(
        [
            "/usr/bin/wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "-s",
            str(HERE / "wrk_report.lua"),
            url,
        ],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in done.stdout.splitlines() if line.startswith("WRKJSON "))
    figures = json.loads(line.removeprefix("WRKJSON "))
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["errors"] = figures["bad_status"] + figures["socket_errors"]
    return figures


# -- Pages ---------------------------------------------------------------------------


def public_pages() -> dict[str, str]:
    from django.urls import NoReverseMatch, reverse
    from django.utils.module_loading import import_string

    def first(model_path: str) -> str | None:
        try:
            model = import_string(model_path)
        except ImportError:
            return None
        page = model.objects.live().public().order_by("path").first()
        return page.url if page else None

    def named(name: str) -> str | None:
        try:
            return reverse(name)
        except NoReverseMatch:
            return None

    pages = {
        "home": "/",
        "notice list": "/notices/",
        "a notice": first("notices.models.NoticePage"),
        "report list": "/reports/",
        "a report": first("notices.models.ResidentReportPage"),
        "service list": "/services/",
        "a service": first("servicecatalog.models.ServiceItemPage"),
        "station list": "/stations/",
        "a station": first("servicecatalog.models.StationPage"),
        "report form": named("feedback:report"),
        "tracking form": named("feedback:track"),
        "public reports": named("feedback:public"),
        "search 驿站": "/search/?q=" + urllib.parse.quote("驿站"),
    }
    return {name: url for name, url in pages.items() if url}


def status_of(url: str) -> int:
    try:
        return urllib.request.urlopen(url, timeout=60).status  # noqa: S310
    except urllib.error.HTTPError as error:
        return error.code
    except TimeoutError:
        return 504


# -- Report submission ---------------------------------------------------------------


class FormReader(HTMLParser):
    """The fields of the first POST form on a page, with their default values."""

    def __init__(self):
        super().__init__()
        self.in_form = self.done = False
        self.fields: list[dict] = []
        self.select: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post" and not self.done:
            self.in_form = True
        if not self.in_form:
            return
        if tag in ("input", "textarea"):
            self.fields.append({"tag": tag, **a})
        elif tag == "select":
            self.select = {"tag": "select", "name": a.get("name"), "options": []}
            self.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self.select["options"].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        if tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def report_form_body(form_url: str) -> tuple[str, str] | None:
    """Fill the report form as a resident would; return (urlencoded body, cookie header)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with opener.open(form_url, timeout=10) as response:  # noqa: S310
        page = response.read().decode()
        cookie = "; ".join(header.split(";", 1)[0] for header in response.headers.get_all("Set-Cookie") or [])
    reader = FormReader()
    reader.feed(page)
    known_text = {
        "description": "小区东门路灯坏了一周，晚上老人出行看不清路，请尽快维修。",
        "phone": "13800138000",
        "place": "东门",
        "name": "",
    }
    data: list[tuple[str, str]] = []
    seen_radio: set[str] = set()
    for field in reader.fields:
        name, kind = field.get("name"), (field.get("type") or "text").lower()
        if not name or kind in ("file", "submit", "button"):
            continue
        if field["tag"] == "select":
            options = [value for value in field["options"] if value]
            if options and "grid" not in name:
                data.append((name, options[0]))
        elif name.endswith("captcha_1"):
            data.append((name, "PASSED"))
        elif kind == "hidden":
            data.append((name, field.get("value", "")))
        elif kind == "radio":
            if name not in seen_radio:
                seen_radio.add(name)
                data.append((name, field.get("value", "")))
        elif kind == "checkbox":
            if any(word in name for word in ("consent", "agree", "privacy")):
                data.append((name, field.get("value") or "on"))
        elif name in known_text:
            data.append((name, known_text[name]))
        # anything else (the honeypot among them) stays empty, as a person leaves it
    return urllib.parse.urlencode(data), cookie


def complaint_count() -> int:
    from feedback.models import Complaint

    return Complaint.objects.count()


# -- Admin queue ---------------------------------------------------------------------


def fill_queue(size: int) -> int:
    from django.utils import timezone

    from feedback.models import Complaint, State

    existing = Complaint.objects.count()
    source = Complaint.objects.order_by("pk").first()
    if source is None or existing >= size:
        return existing
    fields = [f for f in Complaint._meta.concrete_fields if not f.primary_key]
    template = {f.attname: getattr(source, f.attname) for f in fields}
    states = list(State.values)
    now = timezone.now()
    batch: list = []
    for n in range(size - existing):
        batch.append(
            Complaint(
                **{
                    **template,
                    "reference": f"Q{n:09d}",
                    "tracking_token": secrets.token_hex(20),
                    "state": states[n % len(states)],
                    "created_at": now - timedelta(minutes=n),
                    "is_demo": True,
                }
            )
        )
        if len(batch) == 5000:
            Complaint.objects.bulk_create(batch)
            batch = []
    Complaint.objects.bulk_create(batch)
    return Complaint.objects.count()


def admin_session_cookie() -> str:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def timed_get(url: str, cookie: str) -> tuple[float, int]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        body = response.read()
        status = response.status
    elapsed = time.perf_counter() - start
    assert status == 200 and b"login" not in response.url.encode(), "not logged in"
    return elapsed, len(body)


# -- First visit bytes ---------------------------------------------------------------


class AssetReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href") and set((a.get("rel") or "").split()) & {"stylesheet", "icon"}:
            self.assets.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.assets.append(a["src"])


def fetch_gzip(url: str) -> tuple[bytes, int, str]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        raw = response.read()
        encoding = response.headers.get("Content-Encoding", "")
    body = gzip.decompress(raw) if encoding == "gzip" else raw
    return body, len(raw), encoding


def first_visit_bytes(base: str) -> list[tuple[str, int, str]]:
    html, sent, encoding = fetch_gzip(base + "/")
    rows = [("/ (HTML)", sent, encoding or "identity")]
    if encoding != "gzip":
        # gunicorn does not compress HTML; nginx does (gzip_comp_level 5).
        rows[0] = ("/ (HTML, gzip 5 as nginx sends it)", len(gzip.compress(html, 5)), "gzip by nginx")
    reader = AssetReader()
    reader.feed(html.decode())
    seen: set[str] = set()
    queue = list(reader.assets)
    while queue:
        href = queue.pop(0)
        url = urllib.parse.urljoin(base + "/", href)
        if url in seen:
            continue
        seen.add(url)
        body, sent, encoding = fetch_gzip(url)
        rows.append((urllib.parse.urlparse(url).path, sent, encoding or "identity"))
        if url.endswith(".css"):
            for ref in re.findall(r"url\(['\"]?([^'\")]+)['\"]?\)", body.decode()):
                if ref.startswith("data:") or re.search(r"\.(jpe?g|png|webp|gif|avif)$", ref):
                    continue  # photos are excluded; inline data is already counted
                queue.append(urllib.parse.urljoin(url, ref))
    return rows


# -- Main ----------------------------------------------------------------------------


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=False)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(header, widths, strict=False))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=False)) for row in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page")
    parser.add_argument("--submit-seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--queue-size", type=int, default=TARGET_QUEUE_SIZE)
    parser.add_argument("--skip-setup", action="store_true", help="reuse the database and static files")
    parser.add_argument("--skip-cold", action="store_true", help="leave out the run without shared fragments")
    parser.add_argument(
        "--city",
        action="store_true",
        help="grow the data to a city's size first: 1,300 stations, 10,000 notices, 1,000,000 reports",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=PARTS,
        help="run only these parts (repeatable); the ceiling always runs",
    )
    parser.add_argument(
        "--bakerydemo",
        metavar="PATH",
        help="also run bakerydemo from this checkout beside the portal and print the ratios (see bakery.py)",
    )
    parser.add_argument(
        "--bakerydemo-python", metavar="PYTHON", help="its interpreter (default PATH/.venv/bin/python)"
    )
    args = parser.parse_args()
    parts = set(args.only or PARTS) - ({"cold"} if args.skip_cold else set())
    if not shutil.which("/usr/bin/wrk"):
        print("wrk is not installed at /usr/bin/wrk", file=sys.stderr)
        return 2

    print(
        f"cores (nproc): {os.cpu_count()}; gunicorn workers: {ENV['WEB_CONCURRENCY']}; "
        f"wrk: 2 threads, {args.connections} connections, {args.seconds} s per page"
    )
    if not args.skip_setup:
        log(f"fresh PostgreSQL database {DB_NAME}, migrate, demo data, collectstatic …")
        fresh_database()
        manage("migrate", "--no-input", "-v0")
        manage("load_initial_data")
        # Production queues index updates for the task worker, which does not run here.
        manage("update_index")
        manage("collectstatic", "--no-input", "--clear", "-v0")
    bakery = None
    if args.bakerydemo:
        from bakery import Bakery

        bakery = Bakery(args.bakerydemo, args.bakerydemo_python)
        if not args.skip_setup:
            log("bakerydemo: fresh database bakery_bench, migrate, load_initial_data, collectstatic …")
            bakery.setup(fresh_database)
    django_setup()
    if args.city:
        from city import NOTICES, STATIONS, grow_city

        log("growing to a city: 1,300 stations, 10,000 notices, 1,000,000 reports (several minutes) …")
        grow_city()
        if bakery:
            log(f"bakerydemo grown to {bakery.grow(notices=NOTICES, stations=STATIONS)}")
    pages = public_pages()
    from city import page_costs

    costs = page_costs(pages)
    twins: dict[str, str] = {}  # the portal's page name → bakerydemo's path
    twin_costs: dict = {}
    if bakery:
        twins = bakery.pages()
        twin_costs = bakery.costs(twins)
    portal_runs: dict[tuple[str, str], dict] = {}
    twin_runs: dict[tuple[str, str], dict] = {}
    results: list[list[str]] = []
    wrk_args = {"seconds": args.seconds, "connections": args.connections}

    def measure_ceiling(when: str) -> dict:
        # Measured again before the page-cache pass: this shared machine's speed drifts
        # within minutes, and each ratio should compare pages with a ceiling of their time.
        log(f"ceiling: minimal Django view ({when})")
        ceiling = Gunicorn("ceiling:application", PORTS["ceiling"], PYTHONPATH=str(HERE))
        try:
            figures = wrk(f"{ceiling.base}/", **wrk_args)
        finally:
            ceiling.stop()
        results.append(["ceiling (Django 'ok')", when, *_figures(figures, figures["rps"])])
        return figures

    top = measure_ceiling("first")

    # "off": no page cache, shared fragments on (a page the page cache cannot keep:
    # query strings, forms, logged-in editors). "cold": nothing shared either, what the
    # first visitor after a publish pays for each part of a page.
    for label, port, extra in (
        ("off", PORTS["uncached"], {"PAGE_CACHE_SECONDS": "0"}),
        ("cold", PORTS["cold"], {"PAGE_CACHE_SECONDS": "0", "FRAGMENT_CACHE_SECONDS": "0"}),
    ):
        if label not in parts:
            continue
        log(f"portal, page cache {label}" + (", bakerydemo beside it, page by page" if bakery else ""))
        # Each pass starts from an empty cache: the cold pass must not read the routing,
        # site and restriction entries the off pass kept in the same generation.
        forget_shared()
        server = Gunicorn("portal.wsgi:application", port, **extra)
        twin = None
        if bakery:
            twin = Gunicorn(**bakery.server(label))
        try:
            for name, path in pages.items():
                status = status_of(server.base + path)
                if status != 200:
                    log(f"  {name} {path}: status {status} — skipped")
                    continue
                figures = portal_runs[name, label] = wrk(server.base + path, **wrk_args)
                results.append([name, label, *_figures(figures, top["rps"])])
                if twin and name in twins and status_of(twin.base + twins[name]) == 200:
                    # Right after the portal's page, so both see the same machine.
                    twin_runs[name, label] = figures = wrk(twin.base + twins[name], **wrk_args)
                    results.append([f"  bakerydemo {twins[name]}", label, *_figures(figures, top["rps"])])
                    twin.restart()
        finally:
            server.stop()
            if twin:
                twin.stop()

    if "on" in parts:
        top = measure_ceiling("again")
    log("portal, page cache on (Redis)")
    server = Gunicorn("portal.wsgi:application", PORTS["cached"])
    extra: list[str] = []
    try:
        for name in ("home", "notice list", "station list", "a service", "a notice", "a station"):
            path = pages.get(name) if "on" in parts else None
            if not path or status_of(server.base + path) == 404:
                continue
            status_of(server.base + path)  # fill the cache
            figures = portal_runs[name, "on"] = wrk(server.base + path, **wrk_args)
            results.append([name, "on", *_figures(figures, top["rps"])])

        for part, run in (("submit", submission_run), ("queue", admin_queue_run), ("bytes", bytes_run)):
            if part not in parts:
                continue
            try:
                extra += run(server, pages, args)
            except Exception as error:  # report it and carry on with the other figures
                extra.append(f"{run.__name__} failed: {error!r}")
    finally:
        server.stop()

    print()
    print(table(results, ["page", "cache", "req/s", "p50 ms", "p99 ms", "errors", "vs ceiling"]))
    print()
    print(table(costs, ["page", "cache", "status", "bytes", "queries"]))
    print()
    if bakery:
        print(f"Beside bakerydemo ({bakery.path}); ×: the portal's figure over bakerydemo's")
        print(table(*comparison(portal_runs, twin_runs, costs, twin_costs, twins)))
        print()
    print("\n".join(extra))
    return 0


def comparison(portal_runs, twin_runs, costs, twin_costs, twins) -> tuple[list[list[str]], list[str]]:
    """One row per page kind and cache pass: the portal, bakerydemo and their ratio."""
    own = {(row[0], row[1]): (int(row[3].replace(",", "")), int(row[4])) for row in costs}
    rows = []
    for (name, label), ours in portal_runs.items():
        if name not in twins:
            continue
        theirs = twin_runs.get((name, label))
        size, queries = own.get((name, label), own.get((name, "off"), (0, 0)))
        row = [
            name,
            twins[name],
            label,
            f"{ours['rps']:.0f}",
            f"{ours['p99_us'] / 1000:.0f}",
            f"{size:,}",
            queries,
        ]
        if theirs is None:  # "on": bakerydemo has no page cache
            rows.append([*row, "n/a", "n/a", "", "", "", ""])
            continue
        _, their_size, their_queries = twin_costs.get((name, label), [0, 0, 0])
        rows.append(
            [
                *row,
                f"{theirs['rps']:.0f}",
                f"{theirs['p99_us'] / 1000:.0f}",
                f"{their_size:,}",
                their_queries,
                f"{ours['rps'] / theirs['rps']:.2f}" if theirs["rps"] else "—",
                f"{ours['p99_us'] / theirs['p99_us']:.2f}" if theirs["p99_us"] else "—",
            ]
        )
    header = ["page", "bakerydemo", "cache", "req/s", "p99 ms", "bytes", "queries"]
    header += ["bd req/s", "bd p99", "bd bytes", "bd queries", "req/s ×", "p99 ×"]
    return rows, header


def _figures(figures: dict, ceiling_rps: float) -> list[str]:
    return [
        f"{figures['rps']:.0f}",
        f"{figures['p50_us'] / 1000:.1f}",
        f"{figures['p99_us'] / 1000:.1f}",
        str(figures["errors"]),
        f"{figures['rps'] / ceiling_rps:.0%}",
    ]


def submission_run(server: Gunicorn, pages: dict, args) -> list[str]:
    path = pages.get("report form")
    if not path or status_of(server.base + path) != 200:
        return ["report submission: /feedback/report/ is not there yet — skipped"]
    body, cookie = report_form_body(server.base + path)
    before = complaint_count()
    probe = urllib.request.Request(  # noqa: S310
        server.base + path,
        data=body.encode(),
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    opener = urllib.request.build_opener(_NoRedirect())
    try:
        status = opener.open(probe, timeout=10).status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 302 or complaint_count() != before + 1:
        return [f"report submission: the filled form was not accepted (status {status}) — skipped"]
    log(f"report submission for {args.submit_seconds} s")
    before = complaint_count()
    figures = wrk(
        server.base + path,
        seconds=args.submit_seconds,
        connections=args.connections,
        WRK_BODY=body,
        WRK_COOKIE=cookie,
    )
    time.sleep(1)  # requests still in flight when wrk stopped
    after = complaint_count()
    accepted = figures["redirects"]
    stored = after - before
    lost = max(0, accepted - stored)
    return [
        f"report submission ({args.submit_seconds} s, {args.connections} connections, PostgreSQL): "
        f"{accepted / (figures['duration_us'] / 1e6):.0f} submissions/s, p50 {figures['p50_us'] / 1000:.1f} ms, "
        f"p99 {figures['p99_us'] / 1000:.1f} ms, accepted {accepted}, rows stored {stored} "
        f"(in flight at the end: {stored - accepted}), lost {lost}, "
        f"errors {figures['errors']}, re-shown forms (200) {figures['ok']}"
    ]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def admin_queue_run(server: Gunicorn, pages: dict, args) -> list[str]:
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse("feedback_complaint_modeladmin_index")
    except NoReverseMatch:
        return ["admin queue: the feedback admin is not there yet — skipped"]
    log(f"admin queue: filling to {args.queue_size} reports")
    count = fill_queue(args.queue_size)
    cookie = admin_session_cookie()
    lines = []
    for label, query in (("all", ""), ("待受理 (submitted)", "?state=submitted")):
        timed_get(server.base + path + query, cookie)  # warm the worker
        times = [timed_get(server.base + path + query, cookie)[0] for _ in range(5)]
        lines.append(
            f"admin queue at {count} reports, {label}: median {statistics.median(times) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms (5 requests, logged-in superuser)"
        )
    return lines


def bytes_run(server: Gunicorn, pages: dict, args) -> list[str]:
    rows = first_visit_bytes(server.base)
    total = sum(sent for _, sent, _ in rows)
    lines = [f"first visit to the home page: {total / 1024:.1f} KB transferred (photos excluded)"]
    lines += [f"  {sent / 1024:7.1f} KB  {encoding:<14} {path}" for path, sent, encoding in rows]
    return lines


if __name__ == "__main__":
    sys.exit(main())
