"""Journey: on a phone a resident posts a need (点单) and a wish (微心愿), fixing a
mistake on the way; the public lists are screenshot at 390x844."""

import time

from playwright.sync_api import expect

from tests.browser.conftest import solve_captcha, wait_fill_time


def test_resident_posts_a_need_and_a_wish(phone, live_site, shot):
    page = phone
    for path, name in [
        ("/participation/needs/", "needs"),
        ("/participation/resources/", "resources"),
        ("/participation/projects/", "projects"),
        ("/participation/wishes/", "wishes"),
    ]:
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        shot(page, name)
        assert "139" not in page.locator("main").inner_text().replace("0871", "")

    page.goto("/participation/needs/")
    page.get_by_role("link", name="我要点单").first.tap()
    shown_at = time.monotonic()
    page.get_by_text("维修", exact=True).tap()
    page.get_by_label("所在社区").select_option(index=1)
    page.get_by_label("需要什么帮助").fill("厨房水龙头一直漏水，家里只有老人，想请人上门修一下。")
    page.get_by_label("希望服务时间（可不填）").fill("周六上午")
    page.get_by_label("手机号").fill("1398765")
    page.get_by_label("我已阅读并同意上方的个人信息保护告知").check()
    solve_captcha(page, live_site)
    wait_fill_time(page, shown_at)
    page.get_by_role("button", name="提交点单").tap()

    expect(page.locator("#error-summary")).to_contain_text("请填写 11 位手机号码")
    expect(page.get_by_label("需要什么帮助")).to_have_value(
        "厨房水龙头一直漏水，家里只有老人，想请人上门修一下。"
    )
    shot(page, "need-errors")
    page.get_by_label("手机号").fill("13987650512")
    solve_captcha(page, live_site)
    page.get_by_role("button", name="提交点单").tap()

    expect(page.locator("h1")).to_have_text("点单已提交")
    expect(page.locator("main")).to_contain_text("139****0512")
    shot(page, "need-submitted")
    page.get_by_role("link", name="查看进度").tap()
    expect(page.locator("main")).to_contain_text("待审核")
    expect(page.locator("main")).to_contain_text("居民点单")

    page.goto("/participation/wishes/new/")
    shown_at = time.monotonic()
    page.get_by_label("所在社区").select_option(index=1)
    page.get_by_label("我的心愿").fill("一台收音机")
    page.get_by_label("大约价值（元）").fill("500")
    page.get_by_label("姓名").fill("王建国")
    page.get_by_label("手机号").fill("13987650513")
    page.get_by_label("我已阅读并同意上方的个人信息保护告知").check()
    solve_captcha(page, live_site)
    wait_fill_time(page, shown_at)
    page.get_by_role("button", name="提交心愿").tap()
    expect(page.locator("#error-summary")).to_contain_text("微心愿不超过")
    expect(page.get_by_label("我的心愿")).to_have_value("一台收音机")
    page.get_by_label("大约价值（元）").fill("80")
    solve_captcha(page, live_site)
    page.get_by_role("button", name="提交心愿").tap()
    expect(page.locator("h1")).to_have_text("心愿已提交")
    expect(page.locator("main")).to_contain_text("王**")
    assert "王建国" not in page.locator("main").inner_text()
    shot(page, "wish-submitted")
