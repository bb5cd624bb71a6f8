"""Journey: a moderator who may see residents' personal data signs in for the first time,
enrols an authenticator on the second-factor pages, keeps the recovery codes, and on the
next session gives a code; a mistyped password five times locks the account, in Chinese.
On a 390 px phone and a 1366 px desktop."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, admin_login, authenticator_code

PASSWORD = "Ginkgo-lane-2046-night"
CREATE_PRIVACY_STAFF = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
user, _ = get_user_model().objects.get_or_create(username=%r)
user.set_password(%r)
user.save()
user.groups.set([Group.objects.get(name="审核")])
user.user_permissions.add(Permission.objects.get(codename="view_personal_data", content_type__app_label="feedback"))
"""
VIEWPORTS = {
    "phone": PHONE,
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}


def _fits_the_width(page) -> None:
    overflow = page.evaluate("document.scrollingElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow} px wider than the screen"


@pytest.mark.parametrize("device", VIEWPORTS)
def test_personal_data_staff_enrol_an_authenticator_then_verify_each_session(
    chromium, live_site, shot, device
):
    username = f"journey_privacy_{device}"
    live_site.shell(CREATE_PRIVACY_STAFF % (username, PASSWORD))
    context = chromium.new_context(base_url=live_site.url, locale="zh-CN", **VIEWPORTS[device])
    page = context.new_page()
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()

    page.wait_for_url(re.compile(r"/admin/2fa/setup/"))
    expect(page.get_by_role("heading", name="开启双重验证", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="绑定身份验证器用的二维码")).to_be_visible()
    secret = page.locator("[data-otp-secret]").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", secret)
    _fits_the_width(page)
    shot(page, f"setup-{device}")

    page.get_by_label("验证码").fill("000000")
    page.get_by_role("button", name="确认并开启").click()
    expect(page.get_by_text("验证码不正确")).to_be_visible()
    shot(page, f"setup-wrong-code-{device}")
    page.wait_for_timeout(1100)  # django-otp waits a second after a wrong code
    code, step = authenticator_code(secret)
    page.get_by_label("验证码").fill(code)
    page.get_by_role("button", name="确认并开启").click()

    page.wait_for_url(re.compile(r"/admin/2fa/recovery-codes/"))
    codes = page.locator("[data-recovery-codes] code")
    expect(codes).to_have_count(10)
    _fits_the_width(page)
    shot(page, f"recovery-codes-{device}")
    page.get_by_role("link", name="我已保存，进入管理后台").click()
    page.wait_for_url("**/admin/")
    expect(page.locator("#main")).to_be_visible()
    context.close()

    # A new session (another day): the password, then the code of the moment.
    context = chromium.new_context(base_url=live_site.url, locale="zh-CN", **VIEWPORTS[device])
    page = context.new_page()
    page.goto("/admin/feedback/complaint/")  # the queue, with residents' contact details
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/2fa/verify/"))
    expect(page.get_by_role("heading", name="双重验证", level=1)).to_be_visible()
    _fits_the_width(page)
    shot(page, f"verify-{device}")
    code, _ = authenticator_code(secret, not_before_step=step + 1)
    page.get_by_label("验证码或恢复码").fill(code)
    page.get_by_role("button", name="验证并进入后台").click()
    page.wait_for_url("**/admin/feedback/complaint/")
    shot(page, f"queue-after-verify-{device}")
    context.close()


def test_five_wrong_passwords_lock_the_account_with_a_chinese_message(chromium, live_site, shot):
    live_site.shell(CREATE_PRIVACY_STAFF % ("journey_locked", PASSWORD))
    context = chromium.new_context(base_url=live_site.url, locale="zh-CN", **PHONE)
    page = context.new_page()
    page.goto("/admin/login/")
    for attempt in range(5):
        page.locator("#id_username").fill("journey_locked")
        page.locator("#id_password").fill(f"wrong-password-{attempt}")
        page.locator("form button[type=submit]").click()
        page.wait_for_load_state()
    message = page.locator(".messages .error")
    expect(message).to_contain_text("登录失败次数过多")
    expect(message).to_contain_text("15 分钟后再试")
    expect(page.locator("#id_username")).to_have_value("journey_locked")
    _fits_the_width(page)
    shot(page, "locked-phone")
    # The right password is refused too while the lock lasts.
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.locator(".messages .error")).to_contain_text("登录失败次数过多")
    context.close()


def test_demo_admin_signs_in_with_the_printed_password_and_an_authenticator(desktop, live_site):
    # The demo's superuser: its first sign-in leads straight into enrolment (README).
    admin_login(desktop, live_site)
    expect(desktop.locator("#main")).to_be_visible()
    assert "admin" in live_site.otp_secrets  # enrolled through the setup page in this run
