"""How fast a detail page could be served cold at best, beside bakerydemo (issue 25).

For a notice, a service and a station this measures, in one process on the benchmark's
PostgreSQL database with nothing kept (page and fragment caches off):

- the page as it is;
- its floor: the same request with the page's own work taken out (a template that
  shows only the title inside the site's layout, no context of its own), so what is
  left is what every page pays: middleware, the site, routing, view restrictions and
  the layout;
- with ``--bakerydemo PATH``, bakerydemo's page of the same kind, in its own process
  with its dummy cache (load.py's "cold").

    python tests/benchmarks/floor.py [--runs 60] [--bakerydemo PATH] [--bakerydemo-python PY]

It reuses load.py's database (run load.py once first) and prints medians in ms and
the ratios bakerydemo / portal: the floor's ratio bounds what trimming the page's own
work could reach.
"""

import argparse
import json
import os
import statistics
import time

import load

PAGES = ("a notice", "a service", "a station")

TIMES = """
import json, statistics, sys, time, django
django.setup()
from django.test import Client
client, runs, times = Client(HTTP_HOST="127.0.0.1"), int(sys.argv[1]), {}
for name, path in json.loads(sys.stdin.readline()).items():
    client.get(path), client.get(path)
    spent = []
    for _ in range(runs):
        start = time.perf_counter(); client.get(path); spent.append(time.perf_counter() - start)
    times[name] = statistics.median(spent) * 1000
print(json.dumps(times))
"""

FLOOR_TEMPLATE = '{% extends "base.html" %}{% block content %}<h1>{{ page.title }}</h1>{% endblock %}'


def median_ms(client, path: str, runs: int) -> float:
    client.get(path), client.get(path)  # this process's own caches (content types, templates)
    spent = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        spent.append(time.perf_counter() - start)
    assert response.status_code == 200, (path, response.status_code)
    return statistics.median(spent) * 1000


def floor_of(model):
    """``model`` served with a title-only template and no context of its own."""
    from django.template import engines
    from django.template.response import TemplateResponse

    template = engines["django"].from_string(FLOOR_TEMPLATE)

    def serve(page, request, *args, **kwargs):
        return TemplateResponse(request, template, {"page": page, "self": page, "request": request})

    return serve


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--bakerydemo", metavar="PATH")
    parser.add_argument("--bakerydemo-python", metavar="PYTHON")
    args = parser.parse_args()
    load.ENV.update(PAGE_CACHE_SECONDS="0", FRAGMENT_CACHE_SECONDS="0", ALLOWED_HOSTS="127.0.0.1")
    load.django_setup()
    from django.test import Client
    from wagtail.models import Page

    pages = {name: path for name, path in load.public_pages().items() if name in PAGES and path}
    client = Client(HTTP_HOST="127.0.0.1")
    rows = {}
    for name, path in pages.items():
        model = type(Page.find_for_request(client.get(path).wsgi_request, path).specific)
        full = median_ms(client, path, args.runs)
        original = model.serve
        model.serve = floor_of(model)
        try:
            floor = median_ms(client, path, args.runs)
        finally:
            model.serve = original
        rows[name] = [path, full, floor]
    twins = {}
    if args.bakerydemo:
        from bakery import Bakery

        bakery = Bakery(args.bakerydemo, args.bakerydemo_python)
        paths = {name: path for name, path in bakery.pages().items() if name in pages}
        twins = json.loads(bakery.run(TIMES, str(args.runs), stdin=json.dumps(paths) + "\n", cold=True))
    print(f"cold, one process, median of {args.runs} (ms); load average {os.getloadavg()[0]:.1f}")
    print("page        path                            portal  floor  bakerydemo  portal ×  floor ×")
    for name, (path, full, floor) in rows.items():
        twin = twins.get(name)
        ratios = f"{twin / full:8.2f}  {twin / floor:7.2f}" if twin else ""
        twin_text = f"{twin:10.1f}" if twin else " " * 10
        print(f"{name:11} {path:31} {full:6.1f}  {floor:5.1f}  {twin_text}  {ratios}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
