"""Helpers for the evaluation tests: targets, moderators, the resident's form data."""

import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.evaluations.forms import EvaluationForm
from tests.factories.feedback import PropertyCompanyFactory, StaffScopeFactory
from tests.factories.home import CommunityFactory
from tests.factories.servicecatalog import StationIndexPageFactory, StationPageFactory


@pytest.fixture
def community(db):
    return CommunityFactory(name="复兴社区", slug="fuxing")


@pytest.fixture
def other_community(db):
    return CommunityFactory(name="昆仑社区", slug="kunlun")


@pytest.fixture
def station(home_page, community):
    index = StationIndexPageFactory(parent=home_page)
    return StationPageFactory(parent=index, title="复兴社区红色驿站", community=community)


@pytest.fixture
def company(community):
    return PropertyCompanyFactory(name="同心物业服务有限公司", communities=[community])


def form_data(**overrides) -> dict:
    """What a resident who rates a station four stars sends (with the protection fields)."""
    data = {
        "stars": "4",
        "comment": "",
        "name": "",
        "phone": "",
        "consent": "on",
        "captcha_0": "test",
        "captcha_1": "PASSED",
        **EvaluationForm.protection_data(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def moderator_group(db):
    group, _ = Group.objects.get_or_create(name="评议审核人员")
    perms = Permission.objects.filter(
        content_type__app_label="feedback", codename__in=["view_evaluation", "change_evaluation"]
    )
    admin_access = Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    group.permissions.add(*perms, admin_access)
    return group


@pytest.fixture
def make_moderator(moderator_group, django_user_model):
    def make(username="reviewer", *, communities=(), all_communities=False, group=True):
        user = django_user_model.objects.create_user(username=username, password="pw-123456")
        if group:
            user.groups.add(moderator_group)
        StaffScopeFactory(user=user, communities=list(communities), all_communities=all_communities)
        return user

    return make


def count_queries(client, url: str, *, forget: tuple[str, ...] = ()) -> int:
    """Queries the view runs for ``url``, past the page cache and Wagtail's warm-up;
    ``forget`` names targets whose cached score block must be rebuilt (worst case)."""
    from feedback.evaluations.selectors import forget_score_blocks

    # Twice: a site's first visit creates its settings row, which purges what was kept
    # per generation (the site and root page, portal.sites); a running site has it.
    client.get(url)
    client.get(url)
    forget_score_blocks(forget)
    probe = f"{url}{'&' if '?' in url else '?'}probe={uuid.uuid4().hex}"
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(probe)
    assert response.status_code == 200, url
    return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]])
