"""Journey: 议事协商 on a phone. A resident proposes a topic, two neighbours (their own
phones) support it, the community's staff take it through screening, a meeting, a
resolution and the public notice in the admin, and it appears as a 实事 on the
community's report to residents."""

import re
import time

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, solve_captcha, wait_fill_time
from tests.browser.test_community_worker import staff_login

WORKER = "shequ_fuxing"  # a 复兴社区 worker: the community's party organisation role
TITLE = "5栋楼前增设非机动车棚"
PROMISE = "5栋楼前新建非机动车棚1处"


def _phone(chromium, live_site):
    return chromium.new_context(base_url=live_site.url, locale="zh-CN", **PHONE)


def test_resident_topic_goes_from_proposal_to_a_promise_on_the_report(chromium, live_site, desktop, shot):
    # A resident proposes.
    resident = _phone(chromium, live_site)
    page = resident.new_page()
    page.goto("/deliberation/new/")
    shown = time.monotonic()
    shot(page, "propose-form")
    page.get_by_label("所在社区").select_option(label="复兴街道 · 复兴社区")
    page.locator("#id_title").fill(TITLE)
    page.get_by_label("议题说明").fill("电动车停在楼道里充电，很危险。希望在楼前空地建车棚，装充电桩。")
    page.get_by_label("手机号").fill("13812345670")
    page.get_by_label("我已阅读并同意上方的个人信息保护告知").check()
    solve_captcha(page, live_site)
    wait_fill_time(page, shown)
    page.get_by_role("button", name="提交议题").click()
    page.wait_for_url(re.compile(r"/deliberation/[A-Z0-9]{8}/$"))
    topic_url = page.url
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator('[aria-current="step"]')).to_contain_text("收集民意")
    assert "13812345670" not in page.content()
    shot(page, "topic-collecting")
    resident.close()

    # Two neighbours support it, each from their own phone; pressing twice counts once.
    for n in range(2):
        neighbour = _phone(chromium, live_site)
        page = neighbour.new_page()
        page.goto(topic_url)
        page.get_by_role("button", name="附议").click()
        expect(page.get_by_role("status")).to_contain_text("已附议")
        page.get_by_role("button", name="附议").click()
        expect(page.get_by_role("status")).to_contain_text("只计一次")
        expect(page.locator("[data-support-count]")).to_have_text(str(n + 1))
        shot(page, f"supported-{n + 1}")
        neighbour.close()

    topic_pk = live_site.query("SELECT id FROM feedback_topic WHERE title = ?", (TITLE,))[0][0]
    report_pk = live_site.query(
        "SELECT r.page_ptr_id FROM notices_residentreportpage r JOIN home_community c ON c.id = r.community_id "
        "WHERE c.slug = 'fuxing' ORDER BY r.period_end DESC LIMIT 1"
    )[0][0]
    # Another journey may have left a draft of this report for review: publish its live
    # content again, as an editor withdrawing the draft would.
    live_site.shell(
        "from wagtail.models import WorkflowState\n"
        "from notices.models import ResidentReportPage\n"
        f"WorkflowState.objects.filter(object_id='{report_pk}', status='in_progress').update(status='cancelled')\n"
        f"p = ResidentReportPage.objects.get(pk={report_pk})\n"
        "p.save_revision().publish() if p.has_unpublished_changes else None"
    )

    # Staff take it through the steps in the admin's real forms.
    staff = desktop
    staff_login(staff, live_site, WORKER)
    staff.goto(f"/admin/deliberation/topic/{topic_pk}/")
    staff.locator("#id_decision_0").check()  # 列入议题
    staff.get_by_role("button", name="提交：党组织提议").click()
    expect(staff.get_by_text("“党组织提议”已办理")).to_be_visible()

    staff.locator("#id_held_on").fill("2026-11-28")
    staff.locator("#id_place").fill("复兴社区党群服务中心")
    staff.locator("#id_agenda").fill("1. 提议人介绍；2. 物业说明场地；3. 表决。")
    staff.locator("#id_minutes").fill("居民代表张秀英介绍了楼道充电的隐患，物业同意提供空地。")
    staff.locator("#id_count_resident_rep").fill("6")
    staff.locator("#id_count_property").fill("1")
    staff.locator("#id_orgs_property").fill("锦华物业")
    staff.locator("#id_count_grid_worker").fill("1")
    staff.get_by_role("button", name="提交：各方共同商议").click()
    expect(staff.get_by_text("“各方共同商议”已办理")).to_be_visible()

    # More votes than participants: a Chinese error next to the field, nothing saved.
    staff.locator("#id_text").fill("在5栋楼前空地新建非机动车棚，安装充电桩8个。")
    staff.locator("#id_votes_for").fill("9")
    staff.locator("#id_votes_against").fill("0")
    staff.locator("#id_votes_abstain").fill("0")
    staff.get_by_role("button", name="提交：会议决议").click()
    expect(staff.get_by_text("超过了参会人数 8 人")).to_be_visible()
    staff.locator("#id_votes_for").fill("7")
    staff.locator("#id_votes_abstain").fill("1")
    staff.get_by_role("button", name="提交：会议决议").click()
    expect(staff.get_by_text("“会议决议”已办理")).to_be_visible()

    staff.get_by_role("button", name="发布结果，开始公示").click()
    expect(staff.get_by_text("“结果公开”已办理")).to_be_visible()

    # The public notice, on a phone: the resolution and votes, the objection form.
    viewer = _phone(chromium, live_site)
    page = viewer.new_page()
    page.goto(topic_url)
    expect(page.locator('[aria-current="step"]')).to_contain_text("结果公开")
    expect(page.locator(".votes")).to_contain_text("赞成 7 票")
    expect(page.get_by_role("button", name="提出异议")).to_be_visible()
    assert "张秀英" not in page.content()
    shot(page, "topic-notice")

    # Too early to carry out; then the notice period ends (five days on).
    staff.locator("#id_promise_title").fill(PROMISE)
    staff.get_by_role("button", name="提交：督促落实").click()
    expect(staff.get_by_text("公示期尚未结束")).to_be_visible()
    live_site.shell(
        "from datetime import timedelta\nfrom django.utils import timezone\nfrom feedback.models import Topic\n"
        f"Topic.objects.filter(pk={topic_pk}).update(notice_ends_at=timezone.now() - timedelta(minutes=1))"
    )
    staff.goto(f"/admin/deliberation/topic/{topic_pk}/")
    staff.locator("#id_promise_title").fill(PROMISE)
    staff.get_by_role("button", name="提交：督促落实").click()
    expect(staff.get_by_text("“督促落实”已办理")).to_be_visible()

    # It is a 实事 on the community's report to residents.
    page.goto(topic_url)
    expect(page.locator('[aria-current="step"]')).to_contain_text("督促落实")
    page.get_by_role("link", name=re.compile("向居民报告")).click()
    expect(page.get_by_text(PROMISE)).to_be_visible()
    shot(page, "report-with-promise")
    viewer.close()
