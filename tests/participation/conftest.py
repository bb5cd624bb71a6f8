"""Participation fixtures: communities, staff scoped to one, members registered and verified."""

import json
import re

import pytest

from feedback.participation.members import services as members
from feedback.participation.points.models import PointRule, RewardItem, RuleSource
from tests.factories.feedback import StaffScopeFactory
from tests.factories.home import CommunityFactory


@pytest.fixture
def community(db):
    return CommunityFactory(name="福海社区", slug="fuhai")


@pytest.fixture
def other_community(db):
    return CommunityFactory(name="碧鸡社区", slug="biji")


@pytest.fixture
def staff(django_user_model, community):
    user = django_user_model.objects.create_user("fuhai-worker", password="x")
    StaffScopeFactory(user=user, communities=[community])
    return user


@pytest.fixture
def make_member(community, staff):
    def make(phone="13800001111", *, verified=True, kind="party_member", **kwargs):
        member = members.register_member(
            phone=phone,
            display_name="李老师",
            kind=kind,
            community=kwargs.pop("community", community),
            **kwargs,
        )
        if verified:
            member = members.decide_registration(registration=member, actor=staff, verified=True)
        return member

    return make


@pytest.fixture
def rules(db):
    PointRule.objects.create(source=RuleSource.HOURS, points=10)
    PointRule.objects.create(source=RuleSource.ACTIVITY, points=5, yearly_cap=20)
    PointRule.objects.create(source=RuleSource.NEED, points=8)


@pytest.fixture
def item(db):
    return RewardItem.objects.create(name="长者食堂用餐补贴", points_cost=30, stock=2)


@pytest.fixture
def outbox(settings, tmp_path):
    path = tmp_path / "sms.jsonl"
    settings.NOTIFY_OUTBOX = str(path)
    return lambda: [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def code_of(outbox) -> str:
    return re.search(r"验证码为 (\d{6})", outbox()[-1]["text"]).group(1)
