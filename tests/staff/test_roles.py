"""Each staff role of the demo office, signed in: what it can and cannot open or do.

The demo users (``feedback.common.demo``): bianji 编辑, shenhe 审核 of 复兴街道 (复兴, 春雨,
金鼎社区), shequ_fuxing 社区工作人员 of 复兴社区, chengban 承办单位, guanli 管理员.
"""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Page

from feedback.common.scopes import can_see_personal_data
from feedback.complaints.models import Complaint
from home.models import Community, Grid, Street
from notices.models import NoticePage, ResidentReportIndexPage, ResidentReportPage
from servicecatalog.models import StationIndexPage, StationPage


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def menu(client: Client) -> set[str]:
    """Every label of the admin's main menu, submenus included, as the sidebar renders it."""
    html = client.get("/admin/").content.decode()
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    return set(re.findall(r'"label": "([^"]*)"', json.dumps(json.loads(props.group(1)), ensure_ascii=False)))


def status(client: Client, url: str) -> int:
    """200, 403 or 404; Wagtail's "no permission" redirect to the dashboard counts as 403."""
    response = client.get(url)
    if response.status_code == 302 and response["Location"] == "/admin/":
        return 403
    return response.status_code


def complaint_in(slug: str) -> Complaint:
    return Complaint.objects.filter(community__slug=slug).first()


def station_in(slug: str) -> StationPage:
    return StationPage.objects.filter(community__slug=slug).first()


