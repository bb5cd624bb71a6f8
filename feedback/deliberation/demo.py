"""Demo topics of 议事协商, one or more at every step, from the practices of the seed
documents: Tianchang's six steps solving 物业 problems (广陵社区, 天长街道), Karamay's
议事协商委员会 with units, companies and social organisations at the table (昆仑社区),
and compounds deciding their own major matters (加装电梯, 停车, 楼道堆物 in 复兴社区).

Walked through the real services by the demo administrator. Idempotent: a topic whose
title already exists in its community is left as it is; a 实事 link the report's own demo
reload removed is made again.
"""

import datetime
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from home.models import Community

from . import services
from .models import Step, Topic
from .services import Participants, Screening

ACTOR = "guanli"

MEETING = dict(
    place="社区党群服务中心议事厅",
    participants=[
        Participants(role="resident_rep", count=7),
        Participants(role="party_member", count=3),
        Participants(role="property", count=2, organisations="锦华物业服务有限公司"),
        Participants(role="unit", count=1, organisations="区供电所"),
        Participants(role="social_org", count=1, organisations="邻里互助会"),
        Participants(role="grid_worker", count=2),
    ],
)

# (community slug, title, description, step to reach, supports, extra)
TOPICS = [
    (
        "fuxing",
        "楼道堆物清理与消防通道畅通",
        "2栋、5栋楼道长期堆放纸箱、旧家具和电动车，遇到火灾逃生困难，希望定期清理并划定存放点。",
        Step.COLLECTING,
        14,
        {},
    ),
    (
        "fuxing",
        "小区夜间停车难",
        "晚上九点后车位不够，车辆停在消防通道和绿化带，建议施划错峰车位并与周边单位共享停车。",
        Step.NOTICE,
        38,
        {"resolution": "与区供电所签订共享停车协议，夜间开放 30 个车位；物业施划 12 个临时车位。"},
    ),
    (
        "fuxing",
        "复兴路12号院3单元加装电梯",
        "3单元住着 9 户老人，上下楼困难，希望加装电梯，费用按楼层分摊，低楼层住户的顾虑一并商量。",
        Step.IMPLEMENTING,
        26,
        {
            "resolution": "按楼层系数分摊费用，一层住户不出资，由社区协助申请加装电梯补贴。",
            "promise": "复兴路12号院3单元加装电梯",
            "progress": 40,
        },
    ),
    (
        "guangling",
        "物业服务费调整与公共收益公开",
        "物业提出上调服务费，居民希望先公开停车费、广告费等公共收益的收支再商量。",
        Step.DONE,
        52,
        {
            "resolution": "物业每季度在公示栏和本网站公开公共收益；服务费暂不上调，一年后再议。",
            "ratings": ("satisfied",) * 6 + ("basically",) * 3 + ("dissatisfied",),
        },
    ),
    (
        "guangling",
        "小区电梯频繁故障维修责任",
        "5号楼电梯一个月停了三次，物业和维保单位互相推诿，希望明确维修责任和时限。",
        Step.DELIBERATING,
        19,
        {},
    ),
    (
        "guangling",
        "垃圾分类投放点位置调整",
        "投放点离 6 栋窗户太近，夏天气味大，希望挪到小区东侧空地。",
        Step.RESOLVED,
        11,
        {"resolution": "投放点移至东侧空地，增设洗手池，物业每日清洗两次。"},
    ),
    (
        "kunlun",
        "社区广场舞噪音",
        "晚上广场舞音响声音大，影响临街住户休息，希望商定时间和音量。",
        Step.PROPOSED,
        23,
        {},
    ),
    (
        "kunlun",
        "楼顶违建拆除",
        "有住户在楼顶搭建彩钢房，希望议事会讨论拆除。",
        Step.DECLINED,
        4,
        {"reason": "楼顶违建属于城管执法事项，已转交街道综合执法队依法处理，不再列入议事议题。"},
    ),
    (
        "fuxing",
        "小区车位不够，希望增加停车位",
        "晚上回来找不到车位，只能停在路边，希望增加停车位。",
        Step.MERGED,
        2,
        {"merge_into": "小区夜间停车难"},
    ),
]

ORDER = [Step.PROPOSED, Step.DELIBERATING, Step.RESOLVED, Step.NOTICE, Step.IMPLEMENTING, Step.DONE]


