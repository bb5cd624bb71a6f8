"""The staff queue shows each ticket's light in words and the 重复投诉 badge, filters by
light, in the same number of queries for 3 or 30 rows; the inspect page suggests
duplicates and merges one."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import Complaint, State
from tests.factories.feedback import ComplaintFactory

pytestmark = pytest.mark.django_db
QUEUE = reverse("feedback_complaint_modeladmin_index")


def _overdue(category, community, **kw):
    return ComplaintFactory(
        category=category,
        community=community,
        state=State.DISPATCHED,
        dispatched_at=timezone.now() - timedelta(days=20),
        deadline=timezone.localdate() - timedelta(days=2),
        **kw,
    )


def test_queue_shows_light_text_and_repeat_badge(client, make_moderator, category, community):
    first = _overdue(category, community, phone="13911112222")
    first.created_at = timezone.now() - timedelta(days=3)
    first.save()
    again = ComplaintFactory(category=category, community=community, phone="13911112222")
    client.force_login(make_moderator(communities=[community]))
    soup = BeautifulSoup(client.get(QUEUE).content, "html.parser")
    text = soup.get_text(" ", strip=True)
    assert "红灯：已超期" in text
    rows = {tr.get_text(" ", strip=True).split()[0]: tr for tr in soup.select("tbody tr")}
    row_again = next(tr for tr in soup.select("tbody tr") if again.reference in tr.get_text())
    row_first = next(tr for tr in soup.select("tbody tr") if first.reference in tr.get_text())
    assert "重复投诉" in row_again.get_text() and "重复投诉" not in row_first.get_text()
    assert rows
    red = BeautifulSoup(client.get(QUEUE, {"light": "red"}).content, "html.parser").get_text()
    assert first.reference in red and again.reference not in red


def test_queue_queries_do_not_grow_with_rows(client, make_moderator, category, community):
    client.force_login(make_moderator(communities=[community]))

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE).status_code == 200
        return len(queries.captured_queries)

    for _ in range(3):
        _overdue(category, community)
    measure()
    few = measure()
    for _ in range(27):
        _overdue(category, community)
    assert measure() == few


def test_inspect_suggests_and_merges_a_duplicate(client, make_moderator, category, community):
    main = ComplaintFactory(category=category, community=community, description="小区门口路灯不亮")
    dup = ComplaintFactory(category=category, community=community, description="门口路灯坏了晚上不亮")
    client.force_login(make_moderator(communities=[community]))
    page = client.get(reverse("feedback_complaint_modeladmin_inspect", args=[dup.pk])).content.decode()
    assert "可能重复的反映" in page and main.reference in page and "路灯" in page
    response = client.post(reverse("feedback_complaint_merge", args=[dup.pk]), {"main": main.reference})
    assert response.status_code == 302
    dup.refresh_from_db()
    assert dup.state == State.CLOSED and dup.duplicate_of_id == main.pk
    page = client.get(reverse("feedback_complaint_modeladmin_inspect", args=[dup.pk])).content.decode()
    assert "已合并到" in page and main.reference in page


def test_merge_into_a_report_outside_ones_scope_is_refused(client, make_moderator, category, community):
    from tests.factories.home import CommunityFactory

    other = ComplaintFactory(category=category, community=CommunityFactory(name="外社区", slug="out"))
    dup = ComplaintFactory(category=category, community=community)
    client.force_login(make_moderator(communities=[community]))
    client.post(reverse("feedback_complaint_merge", args=[dup.pk]), {"main": other.reference})
    assert Complaint.objects.get(pk=dup.pk).state == State.SUBMITTED
