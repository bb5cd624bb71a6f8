"""PIPL: notice and consent, retention purge, erasure on request, and the access log."""

import csv
import io
import os
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from feedback.complaints import selectors, services
from feedback.complaints.photos import clean_photo
from feedback.models import AuditEntry, Complaint, ComplaintEvent, ComplaintPhoto, RejectReason, State
from home.models import PortalSettings

from .feedback_fixtures import *  # noqa: F403
from .feedback_fixtures import REPORT, advance, image_upload, report_data

pytestmark = pytest.mark.django_db
PHONE_RE = re.compile(r"1[3-9]\d{9}")


# --- Notice and consent ------------------------------------------------------------------


def test_report_form_shows_the_whole_notice_before_submitting(client, site, category):
    html = client.get(REPORT).content.decode()
    notice = html[html.index("个人信息保护告知") : html.index('name="consent"')]
    for part in ("个人信息处理者", "目的", "范围", "保存期限", "删除", "告知版本：2026-12"):
        assert part in notice, part
    # Every retention period the purge applies is said, unfinished and held reports included.
    assert "办结或不予受理后保存 2 年" in notice
    assert "未办结的事项自最后一次处理起保存 3 年" in notice
    assert "暂缓处理的事项保存 3 年" in notice and "评议自提交起保存 2 年" in notice


def test_privacy_notice_follows_the_retention_settings(settings):
    from home.demo import privacy_notice

    settings.FEEDBACK_RETENTION_UNFINISHED_DAYS = 1460
    settings.FEEDBACK_RETENTION_HELD_DAYS = 400
    notice = privacy_notice()
    assert "未办结的事项自最后一次处理起保存 4 年" in notice and "暂缓处理的事项保存 400 天" in notice


def test_consent_is_required_and_recorded_with_version_and_time(client, site, category, community):
    data = report_data(category, community)
    del data["consent"]
    assert "请阅读并勾选同意个人信息保护告知" in client.post(REPORT, data).content.decode()
    assert Complaint.objects.count() == 0

    portal = PortalSettings.for_site(site)
    portal.privacy_notice_version = "2027-01"
    portal.save()
    before = timezone.now()
    assert client.post(REPORT, report_data(category, community)).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.privacy_notice_version == "2027-01"
    assert before <= complaint.consented_at <= timezone.now()


# --- Retention ---------------------------------------------------------------------------


def _age(complaint, days):
    """Pretend every change on the report happened ``days`` ago."""
    complaint.events.update(at=timezone.now() - timedelta(days=days))


def _with_photo(complaint):
    photo = clean_photo(image_upload())
    record = ComplaintPhoto(complaint=complaint, width=photo.width, height=photo.height)
    from django.core.files.base import ContentFile

    record.file.save(photo.name, ContentFile(photo.content), save=True)
    return record.file.path


@pytest.fixture
def aged_reports(category, community, unit):
    from tests.factories.feedback import ComplaintFactory

    def make(description="垃圾没人清运，请联系我 13812345678 谢谢", **kwargs):
        return ComplaintFactory(
            category=category,
            community=community,
            description=description,
            latitude=30.1,
            longitude=120.2,
            **kwargs,
        )

    closed = advance(make(), to="resolved")
    closed = services.rate_complaint(complaint=closed, rating="satisfied", comment="回电 13900001111 很及时")
    closed_photo = _with_photo(closed)
    rejected = services.reject_complaint(complaint=make(), reason=RejectReason.SPAM, actor=None)
    recent = services.rate_complaint(complaint=advance(make(), to="resolved"), rating="basically")
    still_open = advance(make(), to="dispatched")
    open_photo = _with_photo(still_open)
    for complaint in (closed, rejected, still_open):
        _age(complaint, 800)
    _age(recent, 100)
    return {
        "closed": closed,
        "rejected": rejected,
        "recent": recent,
        "open": still_open,
        "closed_photo": closed_photo,
        "open_photo": open_photo,
    }


