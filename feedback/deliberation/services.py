"""Every write to a deliberation topic goes through these functions (views, admin, demo, tests).

The six steps, and who may move a topic between them:

1. 收集民意 (``collecting``): a resident proposes (``propose_topic``) or staff record a
   topic raised at a meeting; residents support it (``support_topic``), once per device
   and per phone, only in this step.
2. 党组织提议 (``proposed``): the community's party organisation — staff whose scope
   covers the community — screens it (``screen_topic``): onto the agenda, merged into
   another open topic of the same community, or declined with a reason shown to the public.
3. 各方共同商议 (``deliberating``): the meeting (``record_meeting``).
4. 会议决议 (``resolved``): the resolution and votes (``record_resolution``); the votes
   cast cannot exceed the participants.
5. 结果公开 (``notice``): ``publish_result`` opens the notice period of
   ``DELIBERATION_NOTICE_DAYS``; residents may object only before it ends
   (``object_to_result``), staff answer (``answer_objection``).
6. 督促落实 (``implementing``): after the notice period and with every objection
   answered, ``start_implementation`` links a 实事 on the community's report to residents
   (creating it through a new published revision of that page); ``update_progress``
   follows it to 100 %, which makes the topic 已落实 (``done``), and then residents rate
   the outcome (``rate_outcome``), once per device.

Staff act only on communities ``feedback.common.scopes.communities_for`` gives them;
residents act with no user. Every step writes a ``TopicEvent`` on the public timeline in
the same transaction. A refused move raises ``DeliberationError`` with a Chinese message
shown as is.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from home.models import Community
from notices.models import ReportPromise, ResidentReportPage
from notices.vocab import PromiseStatus
from portal.personal_data import NAME_SURNAMES, mask_name, mask_personal_data, normalise_phone, strip_bidi

from ..common.scopes import communities_for
from ..complaints.models import Rating
from ..complaints.references import new_public_code
from .models import (
    Meeting,
    MeetingParticipant,
    Objection,
    OutcomeRating,
    ParticipantRole,
    Resolution,
    Source,
    Step,
    Support,
    Topic,
    TopicEvent,
)


class DeliberationError(Exception):
    """A rule refused the change; ``str(error)`` is shown to the person as is.

    ``field`` names the form field the message belongs next to, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotAllowed(DeliberationError):
    """The actor may not move this topic (outside their communities, or not staff)."""


def device_key(device_id: str) -> str:
    """What is stored of a device's random id: an HMAC, never the id itself."""
    return salted_hmac("feedback.deliberation.device", device_id).hexdigest()


def _event(topic: Topic, *, title: str, note: str = "", actor=None, step: str | None = None) -> TopicEvent:
    return TopicEvent.objects.create(
        topic=topic, step=step or topic.step, title=title, note=note, actor=actor, at=timezone.now()
    )


def _locked(topic: Topic) -> Topic:
    return Topic.objects.select_for_update().get(pk=topic.pk)


def ensure_staff_may_act(*, actor, community: Community) -> None:
    # The party organisation's role: the change permission on topics (the 议事协商
    # group of the demo), within the communities of the user's scope.
    if actor is None or not actor.is_authenticated or not actor.has_perm("feedback.change_topic"):
        raise NotAllowed("只有社区工作人员可以办理议事协商。")
    if not communities_for(actor).filter(pk=community.pk).exists():
        raise NotAllowed(f"您不负责{community.name}，不能办理该社区的议题。")


def _ensure_step(topic: Topic, *steps: str) -> None:
    if topic.step not in steps:
        wanted = "、".join(Step(s).label for s in steps)
        raise DeliberationError(
            f"该议题当前处于“{topic.get_step_display()}”，此操作只能在“{wanted}”阶段进行。"
        )


def _move(topic: Topic, step: str, *, title: str, note: str = "", actor=None, fields: Sequence[str] = ()):
    topic.step = step
    topic.save(update_fields=["step", *fields])
    _event(topic, title=title, note=note, actor=actor)
    return topic


