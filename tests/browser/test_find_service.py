"""Journey 1: a resident finds 最低生活保障 from the home page and prints its checklist."""

import re

from playwright.sync_api import expect


def test_resident_finds_service_and_prints_materials_checklist(phone, shot, tmp_path):
    page = phone
    page.goto("/")
    shot(page, "home")

    page.get_by_role("navigation", name="快捷入口").get_by_role("link", name=re.compile("^办事指南")).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("办事指南")
    page.get_by_role("link", name="社会救助", exact=True).tap()
    expect(page).to_have_url(re.compile(r"category=social-assistance"))
    shot(page, "category")

    page.get_by_role("link", name=re.compile("最低生活保障")).first.tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("最低生活保障")
    materials = page.locator("ol.materials > li .material-name")
    names = materials.all_inner_texts()
    assert "居民身份证" in names and "户口簿" in names
    shot(page, "service")

    page.get_by_role("link", name=re.compile("打印材料清单")).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("材料清单"))
    checklist = page.get_by_role("checkbox")
    assert checklist.count() == len(names)
    for name in names:
        expect(page.get_by_role("checkbox", name=re.compile(re.escape(name)))).to_have_count(1)
    page.get_by_role("checkbox", name=re.compile("居民身份证")).check()
    shot(page, "checklist")

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.get_by_role("button", name="打印清单")).to_be_hidden()
    expect(checklist.first).to_be_visible()
    expect(checklist.first).to_be_checked()
    shot(page, "print-media")

    pdf = tmp_path / "checklist.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000
