"""我的待办 screens: a liaison sees only their unit's tickets, signs, posts progress, asks
for an extension, sends back and resolves through forms; errors in Chinese next to the
field with the typed value kept; a moderator decides extension requests."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.complaints import services
from feedback.complaints.models import ExtensionDecision, ExtensionRequest, SendBackReason, State
from tests.factories.feedback import ComplaintFactory

pytestmark = pytest.mark.django_db
TODO = reverse("feedback_unit_todo")


def _ticket(c):
    return reverse("feedback_unit_ticket", args=[c.pk])


def test_todo_lists_own_units_tickets_masked(client, dispatched, liaison, other_liaison, category, community):
    dispatched.description = "楼道堆满垃圾，联系电话13912345678"
    dispatched.save()
    client.force_login(liaison)
    page = client.get(TODO).content.decode()
    assert dispatched.reference in page and "未签收" in page
    assert "13912345678" not in page
    client.force_login(other_liaison)
    assert dispatched.reference not in client.get(TODO).content.decode()
    assert client.get(_ticket(dispatched)).status_code == 404


def test_todo_hidden_from_users_without_unit_role(client, moderator):
    client.force_login(moderator)
    assert client.get(TODO).status_code == 404


def test_todo_queries_do_not_grow(client, liaison, unit, category, community, moderator):
    client.force_login(liaison)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(TODO).status_code == 200
        return len(queries.captured_queries)

    def add(n):
        for _ in range(n):
            services.dispatch_complaint(
                complaint=ComplaintFactory(category=category, community=community), unit=unit, actor=moderator
            )

    add(1)
    measure()  # the first visit finds the site (kept per generation, portal.sites)
    one = measure()
    add(9)
    assert measure() == one


def test_sign_then_progress_internal_and_public(client, dispatched, liaison):
    client.force_login(liaison)
    response = client.post(_ticket(dispatched), {"action": "sign"}, follow=True)
    assert "已签收。" in response.content.decode()
    dispatched.refresh_from_db()
    assert dispatched.signed_by == liaison
    client.post(
        _ticket(dispatched),
        {"action": "progress", "progress-text": "内部：等待物业", "progress-visibility": "internal"},
    )
    page = client.get(_ticket(dispatched)).content.decode()
    assert "内部：等待物业" in page and "内部备注" in page
    track = client.get(reverse("feedback:track_token", args=[dispatched.tracking_token])).content.decode()
    assert "等待物业" not in track


def test_send_back_other_needs_note_and_keeps_choice(client, dispatched, liaison):
    client.force_login(liaison)
    response = client.post(
        _ticket(dispatched), {"action": "send_back", "send_back-reason": SendBackReason.OTHER}
    )
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert "须填写说明" in soup.get_text()
    assert soup.select_one("#id_send_back-reason option[selected]")["value"] == SendBackReason.OTHER
    dispatched.refresh_from_db()
    assert dispatched.handling_unit is not None
    reason = next(r for r in SendBackReason.values if r != SendBackReason.OTHER)
    response = client.post(
        _ticket(dispatched), {"action": "send_back", "send_back-reason": reason, "send_back-note": "不归我们"}
    )
    assert response.status_code == 302
    dispatched.refresh_from_db()
    assert dispatched.handling_unit is None and dispatched.send_back_reason == reason
    assert client.get(_ticket(dispatched)).status_code == 404


def test_extension_request_error_keeps_reason_then_moderator_decides(client, dispatched, liaison, moderator):
    client.force_login(liaison)
    response = client.post(
        _ticket(dispatched),
        {
            "action": "extension",
            "extension-new_deadline": dispatched.deadline.isoformat(),
            "extension-reason": "协调中",
        },
    )
    text = response.content.decode()
    assert "晚于原时限" in text and "协调中" in text
    later = dispatched.deadline + timedelta(days=7)
    client.post(
        _ticket(dispatched),
        {"action": "extension", "extension-new_deadline": later.isoformat(), "extension-reason": "协调中"},
    )
    request = ExtensionRequest.objects.get(complaint=dispatched)
    client.force_login(moderator)
    url = reverse("feedback_extension_requests")
    assert dispatched.reference in client.get(url).content.decode()
    refused = client.post(url, {"request": request.pk, "decision": "refuse", "reason": ""})
    assert "须填写原因" in refused.content.decode()
    client.post(url, {"request": request.pk, "decision": "approve", "reason": ""})
    request.refresh_from_db()
    dispatched.refresh_from_db()
    assert request.decision == ExtensionDecision.APPROVED and dispatched.deadline == later


def test_resolve_with_public_reply(client, dispatched, liaison):
    client.force_login(liaison)
    client.post(_ticket(dispatched), {"action": "sign"})
    short = client.post(_ticket(dispatched), {"action": "resolve", "resolve-reply": "好"})
    assert "不少于 5 个字" in short.content.decode()
    client.post(_ticket(dispatched), {"action": "resolve", "resolve-reply": "已清理完毕，感谢您的反映。"})
    dispatched.refresh_from_db()
    assert dispatched.state == State.RESOLVED and dispatched.reply == "已清理完毕，感谢您的反映。"


def test_menu_items_follow_the_roles(client, liaison, moderator):
    client.force_login(liaison)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    # The sidebar is JSON in the page: look for the links.
    requests_url = reverse("feedback_extension_requests")
    assert f'"url": "{TODO}"' in page and f'"url": "{requests_url}"' not in page
    client.force_login(moderator)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert f'"url": "{TODO}"' not in page and f'"url": "{requests_url}"' in page