def test_purge_anonymises_finished_reports_past_retention_and_keeps_statistics(
    aged_reports, community, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    figures_before = selectors.complaint_figures(communities=[community], start=today, end=today)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows are gone
        call_command("purge_personal_data", "--batch-size", "1", stdout=out)
    assert "已将 2 条" in out.getvalue()

    closed = Complaint.objects.get(pk=aged_reports["closed"].pk)
    assert (closed.name, closed.phone, closed.latitude, closed.longitude) == ("", "", None, None)
    assert "13812345678" not in closed.description and "138****5678" in closed.description
    assert "13900001111" not in closed.rating_comment
    assert closed.anonymised_at is not None
    assert not closed.photos.exists() and not os.path.exists(aged_reports["closed_photo"])
    # What the statistics read is untouched.
    assert (closed.state, closed.rating, closed.category_id, closed.community_id) == (
        State.CLOSED,
        "satisfied",
        aged_reports["closed"].category_id,
        community.pk,
    )
    assert closed.resolved_at is not None and closed.reply
    assert selectors.complaint_figures(communities=[community], start=today, end=today) == figures_before
    notes = " ".join(ComplaintEvent.objects.filter(complaint=closed).values_list("note", flat=True))
    assert not PHONE_RE.search(notes)

    assert Complaint.objects.get(pk=aged_reports["rejected"].pk).phone == ""
    for kept in ("recent", "open"):  # too recent, or still being handled
        complaint = Complaint.objects.get(pk=aged_reports[kept].pk)
        assert complaint.phone == "13812345678" and complaint.anonymised_at is None
    assert os.path.exists(aged_reports["open_photo"])

    entry = AuditEntry.objects.get(action="purge")
    assert entry.count == 2 and entry.actor is None
    assert not PHONE_RE.search(entry.detail) and "张三丰" not in entry.detail


def test_purge_is_idempotent_and_honours_the_retention_setting(aged_reports, settings):
    settings.FEEDBACK_RETENTION_DAYS = 900
    call_command("purge_personal_data", stdout=io.StringIO())
    assert not Complaint.objects.filter(anonymised_at__isnull=False).exists()
    settings.FEEDBACK_RETENTION_DAYS = 730
    dry = io.StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=dry)
    assert "有 2 条" in dry.getvalue() and not Complaint.objects.filter(anonymised_at__isnull=False).exists()
    call_command("purge_personal_data", stdout=io.StringIO())
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "已将 0 条" in out.getvalue()
    assert AuditEntry.objects.filter(action="purge").count() == 1


@pytest.fixture
def unfinished_reports(category, community, unit):
    """One report stopped in each unfinished state, one held (blocked sender, rejected too),
    and one finished; all last touched 1,000 days ago."""
    from tests.factories.feedback import ComplaintFactory

    def make(**kwargs):
        return ComplaintFactory(
            category=category, community=community, description="请回电 13812345678", **kwargs
        )

    reports = {
        "submitted": make(),
        "dispatched": advance(make(), to="dispatched"),
        "in_progress": advance(make(), to="in_progress"),
        "resolved": advance(make(), to="resolved"),
        "reopened": services.rate_complaint(
            complaint=advance(make(), to="resolved"), rating="dissatisfied", comment="没修好"
        ),
        "held": make(held=True),
        "held_rejected": services.reject_complaint(
            complaint=make(held=True), reason=RejectReason.SPAM, actor=None
        ),
        "closed": services.rate_complaint(complaint=advance(make(), to="resolved"), rating="satisfied"),
    }
    assert reports["reopened"].state == State.REOPENED
    for complaint in reports.values():
        _age(complaint, 1000)
    # A report without events (the factory writes none) counts from when it was sent.
    pks = [complaint.pk for complaint in reports.values()]
    Complaint.objects.filter(pk__in=pks).update(created_at=timezone.now() - timedelta(days=1000))
    assert not reports["submitted"].events.exists()
    return reports


def _anonymised(reports) -> set[str]:
    done = set(Complaint.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True))
    return {name for name, complaint in reports.items() if complaint.pk in done}


UNFINISHED = {"submitted", "dispatched", "in_progress", "resolved", "reopened"}


