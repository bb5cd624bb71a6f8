"""答复模板: which templates fit a ticket (category, state), how placeholders are filled
(never with the resident's name or phone), the select in both resolve forms, 使用模板
without JavaScript, and the admin form for moderators."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.urls import reverse

from feedback.complaints import services
from feedback.complaints.models import State
from feedback.complaints.responses import ResponseTemplate, fill, templates_for
from feedback.complaints.unit_admin import ResolveForm
from tests.factories.feedback import ComplaintCategoryFactory

pytestmark = pytest.mark.django_db
BODY = "您反映的{category}问题（编号{reference}）已由{unit}处理完毕，{community}将持续跟进。"


@pytest.fixture
def fitting(category):
    return ResponseTemplate.objects.create(title="已办结通用", category=category, body=BODY)


def test_templates_fit_by_category_and_state(dispatched, category, fitting):
    everywhere = ResponseTemplate.objects.create(title="全部分类", body="已处理。")
    reopened_only = ResponseTemplate.objects.create(
        title="再次办理", states=State.REOPENED, body="已再次核查。"
    )
    ResponseTemplate.objects.create(title="其他分类", category=ComplaintCategoryFactory(), body="无关")
    ResponseTemplate.objects.create(title="停用", category=category, body="旧的", active=False)
    assert {t.title for t in templates_for(dispatched)} == {fitting.title, everywhere.title}
    dispatched.state = State.REOPENED
    assert reopened_only in templates_for(dispatched)


def test_fill_uses_ticket_facts_and_never_personal_data(dispatched):
    dispatched.name, dispatched.phone = "张阿姨", "13912345678"
    text = fill(BODY + "{name}{phone}{0.__class__}", dispatched)
    assert dispatched.reference in text and dispatched.handling_unit.name in text
    assert dispatched.community.name in text and dispatched.category.name in text
    assert "张阿姨" not in text and "13912345678" not in text
    assert "{name}{phone}{0.__class__}" in text  # unknown placeholders stay as typed


def test_unit_resolve_form_offers_filled_templates(dispatched, fitting):
    form = ResolveForm(prefix="resolve", complaint=dispatched)
    html = str(form["template"])
    option = BeautifulSoup(html, "html.parser").find("option", value=str(fitting.pk))
    assert option.text == "已办结通用"
    assert option["data-text"] == fill(BODY, dispatched)


def test_unit_use_template_without_js_fills_reply_and_saves_nothing(client, dispatched, liaison, fitting):
    client.force_login(liaison)
    url = reverse("feedback_unit_ticket", args=[dispatched.pk])
    page = client.post(
        url,
        {"action": "resolve", "resolve-template": str(fitting.pk), "resolve-reply": "", "use_template": "1"},
    )
    assert page.status_code == 200
    reply = BeautifulSoup(page.content, "html.parser").find("textarea", attrs={"name": "resolve-reply"})
    assert reply.text.strip() == fill(BODY, dispatched)
    dispatched.refresh_from_db()
    assert dispatched.state == State.DISPATCHED and dispatched.reply == ""


def test_unit_use_template_without_choice_says_so(client, dispatched, liaison, fitting):
    client.force_login(liaison)
    page = client.post(
        reverse("feedback_unit_ticket", args=[dispatched.pk]),
        {"action": "resolve", "resolve-template": "", "resolve-reply": "我写的答复", "use_template": "1"},
    ).content.decode()
    assert "请先选择答复模板。" in page and "我写的答复" in page


def test_moderator_use_template_keeps_version_and_resolve_works(client, dispatched, moderator, fitting):
    client.force_login(moderator)
    url = reverse("feedback_complaint_action", args=[dispatched.pk, "resolve"])
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    version = soup.find("input", attrs={"name": "version"})["value"]
    assert soup.find("option", value=str(fitting.pk))
    page = client.post(
        url, {"version": version, "template": str(fitting.pk), "reply": "", "use_template": "1"}
    )
    soup = BeautifulSoup(page.content, "html.parser")
    filled = soup.find("textarea", attrs={"name": "reply"}).text.strip()
    assert filled == fill(BODY, dispatched)
    assert soup.find("input", attrs={"name": "version"})["value"] == version
    dispatched.refresh_from_db()
    assert dispatched.state == State.DISPATCHED
    client.post(url, {"version": version, "template": str(fitting.pk), "reply": filled})
    dispatched.refresh_from_db()
    assert dispatched.state == State.RESOLVED and dispatched.reply == filled


def test_no_template_field_when_none_fit(client, dispatched, liaison):
    client.force_login(liaison)
    page = client.get(reverse("feedback_unit_ticket", args=[dispatched.pk])).content.decode()
    assert "答复模板" not in page and "使用模板" not in page


def test_moderator_manages_templates_with_checked_placeholders(client, make_moderator, community, category):
    user = make_moderator("tpl", communities=[community])
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_responsetemplate", "change_responsetemplate", "view_responsetemplate"]
        )
    )
    client.force_login(user)
    url = reverse("feedback_responsetemplate_modeladmin_create")
    data = {
        "title": "路灯已修复",
        "category": str(category.pk),
        "states": [State.IN_PROGRESS, State.REOPENED],
        "body": "您好，{community}的路灯已修复。联系{phone}",
        "active": "on",
        "sort_order": "0",
    }
    page = client.post(url, data).content.decode()
    assert "不认识的占位符：{phone}" in page and "路灯已修复" in page
    assert not ResponseTemplate.objects.exists()
    data["body"] = "您好，{community}的路灯已修复，编号{reference}。"
    assert client.post(url, data).status_code == 302
    saved = ResponseTemplate.objects.get()
    assert saved.state_list() == [State.IN_PROGRESS, State.REOPENED]
    assert (
        "处理中、重新办理"
        in client.get(reverse("feedback_responsetemplate_modeladmin_index")).content.decode()
    )
    edit = client.get(reverse("feedback_responsetemplate_modeladmin_edit", args=[saved.pk]))
    boxes = BeautifulSoup(edit.content, "html.parser").find_all("input", attrs={"name": "states"})
    assert {box["value"] for box in boxes if box.has_attr("checked")} == {State.IN_PROGRESS, State.REOPENED}


def test_liaison_cannot_reach_template_admin(client, liaison):
    client.force_login(liaison)
    response = client.get(reverse("feedback_responsetemplate_modeladmin_index"))
    assert response.status_code in (302, 403)


def test_resolved_with_template_shows_on_tracking(client, dispatched, liaison, fitting):
    services.sign_complaint(complaint=dispatched, actor=liaison)
    dispatched.refresh_from_db()
    services.resolve_complaint(complaint=dispatched, reply=fill(fitting.body, dispatched), actor=liaison)
    track = client.get(reverse("feedback:track_token", args=[dispatched.tracking_token])).content.decode()
    assert f"编号{dispatched.reference}" in track
