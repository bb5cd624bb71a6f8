"""Demo evaluations: property companies for the demo communities and a few hundred
residents' ratings over the last four quarters (stations, services, companies,
communities), with comments in every moderation state.

Deterministic (fixed seed), idempotent (rows carry ``is_demo``; built only if none
exist), quick (``bulk_create``). Company names, residents and phones are invented.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from home.models import Community
from servicecatalog.models import ServiceItemPage, StationPage

from .models import Evaluation, ModerationState, PropertyCompany, TargetType, target_key
from .quarters import quarter_bounds, recent_quarters
from .services import voter_key

SEED = 20260701

# name, contact, communities served (slugs), typical stars (how well residents rate it)
COMPANIES = [
    ("同心物业服务有限公司", "0871-6411 3101", ["fuxing", "chunyu"], 4.5),
    ("春晖物业管理有限公司", "0871-6411 3102", ["chunyu", "jinding"], 4.1),
    ("金盾物业服务有限公司", "0871-6411 3103", ["jinding"], 2.6),
    ("广和物业管理有限公司", "0871-6411 3104", ["guangling", "qianqiu"], 3.8),
    ("石梁安居物业服务有限公司", "0871-6411 3105", ["shiliang"], 3.2),
    ("昆仑家园物业管理有限公司", "0871-6411 3106", ["kunlun", "zhungeer"], 4.3),
    ("恒泰物业服务有限公司", "0871-6411 3107", ["qianqiu", "shiliang", "kunlun"], 2.9),
]

GOOD = {
    TargetType.COMPANY: [
        "报修当天就有师傅上门，态度也好。",
        "小区垃圾每天清运，楼道干净了很多。",
        "物业管家经常在群里通知停水停电，很贴心。",
        "电梯坏了两个小时就修好了，点赞。",
    ],
    TargetType.STATION: [
        "夏天进来喝口水、歇歇脚，很方便。",
        "充电柜好用，送外卖路过常来。",
        "工作人员很热情，还帮我把饭热了。",
        "站里很干净，有药箱和雨伞可以借。",
    ],
    TargetType.SERVICE: [
        "材料清单写得很清楚，一次就办好了。",
        "窗口工作人员耐心讲解，不用跑第二趟。",
        "网上预约后到现场十分钟就办完了。",
    ],
    TargetType.COMMUNITY: [
        "社区书记经常入户走访，有事找得到人。",
        "党群服务中心活动多，老人很喜欢来。",
        "网格员每周都来，反映的问题有回音。",
    ],
}
BAD = {
    TargetType.COMPANY: [
        "报修三次都没人来，物业电话也打不通。",
        "车库灯坏了一个月没人管，晚上很危险。",
        "物业费年年收，绿化却没人打理。",
    ],
    TargetType.STATION: [
        "写着开放，去了两次都锁着门。",
        "饮水机坏了好久没修。",
    ],
    TargetType.SERVICE: [
        "材料要求和网上写的不一样，白跑一趟。",
        "排队时间太长，窗口只开了一个。",
    ],
    TargetType.COMMUNITY: [
        "活动室开放时间太短，上班族用不上。",
        "反映的问题迟迟没有答复。",
    ],
}
# A comment is one of the sentences above with an opening and a closing of its own, and
# no comment is used twice: residents do not write the same words, so neither does the demo.
OPENINGS = {
    "good": ["", "上个月", "前几天", "周末", "去年冬天", "这季度", "我家老人说", "邻居推荐的，"],
    "bad": ["", "上个月", "前几天", "周末", "这季度", "第二次了，", "家里老人说"],
}
CLOSINGS = {
    "good": ["", "希望一直保持。", "给工作人员点赞。", "谢谢！", "比以前好多了。", "值得表扬。"],
    "bad": ["", "希望尽快改进。", "请有关部门重视。", "已经打过12345。", "希望有人回复。"],
}
ABUSE = ["差差差差差差差差", "刷分刷分，不要信", "广告：加微信领红包"]
HIDE_REASONS = ["含他人姓名和住址", "与评议对象无关", "含人身攻击用语"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高"


def load(stdout=None) -> None:
    communities = {c.slug: c for c in Community.objects.all()}
    if not communities:
        return
    companies = []
    for name, contact, slugs, mean in COMPANIES:
        company, _ = PropertyCompany.objects.update_or_create(name=name, defaults={"contact": contact})
        company.communities.set([communities[s] for s in slugs if s in communities])
        companies.append((company, mean))
    if Evaluation.objects.filter(is_demo=True).exists():
        return
    rows = _build(companies, list(communities.values()))
    Evaluation.objects.bulk_create(rows, batch_size=500)
    if stdout:
        stdout.write(f"  物业服务企业 {len(companies)} 家，居民评议 {len(rows)} 条")


def _build(companies, communities) -> list[Evaluation]:
    rng = random.Random(SEED)
    used: set[str] = set()
    now = timezone.now()
    today = timezone.localdate()
    stations = list(StationPage.objects.live().select_related("community").order_by("path")[:10])
    services = list(ServiceItemPage.objects.live().order_by("path")[:8])
    targets = [(TargetType.COMPANY, c, mean, list(c.communities.all())) for c, mean in companies]
    targets += [(TargetType.STATION, s, rng.uniform(3.4, 4.8), s.community) for s in stations]
    targets += [(TargetType.SERVICE, s, rng.uniform(3.6, 4.7), None) for s in services]
    targets += [(TargetType.COMMUNITY, c, rng.uniform(3.5, 4.7), c) for c in communities]
    rows, serial = [], 0
    for quarter in recent_quarters(today=today, count=4):
        start, end = quarter_bounds(quarter)
        end = min(end, today)
        for target_type, target, mean, community in targets:
            if target_type == TargetType.COMPANY:
                count = rng.randint(3, 14)  # some companies miss the minimum in some quarters
            elif target_type == TargetType.SERVICE:
                count = rng.randint(0, 5)
            else:
                count = rng.randint(0, 7)
            if end < start:
                continue
            for _ in range(count):
                serial += 1
                rows.append(
                    _evaluation(
                        rng, serial, quarter, start, end, now, target_type, target, mean, community, used
                    )
                )
    return rows


def _evaluation(
    rng, serial, quarter, start, end, now, target_type, target, mean, community, used
) -> Evaluation:
    day = start + timedelta(days=rng.randint(0, (end - start).days))
    at = datetime.combine(
        day, time(rng.randint(7, 21), rng.randint(0, 59)), tzinfo=timezone.get_default_timezone()
    )
    at = min(at, now - timedelta(minutes=serial))
    stars = max(1, min(5, round(rng.gauss(mean, 0.9))))
    if target_type == TargetType.COMPANY:
        community = rng.choice(community or [None])  # the resident lives in one of those served
    phone = f"139{serial:08d}" if rng.random() < 0.7 else ""
    comment, state, reason = _comment(rng, target_type, stars, used)
    dims = {
        f: (max(1, min(5, stars + rng.choice((-1, 0, 0, 1)))) if rng.random() < 0.6 else None)
        for f in ("attitude", "efficiency", "environment")
    }
    return Evaluation(
        target_type=target_type,
        target_key=target_key(target_type, target.pk),
        service=target if target_type == TargetType.SERVICE else None,
        station=target if target_type == TargetType.STATION else None,
        company=target if target_type == TargetType.COMPANY else None,
        community=community,
        quarter=quarter,
        stars=stars,
        **dims,
        comment=comment,
        name=rng.choice(SURNAMES) + rng.choice(["先生", "女士", "阿姨", "大爷", ""])
        if rng.random() < 0.6
        else "",
        phone=phone,
        voter_key=voter_key(phone=phone, device_token=f"demo-device-{serial}"),
        privacy_notice_version="2026-11",
        consented_at=at,
        state=state,
        hide_reason=reason,
        moderated_at=at + timedelta(hours=rng.randint(2, 30))
        if state != ModerationState.PENDING and comment
        else None,
        created_at=at,
        submitted_at=at,
        is_demo=True,
    )


def _distinct(rng, sentences: list[str], tone: str, used: set[str]) -> str:
    """A sentence with an opening and closing not used before, or "" when all are."""
    choices = [(o, s, c) for o in OPENINGS[tone] for s in sentences for c in CLOSINGS[tone]]
    rng.shuffle(choices)
    for opening, sentence, closing in choices:
        text = f"{opening}{sentence}{closing}"
        if text not in used:
            used.add(text)
            return text
    return ""


def _comment(rng, target_type, stars, used) -> tuple[str, str, str]:
    roll = rng.random()
    if roll < 0.03:
        return rng.choice(ABUSE), ModerationState.ABUSE, "同一设备短时间内大量提交，认定为刷分"
    if roll > 0.45:
        return "", ModerationState.APPROVED, ""
    tone = "good" if stars >= 4 else "bad"
    comment = _distinct(rng, (GOOD if tone == "good" else BAD)[target_type], tone, used)
    if not comment:
        return "", ModerationState.APPROVED, ""
    state = rng.choices(
        [ModerationState.APPROVED, ModerationState.PENDING, ModerationState.HIDDEN], weights=[70, 20, 10]
    )[0]
    reason = rng.choice(HIDE_REASONS) if state == ModerationState.HIDDEN else ""
    return comment, state, reason