def test_purge_reaches_unfinished_and_held_reports_after_their_own_limits(unfinished_reports, settings):
    # Defaults: finished 730 days, unfinished and held 1,095: at 1,000 days only the finished one.
    call_command("purge_personal_data", stdout=io.StringIO())
    assert _anonymised(unfinished_reports) == {"closed"}

    settings.FEEDBACK_RETENTION_UNFINISHED_DAYS = 900
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert _anonymised(unfinished_reports) == {"closed"} | UNFINISHED
    assert "已将 5 条反映" in out.getvalue() and "未办结 900 天" in out.getvalue()
    for name in UNFINISHED:
        complaint = Complaint.objects.get(pk=unfinished_reports[name].pk)
        assert (complaint.name, complaint.phone) == ("", "")
        assert "13812345678" not in complaint.description
        assert complaint.state == unfinished_reports[name].state  # the workflow is not touched

    # A held report follows the held limit whatever its state, not the finished one.
    settings.FEEDBACK_RETENTION_HELD_DAYS = 950
    call_command("purge_personal_data", stdout=io.StringIO())
    assert _anonymised(unfinished_reports) == set(unfinished_reports)
    entry = AuditEntry.objects.filter(action="purge").order_by("-pk").first()
    assert entry.count == 2 and "暂缓 950 天" in entry.detail


def test_unfinished_report_touched_recently_is_kept(unfinished_reports, settings):
    settings.FEEDBACK_RETENTION_UNFINISHED_DAYS = 900
    # Someone worked on it yesterday: its period starts again from that last change.
    services.start_complaint(complaint=unfinished_reports["dispatched"], actor=None)
    dry = io.StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=dry)
    assert "有 5 条反映" in dry.getvalue()  # four unfinished and the finished one
    call_command("purge_personal_data", stdout=io.StringIO())
    assert _anonymised(unfinished_reports) == {"closed"} | (UNFINISHED - {"dispatched"})


@pytest.fixture
def aged_evaluations(community):
    """Five ratings of one company 800 days ago (same target and quarter, phone and device
    voters) and one 100 days ago."""
    from tests.factories.feedback import EvaluationFactory, PropertyCompanyFactory

    company = PropertyCompanyFactory(name="同心物业服务有限公司", communities=[community])

    def make(stars, days, *, voter_key, comment="", name="张三丰", phone="13812345678"):
        return EvaluationFactory(
            company=company,
            community=community,
            stars=stars,
            attitude=stars,
            submitted_at=timezone.now() - timedelta(days=days),
            voter_key=voter_key,
            name=name,
            phone=phone,
            comment=comment,
        )

    old = [
        make(5, 800, voter_key="p:one", comment="报修当天就有师傅上门，回电 13900001111 很及时"),
        make(4, 800, voter_key="p:two", name="李四"),
        make(4, 800, voter_key="d:three", name="", phone=""),
        make(3, 800, voter_key="d:four", name="", phone=""),
        make(2, 800, voter_key="p:five", comment="物业电话打不通"),
    ]
    old[4].hide_reason = "含他人手机号 13700002222"
    old[4].save()
    return {"company": company, "old": old, "recent": make(1, 100, voter_key="p:one")}


def _evaluation_statistics(aged, community):
    from feedback.evaluations import selectors as evaluation_selectors

    when = timezone.localdate(aged["old"][0].submitted_at)
    return (
        evaluation_selectors.company_ranking(quarter=aged["old"][0].quarter),
        evaluation_selectors.evaluation_figures(communities=[community], start=when, end=when),
        evaluation_selectors.target_summary(target_type="company", target_pk=aged["company"].pk),
    )


def test_purge_anonymises_evaluations_past_retention_and_keeps_scores(aged_evaluations, community):
    from feedback.models import Evaluation

    before = _evaluation_statistics(aged_evaluations, community)
    assert before[0].rows[0].average == Decimal("3.60") and before[1].ratings == 5
    out = io.StringIO()
    call_command("purge_personal_data", "--batch-size", "2", stdout=out)
    assert "已将 0 条反映、5 条评议" in out.getvalue()

    old = Evaluation.objects.filter(pk__in=[e.pk for e in aged_evaluations["old"]]).order_by("pk")
    assert {(e.name, e.phone) for e in old} == {("", "")}
    assert all(e.anonymised_at is not None for e in old)
    # The HMAC of the phone or device is gone too; each row keeps a key of its own, so the
    # one-per-voter-target-quarter constraint still holds for rows of one target and quarter.
    assert [e.voter_key for e in old] == [f"a:{e.pk}" for e in old]
    assert "13900001111" not in old[0].comment and "139****1111" in old[0].comment
    assert "报修当天就有师傅上门" in old[0].comment and old[4].comment == "物业电话打不通"
    assert "13700002222" not in old[4].hide_reason
    # Scores, targets, quarter and dates are untouched: every figure reads the same.
    original = aged_evaluations["old"]
    assert [(e.stars, e.attitude, e.target_key, e.quarter, e.submitted_at, e.community_id) for e in old] == [
        (e.stars, e.attitude, e.target_key, e.quarter, e.submitted_at, e.community_id) for e in original
    ]
    assert _evaluation_statistics(aged_evaluations, community) == before

    recent = Evaluation.objects.get(pk=aged_evaluations["recent"].pk)
    assert (recent.name, recent.phone, recent.voter_key) == ("张三丰", "13812345678", "p:one")
    assert recent.anonymised_at is None

    entry = AuditEntry.objects.get(action="purge")
    assert entry.count == 5 and entry.actor is None and "评议 5 条" in entry.detail
    assert not PHONE_RE.search(entry.detail)
    assert not any(name in entry.detail for name in ("张三丰", "李四"))


