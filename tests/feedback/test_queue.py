"""The moderators' queue: what a row shows, the bulk actions (inside the staff scope),
and the query budget of the listing."""

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.complaints import services
from feedback.complaints.selectors import promised_deadline
from feedback.complaints.workdays import add_working_days
from feedback.models import Complaint, RejectReason, State
from tests.factories.feedback import ComplaintCategoryFactory, ComplaintFactory, HandlingUnitFactory
from tests.factories.home import CommunityFactory, StreetFactory

pytestmark = pytest.mark.django_db
QUEUE = "/admin/feedback/complaint/"
BULK = "/admin/feedback/complaint/bulk/"


def _row(html: str, reference: str):
    soup = BeautifulSoup(html, "html.parser")
    return next(tr for tr in soup.select("table.listing tbody tr") if reference in tr.get_text())


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _dispatched(complaint, unit, deadline):
    complaint = services.dispatch_complaint(complaint=complaint, unit=unit, actor=None)
    Complaint.objects.filter(pk=complaint.pk).update(deadline=deadline)
    return complaint


def test_queue_row_shows_masked_excerpt_unit_and_iso_dates(client, make_moderator, complaint, unit):
    complaint.description = "3栋门口的路灯坏了一周，请联系我13912345678，晚上出行很不方便，尤其是老人和孩子。"
    complaint.save()
    _dispatched(complaint, unit, timezone.localdate() + timedelta(days=10))
    client.force_login(make_moderator(communities=[complaint.community]))
    row = _row(client.get(QUEUE).content.decode(), complaint.reference)
    text = row.get_text(" ", strip=True)
    assert "3栋门口的路灯坏了一周，请联系我139****5678" in text
    assert "13912345678" not in text
    assert "…" in row.select_one("td.field-excerpt_cell").get_text()  # cut after 40 characters
    assert row.select_one("td.field-unit_cell").get_text(strip=True) == "街道城管办"
    created = timezone.localtime(complaint.created_at)
    assert row.select_one("td.field-created_cell").get_text(strip=True) == f"{created:%Y-%m-%d %H:%M}"
    deadline = timezone.localdate() + timedelta(days=10)
    assert row.select_one("td.field-deadline_cell").get_text(strip=True) == deadline.isoformat()


@pytest.mark.parametrize(("days", "mark"), [(-1, "已超期"), (0, "今日到期"), (1, "明日到期"), (2, "")])
def test_queue_marks_reports_due_soon(client, make_moderator, complaint, unit, days, mark):
    deadline = timezone.localdate() + timedelta(days=days)
    _dispatched(complaint, unit, deadline)
    client.force_login(make_moderator(communities=[complaint.community]))
    cell = _row(client.get(QUEUE).content.decode(), complaint.reference).select_one("td.field-deadline_cell")
    assert cell.get_text(" ", strip=True) == f"{deadline.isoformat()} {mark}".strip()


def test_due_filter_lists_reports_due_today(client, make_moderator, complaint, category, unit):
    today = _dispatched(complaint, unit, timezone.localdate())
    later = _dispatched(
        ComplaintFactory(category=category, community=complaint.community),
        unit,
        timezone.localdate() + timedelta(3),
    )
    client.force_login(make_moderator(communities=[complaint.community]))
    html = client.get(QUEUE, {"due": "today"}).content.decode()
    assert today.reference in html and later.reference not in html


def test_inspect_screen_shows_dates_in_the_queue_format(client, make_moderator, complaint, unit):
    _dispatched(complaint, unit, date(2099, 3, 4))
    client.force_login(make_moderator(communities=[complaint.community]))
    html = client.get(reverse("feedback_complaint_modeladmin_inspect", args=[complaint.pk])).content.decode()
    assert "2099-03-04" in html and "2099年3月4日" not in html.split("办理记录")[0]