# Minutes name people by their role ("居民代表张秀英建议…"), where the general detector's
# tagger often reads role and name as one word: a name right after a resident's role is
# masked here first, then the detector masks whatever else (phones, rooms, other names).
_ROLE_NAME = re.compile(
    r"(居民代表|居民|业主代表|业主|党员|楼栋长|楼长|志愿者|代表)([\u4e00-\u9fff]{2,3}?)"
    r"(?=[（(，,、。：:；;\s]|说|提|建|表|同|反|认|指|希|发|介|补|询|问|$)"
)


def public_minutes(text: str) -> str:
    """Meeting minutes as the public read them: no private resident's name or phone."""

    def mask(match):
        name = match.group(2)
        return match.group(1) + (mask_name(name) if name[0] in NAME_SURNAMES else name)

    return mask_personal_data(_ROLE_NAME.sub(mask, text))


# --- 1. 收集民意 ------------------------------------------------------------------------------


def propose_topic(
    *,
    community: Community,
    title: str,
    description: str,
    phone: str = "",
    name: str = "",
    privacy_notice_version: str = "",
    actor=None,
) -> Topic:
    """A resident's proposal (``actor=None``, phone required), or one staff record from a
    meeting (``actor`` staff of the community; source 会议提出, no phone needed)."""
    title, description, name = strip_bidi(title).strip(), strip_bidi(description).strip(), strip_bidi(name)
    phone = normalise_phone(phone) if phone else ""
    if actor is None:
        if not phone:
            raise DeliberationError("请填写手机号。", field="phone")
        source = Source.RESIDENT
    else:
        ensure_staff_may_act(actor=actor, community=community)
        source = Source.MEETING
    if not title:
        raise DeliberationError("请填写议题。", field="title")
    with transaction.atomic():
        topic = _create_with_unique_code(
            community=community,
            title=title,
            description=description,
            proposer_name=name,
            proposer_phone=phone,
            source=source,
            privacy_notice_version=privacy_notice_version,
        )
        _event(
            topic,
            title="居民提出议题" if source == Source.RESIDENT else "会议提出议题",
            note="开始征集居民附议。",
            actor=actor,
        )
    return topic


def _create_with_unique_code(**fields) -> Topic:
    for _attempt in range(8):
        try:
            with transaction.atomic():
                return Topic.objects.create(public_code=new_public_code(), **fields)
        except IntegrityError:
            continue
    raise RuntimeError("could not allocate a unique topic code")


def support_topic(*, topic: Topic, device_id: str, phone: str = "") -> bool:
    """附议: True if counted now; False if this device or phone already supported it.

    Only while the topic collects opinions; the caller throttles per address first.
    """
    phone = normalise_phone(phone) if phone else ""
    key = device_key(device_id)
    with transaction.atomic():
        topic = _locked(topic)
        _ensure_step(topic, Step.COLLECTING)
        same = Q(device_key=key) | Q(phone=phone) if phone else Q(device_key=key)
        if topic.supports.filter(same).exists():
            return False
        try:
            with transaction.atomic():
                Support.objects.create(topic=topic, device_key=key, phone=phone)
        except IntegrityError:  # a racing request of the same device or phone
            return False
        Topic.objects.filter(pk=topic.pk).update(support_count=F("support_count") + 1)
    return True


# --- 2. 党组织提议 ----------------------------------------------------------------------------


class Screening:
    ACCEPT = "accept"
    MERGE = "merge"
    DECLINE = "decline"
    CHOICES = ((ACCEPT, "列入议题"), (MERGE, "与其他议题合并"), (DECLINE, "不列入议题"))


