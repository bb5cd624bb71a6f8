"""Demo of 12345-style dispatch: one staff account per handling unit (group 承办单位, the
demo staff password) and a ticket in every light and dispatch state: unsigned (red),
overdue (red), due soon (yellow), no progress (yellow), signed, sent back with a reason,
extension pending, a merged duplicate and a repeat; and the street's 答复模板 (reply
templates) for the commonest categories. Idempotent: the tickets carry
``is_demo`` and a ``dispatchdemo`` tracking token, made once."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from home.models import Community
from home.roles import HANDLING_UNITS

from .lights import _working_day_before
from .models import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    EventKind,
    ExtensionRequest,
    HandlingUnit,
    Kind,
    RejectReason,
    SendBackReason,
    State,
)
from .responses import ResponseTemplate
from .workdays import SHANGHAI, CalendarMissing, add_working_days

DEMO_PREFIX = "dispatchdemo"
UNIT_WORKER = "chengban"


def _accounts(password: str) -> list[str]:
    group, _ = Group.objects.get_or_create(name=HANDLING_UNITS)
    names = []
    for index, unit in enumerate(HandlingUnit.objects.order_by("pk"), start=1):
        username = f"unit{index}"
        user, _ = get_user_model().objects.update_or_create(
            username=username,
            defaults={"email": f"{username}@tongxin.example.cn", "first_name": unit.name, "is_staff": True},
        )
        user.set_password(password)
        user.save()
        user.groups.add(group)
        unit.members.add(user)
        names.append(f"{username}（{unit.name}）")
    return names


# (title, category name or "" for every category, states, body): replies as the street's
# 12345 desk writes them — what was done, by whom, what follows — with placeholders.
TEMPLATES = [
    (
        "环境卫生·已清运",
        "环境卫生",
        "",
        "您好，您反映的{community}卫生问题（编号{reference}）已由{unit}协调环卫公司当日清运，"
        "该点位已纳入网格员每日巡查。如再出现类似情况，欢迎继续反映。",
    ),
    (
        "道路设施·已修复",
        "道路设施",
        "",
        "您好，您反映的问题（编号{reference}）已由{unit}安排维修人员现场处置，设施已修复并复查。"
        "感谢您对{community}公共设施的关心。",
    ),
    (
        "物业管理·已督促整改",
        "物业管理",
        "",
        "您好，{unit}已约谈小区物业服务企业，督促其限期整改；社区将在“红黑榜”评议中跟踪整改情况。"
        "编号{reference}，如整改不到位请再次反映。",
    ),
    (
        "不满意后再次办理",
        "",
        State.REOPENED,
        "您好，收到您对编号{reference}办理结果的意见后，{unit}已再次上门核实并重新处置，"
        "社区网格员将在一周内回访。给您带来不便，敬请谅解。",
    ),
    (
        "通用·已办结",
        "",
        "",
        "您好，您反映的{category}问题（编号{reference}）已由{unit}办理完毕。"
        "如对办理结果有意见，可在进度查询页面评价，我们将重新办理。",
    ),
]


def _templates() -> int:
    categories = {c.name: c for c in ComplaintCategory.objects.all()}
    made = 0
    for order, (title, category, states, body) in enumerate(TEMPLATES):
        if category and category not in categories:
            continue
        ResponseTemplate.objects.get_or_create(  # a template staff edited stays as edited
            title=title,
            defaults={
                "category": categories.get(category),
                "states": states,
                "body": body,
                "sort_order": order,
            },
        )
        made += 1
    return made


def _plans(today, now, unit, moment) -> list[tuple[str, dict]]:
    """One ticket per light and state; raises ``CalendarMissing`` for a year not known."""
    three_back = _working_day_before(today, 3)
    five_back = _working_day_before(today, 5)
    return [
        (
            "未签收（红灯）",
            dict(dispatched_at=moment(three_back), deadline=add_working_days(start=today, days=5)),
        ),
        (
            "已超期（红灯）",
            dict(
                dispatched_at=moment(five_back - timedelta(days=7)),
                signed_at=moment(five_back),
                deadline=today - timedelta(days=1),
                state=State.IN_PROGRESS,
            ),
        ),
        (
            "今日到期（黄灯）",
            dict(
                dispatched_at=moment(three_back),
                signed_at=moment(three_back, 10),
                deadline=today,
                last_progress_at=now - timedelta(hours=2),
            ),
        ),
        (
            "久无进展（黄灯）",
            dict(
                dispatched_at=moment(five_back),
                signed_at=moment(five_back, 10),
                deadline=add_working_days(start=today, days=6),
            ),
        ),
        (
            "已签收",
            dict(
                dispatched_at=now - timedelta(hours=3),
                signed_at=now - timedelta(hours=1),
                deadline=add_working_days(start=today, days=7),
                phone="13600001111",
            ),
        ),
        (
            "退单",
            dict(
                state=State.SUBMITTED,
                handling_unit=None,
                send_back_reason=SendBackReason.WRONG_AREA,
                sent_back_at=now - timedelta(hours=5),
                sent_back_by_unit=unit,
            ),
        ),
        (
            "延期待审",
            dict(
                dispatched_at=moment(three_back),
                signed_at=moment(three_back, 10),
                deadline=add_working_days(start=today, days=2),
                state=State.IN_PROGRESS,
                last_progress_at=now - timedelta(hours=4),
            ),
        ),
        (
            "重复（已合并）",
            dict(
                state=State.CLOSED,
                handling_unit=None,
                reject_reason=RejectReason.DUPLICATE,
                closed_at=now - timedelta(hours=1),
            ),
        ),
        (
            "重复投诉",
            dict(
                phone="13600001111",
                created_at=now - timedelta(hours=1),
                state=State.SUBMITTED,
                handling_unit=None,
            ),
        ),
    ]


def load(stdout=None, *, password: str) -> None:
    templates = _templates()
    if stdout and templates:
        stdout.write(f"  答复模板 {templates} 条")
    accounts = _accounts(password)
    if stdout and accounts:
        stdout.write(f"  承办单位账号 {'、'.join(accounts)}，密码同演示工作人员")
    category = (
        ComplaintCategory.objects.filter(default_unit__isnull=False).select_related("default_unit").first()
    )
    if category is not None:
        # The demo's 承办单位 account (feedback.common.demo, chengban) works in the unit the
        # demo's tickets go to, so its 我的待办 is not empty.
        category.default_unit.members.add(*get_user_model().objects.filter(username=UNIT_WORKER))
    if Complaint.objects.filter(tracking_token__startswith=DEMO_PREFIX).exists():
        return
    community = Community.objects.order_by("pk").first()
    if category is None or community is None:
        return
    unit = category.default_unit
    liaison = unit.members.order_by("pk").first()
    now = timezone.now()
    today = timezone.localdate()

    def moment(day, hour=9):
        return datetime.combine(day, time(hour), tzinfo=SHANGHAI)

    try:
        plans = _plans(today, now, unit, moment)
    except CalendarMissing as missing:
        # The lights and deadlines cannot be shown without the year; nothing is guessed.
        if stdout:
            stdout.write(
                f"  派单演示工单未创建：缺少 {missing.year} 年的法定节假日安排（居民反映 → 节假日安排）"
            )
        return
    made = {}
    for index, (label, fields) in enumerate(plans):
        values = dict(
            reference=f"{today:%Y%m%d}-D{index:03d}",
            tracking_token=f"{DEMO_PREFIX}{index:04d}",
            kind=Kind.COMPLAINT,
            category=category,
            community=community,
            place="演示路1号",
            description=f"演示工单：{label}。小区门口路灯不亮，晚上出行不便。",
            phone="13600000000",
            privacy_notice_version="2026-11",
            consented_at=now,
            created_at=now - timedelta(days=8),
            state=State.DISPATCHED,
            handling_unit=unit,
            is_demo=True,
        )
        values.update(fields)
        values["consented_at"] = values["created_at"]
        if values.get("signed_at"):
            values["signed_by"] = liaison
        made[label] = Complaint.objects.create(**values)
    made["重复（已合并）"].duplicate_of = made["今日到期（黄灯）"]
    made["重复（已合并）"].save(update_fields=["duplicate_of"])
    ComplaintEvent.objects.create(
        complaint=made["退单"],
        title="退单",
        note="属地不符：该路段属邻街道管辖。",
        public=False,
        kind=EventKind.SENT_BACK,
        unit=unit,
        send_back_reason=SendBackReason.WRONG_AREA,
        at=now - timedelta(hours=5),
    )
    ComplaintEvent.objects.create(
        complaint=made["重复（已合并）"],
        title="合并为重复反映",
        kind=EventKind.MERGED,
        note=f"重复：与 {made['今日到期（黄灯）'].reference} 为同一问题，已合并办理。",
        to_state=State.CLOSED,
    )
    ExtensionRequest.objects.create(
        complaint=made["延期待审"],
        requested_deadline=add_working_days(start=today, days=7),
        reason="需协调供电部门更换线路。",
    )
    if stdout:
        stdout.write(f"  派单演示工单 {len(made)} 条（各预警灯与状态）")
