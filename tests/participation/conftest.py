"""Helpers for the participation tests: a community, needs and wishes in a given state."""

import json
import re

import pytest

from feedback.participation import services
from feedback.participation.members import services as members
from feedback.participation.points.models import PointRule, RewardItem, RuleSource
from tests.factories.feedback import StaffScopeFactory
from tests.factories.home import CommunityFactory


@pytest.fixture
def community(db):
    return CommunityFactory(name="碧鸡社区", slug="biji")


@pytest.fixture
def other_community(db):
    return CommunityFactory(name="马街社区", slug="majie")


def make_need(community, *, to="submitted", phone="13812345678", name="李秀英", rating=5, **kw):
    need = services.submit_need(
        kind=kw.pop("kind", "elderly"),
        community=community,
        description=kw.pop("description", "家住3栋502，老人腿脚不便，想请人每周帮忙买一次菜。"),
        phone=phone,
        name=name,
        preferred_time="周六上午",
        privacy_notice_version="v1",
    )
    order = ["listed", "taken", "done", "confirmed"]
    if to == "submitted":
        return need
    if to == "declined":
        return services.decline_need(need=need, reason="不属于社区服务范围", actor=None)
    for step in order[: order.index(to) + 1]:
        if step == "listed":
            need = services.list_need(
                need=need, public_text="老人腿脚不便，希望每周有人帮忙买菜。", actor=None
            )
        elif step == "taken":
            need = services.take_need(need=need, taker_name="西山区供电局党支部", taker_kind="unit")
        elif step == "done":
            need = services.complete_need(need=need, note="已安排党员每周六送菜上门。")
        elif step == "confirmed":
            need = services.confirm_need(need=need, rating=rating)
    return need


def make_wish(community, *, to="submitted", name="王建国", phone="13900001111", value=80):
    wish = services.submit_wish(
        community=community,
        title="一台收音机",
        description="独居老人，想听戏曲广播。",
        value_yuan=value,
        name=name,
        phone=phone,
        privacy_notice_version="v1",
    )
    order = ["listed", "claimed", "fulfilled"]
    if to == "submitted":
        return wish
    for step in order[: order.index(to) + 1]:
        if step == "listed":
            wish = services.list_wish(wish=wish, public_text="独居老人想要一台收音机听戏曲。", actor=None)
        elif step == "claimed":
            wish = services.claim_wish(wish=wish, claimer_name="碧鸡小学党支部", claimer_phone="13700002222")
        elif step == "fulfilled":
            wish = services.fulfil_wish(wish=wish)
    return wish


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