def screen_topic(
    *, topic: Topic, actor, decision: str, reason: str = "", merge_into: Topic | None = None
) -> Topic:
    """The party organisation's screening of a topic that is collecting opinions."""
    ensure_staff_may_act(actor=actor, community=topic.community)
    reason = strip_bidi(reason).strip()
    with transaction.atomic():
        topic = _locked(topic)
        _ensure_step(topic, Step.COLLECTING)
        now = timezone.now()
        if decision == Screening.ACCEPT:
            topic.accepted_at = now
            topic.public_reason = reason
            return _move(
                topic,
                Step.PROPOSED,
                title="党组织提议列入协商议题",
                note=reason or f"共 {topic.support_count} 位居民附议。",
                actor=actor,
                fields=["accepted_at", "public_reason"],
            )
        if decision == Screening.MERGE:
            if merge_into is None:
                raise DeliberationError("请选择要并入的议题。", field="merge_into")
            if merge_into.pk == topic.pk or merge_into.community_id != topic.community_id:
                raise DeliberationError("只能并入同一社区的另一个议题。", field="merge_into")
            if merge_into.step in (Step.MERGED, Step.DECLINED, Step.DONE):
                raise DeliberationError("不能并入已结束的议题。", field="merge_into")
            topic.merged_into = merge_into
            topic.public_reason = reason or f"与“{merge_into.title}”内容相同，合并协商。"
            _move(
                topic,
                Step.MERGED,
                title="与其他议题合并",
                note=topic.public_reason,
                actor=actor,
                fields=["merged_into", "public_reason"],
            )
            _event(merge_into, title="并入相关议题", note=f"“{topic.title}”并入本议题。", actor=actor)
            return topic
        if decision == Screening.DECLINE:
            if not reason:
                raise DeliberationError("不列入议题时，请填写向居民公开的理由。", field="reason")
            topic.public_reason = reason
            return _move(
                topic,
                Step.DECLINED,
                title="未列入协商议题",
                note=reason,
                actor=actor,
                fields=["public_reason"],
            )
    raise DeliberationError("请选择处理方式。", field="decision")


# --- 3. 各方共同商议 --------------------------------------------------------------------------


@dataclass(frozen=True)
class Participants:
    role: str
    count: int
    organisations: str = ""


def record_meeting(
    *,
    topic: Topic,
    actor,
    held_on: date,
    place: str,
    agenda: str,
    participants: Sequence[Participants],
    minutes: str = "",
) -> Meeting:
    """The meeting at which all parties deliberate. Minutes go public with names and
    phones masked by the one detector; the text as typed stays for staff."""
    ensure_staff_may_act(actor=actor, community=topic.community)
    rows = [p for p in participants if p.count]
    if not rows:
        raise DeliberationError("请至少填写一类参会方的人数。", field="participants")
    for p in rows:
        if p.role not in ParticipantRole.values:
            raise DeliberationError("参会方身份不正确。", field="participants")
    if len({p.role for p in rows}) != len(rows):
        raise DeliberationError("同一身份请只填写一行。", field="participants")
    if held_on > timezone.localdate() + timedelta(days=365):
        raise DeliberationError("会议日期不正确。", field="held_on")
    with transaction.atomic():
        topic = _locked(topic)
        _ensure_step(topic, Step.PROPOSED)
        meeting = Meeting.objects.create(
            topic=topic,
            held_on=held_on,
            place=strip_bidi(place),
            agenda=strip_bidi(agenda),
            minutes=strip_bidi(minutes),
            public_minutes=public_minutes(strip_bidi(minutes)) if minutes else "",
        )
        MeetingParticipant.objects.bulk_create(
            MeetingParticipant(meeting=meeting, role=p.role, count=p.count, organisations=p.organisations)
            for p in rows
        )
        total = sum(p.count for p in rows)
        _move(
            topic,
            Step.DELIBERATING,
            title="召开协商议事会",
            note=f"{held_on:%Y年%m月%d日}在{meeting.place}召开，{total} 人参加。",
            actor=actor,
        )
    return meeting


# --- 4. 会议决议 ------------------------------------------------------------------------------