@pytest.mark.parametrize(("days", "mark"), [(-3, "已超期"), (0, "今日到期"), (1, "明日到期")])
def test_inspect_screen_marks_a_report_due_soon(client, make_moderator, complaint, unit, days, mark):
    _dispatched(complaint, unit, timezone.localdate() + timedelta(days=days))
    client.force_login(make_moderator(communities=[complaint.community]))
    soup = BeautifulSoup(
        client.get(reverse("feedback_complaint_modeladmin_inspect", args=[complaint.pk])).content,
        "html.parser",
    )
    assert soup.select_one("h2.w-h3 .queue-due").get_text(strip=True) == mark


def test_bulk_dispatch_sends_each_report_to_its_category_default_with_the_default_deadline(
    client, make_moderator, complaint, category, unit
):
    water = ComplaintCategoryFactory(
        name="供水", default_unit=HandlingUnitFactory(name="自来水公司"), default_days=3
    )
    second = ComplaintFactory(category=water, community=complaint.community)
    user = make_moderator(communities=[complaint.community])
    client.force_login(user)
    response = client.post(
        BULK, {"action": "dispatch", "ids": [complaint.pk, second.pk], "next": QUEUE}, follow=True
    )
    complaint.refresh_from_db()
    second.refresh_from_db()
    assert (complaint.state, complaint.handling_unit.name) == (State.DISPATCHED, "街道城管办")
    assert complaint.deadline == promised_deadline(complaint=complaint, start=timezone.localdate())
    assert (second.handling_unit.name, second.deadline) == (
        "自来水公司",
        add_working_days(start=timezone.localdate(), days=3),
    )
    assert complaint.events.last().actor == user
    assert _messages(response) == [f"批量派单：2 条已完成（{complaint.reference}、{second.reference}）。"]


def test_bulk_dispatch_to_a_chosen_unit_skips_what_the_rules_refuse(
    client, make_moderator, complaint, category, unit
):
    held = ComplaintFactory(category=category, community=complaint.community, held=True)
    done = ComplaintFactory(category=category, community=complaint.community, state=State.CLOSED)
    chosen = HandlingUnitFactory(name="物业服务中心")
    client.force_login(make_moderator(communities=[complaint.community]))
    response = client.post(
        BULK, {"action": "dispatch", "unit": chosen.pk, "ids": [complaint.pk, held.pk, done.pk]}, follow=True
    )
    complaint.refresh_from_db()
    assert complaint.handling_unit == chosen
    assert Complaint.objects.get(pk=held.pk).state == State.SUBMITTED
    assert Complaint.objects.get(pk=done.pk).state == State.CLOSED
    success, skipped = _messages(response)
    assert success == f"批量派单：1 条已完成（{complaint.reference}）。"
    assert skipped.startswith("批量派单：2 条未处理。")
    assert f"{held.reference}：该反映来自已屏蔽的手机号" in skipped
    assert f"{done.reference}：当前状态为“已评价”，不能变更为“已派单”。" in skipped


def test_bulk_dispatch_without_a_default_unit_asks_for_one(client, make_moderator, community):
    orphan = ComplaintFactory(
        category=ComplaintCategoryFactory(name="其他", default_unit=None), community=community
    )
    client.force_login(make_moderator(communities=[community]))
    response = client.post(BULK, {"action": "dispatch", "ids": [orphan.pk]}, follow=True)
    assert Complaint.objects.get(pk=orphan.pk).state == State.SUBMITTED
    assert "分类“其他”未设置默认承办单位，请选择承办单位。" in _messages(response)[0]


