"""bakerydemo beside the portal, for ``load.py --bakerydemo PATH`` (issue 25).

PATH is a checkout of https://github.com/wagtail/bakerydemo with its own virtualenv (its
main branch needs Python 3.12+, Django 6.0, Wagtail 7.4), never the portal's:

    git clone https://github.com/wagtail/bakerydemo PATH
    python3.12 -m venv PATH/.venv
    PATH/.venv/bin/pip install -r PATH/requirements/base.txt "psycopg[binary]" whitenoise django-redis gunicorn

``--bakerydemo-python`` names another interpreter (default PATH/.venv/bin/python).

bakerydemo runs with its own production settings (DEBUG off, WhiteNoise, its django-redis
caches) on PostgreSQL ``bakery_bench`` and Redis db 6; a small settings module outside PATH
only points the caches at db 6 and files at /tmp (nothing in PATH is changed). gunicorn runs
it with 2 sync workers, as the portal. bakerydemo has no page cache and no local front-end
cache: "off" is its normal serving, "cold" the same with a dummy cache (nothing kept from
one request to the next, as right after its caches are flushed), "on" is n/a.

Pages side by side (the portal's name → bakerydemo's page): home → home, notice list →
blog index, a notice → a blog page, station list → locations index, a station → a
location, service list → breads index, a service → a bread, search → search for "bread".
"""

import json
import os
import secrets
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
DB_NAME = "bakery_bench"
REDIS_URL = "redis://127.0.0.1:6379/6"
PORTS = {"off": 8120, "cold": 8121}
FILES = Path("/tmp/bakery_bench")  # noqa: S108  the settings module, static and media files
APP = "bakerydemo.wsgi:application"

SETTINGS = '''"""Written by tests/benchmarks/bakery.py: bakerydemo's production settings, caches on
Redis db 6 (or a dummy cache for the "cold" pass), files under /tmp."""
import os

from bakerydemo.settings.production import *  # noqa: F403

_options = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2}
if os.environ.get("BAKERY_CACHE") == "dummy":
    CACHES = {name: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for name in ("default", "renditions")}
else:
    CACHES = {
        name: {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": os.environ["BAKERY_REDIS_URL"],
               "KEY_PREFIX": name, "OPTIONS": _options}
        for name in ("default", "renditions")
    }
STATIC_ROOT = os.environ["BAKERY_FILES"] + "/static"
MEDIA_ROOT = os.environ["BAKERY_FILES"] + "/media"
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"console": {"class": "logging.StreamHandler"}},
           "root": {"handlers": ["console"], "level": "ERROR"}}
'''

PAGES = """
import json, django
django.setup()
from bakerydemo.blog.models import BlogIndexPage, BlogPage
from bakerydemo.breads.models import BreadPage, BreadsIndexPage
from bakerydemo.locations.models import LocationPage, LocationsIndexPage

def first(model):
    page = model.objects.live().public().order_by("path").first()
    return page.url if page else None

print(json.dumps({
    "home": "/",
    "notice list": first(BlogIndexPage),
    "a notice": first(BlogPage),
    "station list": first(LocationsIndexPage),
    "a station": first(LocationPage),
    "service list": first(BreadsIndexPage),
    "a service": first(BreadPage),
    "search 驿站": "/search/?q=bread",
}))
"""

# Bytes and queries of each page in bakerydemo's own process: "off" after a first visit
# (its caches filled), "cold" right after every cache is cleared.
COSTS = """
import json, sys, django
django.setup()
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

client = Client()
costs = {}
for name, path in json.loads(sys.stdin.readline()).items():
    for label in ("off", "cold"):
        client.get(path)
        if label == "cold":
            for cache in caches.all():
                cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        costs[f"{name}|{label}"] = [response.status_code, len(response.content), len(queries)]
print(json.dumps(costs))
"""