def test_evaluation_purge_is_idempotent_and_spares_scored_quarters(aged_evaluations, community):
    from feedback.models import Evaluation

    call_command("purge_personal_data", stdout=io.StringIO())
    stamped = dict(Evaluation.objects.values_list("pk", "anonymised_at"))
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "已将 0 条反映、0 条评议" in out.getvalue()
    assert dict(Evaluation.objects.values_list("pk", "anonymised_at")) == stamped
    assert AuditEntry.objects.filter(action="purge").count() == 1
    # A short retention setting never reaches a quarter the scores still read (nor the
    # current one, where the resident may still replace their rating).
    dry = io.StringIO()
    call_command("purge_personal_data", "--days", "30", "--dry-run", stdout=dry)
    assert "有 0 条反映、0 条评议" in dry.getvalue()
    call_command("purge_personal_data", "--days", "30", stdout=io.StringIO())
    assert Evaluation.objects.get(pk=aged_evaluations["recent"].pk).phone == "13812345678"


# --- Erasure on request ------------------------------------------------------------------

ERASE = "/admin/feedback/personal-data/erase/"


def _eraser(make_moderator, community, **kwargs):
    user = make_moderator("eraser", communities=[community], **kwargs)
    user.user_permissions.add(Permission.objects.get(codename="erase_personal_data"))
    return user