def load(stdout=None) -> None:
    actor = get_user_model().objects.filter(username=ACTOR).first()
    if actor is None:
        return
    communities = {c.slug: c for c in Community.objects.all()}
    made = 0
    for slug, title, description, target, supports, extra in TOPICS:
        community = communities.get(slug)
        if community is None:
            continue
        topic = Topic.objects.filter(community=community, title=title).first()
        if topic is None:
            topic = _walk(community, title, description, target, supports, extra, actor, communities)
            made += 1
        _relink(topic, extra, actor)
    if stdout is not None and made:
        stdout.write(f"议事协商：新增 {made} 个示例议题\n")


def _walk(community, title, description, target, supports, extra, actor, communities) -> Topic:
    started = timezone.now() - timedelta(days=40)
    topic = services.propose_topic(
        community=community, title=title, description=description, phone="13800000000", name="居民"
    )
    for n in range(supports):
        services.support_topic(topic=topic, device_id=f"demo-{topic.pk}-{n}")
    if target == Step.COLLECTING:
        return _age(topic, started)
    if target == Step.DECLINED:
        services.screen_topic(topic=topic, actor=actor, decision=Screening.DECLINE, reason=extra["reason"])
        return _age(topic, started)
    if target == Step.MERGED:
        other = Topic.objects.get(community=community, title=extra["merge_into"])
        services.screen_topic(topic=topic, actor=actor, decision=Screening.MERGE, merge_into=other)
        return _age(topic, started)
    for step in ORDER[: ORDER.index(target) + 1]:
        topic.refresh_from_db()
        if step == Step.PROPOSED:
            services.screen_topic(topic=topic, actor=actor, decision=Screening.ACCEPT)
        elif step == Step.DELIBERATING:
            services.record_meeting(
                topic=topic,
                actor=actor,
                held_on=timezone.localdate() - datetime.timedelta(days=20),
                agenda=f"1. 提议人介绍“{title}”；2. 物业、驻区单位说明情况；3. 各方协商；4. 表决。",
                minutes="居民代表张秀英介绍了楼里老人的困难，物业经理说明了费用测算，"
                "驻区单位表示愿意共享场地，大家逐条讨论了方案。",
                **MEETING,
            )
        elif step == Step.RESOLVED:
            services.record_resolution(
                topic=topic,
                actor=actor,
                text=extra["resolution"],
                votes_for=14,
                votes_against=1,
                votes_abstain=1,
            )
        elif step == Step.NOTICE:
            services.publish_result(topic=topic, actor=actor)
            if target != Step.NOTICE:  # later steps: the notice period is over
                Topic.objects.filter(pk=topic.pk).update(notice_ends_at=timezone.now() - timedelta(days=2))
        elif step == Step.IMPLEMENTING:
            try:
                services.start_implementation(
                    topic=topic, actor=actor, promise_title=extra.get("promise", title)
                )
            except services.DeliberationError:
                return _age(topic, started)  # no report to residents in this community
        elif step == Step.DONE:
            services.update_progress(topic=topic, actor=actor, progress=100, note="已按决议落实。")
            for n, rating in enumerate(extra.get("ratings", ())):
                services.rate_outcome(topic=topic, device_id=f"demo-rate-{topic.pk}-{n}", rating=rating)
    if "progress" in extra:
        topic.refresh_from_db()
        services.update_progress(
            topic=topic, actor=actor, progress=extra["progress"], note="设备已进场安装。"
        )
    return _age(topic, started)


def _age(topic: Topic, started) -> Topic:
    Topic.objects.filter(pk=topic.pk).update(created_at=started)
    topic.refresh_from_db()
    return topic


def _relink(topic: Topic, extra, actor) -> None:
    """The notices demo re-creates its reports' 实事 on every load: link ours again."""
    if topic.step not in (Step.IMPLEMENTING, Step.DONE) or topic.promise_id:
        return
    page = services.current_report_page(topic.community)
    title = extra.get("promise", topic.title)
    promise = page.promises.filter(title=title).first() if page else None
    if promise is None and page is not None:
        services.publish_report_change(
            page, actor=actor, change=lambda p: p.promises.add(_promise(title, topic))
        )
        promise = page.promises.filter(title=title).order_by("-pk").first()
    if promise is not None:
        Topic.objects.filter(pk=topic.pk).update(promise=promise)


def _promise(title, topic):
    from notices.models import ReportPromise

    done = topic.step == Step.DONE
    return ReportPromise(
        title=title,
        progress=100 if done else topic.progress,
        status="done" if done else "in_progress",
        note=f"议事协商决议（{topic.public_code}）",
    )