# The city's sizes in bakerydemo's terms: notices → blog pages, stations → locations
# (with a week of opening hours each), written as load.py's city.py writes the portal's.
GROW = """
import datetime, importlib.util, json, sys, django
django.setup()
from django.core.management import call_command
from django.db import connection
from bakerydemo.blog.models import BlogIndexPage, BlogPage
from bakerydemo.locations.models import LocationOperatingHours, LocationPage, LocationsIndexPage

spec = importlib.util.spec_from_file_location("growth", sys.argv[1])
growth = importlib.util.module_from_spec(spec)
spec.loader.exec_module(growth)
notices, stations = int(sys.argv[2]), int(sys.argv[3])
body = [{"type": "paragraph_block", "value": "<p>Fresh from the oven every morning.</p>"}]
have = BlogPage.objects.count()
if have < notices:
    growth.grow_pages(BlogIndexPage.objects.get(), BlogPage, notices - have, lambda i: {
        "title": f"Baking notes {i}", "slug": f"city-blog-{i}", "introduction": "Notes from the bakery.",
        "date_published": datetime.date(2020, 1, 1) + datetime.timedelta(days=i % 2000), "body": body})
have = LocationPage.objects.count()
if have < stations:
    growth.grow_pages(LocationsIndexPage.objects.get(), LocationPage, stations - have, lambda i: {
        "title": f"Bakery {i}", "slug": f"city-location-{i}", "introduction": "A bakery.",
        "address": f"{i} Baker Street", "lat_long": f"{64 + i % 40 / 100:.2f}, {-21 - i // 40 / 100:.2f}",
        "body": body})
LocationOperatingHours.objects.bulk_create([
    LocationOperatingHours(location_id=pk, day=day, opening_time=datetime.time(8),
                           closing_time=datetime.time(18), closed=False, sort_order=n)
    for pk in LocationPage.objects.filter(hours_of_operation=None).values_list("pk", flat=True)
    for n, day in enumerate(("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"))], batch_size=5000)
call_command("update_index", verbosity=0)
call_command("rebuild_references_index", verbosity=0)
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE")
print(json.dumps({"blog pages": BlogPage.objects.count(), "locations": LocationPage.objects.count()}))
"""


class Bakery:
    def __init__(self, path: str, python: str | None = None):
        self.path = Path(path).resolve()
        self.python = python or str(self.path / ".venv" / "bin" / "python")
        if not (self.path / "bakerydemo" / "settings" / "production.py").exists():
            raise SystemExit(f"{self.path} is not a bakerydemo checkout")
        if not Path(self.python).exists():
            raise SystemExit(f"no Python at {self.python}: see tests/benchmarks/bakery.py for the venv")
        FILES.mkdir(parents=True, exist_ok=True)
        (FILES / "bakery_bench_settings.py").write_text(SETTINGS)
        self.secret = "bench-" + secrets.token_hex(16)

    def env(self, *, cold: bool = False) -> dict:
        keep = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "REDIS_URL")}
        return {
            **keep,
            "PYTHONPATH": f"{FILES}{os.pathsep}{self.path}",
            "DJANGO_SETTINGS_MODULE": "bakery_bench_settings",
            "DJANGO_SECRET_KEY": self.secret,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "False",
            "PRIMARY_HOST": "bakery.example.com",  # WAGTAILADMIN_BASE_URL, as its production asks
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
            "BAKERY_REDIS_URL": REDIS_URL,
            "BAKERY_FILES": str(FILES),
            "BAKERY_CACHE": "dummy" if cold else "redis",
        }

    def run(self, script: str, *args: str, stdin: str = "", timeout: int = 1800, cold: bool = False) -> str:
        done = subprocess.run(
            [self.python, "-c", script, *args],
            input=stdin,
            cwd=self.path,
            env=self.env(cold=cold),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"bakerydemo script failed:\n{done.stderr[-3000:]}")
        return done.stdout.strip().splitlines()[-1]

    def manage(self, *args: str) -> None:
        subprocess.run(
            [self.python, "manage.py", *args],
            cwd=self.path,
            env=self.env(),
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=1800,
        )

    def setup(self, fresh_database) -> None:
        """A fresh database with bakerydemo's own demo content and collected static files."""
        fresh_database(DB_NAME, REDIS_URL)
        shutil.rmtree(FILES / "media", ignore_errors=True)
        self.manage("migrate", "--no-input", "-v0")
        self.manage("load_initial_data")
        self.manage("collectstatic", "--no-input", "--clear", "-v0")

    def grow(self, *, notices: int, stations: int) -> dict:
        return json.loads(
            self.run(GROW, str(HERE.parent / "performance" / "growth.py"), str(notices), str(stations))
        )

    def pages(self) -> dict[str, str]:
        return {name: url for name, url in json.loads(self.run(PAGES)).items() if url}

    def costs(self, pages: dict[str, str]) -> dict[tuple[str, str], list[int]]:
        """(page, "off"/"cold") → [status, bytes, queries]."""
        figures = json.loads(self.run(COSTS, stdin=json.dumps(pages) + "\n"))
        return {tuple(key.split("|")): value for key, value in figures.items()}

    def server(self, label: str) -> dict:
        """load.Gunicorn's arguments for the "off" or "cold" pass, with 2 sync workers and
        the recycling of gunicorn.conf.py, as the portal runs."""
        port = PORTS[label]
        command = [
            self.python,
            "-m",
            "gunicorn",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--worker-class=sync",
        ]
        command += ["--preload", "--max-requests=5000", "--max-requests-jitter=500", "--log-level=warning"]
        return {
            "app": APP,
            "port": port,
            "command": command,
            "cwd": self.path,
            "env": self.env(cold=label == "cold"),
        }