def test_staff_erase_one_residents_data_after_confirming(
    client, complaint, make_moderator, django_capture_on_commit_callbacks
):
    path = _with_photo(complaint)
    user = _eraser(make_moderator, complaint.community)
    client.force_login(user)
    confirm = client.post(ERASE, {"reference": complaint.reference.lower()})
    html = confirm.content.decode()
    assert "确认删除" in html and complaint.reference in html
    assert "13812345678" not in html and "张三丰" not in html
    complaint.refresh_from_db()
    assert complaint.phone == "13812345678"  # nothing happens before confirming

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ERASE, {"reference": complaint.reference, "confirm": "True"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.phone == "" and complaint.name == "" and complaint.anonymised_at
    assert not os.path.exists(path) and not complaint.photos.exists()
    assert complaint.state == State.SUBMITTED  # the report itself goes on
    entry = AuditEntry.objects.get(action="erase")
    assert entry.actor == user and entry.reference == complaint.reference and entry.count == 1


def test_erasure_needs_the_permission_and_the_scope(client, complaint, make_moderator, category):
    from tests.factories.feedback import ComplaintFactory
    from tests.factories.home import CommunityFactory

    client.force_login(make_moderator("plain", communities=[complaint.community]))
    assert client.post(ERASE, {"reference": complaint.reference, "confirm": "True"}).status_code == 403

    elsewhere = ComplaintFactory(
        category=category, community=CommunityFactory(name="千秋社区", slug="qianqiu")
    )
    client.force_login(_eraser(make_moderator, complaint.community))
    html = client.post(ERASE, {"reference": elsewhere.reference, "confirm": "True"}).content.decode()
    assert "没有找到这个编号" in html
    elsewhere.refresh_from_db()
    assert elsewhere.phone == "13812345678" and not AuditEntry.objects.filter(action="erase").exists()


# --- Access log --------------------------------------------------------------------------


def test_every_view_and_export_of_contact_details_is_logged(client, complaint, make_moderator):
    photo = ComplaintPhoto.objects.get(file__endswith=os.path.basename(_with_photo(complaint)))
    inspect = reverse("feedback_complaint_modeladmin_inspect", args=[complaint.pk])
    masked_only = make_moderator("masked", communities=[complaint.community])
    client.force_login(masked_only)
    assert "138****5678" in client.get(inspect).content.decode()
    client.get(reverse("feedback_complaint_export"))
    assert not AuditEntry.objects.exists()  # nothing unmasked was shown

    officer = make_moderator("officer", communities=[complaint.community], personal_data=True)
    client.force_login(officer)
    assert "13812345678" in client.get(inspect).content.decode()
    assert client.get(reverse("feedback_complaint_photo", args=[photo.pk])).status_code == 200
    export = client.get(reverse("feedback_complaint_export"), {"format": "csv"})
    assert "13812345678" in export.content.decode("utf-8-sig")
    log = list(
        AuditEntry.objects.order_by("pk").values_list("actor__username", "action", "reference", "count")
    )
    assert log == [
        ("officer", "view_contact", complaint.reference, 1),
        ("officer", "view_photo", complaint.reference, 1),
        ("officer", "export_personal", "", 1),
    ]
    # The log itself holds no personal data.
    text = " ".join(str(value) for row in AuditEntry.objects.values_list() for value in row)
    assert "13812345678" not in text and "张三丰" not in text


def test_access_log_is_read_only_and_for_administrators(client, complaint, make_moderator, django_user_model):
    officer = make_moderator("officer", communities=[complaint.community], personal_data=True)
    client.force_login(officer)
    client.get(reverse("feedback_complaint_modeladmin_inspect", args=[complaint.pk]))
    index = reverse("feedback_auditentry_modeladmin_index")
    home = reverse("wagtailadmin_home")
    assert client.get(index)["Location"] == home  # moderators cannot read it: back to the dashboard

    admin = django_user_model.objects.create_superuser("boss", password="pw-123456")
    client.force_login(admin)
    html = client.get(index).content.decode()
    assert "officer" in html and complaint.reference in html and "查看居民联系方式" in html
    entry = AuditEntry.objects.get()
    inspect = client.get(reverse("feedback_auditentry_modeladmin_inspect", args=[entry.pk]))
    assert inspect.status_code == 200
    assert client.get(reverse("feedback_auditentry_modeladmin_create"))["Location"] == home
    for view in ("edit", "delete"):
        assert (
            client.get(reverse(f"feedback_auditentry_modeladmin_{view}", args=[entry.pk]))["Location"] == home
        )
    assert AuditEntry.objects.count() == 1


def test_exports_neutralise_formulas_including_full_width(client, complaint, make_moderator, category):
    from tests.factories.feedback import ComplaintFactory

    for text in ("＝1+1 全角等号", "@SUM(A1)", "-2+3", "+86 求助"):
        ComplaintFactory(category=category, community=complaint.community, description=text, place=text)
    client.force_login(make_moderator(communities=[complaint.community]))
    body = client.get(reverse("feedback_complaint_export")).content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "＝")]
    assert "'＝1+1 全角等号" in cells and "'@SUM(A1)" in cells


# --- Audit of evaluations and export of the log -----------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_administrator_exports_the_audit_log_and_the_export_is_audited(client, site, admin_user, fmt):
    from feedback.trust.services import record_audit

    record_audit(action="view_contact", actor=admin_user, reference="20261122-4KX7")
    record_audit(action="purge", count=3, detail='=HYPERLINK("http://evil")')
    client.force_login(admin_user)
    index = client.get("/admin/feedback/auditentry/").content.decode()
    assert "?export=csv" in index and "?export=xlsx" in index
    response = client.get(f"/admin/feedback/auditentry/?export={fmt}&action__exact=purge")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        from openpyxl import load_workbook

        rows = [list(r) for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]
    assert rows[0] == ["时间", "操作人", "操作", "反映编号", "涉及条数", "说明"]
    assert len(rows) == 2  # only what the filter shows
    assert rows[1][1] == "系统（定时任务）" and rows[1][2] == "保存期满匿名化"
    assert rows[1][5].startswith("'=")  # formula-safe (portal.spreadsheet)
    export = AuditEntry.objects.get(action="export_audit")
    assert export.actor == admin_user and export.count == 1 and fmt in export.detail


def test_audit_log_export_needs_the_audit_permission(client, site, community, make_moderator):
    client.force_login(make_moderator(communities=[community]))
    assert client.get("/admin/feedback/auditentry/?export=csv").status_code in (302, 403)
    assert not AuditEntry.objects.filter(action="export_audit").exists()
