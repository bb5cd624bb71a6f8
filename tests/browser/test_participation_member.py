"""A volunteer on a phone: signs in with an SMS code, registers with a community, takes a
listed need, logs hours the community confirms, earns points and redeems them."""

import re
import time

from playwright.sync_api import expect

from tests.browser.conftest import solve_captcha, wait_fill_time

MOBILE = "13900007777"
SETUP = """
from feedback.participation import services
from home.models import Community
community = Community.objects.order_by("pk").first()
need = services.submit_need(kind="elderly", community=community, description="独居老人想请人帮忙换灯泡。",
    phone="13812340000", name="张奶奶", preferred_time="周末", privacy_notice_version="v1")
services.list_need(need=need, public_text="独居老人家中灯泡坏了，想请人帮忙更换。", actor=None)
print(need.pk, community.pk)
"""
STAFF = """
from django.contrib.auth import get_user_model
from feedback.participation.members import services
from feedback.participation.members.models import Member, ServiceHours
admin = get_user_model().objects.filter(is_superuser=True).first()
member = Member.objects.get(phone="{phone}")
{action}
"""


def _code(live_site, before: int) -> str:
    (sms,) = live_site.sms_outbox()[before:]
    assert sms["to"] == "139****7777"
    return re.search(r"验证码为 (\d{6})", sms["text"]).group(1)


def test_member_signs_in_takes_a_need_logs_hours_and_redeems_points(phone, live_site, shot):
    page = phone
    need_pk, community_pk = live_site.shell(SETUP).split()[-2:]
    page.goto("/participation/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("志愿者登录")
    shown_at = time.monotonic()
    page.get_by_label("手机号").fill(MOBILE)
    solve_captcha(page, live_site)
    wait_fill_time(page, shown_at)
    shot(page, "signin")
    before = len(live_site.sms_outbox())
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("输入验证码")
    shown_at = time.monotonic()
    page.get_by_label("短信验证码").fill(_code(live_site, before))
    wait_fill_time(page, shown_at)
    shot(page, "verify")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("报到登记")
    page.get_by_label("称呼").fill("陈老师")
    page.get_by_label("在职党员").check()
    page.locator("select[name=community]").select_option(community_pk)
    shot(page, "register")
    page.get_by_role("button", name="提交报到").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的报到")
    expect(page.locator("body")).to_contain_text("待社区确认")
    expect(page.locator("body")).not_to_contain_text(MOBILE)
    live_site.shell(
        STAFF.format(
            phone=MOBILE,
            action="services.decide_registration(registration=member, actor=admin, verified=True)",
        )
    )
    page.goto("/participation/needs/")
    page.locator(f"a[href='/participation/needs/{need_pk}/take/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我来接单")
    shot(page, "take")
    page.get_by_role("button", name="确认接单").click()
    expect(page.locator("body")).to_contain_text("接单成功")
    shot(page, "me")
    page.get_by_role("link", name="我的服务时长").click()
    page.get_by_label("服务内容").fill("为张奶奶更换灯泡并检查线路")
    page.get_by_label("服务日期").fill(time.strftime("%Y-%m-%d", time.localtime(time.time() - 86400)))
    page.get_by_label("时长（小时）").fill("6")
    page.get_by_role("button", name="提交登记").click()
    expect(page.locator("body")).to_contain_text("已登记，等待社区确认")
    shot(page, "hours")
    live_site.shell(
        STAFF.format(
            phone=MOBILE,
            action="services.decide_hours(hours=ServiceHours.objects.get(member=member), actor=admin, confirmed=True)",
        )
    )
    page.reload()
    expect(page.locator(".me-progress")).to_contain_text("已确认服务 6 小时")
    page.get_by_role("link", name="我的积分").click()
    expect(page.locator(".me-balance")).to_contain_text("65")
    page.get_by_role("link", name="去兑换").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("积分兑换")
    shot(page, "catalogue")
    page.locator(".reward", has_text="长者食堂用餐补贴").get_by_role("button", name="兑换").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的积分")
    expect(page.locator("body")).to_contain_text("积分已冻结")
    expect(page.locator(".me-balance")).to_contain_text("5")
    expect(page.locator(".me-ledger")).to_contain_text("-60")
    shot(page, "points")
