"""Journey: a second resident about to report the same broken lamp is shown the first
report while filling in the form, opens its public page and adds 我也遇到 instead.
Then the same, without JavaScript: the similar reports are a step of the form. 390×844.
"""

import re

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, solve_captcha, wait_fill_time
from tests.browser.steps import open_report_form

LAMP = "复兴路88号小区5栋东侧路灯不亮已经三天，晚上一片漆黑，行人看不清台阶。"


def _publish(live_site, reference: str) -> str:
    """What a moderator does (their own journey covers the screens): dispatch and approve."""
    code = f"""
from feedback.complaints import services
from feedback.models import Complaint
complaint = Complaint.objects.get(reference={reference!r})
complaint = services.dispatch_complaint(complaint=complaint, unit=complaint.category.default_unit, actor=None)
complaint = services.set_public_text(complaint=complaint, text={LAMP!r}, actor=None)
print(complaint.public_code)
"""
    return live_site.shell(code).strip().splitlines()[-1]


def _fill(page, description: str) -> None:
    page.get_by_label("投诉").check()
    page.get_by_label("问题分类").select_option(label="道路设施")
    page.get_by_label("所在社区").select_option(label="复兴社区")
    page.get_by_label("问题描述").fill(description)


def test_second_resident_finds_the_report_as_similar_and_adds_me_too(chromium, phone, live_site, shot):
    page = phone
    shown_at = open_report_form(page)
    _fill(page, LAMP)
    page.get_by_label("手机号").fill("13987650521")
    page.get_by_label(re.compile("同意隐去姓名和电话后")).check()
    page.get_by_label("我已阅读并同意").check()
    solve_captcha(page, live_site)
    wait_fill_time(page, shown_at)
    page.get_by_role("button", name="提交反映").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("反映已提交")
    reference = page.locator(".confirmation .reference").inner_text().strip()
    code = _publish(live_site, reference)

    second = chromium.new_context(base_url=live_site.url, locale="zh-CN", **PHONE).new_page()
    open_report_form(second)
    _fill(second, "5栋东侧的路灯坏了，晚上漆黑一片，老人走路看不清。")
    similar = second.locator("[data-similar]")
    expect(similar).to_be_visible(timeout=10_000)
    expect(similar).to_contain_text("本社区已有居民反映过类似问题")
    expect(similar).to_contain_text("路灯不亮已经三天")
    shot(second, "similar-while-typing")

    similar.get_by_role("link", name=re.compile("我也遇到")).tap()
    expect(second).to_have_url(re.compile(rf"/feedback/public/{code}/#metoo$"))
    expect(second.get_by_role("heading", level=1)).to_have_text("道路设施 · 复兴社区")
    body = second.locator("body")
    for personal in ("13987650521", "139****0521", reference):
        expect(body).not_to_contain_text(personal)
    expect(second.locator("[data-follower-count]")).to_have_text("0")
    second.wait_for_timeout(3500)  # a person reads before pressing (the form's fill time)
    second.get_by_text("有进展时短信告诉我（可选）").tap()
    second.get_by_label("有进展时短信告诉我", exact=True).check()
    second.get_by_label("手机号（仅在需要通知时填写）").fill("13987650522")
    second.get_by_label("我已阅读并同意个人信息保护告知").check()
    second.get_by_role("button", name="我也遇到").tap()
    expect(second.locator(".flash")).to_contain_text("已记录“我也遇到”")
    expect(second.locator("[data-follower-count]")).to_have_text("1")
    expect(body).not_to_contain_text("13987650522")
    shot(second, "public-page-after-me-too")

    rows = live_site.query(
        "SELECT f.notify, f.phone FROM feedback_complaintfollower f JOIN feedback_complaint c "
        "ON c.id = f.complaint_id WHERE c.reference = ?",
        (reference,),
    )
    assert rows == [(1, "13987650522")]
    second.goto("/feedback/public/")
    expect(second.get_by_role("link", name="道路设施 · 复兴社区").first).to_be_visible()
    expect(second.locator("body")).to_contain_text("1 位居民也遇到")
    second.context.close()

    # Without JavaScript: the first send shows the look-alike as a step, keeping what was typed.
    plain = chromium.new_context(base_url=live_site.url, locale="zh-CN", java_script_enabled=False, **PHONE)
    third = plain.new_page()
    shown_at = open_report_form(third)
    _fill(third, "小区5栋东侧路灯不亮，晚上一片漆黑。")
    third.get_by_label("手机号").fill("13987650523")
    third.get_by_label("我已阅读并同意").check()
    solve_captcha(third, live_site)
    wait_fill_time(third, shown_at)
    third.get_by_role("button", name="提交反映").tap()
    step = third.locator("#similar")
    expect(step).to_contain_text("本社区已有居民反映过类似问题")
    expect(step).to_contain_text("无需再输入验证码")
    expect(third.get_by_label("手机号")).to_have_value("13987650523")
    shot(third, "similar-step-without-javascript")
    third.get_by_role("button", name="仍然提交新的反映").tap()
    expect(third.get_by_role("heading", level=1)).to_have_text("反映已提交")
    plain.close()
