"""A handling unit's liaison on a phone (390x844): 我的待办 lists the unit's tickets, the
liaison signs one, posts an internal note and a public update, and sends another back
(退单) with a reason; it leaves the list. Then the whole loop: sent back, re-dispatched
by the moderator to another unit, resolved there with a reply template. Screenshots under artifacts/browser/<test>/
and /tmp/shots-todo/."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, admin_login

SHOTS = Path("/tmp/shots-todo")
LIAISON = "todo-liaison"
PASSWORD = "todo-liaison-2026"


@pytest.fixture(scope="module")
def tickets(live_site):
    out = live_site.shell(
        f"""
import json
from django.contrib.auth.models import Permission, User
from feedback.complaints.services import dispatch_complaint, submit_complaint
from feedback.models import ComplaintCategory, HandlingUnit
from home.models import Community
user, _ = User.objects.get_or_create(username={LIAISON!r})
user.set_password({PASSWORD!r}); user.save()
user.user_permissions.set(Permission.objects.filter(codename__in=["access_admin", "handle_unit_complaint"]))
unit, _ = HandlingUnit.objects.get_or_create(name="待办测试单位")
unit.members.add(user)
category = ComplaintCategory.objects.filter(default_unit__isnull=False).order_by("pk").first()
community = Community.objects.get(name="复兴社区")
rows = []
for text in ["小区东门路灯不亮已经一周，晚上很黑。", "隔壁小区的围墙倒塌，堵住了人行道。"]:
    c = submit_complaint(kind="help", category=category, community=community, description=text,
                         phone="13700004321", privacy_notice_version="test")
    c = dispatch_complaint(complaint=c, unit=unit, actor=None)
    rows.append({{"reference": c.reference, "pk": c.pk}})
print(json.dumps(rows))
"""
    )
    return json.loads(out.strip().splitlines()[-1])


def _save(page, shot, name):
    shot(page, name)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_liaison_signs_posts_progress_and_sends_back(chromium, live_site, tickets, shot):
    first, second = tickets
    context = chromium.new_context(base_url=live_site.url, locale="zh-CN", **PHONE)
    page = context.new_page()
    admin_login(page, live_site, LIAISON, PASSWORD)
    page.goto("/admin/feedback/todo/")
    expect(page.locator("tbody tr", has_text=first["reference"])).to_contain_text("未签收")
    expect(page.locator("tbody tr", has_text=second["reference"])).to_have_count(1)
    _save(page, shot, "todo-list")

    page.get_by_role("link", name=first["reference"]).click()
    page.get_by_role("button", name="签收").click()
    expect(page.get_by_text("已签收。")).to_be_visible()
    page.get_by_label("进展内容").fill("已联系路灯管理所，明天维修。")
    page.get_by_label("公开（居民可见）").check()
    page.get_by_role("button", name="保存进展").click()
    expect(page.get_by_text("进展已保存。")).to_be_visible()
    expect(page.locator(".unit-timeline")).to_contain_text("已联系路灯管理所")
    _save(page, shot, "ticket-signed")

    page.goto("/admin/feedback/todo/")
    page.get_by_role("link", name=second["reference"]).click()
    page.get_by_label("退单原因").select_option(label="其他")
    page.get_by_role("button", name="退单").click()
    expect(page.get_by_text("须填写说明")).to_be_visible()
    page.get_by_label("说明").fill("该小区不在本单位辖区。")
    page.get_by_role("button", name="退单").click()
    expect(page.get_by_text("已退单")).to_be_visible()
    expect(page.locator("tbody tr", has_text=second["reference"])).to_have_count(0)
    _save(page, shot, "todo-after-send-back")
    rows = live_site.query(
        "SELECT state, handling_unit_id, send_back_reason FROM feedback_complaint WHERE id = ?",
        (second["pk"],),
    )
    assert rows == [("submitted", None, "other")]
    context.close()


SECOND_LIAISON = "journey-liaison-2"
TRACK = "/feedback/track/{token}/"
TEMPLATE_BODY = (
    "您好，您反映的问题（编号{reference}）已由{unit}安排人员到场处理完毕，{community}网格员将在三日内回访。"
)


@pytest.fixture(scope="module")
def journey_ticket(live_site, tickets):
    """One report dispatched to the first unit; a second unit with its own liaison."""
    out = live_site.shell(
        f"""
import json
from django.contrib.auth.models import Permission, User
from feedback.complaints.services import dispatch_complaint, submit_complaint
from feedback.models import ComplaintCategory, HandlingUnit, ResponseTemplate
from home.models import Community
ResponseTemplate.objects.filter(title="井盖已处置").delete()  # a server reused between runs
user, _ = User.objects.get_or_create(username={SECOND_LIAISON!r}, defaults={{"first_name": "李工"}})
user.set_password({PASSWORD!r}); user.save()
user.user_permissions.set(Permission.objects.filter(codename__in=["access_admin", "handle_unit_complaint"]))
second, _ = HandlingUnit.objects.get_or_create(name="旅程第二承办单位")
second.members.add(user)
first = HandlingUnit.objects.get(name="待办测试单位")
category = ComplaintCategory.objects.filter(default_unit__isnull=False).order_by("pk").first()
community = Community.objects.get(name="复兴社区")
c = submit_complaint(kind="help", category=category, community=community,
                     description="3栋门口井盖松动，踩上去会晃，老人小孩经过很危险。",
                     phone="13700005678", privacy_notice_version="test")
