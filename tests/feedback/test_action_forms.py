"""The moderators' action screens as a browser receives them: a native date input only
shows (and submits) a value in ISO form, so the rendered HTML is what is tested here."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from feedback.complaints import services
from feedback.complaints.selectors import promised_deadline

pytestmark = pytest.mark.django_db


def _deadline_input(client, complaint, action: str):
    response = client.get(reverse("feedback_complaint_action", args=[complaint.pk, action]))
    assert response.status_code == 200
    field = BeautifulSoup(response.content, "html.parser").select_one("input[name=deadline]")
    assert field is not None and field["type"] == "date"
    return field


def test_dispatch_screen_prefills_the_category_deadline_as_an_iso_date(client, make_moderator, complaint):
    client.force_login(make_moderator(communities=[complaint.community]))
    field = _deadline_input(client, complaint, "dispatch")
    expected = promised_deadline(complaint=complaint, start=timezone.localdate())
    assert field["value"] == expected.isoformat()  # "2026-12-13", never "2026/12/13"


def test_extend_screen_prefills_a_week_later_as_an_iso_date(client, make_moderator, complaint, unit):
    client.force_login(make_moderator(communities=[complaint.community]))
    dispatched = services.dispatch_complaint(complaint=complaint, unit=unit, actor=None)
    field = _deadline_input(client, dispatched, "extend")
    assert field["value"] == (dispatched.deadline + timedelta(days=7)).isoformat()


def test_a_rejected_date_is_shown_back_as_typed_with_a_chinese_error(client, make_moderator, complaint, unit):
    client.force_login(make_moderator(communities=[complaint.community]))
    response = client.post(
        reverse("feedback_complaint_action", args=[complaint.pk, "dispatch"]),
        {"unit": unit.pk, "deadline": "2099-02-30", "note": "请尽快处理"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "输入一个有效的日期" in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("input[name=deadline]")["value"] == "2099-02-30"
    assert "请尽快处理" in soup.select_one("textarea[name=note]").text
