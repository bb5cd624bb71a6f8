"""A community no moderator covers is named on the dashboard of whoever assigns staff
scopes: its residents' reports would otherwise wait in a queue nobody opens."""
# ruff: noqa: F811 - pytest fixtures imported from tests.feedback.conftest and used by name

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission

from feedback.common.scopes import unwatched_communities
from tests.factories.feedback import StaffScopeFactory
from tests.factories.home import CommunityFactory, StreetFactory
from tests.feedback.conftest import make_moderator, moderator_group  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def streets(db):
    fuxing, youyi = StreetFactory(name="复兴街道"), StreetFactory(name="友谊街道")
    return {
        "fuxing": fuxing,
        "youyi": youyi,
        "zhunge": CommunityFactory(name="准噶尔社区", slug="zhunge", street=youyi),
        "qianqiu": CommunityFactory(name="千秋社区", slug="qianqiu", street=fuxing),
    }


def _warning(client, user) -> str:
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    block = BeautifulSoup(html, "html.parser").select_one(".feedback-unwatched")
    return block.get_text(" ", strip=True) if block else ""


def test_the_dashboard_names_communities_nobody_covers_until_someone_does(
    client, streets, make_moderator, django_user_model
):
    make_moderator("shenhe", streets=[streets["fuxing"]])  # a scope with a street and no community
    django_user_model.objects.create_superuser("root", password="pw-123456")  # does not count
    assert list(unwatched_communities()) == [streets["zhunge"]]

    keeper = make_moderator("keeper", communities=[streets["qianqiu"]])
    keeper.user_permissions.add(Permission.objects.get(codename="change_staffscope"))
    text = _warning(client, keeper)
    assert "友谊街道准噶尔社区" in text and "千秋社区" not in text and "工作人员负责范围" in text
    # A moderator who cannot assign scopes is not told what they cannot fix.
    assert _warning(client, django_user_model.objects.get(username="shenhe")) == ""

    make_moderator("youyi_mod", streets=[streets["youyi"]])
    assert list(unwatched_communities()) == []
    assert _warning(client, keeper) == ""


def test_an_inactive_moderator_or_one_without_the_permission_watches_nothing(
    streets, make_moderator, django_user_model
):
    gone = make_moderator("gone", all_communities=True)
    gone.is_active = False
    gone.save()
    viewer = django_user_model.objects.create_user("viewer", password="pw-123456")
    StaffScopeFactory(user=viewer, all_communities=True)  # a scope, but no moderation rights
    assert set(unwatched_communities()) == {streets["zhunge"], streets["qianqiu"]}
