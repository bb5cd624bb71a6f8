"""Demo participation content: 三张清单 after Kunming Xishan's 居民点单、支部下单、部门接单,
and 微心愿. Idempotent (rows carry ``is_demo``; built only if none exist) and quick
(a few dozen rows through the real services). Names and phones are invented.
"""

import random
from datetime import timedelta

from django.db.models import F

from home.models import Community

from . import services
from .models import Need, NeedEvent, Resource, Wish

SEED = 20261202

NEEDS = [
    ("elderly", "独居老人腿脚不便，希望每周有人帮忙买一次菜、取药。", "周六上午"),
    ("elderly", "老人想学用智能手机挂号和视频通话，希望有人上门教。", "工作日下午"),
    ("disabled", "家中有轮椅使用者，单元门口台阶希望加装临时坡道。", ""),
    ("repair", "楼道声控灯坏了两周，晚上上下楼看不清。", "工作日晚上"),
    ("repair", "老房子厨房水龙头漏水，家里没人会修。", "周末"),
    ("policy", "想咨询灵活就业人员医保缴费和门诊报销政策。", "工作日"),
    ("policy", "孩子今年上小学，想了解入学登记需要准备哪些材料。", ""),
    ("culture", "小区老年合唱队想找一个周末排练的场地。", "周六下午"),
    ("culture", "希望暑假给小区孩子办几次书法和绘画兴趣课。", "暑假"),
    ("other", "小区门口共享单车乱停，希望志愿者帮忙劝导整理。", "早高峰"),
    ("elderly", "高龄老人需要陪同去医院复查，子女在外地。", "下周二上午"),
    ("repair", "家里老旧电线插座发烫，想请电工检查。", "尽快"),
]

TAKERS = [
    ("unit", "西山区供电局党支部"),
    ("unit", "西山区人社局机关党支部"),
    ("member", "在职党员 周明"),
    ("volunteer", "碧鸡志愿服务队"),
    ("unit", "马街小学党支部"),
    ("volunteer", "银龄志愿者 刘阿姨"),
]

WISHES = [
    ("一台收音机", "独居老人想听戏曲广播。", 80, "王建国"),
    ("一套小学生文具和书包", "困难家庭孩子秋季开学用。", 120, "李小雨"),
    ("一副老花镜", "老人看药品说明书吃力。", 50, "张桂芬"),
    ("一个电饭煲", "家里的电饭煲坏了，想换一个小的。", 150, "赵德明"),
    ("几本绘本", "孩子喜欢听故事。", 60, "陈思思"),
    ("一双防滑棉鞋", "冬天下楼怕滑倒。", 90, "刘秀兰"),
]

RESOURCES = [
    (
        "service",
        "家电义务维修",
        "西山区供电局党支部",
        "每月第一个周六在社区广场免费维修小家电、检查用电安全。",
        "每月第一个周六 9:00–12:00",
        "社区文化广场",
        "0871-68120001",
    ),
    (
        "skill",
        "法律咨询",
        "云岭律师事务所",
        "律师每周三到党群服务中心坐班，解答婚姻家庭、劳动纠纷、物业纠纷等问题。",
        "每周三 14:30–17:30",
        "党群服务中心二楼",
        "0871-68120002",
    ),
    (
        "venue",
        "活动室开放",
        "马街小学",
        "周末开放多功能厅，供社区文体队排练和讲座使用，需提前三天预约。",
        "周六、周日 9:00–17:00",
        "马街小学多功能厅",
        "0871-68120003",
    ),
    (
        "service",
        "义诊和健康讲座",
        "西山区人民医院党总支",
        "每季度一次义诊，测血压血糖，讲解慢病用药。",
        "每季度第二个周五上午",
        "党群服务中心一楼",
        "0871-68120004",
    ),
    (
        "service",
        "长者食堂助餐",
        "碧鸡社区长者食堂",
        "60 岁以上老人可预约午餐，行动不便的可送餐上门。",
        "每日 11:00–13:00",
        "碧鸡社区长者食堂",
        "0871-68120005",
    ),
    (
        "skill",
        "就业政策解读",
        "西山区人社局机关党支部",
        "讲解灵活就业社保、创业担保贷款、技能培训补贴。",
        "每月中旬一次",
        "",
        "0871-68120006",
    ),
    (
        "goods",
        "爱心衣物",
        "西山区慈善超市",
        "接收和发放过冬衣物，困难家庭凭社区证明领取。",
        "工作日 9:00–17:00",
        "福海街道慈善超市",
        "0871-68120007",
    ),
    (
        "service",
        "理发上门",
        "银龄志愿服务队",
        "为失能、半失能老人上门理发。",
        "每月最后一个周四",
        "",
        "0871-68120008",
    ),
]


