"""A resident follows a report with its reference and rates the answer."""

import pytest
from django.urls import reverse

from feedback.complaints import references, services
from feedback.complaints.forms import RatingForm, TrackLookupForm
from feedback.models import Complaint, Rating, State
from tests.factories.feedback import ComplaintFactory

from .conftest import advance

pytestmark = pytest.mark.django_db
GENERIC = "编号或手机号后 4 位不正确"
LOOKUP = {"captcha_0": "test", "captcha_1": "PASSED", **TrackLookupForm.protection_data()}
RATE = RatingForm.protection_data()


def test_resident_tracks_report_with_reference_and_last_four(client, site, complaint):
    response = client.post(
        "/feedback/track/", {"reference": complaint.reference.lower(), "phone_last4": "5678", **LOOKUP}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:track_token", args=[complaint.tracking_token])


@pytest.mark.parametrize(("reference", "last4"), [("20260101-ZZZZ", "5678"), (None, "0000")])
def test_wrong_combinations_get_one_generic_message(client, site, complaint, reference, last4):
    response = client.post(
        "/feedback/track/", {"reference": reference or complaint.reference, "phone_last4": last4, **LOOKUP}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert GENERIC in html
    assert complaint.tracking_token not in html


def test_timeline_shows_public_events_reply_and_deadline_but_no_personal_data(client, site, complaint, unit):
    resolved = advance(complaint, to="resolved")
    services.set_public_text(complaint=resolved, hidden=True, actor=None, note="内部备注：含门牌号")
    html = client.get(reverse("feedback:track_token", args=[resolved.tracking_token])).content.decode()
    assert "已派单至街道城管办" in html
    assert "已安排保洁人员清运" in html  # the public reply
    assert f"{resolved.deadline.year}年{resolved.deadline.month}月{resolved.deadline.day}日" in html
    assert "内部备注" not in html  # internal events stay internal
    assert "13812345678" not in html and "张三丰" not in html
    assert "138****5678" in html
    assert "满意" in html and 'name="rating"' in html


def test_unknown_token_is_404(client, site):
    assert client.get(reverse("feedback:track_token", args=["nope"])).status_code == 404


def test_resident_rates_dissatisfied_then_report_is_reopened(client, site, complaint, mailoutbox):
    resolved = advance(complaint, to="resolved")
    url = reverse("feedback:rate", args=[resolved.tracking_token])
    response = client.post(
        url, {"rating": Rating.DISSATISFIED, "comment": "垃圾桶还是满的", **RATE}, follow=True
    )
    assert "重新交办" in response.content.decode()
    resolved.refresh_from_db()
    assert resolved.state == State.REOPENED
    # Rating again is refused until it is resolved again.
    response = client.post(url, {"rating": Rating.SATISFIED, **RATE}, follow=True)
    assert "不能评价" in response.content.decode()


def test_resident_rates_satisfied_and_sees_the_rating(client, site, complaint):
    resolved = advance(complaint, to="resolved")
    client.post(
        reverse("feedback:rate", args=[resolved.tracking_token]), {"rating": Rating.SATISFIED, **RATE}
    )
    html = client.get(reverse("feedback:track_token", args=[resolved.tracking_token])).content.decode()
    assert "您的评价：<strong>满意</strong>" in html
    assert 'name="rating"' not in html


def test_rating_without_a_choice_shows_a_chinese_error(client, site, complaint):
    resolved = advance(complaint, to="resolved")
    response = client.post(
        reverse("feedback:rate", args=[resolved.tracking_token]), {"comment": "嗯", **RATE}
    )
    assert response.status_code == 400
    assert "请选择满意、基本满意或不满意" in response.content.decode()


def test_reference_collision_is_retried(monkeypatch, category, community):
    taken = ComplaintFactory(category=category, community=community)
    drawn = iter([taken.reference, "20261122-4KX7"])
    monkeypatch.setattr("feedback.complaints.services.new_reference", lambda *, on: next(drawn))
    complaint = services.submit_complaint(
        kind="help",
        category=category,
        community=community,
        description="小区门口路灯坏了一个多星期。",
        phone="13900001111",
        privacy_notice_version="1",
    )
    assert complaint.reference == "20261122-4KX7"
    assert Complaint.objects.filter(reference=taken.reference).count() == 1


def test_references_are_readable_and_not_sequential():
    from datetime import date

    drawn = {references.new_reference(on=date(2026, 11, 22)) for _ in range(200)}
    assert len(drawn) > 190
    for reference in drawn:
        day, code = reference.split("-")
        assert day == "20261122" and len(code) == 4
        assert not set(code) & set("01OI")


def test_typed_references_are_normalised():
    assert references.normalise_reference(" 20261122 4kx7 ") == "20261122-4KX7"
