"""微心愿: state machine, the wall (first character only, never a phone), claim, thanks."""

import pytest
from django.urls import reverse

from feedback.participation import services
from feedback.participation.models import Wish
from portal.abuse import AbuseProtectedForm

from .conftest import make_wish

pytestmark = pytest.mark.django_db


def test_value_cap_from_settings(community, settings):
    settings.PARTICIPATION_WISH_MAX_YUAN = 50
    with pytest.raises(services.TransitionError, match="1–50 元"):
        make_wish(community, value=51)
    assert make_wish(community, value=50).value_yuan == 50


def test_staff_may_post_for_a_resident_without_phone(community):
    wish = services.submit_wish(
        community=community,
        title="助行器",
        value_yuan=150,
        name="陈大爷",
        privacy_notice_version="v1",
        posted_by_staff=True,
    )
    assert wish.phone == "" and wish.posted_by_staff


def test_claim_fulfil_thank(community):
    wish = make_wish(community, to="fulfilled")
    assert wish.state == "fulfilled" and wish.claimer_phone == "13700002222"
    with pytest.raises(services.TransitionError, match="当前状态为"):
        services.claim_wish(wish=wish, claimer_name="x", claimer_phone="13700003333")
    services.thank_for_wish(wish=wish, message="收音机收到了，天天听花灯，谢谢碧鸡小学的老师们！")
    with pytest.raises(services.TransitionError, match="已经留过言"):
        services.thank_for_wish(wish=wish, message="再谢")


def test_thanks_only_after_fulfilled_and_release(community):
    wish = make_wish(community, to="claimed")
    with pytest.raises(services.TransitionError, match="实现后"):
        services.thank_for_wish(wish=wish, message="谢谢")
    wish = services.release_wish(wish=wish, actor=None)
    assert wish.state == "listed" and wish.claimer_name == "" and wish.claimer_phone == ""


def test_wall_shows_first_character_only_and_no_phone(client, community):
    make_wish(community, to="claimed", name="王建国")
    make_wish(community, name="欧阳娜娜", phone="13955556666")  # not moderated yet
    html = client.get(reverse("participation:wishes")).content.decode()
    assert "王**" in html and "碧鸡小学党支部" in html
    for secret in ("王建国", "建国", "13900001111", "13700002222", "欧阳", "13955556666"):
        assert secret not in html


def test_unmoderated_wish_has_no_public_page(client, community):
    wish = make_wish(community)
    assert client.get(reverse("participation:wish_detail", args=[wish.pk])).status_code == 404


def test_claim_through_the_wall(client, community):
    wish = make_wish(community, to="listed")
    url = reverse("participation:wish_detail", args=[wish.pk])
    data = {
        "claimer_name": "西山区税务局",
        "claimer_phone": "1370000",
        "captcha_0": "t",
        "captcha_1": "PASSED",
    }
    data.update(AbuseProtectedForm.protection_data())
    bad = client.post(url, data)
    assert bad.status_code == 400 and "请填写 11 位手机号码" in bad.content.decode()
    assert "西山区税务局" in bad.content.decode()
    data["claimer_phone"] = "13700004444"
    data.update(AbuseProtectedForm.protection_data())
    response = client.post(url, data)
    assert response.status_code == 302
    wish.refresh_from_db()
    assert wish.state == "claimed" and wish.claimer_phone == "13700004444"
    html = client.get(response["Location"]).content.decode()
    assert "感谢您认领" in html and "13700004444" not in html


def test_thanks_through_private_link(client, community):
    wish = make_wish(community, to="fulfilled")
    url = reverse("participation:wish_track", args=[wish.tracking_token])
    assert client.post(url, {"message": ""}).status_code == 400
    client.post(url, {"message": "谢谢好心人！"})
    assert Wish.objects.get(pk=wish.pk).thanks == "谢谢好心人！"
    assert "谢谢好心人！" in client.get(reverse("participation:wishes")).content.decode()


def test_wall_query_count_flat(client, community, django_assert_max_num_queries):
    make_wish(community, to="listed")
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("participation:wishes"))
    for _ in range(10):
        make_wish(community, to="fulfilled")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("participation:wishes"))