def _move_back(item, model, event_model, event_field: str, by: timedelta) -> None:
    """Move a demo need's or wish's whole history ``by`` into the past, so that the demo's
    reports to residents (last quarter) count it: every time stamp it has, and its timeline."""
    stamps = {
        field.name: F(field.name) - by
        for field in model._meta.concrete_fields
        if field.get_internal_type() == "DateTimeField" and getattr(item, field.name) is not None
    }
    model.objects.filter(pk=item.pk).update(is_demo=True, **stamps)
    if event_model is not None:
        event_model.objects.filter(**{event_field: item}).update(at=F("at") - by)


def load(stdout=None) -> None:
    communities = list(Community.objects.order_by("pk")[:6])
    if not communities:
        return
    if not Resource.objects.filter(is_demo=True).exists():
        for i, (kind, title, provider, description, hours, address, phone) in enumerate(RESOURCES):
            Resource.objects.create(
                kind=kind,
                title=title,
                provider=provider,
                community=None if i % 3 == 1 else communities[i % len(communities)],
                description=description,
                hours=hours,
                address=address,
                contact_phone=phone,
                sort_order=i,
                is_demo=True,
            )
    if Need.objects.filter(is_demo=True).exists():
        return
    rng = random.Random(SEED)
    # Walk each need as far as its turn says: a spread over every state the list shows.
    ends = ["submitted", "listed", "listed", "taken", "done", "confirmed", "confirmed", "declined"]
    for i, (kind, text, when) in enumerate(NEEDS * 2):
        community = communities[i % len(communities)]
        need = services.submit_need(
            kind=kind,
            community=community,
            description=text,
            phone=f"139{rng.randrange(10**8):08d}",
            name=rng.choice(["李阿姨", "王叔叔", "张大爷", "赵女士", "陈先生", ""]),
            preferred_time=when,
            privacy_notice_version="2026-01",
        )
        end = ends[i % len(ends)]
        if end == "declined":
            services.decline_need(need=need, reason="已转“我要反映”由物业服务中心办理。", actor=None)
        elif end != "submitted":
            need = services.list_need(need=need, public_text=text, actor=None)
            if end in ("taken", "done", "confirmed"):
                taker_kind, taker_name = TAKERS[i % len(TAKERS)]
                need = services.take_need(need=need, taker_name=taker_name, taker_kind=taker_kind)
            if end in ("done", "confirmed"):
                need = services.complete_need(need=need, note="已上门服务，居民表示满意。")
            if end == "confirmed":
                services.confirm_need(
                    need=need, rating=rng.choice([5, 5, 4, 4, 3]), comment="服务很及时，谢谢！"
                )
        _move_back(need, Need, NeedEvent, "need", timedelta(days=rng.randrange(2, 150)))
    wish_ends = ["listed", "claimed", "fulfilled", "fulfilled", "submitted", "listed"]
    for i, (title, text, value, name) in enumerate(WISHES):
        wish = services.submit_wish(
            community=communities[i % len(communities)],
            title=title,
            description=text,
            value_yuan=value,
            name=name,
            phone=f"137{rng.randrange(10**8):08d}",
            privacy_notice_version="2026-01",
            posted_by_staff=i % 2 == 1,
        )
        end = wish_ends[i]
        if end != "submitted":
            wish = services.list_wish(wish=wish, public_text=f"{title}：{text}", actor=None)
        if end in ("claimed", "fulfilled"):
            wish = services.claim_wish(
                wish=wish,
                claimer_name=TAKERS[i % len(TAKERS)][1],
                claimer_phone=f"136{rng.randrange(10**8):08d}",
            )
        if end == "fulfilled":
            wish = services.fulfil_wish(wish=wish)
            services.thank_for_wish(wish=wish, message="心愿实现了，谢谢社区和好心人！")
        _move_back(wish, Wish, None, "wish", timedelta(days=rng.randrange(2, 150)))
    if stdout:
        stdout.write("participation: needs, wishes and resources loaded\n")
