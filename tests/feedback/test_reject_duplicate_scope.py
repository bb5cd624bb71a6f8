"""The reject form's "duplicate of" check looks only at reports the moderator may see:
another community's reference gets the same answer as one that does not exist."""

import pytest
from django.urls import reverse

from feedback.complaints.concurrency import complaint_version
from feedback.models import Complaint, State
from tests.factories.feedback import ComplaintFactory
from tests.factories.home import CommunityFactory, StreetFactory

pytestmark = pytest.mark.django_db
NOT_FOUND = "没有找到这个编号的反映。"


def reject_as_duplicate(client, complaint, reference):
    return client.post(
        reverse("feedback_complaint_action", args=[complaint.pk, "reject"]),
        {"reason": "duplicate", "duplicate_of": reference, "version": complaint_version(complaint)},
    )


@pytest.fixture
def elsewhere(category):
    other = CommunityFactory(name="千秋社区", slug="qianqiu", street=StreetFactory(name="天长街道"))
    return ComplaintFactory(category=category, community=other)


def test_community_worker_cannot_learn_that_another_communitys_reference_exists(
    client, make_moderator, complaint, elsewhere
):
    client.force_login(make_moderator(communities=[complaint.community]))
    answers = [
        reject_as_duplicate(client, complaint, reference).content.decode()
        for reference in (elsewhere.reference, "ZZZZZZZZ")
    ]
    assert all(NOT_FOUND in html for html in answers)
    assert Complaint.objects.get(pk=complaint.pk).state == State.SUBMITTED


def test_duplicate_within_the_moderators_scope_is_accepted(client, make_moderator, complaint, category):
    mine = ComplaintFactory(category=category, community=complaint.community)
    client.force_login(make_moderator(communities=[complaint.community]))
    response = reject_as_duplicate(client, complaint, mine.reference.lower())
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == State.REJECTED and complaint.duplicate_of == mine
