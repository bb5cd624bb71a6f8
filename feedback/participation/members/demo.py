"""Demo content of 双报到 and 积分: a handful of the units and in-job members that report to
Kunming Xishan's communities (146 unit party organisations, 4,219 in-job members in the
source), the point rules, a catalogue of 30+ kinds cut down to the common ones, some
confirmed hours and their ledger entries. Idempotent: keyed by phone, name and source."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from home.models import Community

from ..points import services as points
from ..points.models import PointRule, RewardItem, RuleSource
from .models import HoursState, Member, MemberKind, Registration, ServiceHours, Unit

RULES = [(RuleSource.HOURS, 10, 0), (RuleSource.ACTIVITY, 5, 200), (RuleSource.NEED, 20, 400)]
CATALOGUE = [
    ("物业费减免 20 元", "抵扣当月物业费，由物业服务企业确认。", "小区物业服务中心", 200, 30),
    ("超市购物抵扣 10 元", "在社区合作超市结账时抵扣。", "社区合作超市", 100, 50),
    ("长者食堂用餐补贴 1 次", "可赠送给家中老人，在长者食堂使用。", "社区长者食堂", 60, 80),
    ("免费理发 1 次", "社区党群服务中心每月第一个周六。", "爱心理发志愿队", 40, 40),
    ("家电维修上门 1 次", "小家电检测维修，材料费另计。", "驻区单位志愿服务队", 80, 20),
    ("图书借阅卡（半年）", "社区书屋借阅，每次可借 3 本。", "社区书屋", 30, 100),
    ("亲子手工课 1 次", "周末亲子手工课堂名额。", "新时代文明实践站", 50, 25),
]
UNITS = [
    ("西山区人民医院党支部", "赵医生", "13700000101"),
    ("西山供电局党总支", "钱工", "13700000102"),
    ("前卫街道中心小学党支部", "孙老师", "13700000103"),
]
MEMBERS = [
    ("周老师", MemberKind.PARTY_MEMBER, "13700000201"),
    ("吴师傅", MemberKind.PARTY_MEMBER, "13700000202"),
    ("郑阿姨", MemberKind.VOLUNTEER, "13700000203"),
    ("王同学", MemberKind.VOLUNTEER, "13700000204"),
]
ACTIVITIES = [
    ("为独居老人上门理发", "2"),
    ("楼道清扫和小广告清理", "1.5"),
    ("义诊和测血压", "3"),
    ("政策宣讲", "2.5"),
]


def load(stdout=None) -> None:
    for source, value, cap in RULES:
        PointRule.objects.get_or_create(source=source, defaults={"points": value, "yearly_cap": cap})
    for order, (name, description, provider, cost, stock) in enumerate(CATALOGUE):
        RewardItem.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "provider": provider,
                "points_cost": cost,
                "stock": stock,
                "sort_order": order,
            },
        )
    communities = list(Community.objects.order_by("pk")[:2])
    if not communities:
        return
    now, today = timezone.now(), timezone.localdate()
    people = []
    for index, (name, contact, phone) in enumerate(UNITS):
        community = communities[index % len(communities)]
        unit, _ = Unit.objects.get_or_create(
            community=community,
            name=name,
            defaults={
                "contact_name": contact,
                "contact_phone": phone,
                "registration": Registration.VERIFIED,
                "decided_at": now,
            },
        )
        people.append((f"{contact}", MemberKind.UNIT_CONTACT, phone, community, unit))
    for index, (name, kind, phone) in enumerate(MEMBERS):
        people.append((name, kind, phone, communities[index % len(communities)], None))
    for index, (name, kind, phone, community, unit) in enumerate(people):
        member, created = Member.objects.get_or_create(
            phone=phone,
            defaults={
                "display_name": name,
                "kind": kind,
                "community": community,
                "unit": unit,
                "registration": Registration.VERIFIED if index != len(people) - 1 else Registration.PENDING,
                "decided_at": now,
            },
        )
        points.ensure_balance(member=member)
        if not created or not member.is_verified:
            continue
        for step, (activity, hours) in enumerate(ACTIVITIES[: 1 + index % 3]):
            entry = ServiceHours.objects.create(
                member=member,
                unit=unit,
                community=community,
                activity=activity,
                # Spread over the last four months, so last quarter's reports count some.
                served_on=today - timedelta(days=14 + 35 * step + 9 * (index % 5)),
                hours=Decimal(hours),
                state=HoursState.CONFIRMED if step < 2 else HoursState.PENDING,
                decided_at=now if step < 2 else None,
            )
            if entry.state == HoursState.CONFIRMED:
                points.award_for_hours(hours=entry)
    if stdout:
        stdout.write(f"Participation: {Member.objects.count()} members, {RewardItem.objects.count()} rewards")
