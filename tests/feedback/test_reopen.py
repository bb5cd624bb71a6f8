"""After a 不满意 reopen the report is open again everywhere a resident or a figure looks."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.complaints import services
from feedback.complaints.selectors import complaint_figures
from feedback.complaints.workdays import add_working_days
from feedback.models import Complaint, Rating, State
from tests.factories.feedback import ComplaintFactory

from .conftest import advance, publish

pytestmark = pytest.mark.django_db
FIRST_REPLY = "已安排保洁人员清运，并增加每日清运一次。"


@pytest.fixture
def reopened(category, community):
    complaint = publish(advance(ComplaintFactory(category=category, community=community), to="resolved"))
    Complaint.objects.filter(pk=complaint.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    return services.rate_complaint(complaint=complaint, rating=Rating.DISSATISFIED, comment="垃圾还在")


def test_reopened_report_is_neither_resolved_nor_on_time_in_figures(reopened, community):
    today = timezone.localdate()
    figures = complaint_figures(communities=[community], start=today - timedelta(days=30), end=today)
    assert (figures.received, figures.resolved, figures.resolved_on_time) == (1, 0, 0)
    assert figures.on_time_rate is None


def test_reopened_report_gets_a_new_deadline_and_loses_its_current_reply(reopened, category):
    reopened.refresh_from_db()
    assert reopened.state == State.REOPENED
    assert reopened.reply == "" and reopened.resolved_at is None and reopened.resolved_on_time is None
    assert reopened.deadline == add_working_days(start=timezone.localdate(), days=category.default_days)


def test_board_does_not_say_resolved_in_zero_days_after_reopen(client, site, reopened):
    html = client.get("/feedback/public/").content.decode()
    assert "重新办理" in html
    assert "天办结" not in html
    assert FIRST_REPLY not in html


def test_tracking_page_shows_current_state_first_and_old_reply_only_in_timeline(client, site, reopened):
    html = client.get(reverse("feedback:track_token", args=[reopened.tracking_token])).content.decode()
    top, timeline = html.split("<h2>办理过程</h2>")
    assert "办理答复" not in top and FIRST_REPLY not in top
    assert "已重新交办" in top
    new_deadline = reopened.deadline
    assert f"{new_deadline.year}年{new_deadline.month}月{new_deadline.day}日 前" in top
    assert FIRST_REPLY in timeline


def test_resolving_again_counts_once_with_the_new_reply(reopened, unit, community):
    again = services.resolve_complaint(
        complaint=services.dispatch_complaint(complaint=reopened, unit=unit, actor=None),
        reply="再次清运并加装垃圾桶。",
        actor=None,
    )
    assert again.reply == "再次清运并加装垃圾桶。" and again.resolved_on_time is True
    today = timezone.localdate()
    figures = complaint_figures(communities=[community], start=today - timedelta(days=30), end=today)
    assert (figures.resolved, figures.resolved_on_time) == (1, 1)


@pytest.mark.parametrize(
    ("comment", "note"), [("垃圾还在", "垃圾还在。重新办理"), ("又堆满了。", "又堆满了。重新办理")]
)
def test_the_reopening_note_reads_as_sentences(category, community, comment, note):
    complaint = advance(ComplaintFactory(category=category, community=community), to="resolved")
    services.rate_complaint(complaint=complaint, rating=Rating.DISSATISFIED, comment=comment)
    event = complaint.events.get(to_state=State.REOPENED)
    assert event.note.startswith(f"居民评价：不满意。{note}，承诺 ")