def record_resolution(
    *, topic: Topic, actor, text: str, votes_for: int, votes_against: int = 0, votes_abstain: int = 0
) -> Resolution:
    ensure_staff_may_act(actor=actor, community=topic.community)
    text = strip_bidi(text).strip()
    if not text:
        raise DeliberationError("请填写决议内容。", field="text")
    if min(votes_for, votes_against, votes_abstain) < 0:
        raise DeliberationError("票数不能为负数。", field="votes_for")
    with transaction.atomic():
        topic = _locked(topic)
        _ensure_step(topic, Step.DELIBERATING)
        total = topic.meeting.total_participants
        cast = votes_for + votes_against + votes_abstain
        if cast > total:
            raise DeliberationError(f"表决票数合计 {cast} 票，超过了参会人数 {total} 人。", field="votes_for")
        if cast == 0:
            raise DeliberationError("请填写表决结果。", field="votes_for")
        resolution = Resolution.objects.create(
            topic=topic,
            text=text,
            votes_for=votes_for,
            votes_against=votes_against,
            votes_abstain=votes_abstain,
        )
        topic.resolved_at = timezone.now()
        _move(
            topic,
            Step.RESOLVED,
            title="形成会议决议",
            note=f"赞成 {votes_for} 票，反对 {votes_against} 票，弃权 {votes_abstain} 票。",
            actor=actor,
            fields=["resolved_at"],
        )
    return resolution


# --- 5. 结果公开 ------------------------------------------------------------------------------


def publish_result(*, topic: Topic, actor) -> Topic:
    ensure_staff_may_act(actor=actor, community=topic.community)
    with transaction.atomic():
        topic = _locked(topic)
        _ensure_step(topic, Step.RESOLVED)
        days = int(settings.DELIBERATION_NOTICE_DAYS)
        topic.notice_ends_at = timezone.now() + timedelta(days=days)
        ends = timezone.localtime(topic.notice_ends_at)
        return _move(
            topic,
            Step.NOTICE,
            title="决议结果公示",
            note=f"公示 {days} 天，至 {ends:%Y年%m月%d日 %H:%M}。公示期内居民可提出异议。",
            actor=actor,
            fields=["notice_ends_at"],
        )


def object_to_result(*, topic: Topic, text: str, phone: str) -> Objection:
    """A resident's objection, only before the notice period ends."""
    text = strip_bidi(text).strip()
    phone = normalise_phone(phone)
    if not text:
        raise DeliberationError("请填写异议内容。", field="text")
    if not phone:
        raise DeliberationError("请填写手机号。", field="phone")
    with transaction.atomic():
        topic = _locked(topic)
        if not topic.notice_open:
            raise DeliberationError("该议题不在公示期内，不能提出异议。")
        objection = Objection.objects.create(
            topic=topic, text=text, public_text=mask_personal_data(text), phone=phone
        )
        _event(topic, title="居民提出异议", note="工作人员将在公示期结束前后答复。")
    return objection


def answer_objection(*, objection: Objection, actor, answer: str) -> Objection:
    topic = objection.topic
    ensure_staff_may_act(actor=actor, community=topic.community)
    answer = strip_bidi(answer).strip()
    if not answer:
        raise DeliberationError("请填写答复内容。", field="answer")
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.answered_at:
            raise DeliberationError("该异议已经答复过。")
        objection.answer = answer
        objection.answered_at = timezone.now()
        objection.save(update_fields=["answer", "answered_at"])
        _event(topic, title="答复居民异议", note=answer, actor=actor)
    return objection


# --- 6. 督促落实 ------------------------------------------------------------------------------


def current_report_page(community: Community) -> ResidentReportPage | None:
    """The community's report to residents now: the live one whose period is latest."""
    return (
        ResidentReportPage.objects.live().filter(community=community).order_by("-period_end", "-pk").first()
    )


def publish_report_change(page: ResidentReportPage, *, actor, change) -> ResidentReportPage:
    """Change the live page's 实事 through a new revision, published as an editor would.

    A page with a draft nobody published yet is refused: publishing on top of it would
    either publish the draft or throw it away.
    """
    page = ResidentReportPage.objects.get(pk=page.pk)
    if page.has_unpublished_changes:
        raise DeliberationError(
            f"“{page.title}”有尚未发布的修改，请先在页面编辑中发布或撤销后再关联实事。", field="promise"
        )
    change(page)
    revision = page.save_revision(user=actor, log_action=True)
    # The party organisation's staff need not be editors of the report: the right to add
    # the resolution's 实事 is deliberation's own (checked by ``ensure_staff_may_act``).
    # The revision and its publication are still logged under their name.
    revision.publish(user=actor, skip_permission_checks=True)
    return page


