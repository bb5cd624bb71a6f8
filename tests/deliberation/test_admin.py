"""Staff screens: the list scoped by community, each step's form calling its service,
Chinese errors next to the field with what was typed kept."""

import pytest
from django.urls import reverse

from feedback.deliberation.models import Step

from .conftest import propose, walk

pytestmark = pytest.mark.django_db


def test_list_shows_only_the_staff_communities(client, staff, community, other_community):
    propose(community, title="复兴的议题")
    propose(other_community, title="滨江的议题")
    client.force_login(staff)
    html = client.get(reverse("feedback_topic_modeladmin_index")).content.decode()
    assert "复兴的议题" in html and "滨江的议题" not in html


def test_other_community_topic_is_404(client, staff, other_community):
    topic = propose(other_community)
    client.force_login(staff)
    assert client.get(reverse("deliberation_topic_manage", args=[topic.pk])).status_code == 404


def test_screening_through_the_form(client, staff, community):
    topic = propose(community)
    client.force_login(staff)
    url = reverse("deliberation_topic_manage", args=[topic.pk])
    response = client.post(url, {"action": "step", "decision": "decline", "reason": ""})
    assert response.status_code == 200
    assert "不列入议题时，请填写向居民公开的理由。" in response.content.decode()
    topic.refresh_from_db()
    assert topic.step == Step.COLLECTING
    client.post(url, {"action": "step", "decision": "accept", "reason": ""})
    topic.refresh_from_db()
    assert topic.step == Step.PROPOSED


def test_too_many_votes_error_keeps_the_text(client, staff, community):
    topic = walk(propose(community), to="deliberating", actor=staff)
    client.force_login(staff)
    url = reverse("deliberation_topic_manage", args=[topic.pk])
    data = {"action": "step", "text": "施划车位", "votes_for": 11, "votes_against": 0, "votes_abstain": 0}
    html = client.post(url, data).content.decode()
    assert "超过了参会人数 10 人" in html and "施划车位" in html
    topic.refresh_from_db()
    assert topic.step == Step.DELIBERATING


def test_staff_answer_an_objection(client, staff, community):
    from feedback.deliberation import services

    topic = walk(propose(community), to="notice", actor=staff)
    objection = services.object_to_result(topic=topic, text="挡住单元门", phone="13900000002")
    client.force_login(staff)
    url = reverse("deliberation_topic_manage", args=[topic.pk])
    client.post(url, {"action": "answer", "objection": objection.pk, "answer": "已调整位置。"})
    objection.refresh_from_db()
    assert objection.answer == "已调整位置。"
    assert (
        "已调整位置。"
        in client.get(reverse("deliberation:detail", args=[topic.public_code])).content.decode()
    )


def test_staff_without_personal_data_permission_see_no_phone(client, staff, community):
    topic = propose(community, phone="13800138000")
    client.force_login(staff)
    html = client.get(reverse("deliberation_topic_manage", args=[topic.pk])).content.decode()
    assert "13800138000" not in html
