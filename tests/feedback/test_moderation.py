"""Staff triage in the Wagtail admin: scopes, actions, photos, export, dashboard, e-mails."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from feedback.complaints import selectors, services
from feedback.models import Complaint, State
from tests.factories.feedback import ComplaintFactory, dispatch_date
from tests.factories.home import CommunityFactory, StreetFactory

from .conftest import image_upload

pytestmark = pytest.mark.django_db
QUEUE = "/admin/feedback/complaint/"


def inspect(complaint):
    return reverse("feedback_complaint_modeladmin_inspect", args=[complaint.pk])


def action(complaint, name):
    return reverse("feedback_complaint_action", args=[complaint.pk, name])


def seen(complaint) -> dict:
    """The version field of an action screen the moderator has just opened."""
    from feedback.complaints.concurrency import complaint_version
    from feedback.models import Complaint

    return {"version": complaint_version(Complaint.objects.get(pk=complaint.pk))}


@pytest.fixture
def other_community(db):
    return CommunityFactory(name="千秋社区", slug="qianqiu", street=StreetFactory(name="天长街道"))


def test_community_worker_sees_only_their_communities(
    client, make_moderator, complaint, other_community, category
):
    elsewhere = ComplaintFactory(category=category, community=other_community)
    client.force_login(make_moderator(communities=[complaint.community]))
    html = client.get(QUEUE).content.decode()
    assert complaint.reference in html
    assert elsewhere.reference not in html
    assert "138****5678" in html and "13812345678" not in html  # masked in the list
    assert client.get(inspect(complaint)).status_code == 200
    assert client.get(inspect(elsewhere)).status_code == 404
    assert client.get(action(elsewhere, "dispatch")).status_code == 404
    response = client.post(action(elsewhere, "reject"), {"reason": "spam"})
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.state == State.SUBMITTED


def test_street_moderator_sees_the_streets_communities(
    client, make_moderator, complaint, other_community, category
):
    elsewhere = ComplaintFactory(category=category, community=other_community)
    client.force_login(make_moderator(streets=[other_community.street]))
    html = client.get(QUEUE).content.decode()
    assert elsewhere.reference in html and complaint.reference not in html


def test_moderator_without_scope_sees_nothing(client, make_moderator, complaint, django_user_model):
    from feedback.models import StaffScope

    user = make_moderator()
    StaffScope.objects.filter(user=user).delete()
    client.force_login(user)
    assert complaint.reference not in client.get(QUEUE).content.decode()
    assert client.get(action(complaint, "dispatch")).status_code == 404


def test_moderator_dispatches_starts_and_resolves_through_the_admin(client, make_moderator, complaint, unit):
    user = make_moderator(communities=[complaint.community])
    client.force_login(user)
    response = client.post(
        action(complaint, "dispatch"),
        {"unit": unit.pk, "deadline": dispatch_date(), "note": "", **seen(complaint)},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == State.DISPATCHED and str(complaint.deadline) == dispatch_date()
    assert complaint.events.last().actor == user
    client.post(action(complaint, "start"), {"note": "已到现场", **seen(complaint)})
    client.post(action(complaint, "resolve"), {"reply": "垃圾已清运，并增加清运频次。", **seen(complaint)})
    complaint.refresh_from_db()
    assert complaint.state == State.RESOLVED
    html = client.get(inspect(complaint)).content.decode()
    assert "垃圾已清运" in html and "已到现场" in html


def test_illegal_action_shows_a_chinese_message(client, make_moderator, complaint):
    client.force_login(make_moderator(communities=[complaint.community]))
    response = client.post(action(complaint, "resolve"), {"reply": "已经处理好了，谢谢。", **seen(complaint)})
    assert response.status_code == 200
    assert "当前状态为“待受理”，不能变更为“已办结”" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == State.SUBMITTED


def test_extend_deadline_requires_reason(client, make_moderator, complaint, unit):
    client.force_login(make_moderator(communities=[complaint.community]))
    dispatched = services.dispatch_complaint(complaint=complaint, unit=unit, actor=None)
    response = client.post(action(dispatched, "extend"), {"deadline": "2099-12-31", "reason": ""})
    assert "请填写延期原因" in response.content.decode()
    client.post(
        action(dispatched, "extend"), {"deadline": "2099-12-31", "reason": "需等待配件", **seen(dispatched)}
    )
    dispatched.refresh_from_db()
    assert str(dispatched.deadline) == "2099-12-31"


def test_viewer_without_change_permission_gets_403_on_actions(client, django_user_model, complaint):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("viewer", password="x")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_complaint")
    )
    client.force_login(user)
    assert client.get(action(complaint, "dispatch")).status_code == 403


def _submit_with_photo(category, community):
    from feedback.complaints.photos import clean_photo

    return services.submit_complaint(
        kind="help",
        category=category,
        community=community,
        description="楼道灯坏了好几天了，晚上很黑。",
        phone="13912345678",
        name="李四",
        privacy_notice_version="1",
        photos=[clean_photo(image_upload())],
    )


def test_photos_only_for_personal_data_holders_in_scope(
    client, make_moderator, category, community, other_community
):
    complaint = _submit_with_photo(category, community)
    photo = complaint.photos.get()
    url = reverse("feedback_complaint_photo", args=[photo.pk])
    client.force_login(make_moderator("plain", communities=[community]))
    assert client.get(url).status_code == 403
    html = client.get(inspect(complaint)).content.decode()
    assert "13912345678" not in html and "139****5678" in html
    client.force_login(make_moderator("trusted", communities=[community], personal_data=True))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert "13912345678" in client.get(inspect(complaint)).content.decode()
    client.force_login(make_moderator("far", communities=[other_community], personal_data=True))
    assert client.get(url).status_code == 404


def test_export_leaves_out_personal_data_without_permission(client, make_moderator, complaint, category):
    ComplaintFactory(category=category, community=complaint.community, description='=HYPERLINK("http://x")')
    export = reverse("feedback_complaint_export")
    client.force_login(make_moderator("plain", communities=[complaint.community]))
    text = client.get(export, {"format": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert "手机号" not in rows[0] and "姓名" not in rows[0]
    assert "13812345678" not in text and "张三丰" not in text
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)

    client.force_login(make_moderator("trusted", communities=[complaint.community], personal_data=True))
    response = client.get(export, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][-2:] == ["姓名", "手机号"]
    assert any("13812345678" in row for row in values)
    assert all(not str(v).startswith("=") for row in values for v in row if v)


def test_export_respects_the_scope(client, make_moderator, complaint, other_community, category):
    elsewhere = ComplaintFactory(category=category, community=other_community)
    client.force_login(make_moderator(communities=[complaint.community]))
    text = client.get(reverse("feedback_complaint_export")).content.decode("utf-8-sig")
    assert complaint.reference in text and elsewhere.reference not in text


def test_dashboard_panel_counts_waiting_and_overdue(client, make_moderator, complaint, category, unit):
    from datetime import date

    ComplaintFactory(
        category=category, community=complaint.community, state=State.DISPATCHED, deadline=date(2020, 1, 31)
    )
    client.force_login(make_moderator(communities=[complaint.community]))
    html = client.get("/admin/").content.decode()
    assert "居民反映" in html
    assert "<strong>1</strong> 条待受理" in html
    assert "<strong>1</strong> 条已超期" in html
    assert "已暂缓" not in html  # shown only when there are held reports


def test_dashboard_panel_counts_held_reports_apart_from_waiting(client, make_moderator, complaint, category):
    # Held reports (from a blocked phone) cannot be dispatched until released: not 待受理.
    held = [ComplaintFactory(category=category, community=complaint.community, held=True) for _ in range(2)]
    summary = selectors.queue_summary(queryset=Complaint.objects.all())
    assert (summary.waiting, summary.held) == (1, 2)

    client.force_login(make_moderator(communities=[complaint.community]))
    html = client.get("/admin/").content.decode()
    assert "<strong>1</strong> 条待受理" in html
    assert "<strong>2</strong> 条已暂缓" in html
    queue = reverse("feedback_complaint_modeladmin_index")
    assert f"{queue}?state__exact=submitted&amp;held=no" in html
    assert f"{queue}?state__exact=submitted&amp;held=yes" in html
    listed = client.get(queue, {"state__exact": "submitted", "held": "no"}).content.decode()
    assert complaint.reference in listed and not any(h.reference in listed for h in held)


def test_new_report_emails_moderators_of_the_community_without_personal_data(
    make_moderator, category, community, other_community, mailoutbox, django_capture_on_commit_callbacks
):
    make_moderator("here", communities=[community], email="here@example.cn")
    make_moderator("there", communities=[other_community], email="there@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        complaint = _submit_with_photo(category, community)
    assert [m.to for m in mailoutbox] == [["here@example.cn"]]
    body = mailoutbox[0].body
    assert complaint.reference in body and "/admin/feedback/complaint/inspect/" in body
    assert "13912345678" not in body and "李四" not in body and "楼道灯" not in body


def test_notification_task_is_enqueued_on_commit(category, community, django_capture_on_commit_callbacks):
    from django_tasks.signals import task_enqueued

    enqueued = []

    def receiver(sender, task_result, **kwargs):
        if task_result.task.module_path.startswith("feedback."):
            enqueued.append((task_result.task.name, task_result.kwargs))

    task_enqueued.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            complaint = _submit_with_photo(category, community)
        assert enqueued == []  # nothing is enqueued before the commit
        for callback in callbacks:
            callback()
    finally:
        task_enqueued.disconnect(receiver)
    assert enqueued == [("notify_new_complaint", {"complaint_id": complaint.pk})]


def test_database_queue_stores_the_notification_with_the_report_in_one_transaction(
    category, community, monkeypatch, django_capture_on_commit_callbacks
):
    """Production's queue is a table: the task row joins the report's transaction (one
    commit, and no notice for a report that was rolled back), not a commit of its own."""
    from feedback.complaints import tasks

    monkeypatch.setattr(tasks, "queues_in_database", lambda backend: True)
    seen = []
    monkeypatch.setattr(
        tasks.notify_new_complaint.__class__,
        "enqueue",
        lambda task, **kwargs: seen.append((task.name, kwargs)),
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        complaint = _submit_with_photo(category, community)
    assert seen == [("notify_new_complaint", {"complaint_id": complaint.pk})]
    assert callbacks == []  # nothing left for after the commit


def test_reopen_notifies_moderators(
    make_moderator, complaint, mailoutbox, django_capture_on_commit_callbacks
):
    from feedback.models import Rating

    from .conftest import advance

    make_moderator("here", communities=[complaint.community], email="here@example.cn")
    resolved = advance(complaint, to="resolved")
    with django_capture_on_commit_callbacks(execute=True):
        services.rate_complaint(complaint=resolved, rating=Rating.DISSATISFIED)
    assert len(mailoutbox) == 1 and "重新办理" in mailoutbox[0].subject
