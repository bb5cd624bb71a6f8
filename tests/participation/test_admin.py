"""Staff screens: scoped by community, personal data masked without the permission,
each action through the services."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from feedback.participation.models import Need, Wish
from tests.factories.feedback import StaffScopeFactory

from .conftest import make_need, make_wish

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_staff(django_user_model):
    group, _ = Group.objects.get_or_create(name="居民参与工作人员")
    perms = Permission.objects.filter(
        content_type__app_label="feedback",
        codename__in=[
            "view_need",
            "change_need",
            "view_wish",
            "change_wish",
            "view_resource",
            "add_resource",
        ],
    )
    admin_access = Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    group.permissions.add(*perms, admin_access)

    def make(username, *, communities=(), personal_data=False):
        user = django_user_model.objects.create_user(username=username, password="pw-123456")
        user.groups.add(group)
        if personal_data:
            user.user_permissions.add(
                Permission.objects.get(codename="view_personal_data", content_type__app_label="feedback")
            )
        StaffScopeFactory(user=user, communities=list(communities))
        return user

    return make


def test_list_scoped_by_community(client, community, other_community, make_staff):
    make_need(community, description="碧鸡社区的一条需求，需要帮忙修水管。")
    make_need(other_community, description="马街社区的一条需求，需要帮忙修电灯。")
    client.force_login(make_staff("biji", communities=[community]))
    html = client.get(reverse("feedback_need_modeladmin_index")).content.decode()
    assert "修水管" in html and "修电灯" not in html
    other = Need.objects.get(community=other_community)
    url = reverse("participation_action", args=["need", other.pk])
    assert client.get(url).status_code == 404


def test_phone_and_name_masked_without_permission(client, community, make_staff):
    need = make_need(community)
    url = reverse("participation_action", args=["need", need.pk])
    client.force_login(make_staff("plain", communities=[community]))
    html = client.get(url).content.decode()
    assert "138****5678" in html and "13812345678" not in html and "李秀英" not in html and "李**" in html
    client.force_login(make_staff("trusted", communities=[community], personal_data=True))
    html = client.get(url).content.decode()
    assert "13812345678" in html and "李秀英" in html


def test_branch_lists_then_registers_taker_and_completion(client, community, make_staff):
    need = make_need(community)
    url = reverse("participation_action", args=["need", need.pk])
    client.force_login(make_staff("biji", communities=[community]))
    page = client.get(url).content.decode()
    assert "支部下单" in page and "3栋502" not in page  # the suggested public text is masked
    client.post(url, {"action": "list", "list-public_text": ""})
    assert Need.objects.get(pk=need.pk).state == "submitted"
    client.post(url, {"action": "list", "list-public_text": "老人想请人每周帮忙买菜。"})
    client.post(url, {"action": "take", "take-taker_kind": "member", "take-taker_name": "在职党员 周明"})
    client.post(url, {"action": "complete", "complete-note": "已送菜两次。"})
    need.refresh_from_db()
    assert need.state == "done" and need.taker_kind == "member" and need.done_note == "已送菜两次。"
    assert need.events.filter(to_state="listed").get().actor.username == "biji"


def test_no_change_permission_is_403(client, community, django_user_model):
    need = make_need(community)
    user = django_user_model.objects.create_user(username="nobody", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    StaffScopeFactory(user=user, communities=[community])
    client.force_login(user)
    assert client.get(reverse("participation_action", args=["need", need.pk])).status_code == 403


def test_wish_moderation_and_fulfilment(client, community, make_staff):
    wish = make_wish(community)
    url = reverse("participation_action", args=["wish", wish.pk])
    client.force_login(make_staff("biji", communities=[community]))
    client.post(url, {"action": "list", "list-public_text": "独居老人想要一台收音机。"})
    assert Wish.objects.get(pk=wish.pk).state == "listed"
    from feedback.participation import services

    services.claim_wish(wish=wish, claimer_name="碧鸡小学", claimer_phone="13700002222")
    html = client.get(url).content.decode()
    assert "137****2222" in html and "13700002222" not in html
    client.post(url, {"action": "fulfil"})
    assert Wish.objects.get(pk=wish.pk).state == "fulfilled"
