"""A handling unit's liaison on a phone (390x844): 我的待办 lists the unit's tickets, the
liaison signs one, posts an internal note and a public update, and sends another back
(退单) with a reason; it leaves the list. Screenshots under artifacts/browser/<test>/
and /tmp/shots-todo/."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, admin_login

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
