"""Helpers for the deliberation tests: a community with its report to residents, staff in
and out of its scope, and topics walked to a given step with the real services."""

import datetime

import pytest

from feedback.deliberation import services
from feedback.deliberation.services import Participants, Screening
from tests.factories.feedback import StaffScopeFactory
from tests.factories.home import CommunityFactory
from tests.factories.notices import ResidentReportIndexPageFactory, ResidentReportPageFactory


@pytest.fixture
def community(db):
    return CommunityFactory(name="复兴社区", slug="fuxing-d")


@pytest.fixture
def other_community(db):
    return CommunityFactory(name="滨江社区", slug="binjiang-d")


def deliberation_group():
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="议事协商工作人员")
    perms = Permission.objects.filter(
        content_type__app_label="feedback",
        codename__in=["view_topic", "change_topic", "view_objection", "change_objection"],
    )
    admin_access = Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    group.permissions.add(*perms, admin_access)
    return group


@pytest.fixture
def make_staff(django_user_model):
    def make(username="party", *, communities=()):
        user = django_user_model.objects.create_user(username=username, password="pw-123456")
        user.groups.add(deliberation_group())
        StaffScopeFactory(user=user, communities=list(communities))
        return user

    return make


@pytest.fixture
def staff(make_staff, community):
    return make_staff("party", communities=[community])


@pytest.fixture
def outsider(make_staff, other_community):
    return make_staff("elsewhere", communities=[other_community])


@pytest.fixture
def report(home_page, community):
    index = ResidentReportIndexPageFactory(parent=home_page)
    return ResidentReportPageFactory(
        parent=index, community=community, title="复兴社区2026年第四季度向居民报告", slug="fuxing-q4"
    )


def propose(community, **kwargs):
    kwargs.setdefault("title", "小区停车难")
    kwargs.setdefault("description", "晚上车位不够，消防通道被占。")
    kwargs.setdefault("phone", "138 0013 8000")
    return services.propose_topic(community=community, **kwargs)


def walk(topic, *, to, actor, votes=(9, 1, 0)):
    """Walk a topic along the happy path up to step ``to``."""
    order = ["proposed", "deliberating", "resolved", "notice"]
    for step in order[: order.index(to) + 1]:
        if step == "proposed":
            topic = services.screen_topic(topic=topic, actor=actor, decision=Screening.ACCEPT)
        elif step == "deliberating":
            services.record_meeting(
                topic=topic,
                actor=actor,
                held_on=datetime.date(2026, 11, 20),
                place="社区党群服务中心",
                agenda="商议停车位施划方案",
                participants=[
                    Participants(role="resident_rep", count=6),
                    Participants(role="property", count=2, organisations="锦华物业"),
                    Participants(role="grid_worker", count=2),
                ],
                minutes="居民代表张秀英（电话13900001111）建议夜间错峰停车。",
            )
        elif step == "resolved":
            services.record_resolution(
                topic=topic,
                actor=actor,
                text="施划 30 个夜间错峰车位。",
                votes_for=votes[0],
                votes_against=votes[1],
                votes_abstain=votes[2],
            )
        elif step == "notice":
            services.publish_result(topic=topic, actor=actor)
        topic.refresh_from_db()
    return topic