def test_bulk_reject_as_spam_and_bulk_hide(client, make_moderator, complaint, category, unit):
    spam = ComplaintFactory(category=category, community=complaint.community, description="加微信领红包")
    client.force_login(make_moderator(communities=[complaint.community]))
    client.post(BULK, {"action": "spam", "ids": [spam.pk]}, follow=True)
    spam.refresh_from_db()
    assert (spam.state, spam.reject_reason) == (State.REJECTED, RejectReason.SPAM)
    assert spam.events.last().title == "不予受理"

    response = client.post(BULK, {"action": "spam", "ids": [spam.pk]}, follow=True)
    assert "当前状态为“不予受理”，不能变更为“不予受理”" in _messages(response)[0]

    response = client.post(
        BULK, {"action": "hide", "ids": [complaint.pk, spam.pk], "note": "内容不宜公开"}, follow=True
    )
    assert Complaint.objects.filter(pk__in=[complaint.pk, spam.pk], hidden=True).count() == 2
    assert complaint.events.last().note == "内容不宜公开" and not complaint.events.last().public
    response = client.post(BULK, {"action": "hide", "ids": [complaint.pk]}, follow=True)
    assert _messages(response) == [f"批量不公开展示：1 条未处理。{complaint.reference}：已是不公开展示。"]


def test_bulk_action_naming_a_report_outside_the_scope_changes_nothing(
    client, make_moderator, complaint, category
):
    elsewhere = ComplaintFactory(
        category=category, community=CommunityFactory(name="千秋社区", street=StreetFactory(name="天长街道"))
    )
    client.force_login(make_moderator(communities=[complaint.community]))
    response = client.post(BULK, {"action": "spam", "ids": [complaint.pk, elsewhere.pk]})
    assert response.status_code == 404
    assert not Complaint.objects.filter(state=State.REJECTED).exists()


def test_bulk_action_with_odd_values_changes_nothing_and_says_why(client, make_moderator, complaint):
    client.force_login(make_moderator(communities=[complaint.community]))
    response = client.post(BULK, {"action": "dispatch", "ids": ["²", "abc"]}, follow=True)
    assert _messages(response) == ["请先勾选要处理的反映。"]
    response = client.post(BULK, {"action": "dispatch", "unit": "x", "ids": [complaint.pk]}, follow=True)
    assert _messages(response) == ["所选承办单位不存在，请重新选择。"]
    response = client.post(BULK, {"action": "delete", "ids": [complaint.pk]}, follow=True)
    assert _messages(response) == ["请选择要执行的批量操作。"]
    assert Complaint.objects.get(pk=complaint.pk).state == State.SUBMITTED


def test_bulk_actions_need_the_change_permission(client, django_user_model, complaint):
    viewer = django_user_model.objects.create_user(username="viewer", password="pw-123456")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_complaint")
    )
    client.force_login(viewer)
    assert client.post(BULK, {"action": "spam", "ids": [complaint.pk]}).status_code == 403
    assert Complaint.objects.get(pk=complaint.pk).state == State.SUBMITTED


def test_bulk_form_offers_the_three_actions_and_every_row_a_checkbox(client, make_moderator, complaint):
    client.force_login(make_moderator(communities=[complaint.community]))
    soup = BeautifulSoup(client.get(QUEUE).content, "html.parser")
    form = soup.select_one("form#complaint-bulk")
    assert [o["value"] for o in form.select("select[name=action] option")] == ["dispatch", "spam", "hide"]
    assert soup.select_one(f"input[name=ids][form=complaint-bulk][value='{complaint.pk}']")
    assert soup.select_one("details.queue-filters > summary").get_text(strip=True) == "筛选"


def _queue_queries(client, count: int, category, community, unit) -> int:
    for _ in range(count - Complaint.objects.count()):
        ComplaintFactory(category=category, community=community)
    for complaint in Complaint.objects.filter(state=State.SUBMITTED)[: count // 2]:
        services.dispatch_complaint(complaint=complaint, unit=unit, actor=None)
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    assert response.status_code == 200
    assert response.content.decode().count('name="ids"') == count
    return len([q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]])


def test_queue_queries_do_not_grow_with_rows(client, make_moderator, category, community, unit):
    client.force_login(make_moderator(communities=[community]))
    few = _queue_queries(client, 5, category, community, unit)
    many = _queue_queries(client, 25, category, community, unit)
    assert many == few, f"{few} queries for 5 rows, {many} for 25"
