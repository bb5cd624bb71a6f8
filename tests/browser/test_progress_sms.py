"""Journey: a resident asks to be told of progress; the SMS arrives with their own link,
and the link alone opens the report on another phone session, without a captcha."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, solve_captcha, wait_fill_time
from tests.browser.steps import fill_report, open_report_form


def test_resident_gets_an_sms_whose_link_opens_the_report_without_captcha(chromium, phone, live_site, shot):
    page = phone
    mobile = "13987650377"
    shown_at = open_report_form(page)
    fill_report(page, phone=mobile)
    page.get_by_label("短信/邮件告诉我办理进展").check()
    page.get_by_label("电子邮箱（可不填）").fill("resident377@example.com")
    solve_captcha(page, live_site)
    wait_fill_time(page, shown_at)
    page.get_by_label("电子邮箱（可不填）").scroll_into_view_if_needed()
    shot(page, "form-with-consent")
    page.get_by_role("button", name="提交反映").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("反映已提交")
    reference = page.locator(".confirmation .reference").inner_text().strip()
    expect(page.locator(".notice-sms")).to_contain_text("139****0377")
    shot(page, "confirmation")

    # A moderator accepts and dispatches it (the admin journey is tests/browser/test_moderation.py).
    before = len(live_site.sms_outbox())
    live_site.shell(
        "from feedback.complaints import services; from feedback.models import Complaint, HandlingUnit;"
        f"c = Complaint.objects.get(reference={reference!r});"
        "services.dispatch_complaint(complaint=c, unit=c.category.default_unit or HandlingUnit.objects.first(), actor=None)"
    )
    sms = live_site.sms_outbox()[before:]
    assert len(sms) == 1, sms
    (message,) = sms
    assert message["reference"] == reference and message["to"] == "139****0377"
    assert mobile not in message["text"] and reference in message["text"]
    link = message["link"]
    assert re.fullmatch(rf"{re.escape(live_site.url)}/feedback/track/[\w-]{{32}}/", link), link

    # The resident taps the link in the SMS: a fresh browser, no cookie, no look-up.
    context = chromium.new_context(locale="zh-CN", **PHONE)
    sms_page = context.new_page()
    response = sms_page.goto(link)
    assert response.headers["referrer-policy"] == "strict-origin"
    expect(sms_page.get_by_role("heading", level=1)).to_have_text("办理进度")
    expect(sms_page.locator(".reference-inline")).to_have_text(reference)
    expect(sms_page.locator(".card").first).to_contain_text("已派单")
    expect(sms_page.locator(".card").first).to_contain_text("每一步会发短信到 139****0377")
    expect(sms_page.locator("input[name^='captcha']")).to_have_count(0)
    expect(sms_page.locator("body")).not_to_contain_text(mobile)
    shot(sms_page, "opened-from-sms")
    context.close()

    # The message log has it, with the number masked; the server log never shows the secret.
    rows = live_site.query(
        "SELECT n.channel, n.status, n.masked_address FROM feedback_notification n "
        "JOIN feedback_complaint c ON c.id = n.complaint_id WHERE c.reference = ? ORDER BY n.channel",
        (reference,),
    )
    assert rows == [("email", "sent", "r***@example.com"), ("sms", "sent", "139****0377")]
    token = link.rstrip("/").rsplit("/", 1)[1]
    server_log = live_site.db_path.parent / "server.log"
    if server_log.exists():
        assert token not in server_log.read_text(encoding="utf-8", errors="replace")


def test_resident_sees_all_reports_of_their_phone_after_an_sms_code(phone, live_site, shot):
    page = phone
    mobile = "13987650388"
    from tests.browser.steps import submit_report

    references = [submit_report(page, live_site, phone=mobile) for _ in range(2)]
    page.goto("/feedback/track/")
    page.get_by_role("link", name="忘了编号？用手机验证码查看我的全部反映").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的反映")
    shown_at = __import__("time").monotonic()
    page.get_by_label("手机号").fill(mobile)
    solve_captcha(page, live_site)
    wait_fill_time(page, shown_at)
    shot(page, "mine-phone")
    before = len(live_site.sms_outbox())
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("输入验证码")
    (sms,) = live_site.sms_outbox()[before:]
    assert sms["to"] == "139****0388"
    code = re.search(r"验证码为 (\d{6})", sms["text"]).group(1)
    shown_at = __import__("time").monotonic()
    page.get_by_label("短信验证码").fill(code)
    wait_fill_time(page, shown_at)
    page.get_by_role("button", name="查看我的反映").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的反映")
    for reference in references:
        expect(page.locator(".mine-list")).to_contain_text(reference)
    expect(page.locator("body")).not_to_contain_text(mobile)
    shot(page, "mine-list")
    page.get_by_role("link", name=references[0]).click()
    expect(page.locator(".reference-inline")).to_have_text(references[0])
