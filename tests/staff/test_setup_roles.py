"""``manage.py setup_roles`` for a real office: creates the roles, renames the legacy
groups instead of doubling them, repairs what is missing, removes nothing."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from wagtail.models import GroupPagePermission, Page

from home import roles
from tests.factories.home import CommunityFactory

pytestmark = pytest.mark.django_db

ROLE_NAMES = {"编辑", "审核", "社区工作人员", "承办单位", "管理员"}


def setup_roles() -> str:
    out = StringIO()
    call_command("setup_roles", stdout=out)
    return out.getvalue()


def snapshot():
    return {
        group.name: (
            sorted(group.permissions.values_list("content_type__app_label", "codename")),
            sorted(
                GroupPagePermission.objects.filter(group=group).values_list("page_id", "permission__codename")
            ),
            sorted(group.collection_permissions.values_list("collection_id", "permission__codename")),
        )
        for group in Group.objects.all()
    }


def test_roles_replace_the_stock_groups_keeping_their_members(django_user_model):
    stock_editors = Group.objects.get(name="Editors")  # made by Wagtail's migrations
    member = django_user_model.objects.create_user("old_editor")
    member.groups.add(stock_editors)
    out = setup_roles()
    assert set(Group.objects.values_list("name", flat=True)) == ROLE_NAMES
    assert Group.objects.get(name="编辑").pk == stock_editors.pk
    assert member.groups.get().name == "编辑"
    assert "社区工作人员" in out and "已创建" in out


def test_old_moderators_group_becomes_审核_and_an_office_group_is_left_alone():
    Group.objects.filter(name="Moderators").update(name="审核/工作人员")
    office = Group.objects.create(name="宣传科")
    office.permissions.add(Permission.objects.get(codename="view_street"))
    setup_roles()
    assert not Group.objects.filter(name__in=["审核/工作人员", "Moderators"]).exists()
    assert Group.objects.filter(name="审核").count() == 1
    assert list(Group.objects.get(name="宣传科").permissions.values_list("codename", flat=True)) == [
        "view_street"
    ]


def test_running_again_changes_nothing_and_repairs_what_was_removed():
    setup_roles()
    first = snapshot()
    setup_roles()
    assert snapshot() == first

    moderators = Group.objects.get(name="审核")
    moderators.permissions.remove(Permission.objects.get(codename="view_personal_data"))
    GroupPagePermission.objects.filter(group=moderators, permission__codename="publish_page").delete()
    extra = Permission.objects.get(codename="delete_street")
    moderators.permissions.add(extra)  # the office's own addition stays
    out = setup_roles()
    assert "补齐 2 项权限" in out
    repaired = snapshot()
    assert extra.codename in [c for _, c in repaired["审核"][0]]
    repaired["审核"][0].remove(("home", "delete_street"))
    assert repaired == first


def test_community_workers_get_page_rights_on_the_indexes_of_community_pages(site):
    from notices.models import ResidentReportIndexPage
    from servicecatalog.models import StationIndexPage

    home = site.root_page
    stations = home.add_child(instance=StationIndexPage(title="红色驿站", slug="stations"))
    reports = home.add_child(instance=ResidentReportIndexPage(title="向居民报告", slug="reports"))
    CommunityFactory()
    setup_roles()
    workers = Group.objects.get(name="社区工作人员")
    granted = set(
        GroupPagePermission.objects.filter(group=workers).values_list("page_id", "permission__codename")
    )
    assert granted == {(p.pk, c) for p in (stations, reports) for c in ("add_page", "change_page")}
    assert not GroupPagePermission.objects.filter(group=workers, page=Page.get_first_root_node()).exists()
    assert {m.__name__ for m in roles.community_page_models()} == {"StationPage", "ResidentReportPage"}


def test_a_role_naming_a_permission_that_does_not_exist_fails_loudly(monkeypatch):
    broken = roles.Role("测试角色", "", permissions={"feedback": ("view_complaints",)})
    monkeypatch.setattr(roles, "ROLES", (broken,))
    with pytest.raises(LookupError, match="feedback.view_complaints"):
        roles.apply_roles()
