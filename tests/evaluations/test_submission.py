"""A resident rates a target: one evaluation per voter per target per quarter."""

from datetime import datetime

import pytest
from django.utils import timezone

from feedback.evaluations.services import EvaluationError, moderate_evaluations, submit_evaluation
from feedback.evaluations.views import DEVICE_COOKIE
from feedback.models import Evaluation, ModerationState, TargetType

from .conftest import form_data

TZ = timezone.get_default_timezone()
JULY = datetime(2026, 7, 10, 9, 0, tzinfo=TZ)
AUGUST = datetime(2026, 8, 20, 9, 0, tzinfo=TZ)
OCTOBER = datetime(2026, 10, 2, 9, 0, tzinfo=TZ)


def rate(station, *, stars, now, phone="13812345678", device="", comment=""):
    return submit_evaluation(
        target_type=TargetType.STATION,
        target=station,
        stars=stars,
        phone=phone,
        device_token=device,
        comment=comment,
        privacy_notice_version="2026-11",
        now=now,
    )


def test_same_phone_same_target_same_quarter_updates_the_one_row(station):
    first = rate(station, stars=2, now=JULY)
    second = rate(station, stars=5, now=AUGUST, comment="修好了饮水机，点赞。")

    assert not first.replaced and second.replaced
    assert Evaluation.objects.count() == 1
    row = Evaluation.objects.get()
    assert (row.stars, row.quarter, row.comment) == (5, "2026Q3", "修好了饮水机，点赞。")
    assert row.created_at == JULY and row.submitted_at == AUGUST
    assert row.state == ModerationState.PENDING  # a new comment waits for a moderator


def test_next_quarter_starts_a_new_row(station):
    rate(station, stars=2, now=JULY)
    later = rate(station, stars=4, now=OCTOBER)

    assert not later.replaced
    assert sorted(Evaluation.objects.values_list("quarter", "stars")) == [("2026Q3", 2), ("2026Q4", 4)]


def test_another_phone_is_another_resident(station):
    rate(station, stars=2, now=JULY)
    rate(station, stars=4, now=JULY, phone="13900001111")
    assert Evaluation.objects.count() == 2


def test_phone_is_stored_for_moderators_but_the_voter_key_is_a_hash(station):
    rate(station, stars=3, now=JULY)
    row = Evaluation.objects.get()
    assert row.phone == "13812345678"
    assert "13812345678" not in row.voter_key and row.voter_key.startswith("p:")


def test_abuse_mark_survives_a_resubmission_in_the_same_quarter(station, admin_user):
    rate(station, stars=1, now=JULY, comment="刷分刷分")
    moderate_evaluations(
        evaluations=Evaluation.objects.all(), action="abuse", actor=admin_user, reason="批量刷分"
    )
    rate(station, stars=1, now=AUGUST, comment="换个说法继续刷")
    assert Evaluation.objects.get().state == ModerationState.ABUSE


def test_company_rating_needs_a_community_the_company_serves(company, other_community):
    with pytest.raises(EvaluationError):
        submit_evaluation(
            target_type=TargetType.COMPANY,
            target=company,
            stars=4,
            community=other_community,
            phone="13812345678",
            privacy_notice_version="1",
        )
    assert not Evaluation.objects.exists()


# --- through the form ------------------------------------------------------------


def test_resident_without_phone_is_counted_once_per_device(client, station):
    url = "/feedback/evaluate/"
    data = form_data(fixed="station", target_type="station", station=station.pk, stars="2")
    response = client.post(url, data)
    assert response.status_code == 302
    assert DEVICE_COOKIE in response.cookies
    device = response.cookies[DEVICE_COOKIE].value
    assert client.get(response["Location"]).content.decode().count("感谢您的评议") == 1

    response = client.post(url, {**data, "stars": "5"}, follow=True)
    assert "已更新您本季度的评议" in response.content.decode()
    row = Evaluation.objects.get()
    assert row.stars == 5 and row.phone == "" and row.voter_key.startswith("d:")
    assert device not in row.voter_key

    # A different device (another phone's browser) is another resident.
    client.cookies.clear()
    client.post(url, data)
    assert Evaluation.objects.count() == 2


def test_station_page_link_preselects_the_station(client, station):
    response = client.get(f"/feedback/evaluate/?station={station.pk}")
    html = response.content.decode()
    assert "您正在评议的驿站/服务站点" in html and station.title in html
    assert 'name="company"' not in html  # only the chosen target travels, hidden
    assert "设施好用" in html  # the station's own dimension labels


def test_form_errors_save_nothing_and_keep_what_was_typed(client, station):
    response = client.post(
        "/feedback/evaluate/",
        form_data(
            target_type="station",
            stars=None,
            phone="1234",
            comment="饮水机坏了",
            name="张三丰",
            consent=None,
        ),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "提交未成功，请修改以下" in html
    for message in (
        "请选择要评议的驿站或服务站点。",
        "请选择总体评价（1–5 星）。",
        "请填写 11 位手机号码",
        "请阅读并勾选同意个人信息保护告知。",
    ):
        assert message in html
    assert "饮水机坏了" in html and 'value="张三丰"' in html and 'value="1234"' in html
    assert not Evaluation.objects.exists()


def test_company_form_asks_which_served_community(client, company, other_community, community):
    company.communities.add(other_community)
    data = form_data(fixed="company", target_type="company", company=company.pk, phone="13812345678")
    response = client.post("/feedback/evaluate/", data)
    assert response.status_code == 400
    assert "请选择您居住的社区" in response.content.decode()
    assert not Evaluation.objects.exists()

    client.post("/feedback/evaluate/", {**data, "home_community": other_community.pk})
    assert Evaluation.objects.get().community == other_community


def test_bots_filling_the_honeypot_are_refused(client, station):
    data = form_data(target_type="station", station=station.pk, website="http://spam.example")
    response = client.post("/feedback/evaluate/", data)
    assert response.status_code == 400
    assert not Evaluation.objects.exists()


def test_evaluation_posts_from_one_address_are_limited_with_a_chinese_429(client, station):
    for n in range(10):
        data = form_data(target_type="station", station=station.pk, phone=f"1381234{n:04d}")
        assert client.post("/feedback/evaluate/", data).status_code == 302
    data = form_data(target_type="station", station=station.pk, phone="13900000000")
    response = client.post("/feedback/evaluate/", data)
    assert response.status_code == 429
    assert "操作过于频繁，请稍后再试" in response.content.decode()
    assert response["Retry-After"]
    assert Evaluation.objects.count() == 10


def test_evaluation_form_shows_its_own_privacy_notice_and_records_its_version(client, site, station):
    from home.demo import evaluation_privacy_notice, load_settings

    load_settings(site)
    html = client.get(f"/feedback/evaluate/?station={station.pk}").content.decode()
    notice = html.split("个人信息保护告知</h2>")[1].split("</div>")[0]
    assert "统计居民对办事服务" in notice and evaluation_privacy_notice().splitlines()[1] in notice
    # Not the report form's wording: nothing about problems, places or photos.
    assert "答复您反映的问题" not in notice and "问题描述、位置和照片" not in notice
    assert 'role="region" aria-label="个人信息保护告知全文"' in html
    data = form_data(fixed="station", target_type="station", station=station.pk)
    assert client.post("/feedback/evaluate/", data).status_code == 302
    assert Evaluation.objects.get().privacy_notice_version == "2026-12"


def test_report_form_keeps_the_report_privacy_notice(client, site):
    from home.demo import load_settings

    load_settings(site)
    html = client.get("/feedback/report/").content.decode()
    assert "答复您反映的问题" in html and "统计居民对办事服务" not in html
