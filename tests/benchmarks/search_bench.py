"""Benchmark Chinese site search: index 10,000 generated notices, time queries.

Not part of the test run (pyproject ignores tests/benchmarks). Run from the repo root:

    python tests/benchmarks/search_bench.py                                   # SQLite (/tmp)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_search_bench \\
        python tests/benchmarks/search_bench.py                               # PostgreSQL

It builds a fresh database (the SQLite file or the PostgreSQL database named in the
URL is dropped first), creates ``--notices`` published NoticePages with automatic
indexing switched off, then indexes them in one timed pass through the search backend
(segmentation included), and finally times ``run_search`` — the whole query path the
/search/ page uses (segmenting, synonyms, facet, ranking, snippets) — over a set of
resident queries, reporting p50/p95.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/search_bench.sqlite3")

TOPICS = [
    "红色驿站开放时间",
    "最低生活保障标准",
    "居住证办理",
    "城乡居民医保缴费",
    "灵活就业人员社保",
    "老旧小区加装电梯",
    "垃圾分类投放",
    "网格员巡查走访",
    "5G基站建设",
    "12345热线受理",
    "高龄津贴发放",
    "残疾人两项补贴",
    "退役军人优待证",
    "临时救助",
    "社区食堂助餐",
    "电动自行车充电桩",
    "停水停电",
    "志愿服务活动",
    "防汛安全",
    "燃气安全检查",
]
PLACES = ["复兴社区", "春雨社区", "金鼎社区", "广陵社区", "千秋社区", "石梁社区", "昆仑社区", "准噶尔社区"]
BODIES = [
    "请辖区居民相互转告，有疑问可拨打社区电话或12345热线咨询。",
    "网格员将逐户上门告知，独居老人家庭由社区工作人员协助办理。",
    "符合条件的居民可携带身份证、户口簿到社区党群服务中心申请。",
    "快递员、外卖骑手等户外劳动者可到红色驿站歇脚、喝水、充电。",
    "本通知自发布之日起施行，原有规定与本通知不一致的，以本通知为准。",
    "資金由區財政統一撥付，社區負責公示名單並接受群眾監督。",
]
QUERIES = [
    "驿站",
    "红色驿站",
    "紅色驛站",
    "低保",
    "最低生活保障",
    "怎么申请低保",
    "居住证",
    "医保",
    "社保缴费",
    "加装电梯",
    "网格员",
    "5G",
    "12345",
    "高龄津贴",
    "残疾人补贴",
    "优待证",
    "临时救助",
    "助餐",
    "充电桩",
    "停水",
    "志愿者",
    "复兴社区 垃圾分类",
    "燃气安全",
    "红色驿战",
    "火星移民登记",
]


def fresh_database() -> None:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        Path(db["NAME"]).unlink(missing_ok=True)
        return
    import psycopg

    name = db["NAME"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def build_notices(count: int, seed: int = 7) -> list:
    """Insert ``count`` live notices fast: base page rows in bulk, then the notice rows.

    Wagtail's ``add_child`` + publish costs tens of milliseconds per page, which would
    make building, not searching, the benchmark; the rows written here are the same.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page

    from home import demo
    from notices.models import NoticeCategory, NoticeIndexPage, NoticePage

    demo.load()
    home = demo.load_home_page()
    index = home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
    category = NoticeCategory.objects.create(name="工作通知", slug="work")
    content_type = ContentType.objects.get_for_model(NoticePage)
    rng = random.Random(seed)
    now = timezone.now()
    with transaction.atomic():
        bases = []
        for n in range(count):
            topic, place = rng.choice(TOPICS), rng.choice(PLACES)
            bases.append(
                Page(
                    title=f"关于{place}{topic}的通知（第{n}号）",
                    draft_title=f"关于{place}{topic}的通知（第{n}号）",
                    slug=f"n-{n}",
                    path=Page._get_path(index.path, index.depth + 1, n + 1),
                    depth=index.depth + 1,
                    numchild=0,
                    url_path=f"{index.url_path}n-{n}/",
                    content_type=content_type,
                    locale_id=index.locale_id,
                    live=True,
                    first_published_at=now,
                    last_published_at=now,
                )
            )
        Page.objects.bulk_create(bases, batch_size=500)
        Page.objects.filter(pk=index.pk).update(numchild=count)
        for base in Page.objects.filter(content_type=content_type).order_by("path"):
            topic_place = base.title.removeprefix("关于").split("的通知")[0]
            body = "".join(rng.sample(BODIES, 3))
            notice = NoticePage(
                page_ptr=base,
                issuing_body="同心区人民政府办公室",
                summary=f"{topic_place}相关事项安排",
                category=category,
                body=[("paragraph", f"<p>{topic_place}：{body}</p>")],
            )
            notice.save_base(raw=True)  # the notice row only; raw skips auto-indexing
    return list(NoticePage.objects.select_related("category"))


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5, help="times each query is run")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the queries on the database a previous run built (same --notices), without rebuilding",
    )
    parser.add_argument(
        "--backend",
        help="search backend module instead of settings' (e.g. modelsearch.backends.database: the stock one)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    if args.backend:
        from django.conf import settings

        settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": args.backend}}
    from django.core.management import call_command
    from django.db import connection

    if not args.reuse:
        fresh_database()
        connection.close()
    call_command("migrate", verbosity=0)

    from wagtail.search.backends import get_search_backend

    from home.views import run_search
    from notices.models import NoticePage
    from portal import chinese

    chinese.index_text("预热")  # load jieba and OpenCC outside the timings
    if args.reuse:
        pages = list(NoticePage.objects.all())
        if len(pages) != args.notices:
            sys.exit(f"--reuse: the database holds {len(pages)} notices, not {args.notices}")
        built = indexed = float("nan")
    else:
        started = time.perf_counter()
        pages = build_notices(args.notices)
        built = time.perf_counter() - started

        backend = get_search_backend()
        started = time.perf_counter()
        for chunk in range(0, len(pages), 500):
            backend.add_bulk(NoticePage, pages[chunk : chunk + 500])
        indexed = time.perf_counter() - started
    # What autovacuum gives a live site after bulk changes: planner statistics and, on
    # PostgreSQL, the dead rows of the title_norm refresh gone and the GIN index's
    # pending list merged (each search scanned the whole list until then).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    timings, totals, per_query = [], {}, {}
    for round_number in range(args.rounds + 1):
        for query in QUERIES:
            started = time.perf_counter()
            found = run_search(query=query)
            elapsed = (time.perf_counter() - started) * 1000
            if round_number:  # round 0 warms caches (synonyms, content types)
                timings.append(elapsed)
                per_query.setdefault(query, []).append(elapsed)
            totals[query] = found["total"]

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"notices: {len(pages)} built in {built:.1f}s")
    print(f"indexing (segment + write): {indexed:.1f}s = {indexed / len(pages) * 1000:.2f} ms/notice")
    print(f"queries: {len(QUERIES)} x {args.rounds} rounds, full run_search() incl. facet, rerank, snippets")
    print(
        f"latency p50 {percentile(timings, 50):.1f} ms, p95 {percentile(timings, 95):.1f} ms, "
        f"max {max(timings):.1f} ms, mean {statistics.mean(timings):.1f} ms"
    )
    slowest = sorted(per_query, key=lambda q: -statistics.median(per_query[q]))[:5]
    print("slowest (median ms): " + ", ".join(f"{q}={statistics.median(per_query[q]):.0f}" for q in slowest))
    print("hits per query: " + ", ".join(f"{q}={n}" for q, n in totals.items()))


if __name__ == "__main__":
    main()
