"""Journey 5: an editor drafts a notice and submits it for review; a moderator approves
it, and residents see it on the home page and in the feed — staff at a desktop width
(1366 px) and on a phone (390 px)."""

import re
import secrets

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, admin_login

PASSWORD = "journey-" + secrets.token_hex(6)
CREATE_STAFF = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
for username, group in (("journey_editor", "编辑"), ("journey_moderator", "审核")):
    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": username + "@example.cn"})
    user.set_password("%s")
    user.save()
    user.groups.set([Group.objects.get(name=group)])
"""


STAFF_SCREENS = {"desktop": {"viewport": {"width": 1366, "height": 900}}, "phone": PHONE}


@pytest.mark.parametrize("screen", list(STAFF_SCREENS))
def test_editor_notice_is_published_after_moderator_approves(chromium, live_site, shot, screen):
    staff_screen = STAFF_SCREENS[screen]
    live_site.shell(CREATE_STAFF % PASSWORD)
    title = "关于复兴社区" + secrets.token_hex(2).upper() + "号楼加装电梯意见征集的通知"
    index_id = live_site.query("SELECT id FROM wagtailcore_page WHERE url_path LIKE '%/notices/'")[0][0]

    editor_context = chromium.new_context(base_url=live_site.url, locale="zh-CN", **staff_screen)
    editor = editor_context.new_page()
    admin_login(editor, live_site, "journey_editor", PASSWORD)
    editor.goto(f"/admin/pages/add/notices/noticepage/{index_id}/")
    editor.locator("#id_title").fill(title)
    editor.locator("#id_issuing_body").fill("复兴街道办事处")
    editor.locator("#id_summary").fill("征集 3 号楼居民对加装电梯方案的意见，11 月 30 日前反馈至社区。")
    editor.get_by_role("button", name="选择 通知分类").click()
    editor.get_by_role("dialog").get_by_role("link", name="便民服务").click()
    editor.locator("[data-contentpath=body] button.c-sf-add-button").click()
    editor.get_by_role("option", name="段落").click()
    paragraph = editor.locator("[data-contentpath=body] [contenteditable=true]").first
    expect(paragraph).to_be_visible()
    paragraph.click()
    expect(paragraph).to_be_focused()
    editor.keyboard.type("加装电梯方案已在 3 号楼一楼公示栏张贴，欢迎居民提出意见。")
    expect(paragraph).to_contain_text("欢迎居民提出意见")
    # Draftail writes the text into its hidden input a moment later; submit only then.
    expect(editor.locator("input[name='body-0-value']")).to_have_value(re.compile("欢迎居民提出意见"))
    shot(editor, f"{screen}-editor-draft")
    editor.get_by_role("button", name="更多动作").first.click()
    editor.get_by_role("button", name="提交给通知公告审核").click()
    expect(editor.locator(".messages")).to_contain_text("已创建并提交审核")
    shot(editor, f"{screen}-editor-submitted")
    page_id = live_site.query("SELECT id FROM wagtailcore_page WHERE title = ?", (title,))[0][0]
    assert live_site.query("SELECT live FROM wagtailcore_page WHERE id = ?", (page_id,)) == [(0,)]
    # The slug Wagtail filled in from the Chinese title is stored in pinyin (home/slugs.py).
    slug = live_site.query("SELECT slug FROM wagtailcore_page WHERE id = ?", (page_id,))[0][0]
    assert slug.isascii() and slug.startswith("guanyu-fuxing-shequ"), slug

    resident_context = chromium.new_context(base_url=live_site.url, locale="zh-CN", **PHONE)
    resident = resident_context.new_page()
    resident.goto("/")
    expect(resident.get_by_role("link", name=title)).to_have_count(0)  # not before approval

    moderator_context = chromium.new_context(base_url=live_site.url, locale="zh-CN", **staff_screen)
    moderator = moderator_context.new_page()
    admin_login(moderator, live_site, "journey_moderator", PASSWORD)
    waiting = moderator.locator("#awaiting-review-section tr", has_text=title)
    expect(waiting).to_have_count(1)
    shot(moderator, f"{screen}-moderator-dashboard")
    waiting.get_by_role("button", name="动作").click()
    moderator.get_by_role("button", name="批准", exact=True).click()
    expect(moderator.locator("#awaiting-review-section tr", has_text=title)).to_have_count(0)
    shot(moderator, f"{screen}-moderator-approved")
    assert live_site.query("SELECT live FROM wagtailcore_page WHERE id = ?", (page_id,)) == [(1,)]

    resident.goto("/")
    link = resident.get_by_role("link", name=title)
    expect(link).to_have_count(1)
    shot(resident, f"{screen}-home-with-notice")
    link.tap()
    expect(resident.get_by_role("heading", level=1)).to_have_text(title)
    expect(resident.get_by_role("main")).to_contain_text("加装电梯方案已在 3 号楼一楼公示栏张贴")

    feed = resident.request.get("/notices/feed/")
    assert feed.ok and "xml" in feed.headers["content-type"]
    assert f"<title>{title}</title>" in feed.text()
    for context in (editor_context, moderator_context, resident_context):
        context.close()
