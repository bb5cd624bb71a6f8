"""The API through ``georeport`` (PyPI, an Open311 GeoReport v2 client nobody here wrote),
in both encodings, and the spec's own sample calls and answer shapes.

georeport speaks HTTP through ``requests``; ``responses`` hands each of its calls to
Django's test client, so the library runs unchanged and offline.
"""

import re
from urllib.parse import urlsplit

import pytest
import requests
import responses
from django.utils import timezone
from georeport import GeoReport

from feedback.complaints.models import Complaint, State

from .conftest import API, parse, report_params

ROOT = "http://testserver/open311/v2"


@pytest.fixture
def server(client):
    """Every request georeport sends goes to the Django app; the answer comes back as is."""

    def forward(request):
        url = urlsplit(request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        if request.method == "POST":
            answer = client.post(path, request.body, content_type=request.headers["Content-Type"])
        else:
            answer = client.get(path)
        return answer.status_code, {"Content-Type": answer["Content-Type"]}, answer.content

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.GET, re.compile(rf"{re.escape(ROOT)}/.*"), callback=forward)
        mock.add_callback(responses.POST, re.compile(rf"{re.escape(ROOT)}/.*"), callback=forward)
        yield mock


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_services_and_definitions(server, category, community, fmt):
    georeport = GeoReport(ROOT, jurisdiction="testserver", output_format=fmt)
    services = georeport.get_service_list()
    codes = {service["service_code"] for service in services}
    assert f"complaint-{category.code}" in codes and len(codes) == 4
    groups = {service["group"] for service in services}
    assert groups == {"求助", "咨询", "投诉", "建议"}
    definition = georeport.get_service_definition(f"help-{category.code}")
    if fmt == "xml":  # xmltodict keeps the spec's <attributes><attribute> nesting
        attributes = definition["attributes"]["attribute"]
    else:
        attributes = definition["attributes"]
    assert definition["service_code"] == f"help-{category.code}"
    assert {a["code"] for a in attributes} == {"community", "consent", "allow_public", "notify"}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_the_public_board_without_a_key(server, client, writer, category, fmt):
    # georeport sends no api_key when reading: it gets the reports on the public board,
    # under their public codes, and never a report the resident kept private.
    filed = parse(client.post(f"{API}requests.json", report_params(writer, category)))[0]
    complaint = Complaint.objects.get(reference=filed["service_request_id"])
    Complaint.objects.filter(pk=complaint.pk).update(
        state=State.DISPATCHED,
        allow_public=True,
        public_text="小区东门路灯不亮。",
        public_text_approved_at=timezone.now(),
        public_code="PUBGEO01",
    )
    georeport = GeoReport(ROOT, output_format=fmt)
    listed = georeport.get_service_requests(status="open")
    listed = listed if isinstance(listed, list) else [listed]
    assert [r["service_request_id"] for r in listed] == ["PUBGEO01"]
    assert georeport.get_service_request("PUBGEO01")["status"] == "open"
    Complaint.objects.filter(pk=complaint.pk).update(allow_public=False)
    # (georeport cannot read an empty XML list: xmltodict gives None for <service_requests/>.)
    assert parse(client.get(f"{API}requests.{fmt}", {"status": "open"})) == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_a_filed_request(server, client, writer, reader, category, fmt, monkeypatch):
    filed = parse(client.post(f"{API}requests.json", report_params(writer, category)))[0]
    # georeport sends no api_key when reading; each of its calls gets the reader's key
    # added to its parameters (as a thin subclass or a proxy would), the library unchanged.
    georeport = GeoReport(ROOT, output_format=fmt)
    plain_get = requests.get
    monkeypatch.setattr(
        requests,
        "get",
        lambda url, params=None, **kw: plain_get(url, params={**(params or {}), "api_key": reader.key}, **kw),
    )
    item = georeport.get_service_request(filed["service_request_id"])
    listed = georeport.get_service_requests(service_request_id=filed["service_request_id"])
    assert item["service_request_id"] == filed["service_request_id"]
    assert item["status"] == "open"
    listed = listed if isinstance(listed, list) else [listed]
    assert [r["service_request_id"] for r in listed] == [filed["service_request_id"]]


# --- the spec's own sample calls ------------------------------------------------------------


def test_spec_sample_post_is_answered_in_the_spec_shape(client, writer, category):
    """The spec's POST sample (api_key, service_code, lat/long, address_string, email,
    device_id, account_id, first_name, last_name, phone, description, media_url), with
    our service code, a mainland phone and the consent our residents must give."""
    params = {
        "api_key": writer.key,
        "service_code": f"complaint-{category.code}",
        "lat": "37.76524078",
        "long": "-122.4212043",
        "address_string": "1234 5th street",
        "email": "smit222@sfgov.edu",
        "device_id": "tt222111",
        "account_id": "123456",
        "first_name": "john",
        "last_name": "smith",
        "phone": "13912345678",
        "description": "A large sinkhole is destroying the street",
        "media_url": "http://www.city.gov/media/12345.jpg",
        "attribute[consent]": "true",
        "attribute[notify]": "true",
    }
    response = client.post(f"{API}requests.xml", params)
    assert response.status_code == 200, response.content.decode()
    items = parse(response)
    assert set(items[0]) == {"service_request_id", "token", "service_notice", "account_id"}
    body = response.content.decode()
    assert "<service_requests><request><service_request_id>" in body
    for secret in ("john", "smith", "13912345678", "smit222"):
        assert secret not in body
    assert Complaint.objects.get().name == "smithjohn"


def test_spec_sample_get_requests_answer_has_the_spec_fields(client, writer, reader, category):
    client.post(f"{API}requests.json", report_params(writer, category))
    response = client.get(
        f"{API}requests.xml",
        {"api_key": reader.key, "start_date": "2026-11-20T00:00:00Z", "end_date": "2027-01-01T00:00:00Z"},
    )
    body = response.content.decode()
    assert body.startswith("<?xml version='1.0' encoding='UTF-8'?>\n<service_requests><request>")
    fields = set(parse(response)[0])
    assert fields == {
        "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
        "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
        "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url",
    }  # fmt: skip


def test_spec_sample_error_shape(client, db):
    response = client.get(f"{API}requests.xml", {"api_key": "xyz"})
    assert response.status_code == 403
    assert response.content.decode().endswith(
        "<errors><error><code>403</code><description>api_key 无效或已停用。</description></error></errors>"
    )
    assert parse(client.get(f"{API}requests.json", {"api_key": "xyz"})) == [
        {"code": 403, "description": "api_key 无效或已停用。"}
    ]