def start_implementation(
    *,
    topic: Topic,
    actor,
    promise: ReportPromise | None = None,
    promise_title: str = "",
    expected_on: date | None = None,
) -> Topic:
    """After the notice period, with every objection answered: link an existing 实事 of
    the community's report, or add one to its current report (a new published revision)."""
    ensure_staff_may_act(actor=actor, community=topic.community)
    with transaction.atomic():
        topic = _locked(topic)
        _ensure_step(topic, Step.NOTICE)
        if topic.notice_open:
            raise DeliberationError("公示期尚未结束，结束后才能进入督促落实。")
        if topic.objections.filter(answered_at__isnull=True).exists():
            raise DeliberationError("还有居民异议未答复，请先答复。")
        if promise is not None:
            if promise.page.community_id != topic.community_id:
                raise DeliberationError("只能关联本社区向居民报告中的实事。", field="promise")
        else:
            page = current_report_page(topic.community)
            if page is None:
                raise DeliberationError(
                    "该社区还没有已发布的“向居民报告”，请先发布后再关联实事。", field="promise"
                )
            title = (promise_title or topic.title).strip()[:100]

            def add(page):
                page.promises.add(
                    ReportPromise(
                        title=title,
                        status=PromiseStatus.NOT_STARTED,
                        expected_on=expected_on,
                        note=f"议事协商决议（{topic.public_code}）",
                    )
                )

            page = publish_report_change(page, actor=actor, change=add)
            promise = ReportPromise.objects.filter(page=page, title=title).order_by("-pk").first()
        topic.promise = promise
        topic.progress = promise.progress
        return _move(
            topic,
            Step.IMPLEMENTING,
            title="列入为民实事，督促落实",
            note=f"已列入《{promise.page.title}》的实事“{promise.title}”。",
            actor=actor,
            fields=["promise", "progress"],
        )


def update_progress(*, topic: Topic, actor, progress: int, note: str = "") -> Topic:
    """How far the 实事 has got; its row on the report follows (a new published revision).
    At 100 % the topic is carried out (已落实) and opens for residents' rating."""
    ensure_staff_may_act(actor=actor, community=topic.community)
    if not 0 <= progress <= 100:
        raise DeliberationError("进度应在 0 到 100 之间。", field="progress")
    with transaction.atomic():
        topic = _locked(topic)
        _ensure_step(topic, Step.IMPLEMENTING)
        if progress < topic.progress:
            raise DeliberationError(f"进度不能低于当前的 {topic.progress}%。", field="progress")
        if topic.promise_id:
            promise = ReportPromise.objects.select_related("page").get(pk=topic.promise_id)

            def change(page):
                # Assigned back as a list, so the revision holds the changed rows (modelcluster).
                rows = list(page.promises.all())
                page.promises = rows
                for row in rows:
                    if row.pk == promise.pk:
                        row.progress = progress
                        row.status = (
                            PromiseStatus.DONE
                            if progress == 100
                            else PromiseStatus.IN_PROGRESS
                            if progress
                            else PromiseStatus.NOT_STARTED
                        )

            publish_report_change(promise.page, actor=actor, change=change)
        topic.progress = progress
        note = strip_bidi(note).strip()
        if progress == 100:
            topic.done_at = timezone.now()
            topic.save(update_fields=["progress", "done_at"])
            return _move(
                topic, Step.DONE, title="决议事项落实完成", note=note or "欢迎居民评价落实效果。", actor=actor
            )
        topic.save(update_fields=["progress"])
        _event(topic, title=f"落实进度 {progress}%", note=note, actor=actor)
    return topic


def rate_outcome(*, topic: Topic, device_id: str, rating: str) -> bool:
    """A resident's rating of the carried-out outcome; False if this device already rated."""
    if rating not in Rating.values:
        raise DeliberationError("请选择评价。", field="rating")
    with transaction.atomic():
        topic = _locked(topic)
        if topic.step != Step.DONE:
            raise DeliberationError("决议事项落实完成后才能评价。")
        try:
            with transaction.atomic():
                OutcomeRating.objects.create(topic=topic, device_key=device_key(device_id), rating=rating)
        except IntegrityError:
            return False
    return True
