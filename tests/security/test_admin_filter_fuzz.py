"""No 5xx from bad filter values: every admin list and export, found from what is registered.

The lists are not written down here: every wagtail_modeladmin index (found through the
admin URLs it registers), its built-in CSV/XLSX export where it has ``list_export``, every
snippet viewset's list, and every admin URL named ``*export*``. Their parameters come from
the list filters themselves (``expected_parameters()``, the same names the filter links
use), the search box and the list's own ordering/page parameters. Each parameter gets each
value of ``BAD_VALUES`` on its own, so a failure names the list, the parameter and the value.
"""

import inspect

import pytest
from django.contrib.admin import FieldListFilter, SimpleListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.snippets.models import get_snippet_models

from tests.factories.feedback import ComplaintFactory, EvaluationFactory

from .feedback_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

BAD_VALUES = {
    "letters": "abc",
    "21 digits": "9" * 21,
    "negative": "-1",
    "huge negative": "-" + "9" * 21,
    "NUL": "1\x00",
    "very long": "x" * 5000,
    "bad date": "2026-13-45",
    "bad datetime": "2026-02-30 25:61:00",
    "full-width digits": "１２３",
    "list with junk": "1,abc,9" + "9" * 20,
    "quote and percent": "1' OR '1'='1 %",
}
LIST_PARAMS = ("q", "o", "p")


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def registered_modeladmins() -> list:
    """The ModelAdmin instances behind every ``*_modeladmin_index`` admin URL."""
    found = {}
    for _, entry in _patterns():
        if entry.name and entry.name.endswith("_modeladmin_index"):
            # The admin wraps each view (login, permissions); the ModelAdmin is what it wraps.
            found[entry.name] = inspect.unwrap(entry.callback).__self__
    return list(found.values())


def filter_params(model_admin, user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user  # some filters list only what the user may see
    params = []
    for list_filter in model_admin.list_filter:
        if isinstance(list_filter, type) and issubclass(list_filter, SimpleListFilter):
            params.append(list_filter.parameter_name)
            continue
        field_path = list_filter[0] if isinstance(list_filter, tuple) else list_filter
        field = get_fields_from_path(model_admin.model, field_path)[-1]
        spec = FieldListFilter.create(
            field, request, {}, model_admin.model, model_admin, field_path=field_path
        )
        params.extend(spec.expected_parameters())
    return params


def modeladmin_targets(user) -> list[tuple[str, str]]:
    targets = []
    for model_admin in registered_modeladmins():
        index = model_admin.url_helper.index_url
        params = filter_params(model_admin, user) + list(LIST_PARAMS)
        targets += [(index, param) for param in params]
        if model_admin.list_export:
            targets += [(f"{index}?export={fmt}", param) for fmt in ("csv", "xlsx") for param in params]
    return targets


def snippet_targets() -> list[tuple[str, str]]:
    targets = []
    for model in get_snippet_models():
        viewset = model.snippet_viewset
        index = reverse(viewset.get_url_name("list"))
        # The filter set the list really uses (built from ``list_filter`` by the view).
        view = viewset.index_view.view_class(**viewset.index_view.view_initkwargs)
        view.locale = None
        filterset = view.filterset_class
        params = list(filterset.base_filters) if filterset else []
        params += ["q", "ordering", "p"]
        targets += [(index, param) for param in params]
        if viewset.list_export:
            targets += [(f"{index}?export=csv", param) for param in params]
    return targets


def export_view_targets(user) -> list[tuple[str, str]]:
    """Admin URLs named ``*export*`` with no URL arguments, given the filters of the
    modeladmin of the same model (their links carry that list's query string)."""
    by_model = {ma.model._meta.model_name: ma for ma in registered_modeladmins()}
    targets = []
    for _, entry in _patterns():
        name = entry.name or ""
        if "export" not in name or entry.pattern.regex.groups:
            continue
        model_admin = next((ma for model_name, ma in by_model.items() if model_name in name), None)
        if model_admin is None:
            continue
        params = filter_params(model_admin, user) + ["format", "q"]
        targets += [(reverse(name), param) for param in params]
    return targets


def all_targets(user) -> list[tuple[str, str]]:
    return modeladmin_targets(user) + snippet_targets() + export_view_targets(user)


def test_discovery_finds_every_list_and_export_we_know_of(admin_user):
    targets = all_targets(admin_user)
    urls = {url for url, _ in targets}
    # A guard that discovery works, not the list of what is fuzzed: it must include these.
    for expected in (
        "/admin/feedback/complaint/",
        "/admin/feedback/complaint/export/",
        "/admin/feedback/evaluation/",
        "/admin/feedback/auditentry/",
        "/admin/feedback/auditentry/?export=csv",
        "/admin/snippets/home/community/",
    ):
        assert expected in urls, expected
    params = {param for url, param in targets if url == "/admin/feedback/complaint/"}
    assert {"community__id__exact", "created_at__gte", "created_at__lt", "held", "q"} <= params


def _url(url: str, param: str, value: str) -> str:
    from urllib.parse import urlencode

    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}{urlencode({param: value})}"


@pytest.fixture
def some_rows(community, category):
    ComplaintFactory(community=community, category=category)
    EvaluationFactory(community=community)


def test_every_admin_list_and_export_survives_bad_filter_values(client, admin_user, site, some_rows):
    client.force_login(admin_user)
    client.raise_request_exception = False  # collect every failure, not only the first
    targets = all_targets(admin_user)
    failures = []
    for url, param in targets:
        for label, value in BAD_VALUES.items():
            response = client.get(_url(url, param, value))
            if response.status_code >= 500:
                failures.append(f"{url} {param}={label}: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert len(targets) > 100  # discovery did find the lists and their filters


@pytest.mark.parametrize(
    "query",
    [
        "community__id__exact=abc",
        "created_at__gte=notadate",
        "community__id__exact=" + "9" * 21,
        "created_at__gte=2026-13-45&created_at__lt=2099-01-01",
    ],
)
@pytest.mark.parametrize("path", ["/admin/feedback/complaint/", "/admin/feedback/complaint/export/"])
def test_bad_complaint_filter_is_ignored_with_a_chinese_message(
    client, admin_user, site, some_rows, path, query
):
    client.force_login(admin_user)
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    if path.endswith("/export/"):
        assert response["Content-Disposition"].startswith("attachment")
        assert len(response.content.decode("utf-8-sig").splitlines()) == 2  # header and the one report
    else:
        html = response.content.decode()
        assert "以下筛选条件的值无效，已忽略" in html
        assert ComplaintFactory._meta.model.objects.get().reference in html


def test_valid_filters_still_filter(client, admin_user, site, some_rows, community):
    client.force_login(admin_user)
    html = client.get(
        f"/admin/feedback/complaint/?community__id__exact={community.pk + 1000}"
    ).content.decode()
    assert "已忽略" not in html
    assert ComplaintFactory._meta.model.objects.get().reference not in html


@pytest.mark.parametrize("param", ["station", "service", "company"])
@pytest.mark.parametrize("value", list(BAD_VALUES.values()), ids=list(BAD_VALUES))
def test_evaluation_form_survives_bad_target_ids(client, site, param, value):
    response = client.get("/feedback/evaluate/", {param: value})
    assert response.status_code == (400 if "\x00" in value else 200)
