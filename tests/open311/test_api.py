"""The GeoReport v2 endpoints in both encodings: what integrators read and file, every
filter and every error in the spec's format, and never a resident's name, phone or e-mail."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from feedback.complaints import services
from feedback.complaints.models import Complaint, State
from feedback.open311 import keys
from feedback.open311.models import ApiRequest
from feedback.trust.services import block_phone
from tests.factories.feedback import ComplaintFactory

from .conftest import API, EMAIL, NAME_FIRST, NAME_LAST, PHONE, parse, report_params

FORMATS = ["json", "xml"]
OTHER_PHONE = "13787654321"
PERSONAL = (NAME_FIRST, NAME_LAST, PHONE, "1234-5678", EMAIL, "张三丰", OTHER_PHONE)


def assert_no_personal_data(response):
    body = response.content.decode()
    for secret in PERSONAL:
        assert secret not in body, f"{secret} leaked in {body[:300]}"


def assert_error(response, status, fragment=""):
    assert response.status_code == status
    items = parse(response)
    assert isinstance(items, list) and items
    for item in items:
        assert str(item["code"]) == str(status)
        assert item["description"]
    assert fragment in " ".join(item["description"] for item in items)
    assert_no_personal_data(response)
    return items


@pytest.fixture
def filed(client, writer, category):
    """A report filed through the API (JSON), its answer and the stored report."""
    response = client.post(f"{API}requests.json", report_params(writer, category))
    assert response.status_code == 200, response.content.decode()
    answer = parse(response)[0]
    return answer, Complaint.objects.get(reference=answer["service_request_id"])


# --- discovery and services ------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_names_the_endpoint_and_both_formats(client, db, fmt):
    response = client.get(f"{API}discovery.{fmt}")
    assert response.status_code == 200
    data = parse(response)
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    formats = endpoint["formats"] if fmt == "json" else endpoint["formats"]
    assert set(formats) == {"text/xml", "application/json"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_list_each_category_under_each_kind(client, category, fmt):
    response = client.get(f"{API}services.{fmt}")
    assert response.status_code == 200
    services_ = {s["service_code"]: s for s in parse(response)}
    assert set(services_) == {
        f"{kind}-huan-jing-wei-sheng" for kind in ("help", "question", "complaint", "suggestion")
    }
    service = services_["complaint-huan-jing-wei-sheng"]
    assert service["service_name"] == "环境卫生（投诉）"
    assert service["group"] == "投诉"
    assert service["type"] == "realtime"
    assert str(service["metadata"]).lower() == "true"
    assert "环境卫生" in service["keywords"]
    assert set(service) >= {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_lists_its_attributes(client, category, community, fmt):
    response = client.get(f"{API}services/suggestion-{category.code}.{fmt}")
    assert response.status_code == 200
    data = parse(response)
    assert data["service_code"] == f"suggestion-{category.code}"
    attributes = {a["code"]: a for a in data["attributes"]}
    assert set(attributes) == {"community", "consent", "allow_public", "notify"}
    assert str(attributes["consent"]["required"]).lower() == "true"
    assert {"key": "fuxing", "name": "复兴社区"} in attributes["community"]["values"]
    assert attributes["community"]["datatype"] == "singlevaluelist"


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_is_404_in_spec_format(client, category, fmt):
    assert_error(client.get(f"{API}services/complaint-nope.{fmt}"), 404, "complaint-nope")


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_jurisdiction_is_404(client, category, fmt):
    assert_error(
        client.get(f"{API}services.{fmt}", {"jurisdiction_id": "elsewhere.gov"}), 404, "jurisdiction_id"
    )


def test_resource_without_a_format_gets_a_spec_error(client, db):
    assert_error(client.get(f"{API}services"), 400, ".json 或 .xml")
    assert_error(client.get(f"{API}services.html"), 400, ".json 或 .xml")


# --- POST requests ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_client_files_a_report_through_the_form_rules(client, writer, category, community, fmt):
    response = client.post(f"{API}requests.{fmt}", report_params(writer, category))
    assert response.status_code == 200, response.content.decode()
    assert_no_personal_data(response)
    answer = parse(response)[0]
    complaint = Complaint.objects.get(reference=answer["service_request_id"])
    assert answer["token"] == ApiRequest.objects.get(complaint=complaint).token
    assert "7 个工作日" in answer["service_notice"]
    # Stored as the form stores it: the phone normalised, the name family name first.
    assert complaint.phone == PHONE
    assert complaint.name == NAME_LAST + NAME_FIRST
    assert complaint.email == EMAIL and complaint.notify_consent
    assert complaint.kind == "complaint" and complaint.category == category
    assert complaint.community == community and complaint.state == State.SUBMITTED
    assert complaint.place == "复兴路88号小区3栋楼下"
    assert str(complaint.latitude) == "31.230416"
    assert complaint.events.filter(title="居民提交反映").exists()


def test_report_from_a_blocked_phone_is_accepted_but_held(client, writer, category, django_user_model):
    block_phone(phone=PHONE, reason="骚扰", actor=django_user_model.objects.create(username="mod"))
    response = client.post(f"{API}requests.json", report_params(writer, category))
    assert response.status_code == 200
    complaint = Complaint.objects.get(reference=parse(response)[0]["service_request_id"])
    assert complaint.held


def test_media_upload_is_cleaned_like_the_forms(client, writer, category):
    from tests.feedback.conftest import image_upload

    params = report_params(writer, category, media=image_upload())
    response = client.post(f"{API}requests.json", params)
    assert response.status_code == 200, response.content.decode()
    complaint = Complaint.objects.get(reference=parse(response)[0]["service_request_id"])
    assert complaint.photos.count() == 1


def test_media_url_is_not_fetched_and_the_notice_says_so(client, writer, category):
    params = report_params(writer, category, media_url="http://169.254.169.254/latest/x.jpg")
    response = client.post(f"{API}requests.json", params)
    assert response.status_code == 200
    assert "不下载 media_url" in parse(response)[0]["service_notice"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"phone": "12345"}, "phone：请填写 11 位手机号码，如 13812345678。"),
        ({"phone": None}, "phone：请填写手机号，方便工作人员联系您。"),
        ({"description": "太短"}, "description：问题描述至少 10 个字（现在 2 个字）。"),
        ({"description": "很" * 4001}, "description：问题描述最多 4000 个字（现在 4001 个字）。"),
        ({"attribute[consent]": None}, "attribute[consent]："),
        ({"attribute[notify]": None}, "email：邮箱只用于发送办理进展"),
        ({"email": "not-an-email"}, "email：请填写正确的邮箱地址"),
        ({"lat": None, "long": None, "address_string": None}, "请提供位置"),
        ({"lat": "123", "address_string": None}, "lat："),
        ({"service_code": "complaint-nope"}, "service_code："),
        ({"attribute[community]": "heping"}, "attribute[community]："),
    ],
)
def test_invalid_report_is_400_with_the_forms_words(
    client, writer, category, other_community, fmt, overrides, fragment
):
    response = client.post(f"{API}requests.{fmt}", report_params(writer, category, **overrides))
    assert_error(response, 400, fragment)
    assert not Complaint.objects.exists()


def test_description_of_4000_characters_is_accepted(client, writer, category):
    response = client.post(f"{API}requests.json", report_params(writer, category, description="很" * 4000))
    assert response.status_code == 200


def test_client_with_two_communities_names_one(client, writer, category, other_community):
    writer.communities.add(other_community)
    assert_error(
        client.post(f"{API}requests.json", report_params(writer, category)), 400, "attribute[community]"
    )
    response = client.post(
        f"{API}requests.json", report_params(writer, category, **{"attribute[community]": "heping"})
    )
    assert response.status_code == 200
    assert Complaint.objects.get().community == other_community


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_needs_a_valid_read_write_key(client, writer, reader, category, fmt):
    url = f"{API}requests.{fmt}"
    assert_error(client.post(url, report_params(writer, category, api_key=None)), 403, "缺少 api_key")
    assert_error(client.post(url, report_params(writer, category, api_key="o311_wrong")), 403, "无效")
    assert_error(client.post(url, report_params(writer, category, api_key=reader.key)), 403, "只能查询")
    keys.revoke_key(client=writer)
    assert_error(client.post(url, report_params(writer, category)), 403, "已停用")
    assert not Complaint.objects.exists()


def test_post_needs_no_csrf_token(writer, category):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(f"{API}requests.json", report_params(writer, category))
    assert response.status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_reports_per_key_are_limited(client, writer, category, settings, fmt):
    settings.OPEN311_REPORT_RATE_PER_KEY = "2/h"
    for n in range(2):
        phone = f"1391234567{n}"
        assert (
            client.post(f"{API}requests.{fmt}", report_params(writer, category, phone=phone)).status_code
            == 200
        )
    response = client.post(f"{API}requests.{fmt}", report_params(writer, category, phone="13912345679"))
    assert_error(response, 429, "接口密钥近期提交的反映过多")
    assert int(response["Retry-After"]) > 0
    assert Complaint.objects.count() == 2


def test_reports_per_phone_share_the_forms_limit(client, writer, category, settings):
    settings.FEEDBACK_REPORT_RATE_PER_PHONE = "1/h"
    assert client.post(f"{API}requests.json", report_params(writer, category)).status_code == 200
    assert_error(client.post(f"{API}requests.xml", report_params(writer, category)), 429, "这个手机号")


@pytest.mark.parametrize("fmt", FORMATS)
def test_calls_per_key_are_limited(client, reader, fmt, settings):
    settings.OPEN311_RATE_PER_KEY = "2/h"
    for _ in range(2):
        assert client.get(f"{API}requests.{fmt}", {"api_key": reader.key}).status_code == 200
    assert_error(client.get(f"{API}requests.{fmt}", {"api_key": reader.key}), 429, "请求过多")


def test_wrong_method_is_405_in_spec_format(client, reader):
    assert_error(client.delete(f"{API}requests.json"), 405)
    assert_error(client.post(f"{API}services.xml"), 405)


# --- GET requests, requests/{id}, tokens/{token} -------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_reader_sees_a_request_without_personal_data(client, reader, filed, fmt):
    answer, complaint = filed
    response = client.get(f"{API}requests/{complaint.reference}.{fmt}", {"api_key": reader.key})
    assert response.status_code == 200
    assert_no_personal_data(response)
    item = parse(response)[0]
    assert item["service_request_id"] == complaint.reference
    assert item["status"] == "open"
    assert item["service_code"] == f"complaint-{complaint.category.code}"
    assert item["requested_datetime"].endswith("+08:00")
    assert item["address"] == "复兴社区 复兴路88号小区3栋楼下"
    assert float(item["lat"]) == pytest.approx(31.230416)
    assert not item["description"]  # not approved for the public: the typed text stays in
    assert not item["media_url"]
    for key in ("first_name", "last_name", "phone", "email", "name"):
        assert key not in item


@pytest.mark.parametrize("fmt", FORMATS)
def test_dispatched_and_resolved_request_shows_unit_dates_and_reply(
    client, reader, filed, unit, fmt, django_user_model
):
    _, complaint = filed
    staff = django_user_model.objects.create(username="disp", is_superuser=True)
    complaint = services.dispatch_complaint(complaint=complaint, unit=unit, actor=staff)
    item = parse(client.get(f"{API}requests/{complaint.reference}.{fmt}", {"api_key": reader.key}))[0]
    assert item["agency_responsible"] == "街道城管办"
    assert item["expected_datetime"].endswith("T00:00:00+08:00")
    services.resolve_complaint(complaint=complaint, reply="已安排清运，今后每日清运两次。", actor=staff)
    item = parse(client.get(f"{API}requests/{complaint.reference}.{fmt}", {"api_key": reader.key}))[0]
    assert item["status"] == "closed"
    assert item["status_notes"] == "已安排清运，今后每日清运两次。"
    assert not item["expected_datetime"]
    assert item["updated_datetime"] >= item["requested_datetime"]


def test_public_text_and_only_an_approved_photo_are_shown(
    client, reader, category, community, django_user_model
):
    from feedback.complaints.photos import clean_photo
    from tests.feedback.conftest import image_upload

    staff = django_user_model.objects.create(username="mod", is_superuser=True)
    complaint = services.submit_complaint(
        kind="complaint", category=category, community=community, description="张三丰说垃圾没人清运好几天了",
        phone=OTHER_PHONE, name="张三丰", allow_public=True, privacy_notice_version="1",
        photos=[clean_photo(image_upload()), clean_photo(image_upload())],
    )  # fmt: skip
    complaint = services.dispatch_complaint(complaint=complaint, unit=category.default_unit, actor=staff)
    first, second = complaint.photos.all()
    services.set_public_text(
        complaint=complaint, actor=staff, text="有居民反映垃圾多日未清运。", public_photo_ids=[second.pk]
    )
    response = client.get(f"{API}requests/{complaint.reference}.json", {"api_key": reader.key})
    item = parse(response)[0]
    assert item["description"] == "有居民反映垃圾多日未清运。"
    assert item["media_url"].endswith(f"/feedback/public/photos/{second.pk}/")
    assert client.get(item["media_url"]).status_code == 200
    assert_no_personal_data(response)


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_filters(client, reader, category, community, other_community, fmt):
    now = timezone.now()
    old = ComplaintFactory(
        phone=OTHER_PHONE, category=category, community=community, created_at=now - timedelta(days=30)
    )
    new = ComplaintFactory(phone=OTHER_PHONE, category=category, community=community, kind="help")
    closed = ComplaintFactory(phone=OTHER_PHONE, category=category, community=community, state=State.RESOLVED)
    elsewhere = ComplaintFactory(phone=OTHER_PHONE, category=category, community=other_community)

    def ids(**params):
        response = client.get(f"{API}requests.{fmt}", {"api_key": reader.key, **params})
        assert response.status_code == 200, response.content.decode()
        assert_no_personal_data(response)
        return {item["service_request_id"] for item in parse(response)}

    assert ids() == {old.reference, new.reference, closed.reference}  # never another community's
    assert ids(service_request_id=f"{old.reference},{elsewhere.reference}") == {old.reference}
    assert ids(service_code=f"help-{category.code}") == {new.reference}
    assert ids(service_code=f"help-{category.code},complaint-{category.code}") == {
        old.reference, new.reference, closed.reference,
    }  # fmt: skip
    assert ids(status="closed") == {closed.reference}
    assert ids(status="open") == {old.reference, new.reference}
    assert ids(status="open,closed") == {old.reference, new.reference, closed.reference}
    start = (now - timedelta(days=40)).strftime("%Y-%m-%dT%H:%M:%S+08:00")
    end = (now - timedelta(days=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(start_date=start, end_date=end) == {old.reference}
    assert ids(start_date=(now - timedelta(days=1)).strftime("%Y-%m-%d")) == {new.reference, closed.reference}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "最多 90 天"),
        ({"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "不能早于"),
        ({"start_date": "yesterday"}, "start_date 的格式不对"),
        ({"status": "pending"}, "status 只能是"),
        ({"service_code": "complaint-nope"}, "service_code"),
    ],
)
def test_requests_filter_errors(client, reader, category, fmt, params, fragment):
    assert_error(client.get(f"{API}requests.{fmt}", {"api_key": reader.key, **params}), 400, fragment)


@pytest.mark.parametrize("fmt", FORMATS)
def test_reading_with_a_key_needs_a_valid_one(client, reader, filed, fmt):
    _, complaint = filed
    for url in (f"{API}requests.{fmt}", f"{API}requests/{complaint.reference}.{fmt}"):
        assert_error(client.get(url, {"api_key": reader.key + "x"}), 403, "无效")
    keys.revoke_key(client=reader)
    assert_error(client.get(f"{API}requests.{fmt}", {"api_key": reader.key}), 403, "已停用")


@pytest.fixture
def on_the_board(category, community):
    return ComplaintFactory(
        phone=OTHER_PHONE,
        category=category,
        community=community,
        state=State.DISPATCHED,
        allow_public=True,
        public_text="小区东门路灯不亮，晚上出行不便。",
        public_text_approved_at=timezone.now(),
        public_code="PUB12345",
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_without_a_key_only_the_public_board_under_its_public_codes(client, filed, on_the_board, fmt):
    _, private = filed
    listed = parse(client.get(f"{API}requests.{fmt}"))
    assert [item["service_request_id"] for item in listed] == ["PUB12345"]
    assert listed[0]["description"] == "小区东门路灯不亮，晚上出行不便。"
    assert private.reference not in client.get(f"{API}requests.{fmt}").content.decode()
    one = parse(client.get(f"{API}requests/PUB12345.{fmt}"))
    assert [item["service_request_id"] for item in one] == ["PUB12345"]
    by_id = parse(client.get(f"{API}requests.{fmt}", {"service_request_id": f"PUB12345,{private.reference}"}))
    assert [item["service_request_id"] for item in by_id] == ["PUB12345"]
    # A reference (it opens the resident's page with the phone's last digits) needs a key.
    assert_error(client.get(f"{API}requests/{on_the_board.reference}.{fmt}"), 404, "公开栏")
    assert_error(client.get(f"{API}requests/{private.reference}.{fmt}"), 404)
    on_the_board.hidden = True
    on_the_board.save(update_fields=["hidden"])
    assert parse(client.get(f"{API}requests.{fmt}")) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_reply_and_place_read_as_the_public_board_shows_them(client, on_the_board, fmt):
    # A reply template quotes the reference; staff quote a phone or a name; the resident
    # typed their door and name into the place. The board masks all of it, so must the API.
    on_the_board.state = State.RESOLVED
    on_the_board.place = "幸福小区5栋2单元301室王建国家 13698765432"
    on_the_board.reply = f"您好，收到您对编号{on_the_board.reference}的意见，联系人李四 13698765432 已上门。"
    on_the_board.save(update_fields=["state", "place", "reply"])
    response = client.get(f"{API}requests/PUB12345.{fmt}")
    text = response.content.decode()
    for private in (on_the_board.reference, "13698765432", "李四", "王建国", "301"):
        assert private not in text
    item = parse(response)[0]
    assert (
        item["status_notes"]
        == f"您好，收到您对编号{on_the_board.reference[:8]}-****的意见，联系人李* 136****5432 已上门。"
    )
    assert item["address"].startswith("复兴社区 幸福小区")
    board = client.get(f"/feedback/public/{on_the_board.public_code}/").content.decode()
    assert on_the_board.reference not in board and f"{on_the_board.reference[:8]}-****" in board


def test_keyless_reads_are_limited_per_address(client, on_the_board, settings):
    settings.OPEN311_PUBLIC_RATE_PER_IP = "3/h"
    for _ in range(3):
        assert client.get(f"{API}requests.json").status_code == 200
    response = client.get(f"{API}requests.json")
    assert_error(response, 429, "查询过多")
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_request_of_another_community_is_404(client, reader, category, other_community, fmt):
    complaint = ComplaintFactory(phone=OTHER_PHONE, category=category, community=other_community)
    assert_error(client.get(f"{API}requests/{complaint.reference}.{fmt}", {"api_key": reader.key}), 404)
    assert_error(client.get(f"{API}requests/20260101-XXXX.{fmt}", {"api_key": reader.key}), 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_token_gives_the_request_id(client, reader, filed, fmt):
    answer, complaint = filed
    response = client.get(f"{API}tokens/{answer['token']}.{fmt}", {"api_key": reader.key})
    assert response.status_code == 200
    assert parse(response) == [{"service_request_id": complaint.reference, "token": answer["token"]}]
    assert_error(client.get(f"{API}tokens/nope.{fmt}", {"api_key": reader.key}), 404)
    assert_error(client.get(f"{API}tokens/{answer['token']}.{fmt}"), 403)


def test_jurisdiction_narrows_reading_to_a_street(client, reader, filed, other_community):
    _, complaint = filed
    own_street = complaint.community.street.name
    assert parse(client.get(f"{API}requests.json", {"api_key": reader.key, "jurisdiction_id": own_street}))
    other = other_community.street.name
    assert parse(client.get(f"{API}requests.json", {"api_key": reader.key, "jurisdiction_id": other})) == []


# --- keys ---------------------------------------------------------------------------------


def test_command_creates_a_client_and_prints_its_key_once(community, capsys):
    from feedback.open311.models import ApiClient

    call_command(
        "open311_key", "区12345热线", "--write", "--community", "fuxing", "--contact", "李工 010-1234"
    )
    out = capsys.readouterr().out
    key = out.strip().splitlines()[-1]
    client = ApiClient.objects.get(name="区12345热线")
    assert key.startswith("o311_") and len(key) > 30
    assert key not in str(client.__dict__)  # only its digest is stored
    assert client.key_digest == keys.digest(key) and client.can_write
    assert keys.client_for_key(key) == client
    call_command("open311_key", "区12345热线", "--revoke")
    assert keys.client_for_key(key) is None
    call_command("open311_key", "区12345热线", "--rotate")
    new_key = capsys.readouterr().out.strip().splitlines()[-1]
    assert new_key != key and keys.client_for_key(new_key) == client


def test_command_refuses_unknown_community(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有这些社区"):
        call_command("open311_key", "某系统", "--community", "nowhere")


def test_listing_costs_the_same_few_queries_for_many_requests(
    client, reader, category, community, django_assert_max_num_queries
):
    for _ in range(25):
        ComplaintFactory(phone=OTHER_PHONE, category=category, community=community)
    # Key and client, the call counter (cache), last-used write, the rows, the public photos.
    with django_assert_max_num_queries(6):
        response = client.get(f"{API}requests.json", {"api_key": reader.key})
    assert len(parse(response)) == 25


def test_an_api_key_in_a_query_string_is_cut_out_of_log_lines():
    import logging

    from portal.logs import RedactPathSecrets

    (handler,) = [h for h in logging.getLogger("django.server").handlers if h.filters]
    assert any(isinstance(f, RedactPathSecrets) for f in handler.filters)
    path = "/open311/v2/requests.json?service_code=x&api_key=o311_SecretKeyValue&status=open"
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"GET %s HTTP/1.1" 200', (path,), None
    )
    assert all(f.filter(record) for f in handler.filters)
    assert "SecretKeyValue" not in record.getMessage()
    assert "api_key=…&status=open" in record.getMessage()
