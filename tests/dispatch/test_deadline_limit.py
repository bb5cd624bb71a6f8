"""A dispatch may not promise a later date than the category's time limit: the deadline is
the resident's and feeds the public on-time rate, so a longer time is an extension with its
reason shown to the resident."""
# ruff: noqa: F811 - pytest fixtures imported from tests.dispatch.conftest and used by name

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from feedback.complaints import services
from feedback.complaints.models import State
from feedback.complaints.selectors import promised_deadline
from feedback.complaints.workflow import MISSING_CALENDAR_SLACK_DAYS, TransitionError, latest_deadline
from tests.dispatch.conftest import (  # noqa: F401 - shared fixtures
    category,
    community,
    complaint,
    make_moderator,
    moderator,
    moderator_group,
    unit,
)

pytestmark = pytest.mark.django_db


def _dispatch_form(client, complaint):
    url = reverse("feedback_complaint_action", args=[complaint.pk, "dispatch"])
    form = BeautifulSoup(client.get(url).content, "html.parser")
    return url, form.select_one("input[name=version]")["value"], form


def test_a_deadline_past_the_category_limit_is_refused_next_to_the_field(client, complaint, moderator, unit):
    client.force_login(moderator)
    url, version, form = _dispatch_form(client, complaint)
    limit = promised_deadline(complaint=complaint, start=timezone.localdate())
    assert form.select_one("input[name=deadline]")["value"] == limit.isoformat()
    assert f"最晚 {limit:%Y年%m月%d日}" in form.get_text() and "办理延期" in form.get_text()

    too_late = (limit + timedelta(days=1)).isoformat()
    page = client.post(url, {"unit": unit.pk, "deadline": too_late, "note": "尽快", "version": version})
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    field = soup.select_one("input[name=deadline]")
    assert field["value"] == too_late  # what was typed stays
    error = field.find_parent(class_="w-field__wrapper") or field.parent
    assert "“环境卫生”办理时限为 7 个工作日" in error.get_text()
    assert f"最晚可定到 {limit:%Y年%m月%d日}" in error.get_text()
    complaint.refresh_from_db()
    assert (
        complaint.state == State.SUBMITTED and complaint.deadline is None and complaint.handling_unit is None
    )
    assert not complaint.events.exclude(to_state=State.SUBMITTED).exists()

    # The limit itself is accepted; a longer time goes through an extension with its reason.
    response = client.post(url, {"unit": unit.pk, "deadline": limit.isoformat(), "version": version})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == State.DISPATCHED and complaint.deadline == limit


def test_every_caller_of_the_service_meets_the_same_limit(complaint, unit, moderator):
    limit = promised_deadline(complaint=complaint, start=timezone.localdate())
    with pytest.raises(TransitionError) as refused:
        services.dispatch_complaint(
            complaint=complaint, unit=unit, actor=moderator, deadline=date(2099, 1, 31)
        )
    assert refused.value.field == "deadline"
    with pytest.raises(TransitionError, match="不能早于今天"):
        services.dispatch_complaint(
            complaint=complaint, unit=unit, actor=moderator, deadline=timezone.localdate() - timedelta(days=1)
        )
    dispatched = services.dispatch_complaint(complaint=complaint, unit=unit, actor=moderator)
    assert dispatched.deadline == limit


def test_without_the_years_calendar_the_limit_is_counted_in_calendar_days(
    client, complaint, moderator, unit, monkeypatch
):
    now = datetime(2031, 3, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai"))  # no calendar for 2031
    monkeypatch.setattr(timezone, "now", lambda: now)
    bound, missing = latest_deadline(start=now.date(), days=7)
    assert "缺少 2031 年" in missing and bound == date(2031, 3, 5) + timedelta(
        days=10 + MISSING_CALENDAR_SLACK_DAYS
    )

    client.force_login(moderator)
    url, version, form = _dispatch_form(client, complaint)
    assert "按日历日估算" in form.get_text() and f"最晚 {bound:%Y年%m月%d日}" in form.get_text()
    later = (bound + timedelta(days=1)).isoformat()
    page = client.post(url, {"unit": unit.pk, "deadline": later, "version": version}).content.decode()
    assert "法定节假日安排缺失，按日历日估算" in page
    complaint.refresh_from_db()
    assert complaint.state == State.SUBMITTED
    response = client.post(url, {"unit": unit.pk, "deadline": bound.isoformat(), "version": version})
    assert response.status_code == 302
