"""Staff see the admin in Chinese: the screens a moderator uses carry no stock English."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, Permission

from home.demo import MODERATORS
from notices.models import NoticePage
from servicecatalog.models import StationPage
from tests.factories.feedback import StaffScopeFactory

# What staff met in English on Wagtail 8's zh_Hans catalogue (issue 17) and more of the same.
ENGLISH = [
    "Schedule to publish",
    "Date updated",
    "Edited by",
    "Privacy and access",
    "Choose who can view",
    "Reading time",
    "Content metrics",
    "Readability",
    "Words",
    "Locking",
    "Anyone can edit this",
    "By 状态",
    "Moderators approval",
    "Password",
    "Page type",
    "Has child pages",
    "Exploring",
    "Search all pages",
    "Toggle checks",
    "Show issue",
    "This data explained",
    "Table headers",
    "Which cells should be displayed as headers",
    "Select a header option",
    "Go-live",
    "Once scheduled",
    "Choose when this",
    "Wagtail upgrade available",
    "Your pages and snippets in a workflow",
    "More bulk actions",
    "Shortcuts",
    "Save changes",
    "Refresh",
    "Go to the first error",
    "Sort by",
    "Disable custom ordering",
    "(blank)",
    "Why not",
    "Locked by",
    "Currently viewing",
    "Save your changes before leaving",
]


# Keys under which Wagtail's JSON (sidebar, block definitions, side panels) keeps display text.
LABEL_KEYS = {"label", "title", "text", "helpText", "help_text", "description", "placeholder", "heading"}


def _labels(data) -> list[str]:
    if isinstance(data, dict):
        found = [v for k, v in data.items() if k in LABEL_KEYS and isinstance(v, str)]
        return found + [s for v in data.values() for s in _labels(v)]
    if isinstance(data, list):
        return [s for v in data for s in _labels(v)]
    return []


class _Text(HTMLParser):
    """What a person reads or hears: text outside scripts, labelling attributes, and the
    labels in the JSON the admin's scripts render (the sidebar menu, block definitions)."""

    ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "data-w-tooltip-content-value"}

    def __init__(self):
        super().__init__()
        self.parts, self._skip, self._json = [], 0, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self._skip += 1
            self._json = attrs.get("type") == "application/json"
        for name, value in attrs.items():
            if not value:
                continue
            if name in self.ATTRIBUTES or (name == "value" and attrs.get("type") in ("submit", "button")):
                self.parts.append(value)
            elif value[:1] in "{[" and name.startswith("data-"):
                self._add_json(value)

    def _add_json(self, text):
        try:
            self.parts.extend(_labels(json.loads(text)))
        except ValueError:
            pass

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1
            self._json = False

    def handle_data(self, data):
        if self._json:
            self._add_json(data)
        elif not self._skip and data.strip():
            self.parts.append(data)


def readable(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(p.split()) for p in parser.parts)


@pytest.fixture
def moderator(demo_site, django_user_model):
    user = django_user_model.objects.create_user("zh_moderator", password="pw-123456")
    user.groups.add(Group.objects.get(name=MODERATORS))
    # The queue's permissions; the demo group's own are the roles work's (issue 17).
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="feedback", codename__in=["view_complaint", "change_complaint"]
        )
    )
    StaffScopeFactory(user=user, all_communities=True)
    return user


def _screens(demo_site):
    notice = NoticePage.objects.live().first()
    station = StationPage.objects.live().first()
    return {
        "dashboard": "/admin/",
        "explorer": f"/admin/pages/{demo_site.root_page_id}/",
        "notice list": f"/admin/pages/{notice.get_parent().pk}/",
        "notice edit": f"/admin/pages/{notice.pk}/edit/",
        "station edit": f"/admin/pages/{station.pk}/edit/",
        "queue": "/admin/feedback/complaint/",
    }


def test_moderator_screens_carry_no_stock_english(client, moderator, demo_site):
    client.force_login(moderator)
    found = {}
    for name, url in _screens(demo_site).items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        html = response.content.decode()
        assert '<html lang="zh-hans"' in html, name
        text = readable(html)
        hits = [phrase for phrase in ENGLISH if phrase in text]
        if hits:
            found[name] = hits
    assert found == {}


def test_queue_filter_titles_read_in_chinese(client, moderator):
    client.force_login(moderator)
    text = readable(client.get("/admin/feedback/complaint/").content.decode())
    assert {"按状态", "按社区", "按是否超期"} <= set(re.findall(r"按\w+", text))
    assert "By " not in text


def test_each_page_names_its_chinese_workflow(client, moderator, demo_site):
    client.force_login(moderator)
    station = StationPage.objects.live().first()
    text = readable(client.get(f"/admin/pages/{station.pk}/edit/").content.decode())
    assert "提交给红色驿站审核" in text


def test_admin_page_search_answers_in_chinese(client, moderator):
    # The admin's page search ("搜索所有页面…") used to fail with a 500 on SQLite.
    client.force_login(moderator)
    response = client.get("/admin/pages/search/", {"q": "通知"})
    assert response.status_code == 200
    text = readable(response.content.decode())
    assert "搜索" in text and not [phrase for phrase in ENGLISH if phrase in text]


@pytest.mark.django_db
def test_sign_in_page_is_in_chinese(client):
    text = readable(client.get("/admin/login/").content.decode())
    assert "登录管理后台" in text and "密码" in text
    assert not [
        p for p in ("Password", "Sign in", "Forgotten password", "Remember me", "Enter password") if p in text
    ]


def _js_catalogue(client) -> dict:
    body = client.get("/admin/jsi18n/").content.decode()
    return json.loads(re.search(r"const newcatalog = (\{.*?\});", body, re.S).group(1))


@pytest.mark.django_db
def test_admin_scripts_speak_chinese(client, admin_user):
    client.force_login(admin_user)
    catalogue = _js_catalogue(client)
    # The checks panel's figures and the rich-text editor's prompts are written by scripts.
    assert catalogue["Good"] == "良好"
    assert catalogue["%(num)s min"] == ["%(num)s 分钟"]
    assert catalogue["Insert a block"] == "插入块"
    assert catalogue["Add a comment"] == "添加一个评论"  # Wagtail's own zh_Hans entries still apply


def test_staff_meet_plain_chinese_where_the_stock_catalogues_read_wrong(client, moderator, demo_site):
    """Found by an outside check: tabs ending "- Wagtail", "正在检查", "批准 和发布" and
    Django's "必需字段" / "确保该变量至少包含 5 字符" on staff forms."""
    from django.utils import translation

    from feedback.complaints.admin_forms import ResolveForm
    from feedback.models import Complaint

    client.force_login(moderator)
    complaint = Complaint.objects.filter(state="dispatched").first()
    for url in (
        "/admin/",
        "/admin/feedback/complaint/",
        f"/admin/feedback/complaint/inspect/{complaint.pk}/",
    ):
        html = client.get(url).content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert title.strip().endswith("- 同心门户管理后台") and "Wagtail" not in title, url
    assert "正在检查" not in html and "查看" in title

    with translation.override("zh-hans"):
        for data, message in (
            ({}, "此项必填。"),
            ({"reply": "短"}, "至少 5 个字（现在 1 个字）。"),
            ({"reply": "长" * 2001}, "最多 2000 个字（现在 2001 个字）。"),
        ):
            form = ResolveForm(data, complaint=complaint)
            assert not form.is_valid() and form.errors["reply"] == [message]
        assert translation.gettext("%(label)s and Publish") % {"label": "批准"} == "批准并发布"
