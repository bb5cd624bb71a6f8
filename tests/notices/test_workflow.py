"""Editors submit notices for review; only the 审核 group publishes them."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from notices.demo import NOTICE_WORKFLOW, REPORT_WORKFLOW, load_workflows
from tests.factories.notices import NoticePageFactory

pytestmark = pytest.mark.django_db


def _user(name: str, group: str):
    user = get_user_model().objects.create_user(name, password="pw-" + name)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def review(notice_index, report_index):
    load_workflows(notice_index, report_index)
    return notice_index.get_workflow()


def test_notices_and_reports_each_have_their_own_review_once(review, notice_index, report_index):
    load_workflows(notice_index, report_index)  # idempotent
    assert review.name == NOTICE_WORKFLOW
    assert [t.specific.groups.get().name for t in review.tasks] == ["审核"]
    notice = NoticePageFactory(parent=notice_index)
    assert notice.get_workflow() == review
    assert report_index.get_workflow().name == REPORT_WORKFLOW


def test_editor_may_submit_but_not_publish(review, notice_index):
    notice = NoticePageFactory(parent=notice_index)
    editor = _user("editor", "编辑")
    moderator = _user("moderator", "审核")
    assert notice.permissions_for_user(editor).can_publish() is False
    assert notice.permissions_for_user(editor).can_submit_for_moderation() is True
    assert notice_index.permissions_for_user(editor).can_add_subpage() is True
    assert notice.permissions_for_user(moderator).can_publish() is True


def _edit(client, notice, title, action):
    url = f"/admin/pages/{notice.pk}/edit/"
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data.update(nested_form_data({"body": streamfield([("paragraph", rich_text("<p>修改后的正文。</p>"))])}))
    data["title"] = title
    data[action] = "1"
    return client.post(url, data)


def test_editor_submission_goes_to_review_not_live(client, review, notice_index):
    notice = NoticePageFactory(parent=notice_index, title="原标题")
    editor = _user("editor", "编辑")
    client.force_login(editor)

    # Trying to publish directly only saves a draft: the live page is unchanged.
    response = _edit(client, notice, "编辑想直接发布", "action-publish")
    assert response.status_code == 302, response.content.decode()[:2000]
    notice.refresh_from_db()
    assert notice.title == "原标题" and notice.has_unpublished_changes

    response = _edit(client, notice, "编辑提交审核", "action-submit")
    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(notice.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow == review
    notice.refresh_from_db()
    assert notice.title == "原标题"
    assert client.get(notice.url).content.decode().count("编辑提交审核") == 0

    moderator = _user("moderator", "审核")
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")
    notice.refresh_from_db()
    assert notice.title == "编辑提交审核" and notice.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