c = dispatch_complaint(complaint=c, unit=first, actor=None)
print(json.dumps({{"reference": c.reference, "pk": c.pk, "token": c.tracking_token,
                  "category": category.name, "second": second.name}}))
"""
    )
    return json.loads(out.strip().splitlines()[-1])


def test_send_back_redispatch_and_resolve_with_template(chromium, live_site, journey_ticket, shot):
    """The whole loop through the admin forms: the first unit signs, posts progress and
    sends the ticket back; the moderator writes a reply template and re-dispatches to
    another unit, whose liaison signs and resolves with the template; the resident's
    tracking page shows the reply."""
    ticket = journey_ticket
    reference = ticket["reference"]
    unit_page = chromium.new_context(base_url=live_site.url, locale="zh-CN", **PHONE).new_page()
    admin_login(unit_page, live_site, LIAISON, PASSWORD)
    unit_page.goto("/admin/feedback/todo/")
    unit_page.get_by_role("link", name=reference).click()
    unit_page.get_by_role("button", name="签收").click()
    expect(unit_page.get_by_text("已签收。")).to_be_visible()
    unit_page.get_by_label("进展内容").fill("已到现场查看，井盖属燃气公司管线。")
    unit_page.get_by_role("button", name="保存进展").click()
    expect(unit_page.get_by_text("进展已保存。")).to_be_visible()
    unit_page.get_by_label("退单原因").select_option(label="权属不清")
    unit_page.get_by_label("说明").fill("井盖权属为燃气公司，请改派。")
    unit_page.get_by_role("button", name="退单").click()
    expect(unit_page.get_by_text("已退单")).to_be_visible()
    expect(unit_page.locator("tbody tr", has_text=reference)).to_have_count(0)
    unit_page.context.close()

    staff = chromium.new_context(base_url=live_site.url, locale="zh-CN", **DESKTOP).new_page()
    admin_login(staff, live_site)
    staff.goto("/admin/feedback/responsetemplate/create/")
    staff.get_by_role("textbox", name=re.compile("^名称")).fill("井盖已处置")
    staff.get_by_role("combobox", name=re.compile("^适用分类")).select_option(label=ticket["category"])
    staff.get_by_role("checkbox", name="处理中").check()
    staff.get_by_role("textbox", name=re.compile("^答复内容")).fill(TEMPLATE_BODY)
    _save(staff, shot, "template-create")
    staff.get_by_role("button", name="保存", exact=True).click()
    expect(staff.locator("tbody tr", has_text="井盖已处置")).to_contain_text("处理中")
    _save(staff, shot, "template-list")

    staff.goto("/admin/feedback/complaint/?state__exact=submitted")
    row = staff.locator("tbody tr", has_text=reference)
    expect(row).to_contain_text("待受理")
    row.get_by_role("link", name="查看/处理").click()
    expect(staff.locator("table.listing").first).to_contain_text("退单原因：权属不清")
    staff.get_by_role("link", name="受理并派单").click()
    staff.get_by_label("承办单位").select_option(label=ticket["second"])
    staff.get_by_role("button", name="派单").click()
    expect(staff.locator("h2.w-h3").first).to_contain_text("已派单")
    expect(staff.locator("dl").first).to_contain_text(ticket["second"])
    staff.context.close()

    second = chromium.new_context(base_url=live_site.url, locale="zh-CN", **PHONE).new_page()
    admin_login(second, live_site, SECOND_LIAISON, PASSWORD)
    second.goto("/admin/feedback/todo/")
    expect(second.locator(".todo-card, tbody tr", has_text=reference)).to_contain_text("未签收")
    second.get_by_role("link", name=reference).click()
    second.get_by_role("button", name="签收").click()
    expect(second.get_by_text("已签收。")).to_be_visible()
    second.get_by_label("答复模板").select_option(label="井盖已处置")
    reply = second.get_by_label("答复居民（公开）")
    expect(reply).to_have_value(re.compile(f"编号{reference}）已由{ticket['second']}安排人员"))
    expect(second.get_by_role("button", name="使用模板")).to_be_hidden()  # JavaScript filled it
    _save(second, shot, "ticket-template-filled")
    second.get_by_role("button", name="办结并答复").click()
    expect(second.get_by_text("已办结并答复居民。")).to_be_visible()
    second.context.close()

    resident = chromium.new_context(base_url=live_site.url, locale="zh-CN", **PHONE).new_page()
    resident.goto(TRACK.format(token=ticket["token"]))
    expect(resident.locator(".reply")).to_contain_text(
        f"编号{reference}）已由{ticket['second']}安排人员到场处理完毕"
    )
    expect(resident.locator("body")).not_to_contain_text("燃气公司，请改派")  # the send-back is internal
    _save(resident, shot, "track-reply")
    resident.context.close()
    assert live_site.query(
        "SELECT state, reply != '' FROM feedback_complaint WHERE id = ?", (ticket["pk"],)
    ) == [("resolved", 1)]
