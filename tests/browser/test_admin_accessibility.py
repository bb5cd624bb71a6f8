"""Accessibility of the admin screens we own: axe finds no WCAG 2.2 AA violations in the
residents' reports queue, a report's detail and action forms, the dashboard's figures
panel and the second-factor account page, at a desktop width and a phone's.

Wagtail's own chrome (sidebar, header) is Wagtail's to keep accessible; axe looks at the
part each screen of ours renders (``main`` or our panel), which is what we can fix.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, admin_login
from tests.browser.test_accessibility import violations

WIDTHS = {"desktop": {"viewport": {"width": 1366, "height": 900}}, "phone": PHONE}


@pytest.fixture(scope="module", params=list(WIDTHS))
def moderator_page(request, chromium, live_site):
    """The demo street moderator (审核, personal data, so with a second factor)."""
    context = chromium.new_context(
        base_url=live_site.url, locale="zh-CN", bypass_csp=True, **WIDTHS[request.param]
    )
    page = context.new_page()
    admin_login(page, live_site, "shenhe", live_site.staff_password)
    yield page
    context.close()


def _open_report(live_site) -> int:
    return live_site.query(
        "SELECT c.id FROM feedback_complaint c JOIN home_community m ON m.id = c.community_id"
        " WHERE c.state = 'submitted' AND c.held = 0 AND m.name = '复兴社区' ORDER BY c.id LIMIT 1"
    )[0][0]


def _screens(live_site) -> list[tuple[str, str]]:
    pk = _open_report(live_site)
    return [
        ("/admin/", ".feedback-panel"),
        ("/admin/feedback/complaint/", "main"),
        ("/admin/feedback/complaint/?due=today", "main"),
        (f"/admin/feedback/complaint/inspect/{pk}/", "main"),
        (f"/admin/feedback/complaint/{pk}/dispatch/", "main"),
        (f"/admin/feedback/complaint/{pk}/reject/", "main"),
        (f"/admin/feedback/complaint/{pk}/hide/", "main"),
        ("/admin/2fa/recovery-codes/", "main"),
    ]


def test_admin_screens_we_own_have_no_wcag_violations(moderator_page, live_site):
    page = moderator_page
    failures = {}
    for path, selector in _screens(live_site):
        response = page.goto(path)
        assert response.ok, f"{path}: HTTP {response.status}"
        target = page.locator(selector).first
        expect(target).to_be_attached()
        found = violations(page, context=selector)
        if found:
            failures[path] = found
    assert failures == {}
