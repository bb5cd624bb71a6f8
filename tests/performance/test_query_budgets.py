"""Every public page answers an anonymous visitor in at most 12 SQL queries, uncached,
with the whole demo site loaded (``load_initial_data``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.module_loading import import_string

QUERY_BUDGET = 12


def _first_live_url(model_path: str) -> str:
    model = import_string(model_path)
    page = model.objects.live().public().order_by("path").first()
    assert page is not None, f"the demo data has no live {model.__name__}"
    return page.url


def _first_public_report_url() -> str:
    from feedback.complaints.selectors import public_complaints

    complaint = public_complaints().exclude(public_code=None).first()
    assert complaint is not None, "the demo data has no public report"
    return reverse("feedback:public_detail", args=[complaint.public_code])


PAGES = {
    "home": lambda: "/",
    "notice list": lambda: "/notices/",
    "a notice": lambda: _first_live_url("notices.models.NoticePage"),
    "report list": lambda: "/reports/",
    "a report": lambda: _first_live_url("notices.models.ResidentReportPage"),
    "service list": lambda: "/services/",
    "a service": lambda: _first_live_url("servicecatalog.models.ServiceItemPage"),
    "station list": lambda: "/stations/",
    "a station": lambda: _first_live_url("servicecatalog.models.StationPage"),
    "report form": lambda: reverse("feedback:report"),
    "tracking form": lambda: reverse("feedback:track"),
    "public reports": lambda: reverse("feedback:public"),
    "a public report": lambda: _first_public_report_url(),
    "search": lambda: "/search/?q=驿站",
}


@pytest.mark.parametrize("name", PAGES)
def test_public_page_stays_within_query_budget(demo_site, db, client, settings, name):
    settings.PAGE_CACHE_SECONDS = 0  # measure the view itself, not the page cache
    path = PAGES[name]()
    # A first visit fills Wagtail's own caches (site root paths, content types), as
    # in any running process; the budget is for every visit after that.
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    # Savepoints opened by the test harness are not the page's queries.
    real = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(real) <= QUERY_BUDGET, f"{path}: {len(real)} queries\n" + "\n".join(
        _short(sql) for sql in real
    )


def _short(sql: str) -> str:
    """The table and condition of a query, enough to see which one repeats."""
    head = sql.split(" FROM ", 1)[-1]
    return head[:160]


def test_cached_page_costs_no_query(demo_site, db, client):
    client.get("/notices/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/notices/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"
    assert len(queries.captured_queries) == 0
