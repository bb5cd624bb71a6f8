"""Demo complaints: handling units, categories and ~300 residents' reports.

Deterministic (fixed seed) and idempotent: reports carry ``is_demo=True`` and are
built only if none exist. They are spread over the demo communities and the last 12
months, in every state, with events that follow the real workflow's order; rows go in
with ``bulk_create`` so ``make run`` stays quick. Names and phones are invented.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from home.models import Community
from portal.personal_data import mask_personal_data

from .models import (
    OPEN_STATES,
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintFollower,
    EventKind,
    HandlingUnit,
    Kind,
    Rating,
    RejectReason,
    State,
    readable_category_code,
)
from .references import ALPHABET, PUBLIC_CODE_LENGTH
from .workflow import TransitionError, deadline_after, deadline_end

SEED = 20261122
REPORT_COUNT = 320

UNITS = [
    ("街道城管办", "0871-6411 2101"),
    ("社区居委会", "0871-6411 2102"),
    ("物业服务中心", "0871-6411 2103"),
    ("市政维修队", "0871-6411 2104"),
    ("派出所社区警务室", "0871-6411 2105"),
    ("街道民政办", "0871-6411 2106"),
    ("街道平安办", "0871-6411 2107"),
]

# name, hint, default unit, days, (description, reply) pairs
CATEGORIES = [
    (
        "环境卫生",
        "垃圾清运、卫生死角、污水",
        "街道城管办",
        5,
        [
            (
                "小区西门垃圾桶已经满溢两天，没人清运，气味很大。",
                "已协调环卫公司当日清运，并将该点位清运频次调整为每日两次。",
            ),
            (
                "楼道里堆放了很多废旧纸箱和杂物，存在消防隐患。",
                "网格员已上门劝导，杂物已于次日清理完毕，后续纳入每周巡查。",
            ),
            ("菜市场后面的排水沟堵塞，污水漫到人行道上。", "市政疏通队已完成清淤，排水恢复正常。"),
        ],
    ),
    (
        "道路设施",
        "路灯、井盖、破损路面",
        "市政维修队",
        10,
        [
            (
                "小区门口的路灯坏了一个多星期，晚上老人出门很不方便。",
                "维修队已更换灯具和线路，路灯恢复照明。",
            ),
            ("人行道上有一块井盖松动，踩上去会晃，怕有人摔倒。", "已更换新井盖并加固，现场已复查。"),
            (
                "公交站旁边路面有个大坑，下雨积水，电动车经过容易摔。",
                "已对破损路面进行修补，积水问题已解决。",
            ),
        ],
    ),
    (
        "物业管理",
        "电梯、门禁、公共维修",
        "物业服务中心",
        7,
        [
            (
                "3栋电梯这个月已经停了三次，每次都要等很久才有人来修。",
                "物业已联系电梯维保单位全面检修，更换了门机部件，并公布了维保电话。",
            ),
            ("单元门禁坏了，陌生人随便进出，住户担心安全。", "门禁系统已修复，物业增加了夜间巡逻。"),
            ("地下车库的照明一半不亮，晚上取车很害怕。", "物业已更换车库灯管 46 支，并改为感应照明。"),
        ],
    ),
    (
        "噪音扰民",
        "施工、商铺、广场舞噪音",
        "街道城管办",
        5,
        [
            (
                "楼下烧烤店每天营业到凌晨两点，音响声音很大，影响休息。",
                "城管队员已约谈店主，要求晚十点后停止外放音响并签订承诺书。",
            ),
            ("附近工地晚上十一点以后还在施工，噪音很大。", "经核查工地无夜间施工许可，已责令停止夜间作业。"),
        ],
    ),
    (
        "停车管理",
        "乱停乱放、车位",
        "街道平安办",
        7,
        [
            (
                "消防通道上长期停着几辆车，万一出事消防车进不来。",
                "已联合交警张贴告知单，并在通道两侧施划禁停标线。",
            ),
            ("共享单车堆在小区门口，把盲道都占了。", "已通知运营企业清运，并设置了规范停放区。"),
        ],
    ),
    (
        "为老服务",
        "助餐、上门服务、适老化",
        "街道民政办",
        10,
        [
            (
                "家里老人行动不便，想了解助餐服务怎么申请。",
                "社区工作人员已上门登记，老人已纳入助餐配送名单。",
            ),
            (
                "单元楼没有扶手，老年人上下楼很吃力，希望能加装。",
                "已纳入本年度适老化改造计划，扶手已安装完成。",
            ),
        ],
    ),
    (
        "邻里纠纷",
        "漏水、噪音、公共空间",
        "社区居委会",
        10,
        [
            (
                "楼上卫生间漏水到我家天花板，沟通几次都没解决。",
                "社区调解员组织双方协商，楼上住户已完成防水维修。",
            ),
            ("邻居在公共走廊养了很多盆栽，占了通道。", "网格员上门沟通，邻居已将盆栽移至阳台。"),
        ],
    ),
    (
        "治安防范",
        "可疑人员、防诈骗",
        "派出所社区警务室",
        5,
        [
            (
                "最近小区里有人挨家挨户推销保健品，老人容易上当。",
                "社区民警已开展防诈骗宣传，并加强了门岗登记。",
            ),
        ],
    ),
    (
        "其他",
        "以上都不是",
        "社区居委会",
        10,
        [
            ("社区活动室开放时间太短，下班后没法参加活动。", "活动室已调整为工作日晚上开放至九点。"),
            ("希望社区能多组织一些针对年轻人的志愿活动。", "社区已发布周末志愿服务招募，欢迎报名。"),
        ],
    ),
]

PLACES = ["小区西门", "3栋楼下", "菜市场后巷", "公交站旁", "地下车库", "社区广场", "5单元楼道", "幼儿园门口"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡"


def load(stdout=None) -> None:
    units = {
        name: HandlingUnit.objects.update_or_create(name=name, defaults={"phone": phone})[0]
        for name, phone in UNITS
    }
    categories = []
    for order, (name, hint, unit, days, samples) in enumerate(CATEGORIES):
        category, _ = ComplaintCategory.objects.update_or_create(
            name=name,
            defaults={
                "description": hint,
                "default_unit": units[unit],
                "default_days": days,
                "sort_order": order,
            },
            create_defaults={
                "description": hint,
                "default_unit": units[unit],
                "default_days": days,
                "sort_order": order,
                "code": readable_category_code(name),
            },
        )
        categories.append((category, samples))
    if Complaint.objects.filter(is_demo=True).exists():
        return
    communities = list(Community.objects.all())
    if not communities:
        return
    _build_reports(communities, categories)
    if stdout:
        stdout.write(f"  居民反映 {Complaint.objects.filter(is_demo=True).count()} 条")


def _at(day, rng) -> datetime:
    return datetime.combine(
        day, time(rng.randint(8, 20), rng.randint(0, 59)), tzinfo=timezone.get_default_timezone()
    )


def _build_reports(communities, categories) -> None:
    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    taken = set(Complaint.objects.values_list("reference", flat=True))
    complaints, plans = [], []
    for index in range(REPORT_COUNT):
        category, samples = rng.choice(categories)
        description, reply = rng.choice(samples)
        # The newest few dozen keep the queue busy (waiting, dispatched, overdue).
        age = rng.randint(0, 20) if index < 60 else int(rng.triangular(0, 365, 20))
        created_day = today - timedelta(days=age)
        created = min(_at(created_day, rng), now - timedelta(minutes=5 + index))
        while True:
            reference = f"{created_day:%Y%m%d}-" + "".join(rng.choice(ALPHABET) for _ in range(4))
            if reference not in taken:
                taken.add(reference)
                break
        complaint = Complaint(
            reference=reference,
            tracking_token=f"demo{index:04d}" + "".join(rng.choice(ALPHABET) for _ in range(28)),
            kind=rng.choice([Kind.COMPLAINT] * 4 + [Kind.HELP] * 3 + [Kind.QUESTION, Kind.SUGGESTION] * 2),
            category=category,
            community=rng.choice(communities),
            place=rng.choice(PLACES),
            description=description,
            name=rng.choice(SURNAMES) + rng.choice(["先生", "女士", "阿姨", "师傅", ""]),
            phone=f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}",
            allow_public=rng.random() < 0.6,
            privacy_notice_version="2026-11",
            consented_at=created,
            created_at=created,
            is_demo=True,
        )
        plans.append(_plan(complaint, category, reply, age, rng, now))
        complaints.append(complaint)
    Complaint.objects.bulk_create(complaints)
    events = []
    for complaint, plan in zip(complaints, plans, strict=True):
        for event in plan:
            event.complaint = complaint
            events.append(event)
    ComplaintEvent.objects.bulk_create(events)
    _add_followers(complaints, rng)


def _add_followers(complaints, rng) -> None:
    """Neighbours who pressed 我也遇到 on open public reports (demo: no phones, so
    nobody is ever sent a message)."""
    followers = [
        ComplaintFollower(
            complaint=complaint, device_key=f"demo:{complaint.pk}:{n}", created_at=complaint.created_at
        )
        for complaint in complaints
        if complaint.public_code and complaint.state in OPEN_STATES
        for n in range(rng.choice([0, 0, 1, 2, 3, 5]))
    ]
    ComplaintFollower.objects.bulk_create(followers)


def _plan(complaint, category, reply, age, rng, now) -> list[ComplaintEvent]:
    """Decide the report's fate by its age and write the events it went through."""
    created = complaint.created_at
    events = [
        ComplaintEvent(at=created, to_state=State.SUBMITTED, title="居民提交反映", kind=EventKind.STATE)
    ]

    def step(at, to, title, note="", public=True, frm=None):
        events.append(
            ComplaintEvent(
                at=min(at, now),
                from_state=frm or complaint.state,
                to_state=to,
                title=title,
                note=note,
                public=public,
                kind=EventKind.DISPATCHED if to == State.DISPATCHED else EventKind.STATE,
            )
        )
        complaint.state = to

    if age < 3 and rng.random() < 0.8:
        return events  # still waiting
    if rng.random() < 0.06:
        complaint.reject_reason = rng.choice([RejectReason.SPAM, RejectReason.OUT_OF_SCOPE])
        step(
            created + timedelta(hours=5),
            State.REJECTED,
            "不予受理",
            complaint.get_reject_reason_display() + "，如有疑问请拨打服务热线。",
        )
        return events
    dispatched = created + timedelta(hours=rng.randint(2, 30))
    try:
        deadline = deadline_after(start=timezone.localtime(dispatched).date(), days=category.default_days)
    except TransitionError:
        # The deadline falls in a year whose official calendar is not out yet
        # (dispatch.W020): a moderator could not dispatch it either, so it waits.
        return events
    if complaint.allow_public:
        # A moderator approved the masked description when accepting it (demo: the system).
        complaint.public_text = mask_personal_data(complaint.description)
        complaint.public_text_approved_at = min(created + timedelta(hours=2), now)
        complaint.public_code = "".join(rng.choice(ALPHABET) for _ in range(PUBLIC_CODE_LENGTH))
    unit = category.default_unit
    complaint.handling_unit = unit
    complaint.dispatched_at = min(dispatched, now)
    complaint.deadline = deadline
    step(
        dispatched,
        State.DISPATCHED,
        f"已派单至{unit.name}",
        f"承诺 {complaint.deadline:%Y年%m月%d日} 前办结。",
    )
    if age < 4:
        return events
    started = dispatched + timedelta(hours=rng.randint(3, 48))
    step(started, State.IN_PROGRESS, "承办单位开始处理", "已安排人员到现场核实。")
    # About one in six is still open; some of those run past the deadline.
    if age < 12 and rng.random() < 0.5 or rng.random() < 0.04:
        return events
    late = rng.random() < 0.12
    span = category.default_days + (rng.randint(1, 5) if late else -rng.randint(0, category.default_days - 1))
    resolved = created + timedelta(days=max(span, 0), hours=rng.randint(1, 8))
    if resolved >= now:
        return events
    complaint.reply = reply
    complaint.resolved_at = resolved
    complaint.resolved_on_time = resolved < deadline_end(complaint.deadline)
    step(resolved, State.RESOLVED, "已办结并答复", reply)
    roll = rng.random()
    if age < 15 and roll < 0.5:
        return events  # waiting for the resident's rating
    rated = resolved + timedelta(days=rng.randint(0, 3), hours=2)
    if roll < 0.62:
        complaint.rating, label = Rating.SATISFIED, "满意"
    elif roll < 0.80:
        complaint.rating, label = Rating.BASICALLY, "基本满意"
    elif roll < 0.87:
        complaint.reopen_count = 1
        if age < 40:
            step(
                rated,
                State.REOPENED,
                "居民不满意，重新办理",
                "居民评价：不满意。问题反复出现，希望彻底解决。",
            )
            complaint.reply = ""
            return events
        complaint.rating, label = Rating.DISSATISFIED, "不满意"
    else:
        complaint.closed_at = resolved + timedelta(days=8)
        step(complaint.closed_at, State.CLOSED, "逾期未评价，自动归档", "办结后 7 天内未评价，系统自动归档。")
        return events
    complaint.rated_at = complaint.closed_at = min(rated, now)
    step(
        rated,
        State.CLOSED,
        f"居民评价：{label}",
        "谢谢，处理得很及时。" if complaint.rating == Rating.SATISFIED else "",
    )
    return events