def edit(page: Page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


pytestmark = pytest.mark.usefixtures("demo_site")


def test_editor_writes_pages_but_sees_no_reports_and_publishes_nothing():
    editor = signed_in("bianji")
    labels = menu(editor)
    assert "页面" in labels or "Pages" in labels
    assert "反映处理队列" not in labels and "居民反映" not in labels
    assert status(editor, "/admin/feedback/complaint/") == 403
    notice = NoticePage.objects.live().first()
    assert status(editor, edit(notice)) == 200
    assert status(editor, edit(station_in("guangling"))) == 200  # every community's page
    user = get_user_model().objects.get(username="bianji")
    assert not notice.permissions_for_user(user).can_publish()
    assert status(editor, f"/admin/snippets/home/street/edit/{Street.objects.first().pk}/") == 403
    assert status(editor, "/admin/users/") == 403
    assert not can_see_personal_data(user)


def test_street_moderator_works_every_report_of_the_street_and_publishes():
    moderator = signed_in("shenhe")
    labels = menu(moderator)
    assert {"居民反映", "反映处理队列"} <= labels
    queue = moderator.get("/admin/feedback/complaint/?state=submitted").content.decode()
    assert complaint_in("chunyu").community.name in queue  # 春雨社区 is in 复兴街道
    assert status(moderator, f"/admin/feedback/complaint/inspect/{complaint_in('fuxing').pk}/") == 200
    assert status(moderator, f"/admin/feedback/complaint/inspect/{complaint_in('guangling').pk}/") == 404
    user = get_user_model().objects.get(username="shenhe")
    assert NoticePage.objects.live().first().permissions_for_user(user).can_publish()
    assert can_see_personal_data(user)
    assert status(moderator, f"/admin/snippets/home/grid/edit/{Grid.objects.first().pk}/") == 200
    assert status(moderator, "/admin/users/") == 403


def test_community_worker_works_only_their_community():
    worker = signed_in("shequ_fuxing")
    assert {"居民反映", "反映处理队列"} <= menu(worker)
    queue = worker.get("/admin/feedback/complaint/").content.decode()
    assert "复兴社区" in queue and complaint_in("fuxing").reference in queue
    assert complaint_in("chunyu").reference not in queue
    assert status(worker, f"/admin/feedback/complaint/inspect/{complaint_in('fuxing').pk}/") == 200
    assert status(worker, f"/admin/feedback/complaint/inspect/{complaint_in('chunyu').pk}/") == 404

    assert status(worker, edit(station_in("fuxing"))) == 200
    assert status(worker, edit(ResidentReportPage.objects.get(community__slug="fuxing"))) == 200
    assert status(worker, edit(station_in("chunyu"))) == 403
    assert status(worker, edit(ResidentReportPage.objects.exclude(community__slug="fuxing").first())) == 403
    assert status(worker, edit(StationIndexPage.objects.get())) == 403  # a page of no community
    assert status(worker, edit(NoticePage.objects.first())) == 403
    user = get_user_model().objects.get(username="shequ_fuxing")
    assert not station_in("fuxing").permissions_for_user(user).can_publish()
    assert not Page.get_first_root_node().permissions_for_user(user).can_publish_subpage()

    assert status(worker, "/admin/snippets/home/community/") == 200  # regions: read only
    for model, obj in (("street", Street.objects.first()), ("community", Community.objects.first())):
        assert status(worker, f"/admin/snippets/home/{model}/edit/{obj.pk}/") == 403
    assert status(worker, "/admin/snippets/home/grid/add/") == 403
    assert status(worker, "/admin/users/") == 403
    assert not can_see_personal_data(user)


def test_community_worker_lists_and_creates_only_their_communitys_pages():
    worker = signed_in("shequ_fuxing")
    index = StationIndexPage.objects.get()
    listing = worker.get(f"/admin/pages/{index.pk}/").content.decode()
    assert station_in("fuxing").title in listing
    assert station_in("chunyu").title not in listing and station_in("kunlun").title not in listing
    reports = worker.get(f"/admin/pages/{ResidentReportIndexPage.objects.get().pk}/").content.decode()
    other = ResidentReportPage.objects.exclude(community__slug="fuxing").first()
    assert other.title not in reports
    chooser = worker.get(f"/admin/choose-page/{index.pk}/").json()["html"]
    assert station_in("fuxing").title in chooser and station_in("chunyu").title not in chooser

    form = worker.get(f"/admin/pages/add/servicecatalog/stationpage/{index.pk}/").content.decode()
    community_select = re.search(r'<select name="community".*?</select>', form, re.S).group(0)
    assert "复兴社区" in community_select and "春雨社区" not in community_select
    notices = Page.objects.get(url_path__endswith="/notices/")
    assert status(worker, f"/admin/pages/add/notices/noticepage/{notices.pk}/") == 403


def test_handling_unit_signs_in_to_the_admin_and_sees_nobody_elses_work():
    unit = signed_in("chengban")
    assert status(unit, "/admin/") == 200
    labels = menu(unit)
    assert "居民反映" not in labels and "反映处理队列" not in labels
    assert status(unit, "/admin/feedback/complaint/") == 403
    assert status(unit, f"/admin/pages/{StationIndexPage.objects.get().pk}/") == 403
    assert status(unit, edit(station_in("fuxing"))) == 403
    assert status(unit, "/admin/users/") == 403
    assert not can_see_personal_data(get_user_model().objects.get(username="chengban"))
    # The demo's unit account works in a unit with tickets: 我的待办 is where it starts.
    todo = unit.get("/admin/feedback/todo/")
    assert todo.status_code == 200
    open_ticket = Complaint.objects.filter(
        handling_unit__members__username="chengban", state__in=("dispatched", "in_progress")
    ).first()
    assert open_ticket is not None
    assert open_ticket.reference in todo.content.decode()


def test_administrator_manages_users_audit_log_and_every_report():
    admin = signed_in("guanli")
    assert status(admin, "/admin/users/") == 200
    assert status(admin, "/admin/groups/") == 200
    assert status(admin, "/admin/feedback/auditentry/") == 200
    assert status(admin, f"/admin/feedback/complaint/inspect/{complaint_in('kunlun').pk}/") == 200
    user = get_user_model().objects.get(username="guanli")
    assert not user.is_superuser  # everything through the role, not a superuser flag
    assert can_see_personal_data(user)
    assert NoticePage.objects.first().permissions_for_user(user).can_publish()


def _station_form(client: Client, station: StationPage) -> dict:
    from wagtail.test.utils.form_data import querydict_from_html

    html = client.get(edit(station)).content.decode()
    return querydict_from_html(html, form_id="page-edit-form")


def latest(page: Page):
    return type(page).objects.get(pk=page.pk).get_latest_revision().as_object()


def test_community_worker_saves_their_station_but_cannot_move_it_to_another_community():
    worker = signed_in("shequ_fuxing")
    station = station_in("fuxing")
    data = _station_form(worker, station)
    data["status_note"] = "周日下午暂停开放"
    response = worker.post(edit(station), data)
    assert response.status_code == 302, response.content.decode()[:1500]
    assert latest(station).status_note == "周日下午暂停开放"

    data["community"] = str(Community.objects.get(slug="chunyu").pk)
    response = worker.post(edit(station), data)
    assert response.status_code == 200  # the form again, with the error beside the field
    assert "选择一个有效的选项" in response.content.decode()
    assert latest(station).community.slug == "fuxing"


def test_community_worker_cannot_delete_move_copy_or_unpublish_another_communitys_page():
    worker = signed_in("shequ_fuxing")
    other = station_in("chunyu")
    for view in ("delete", "move", "copy", "unpublish"):
        assert status(worker, f"/admin/pages/{other.pk}/{view}/") == 403, view
    assert worker.post(f"/admin/pages/{other.pk}/delete/").status_code in (302, 403)
    assert StationPage.objects.filter(pk=other.pk).exists()


def test_workflow_report_lists_only_the_community_workers_pages_in_review():
    other = ResidentReportPage.objects.exclude(community__slug="fuxing").first()
    other.get_workflow().start(other, get_user_model().objects.get(username="bianji"))
    report = signed_in("shequ_fuxing").get("/admin/reports/workflow/")
    assert report.status_code == 200 and other.title not in report.content.decode()
    assert other.title in signed_in("shenhe").get("/admin/reports/workflow/").content.decode()


def test_dashboard_counts_no_pages_of_other_communities_for_a_community_worker():
    page_count = re.compile(r"\d+\s*个页面")
    worker_dashboard = signed_in("shequ_fuxing").get("/admin/").content.decode()
    assert "居民反映 · 待办" in worker_dashboard
    assert not page_count.search(worker_dashboard)  # the site-wide count stays hidden
    assert page_count.search(signed_in("shenhe").get("/admin/").content.decode())
