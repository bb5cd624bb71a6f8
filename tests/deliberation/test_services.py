"""Every step's rules: who may move what, support once per device and phone, the
notice period's boundaries, objections answered, merging and public reasons."""

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.deliberation import services
from feedback.deliberation.models import Step, TopicEvent
from feedback.deliberation.services import DeliberationError, NotAllowed, Participants, Screening
from notices.models import ReportPromise

from .conftest import propose, walk

pytestmark = pytest.mark.django_db


def test_resident_proposal_starts_collecting_with_a_public_event(community):
    topic = propose(community, name="王阿姨")
    assert topic.step == Step.COLLECTING
    assert topic.proposer_phone == "13800138000"  # normalised
    assert topic.source == "resident"
    assert [e.title for e in topic.events.all()] == ["居民提出议题"]


def test_resident_proposal_needs_a_phone(community):
    with pytest.raises(DeliberationError) as error:
        propose(community, phone="")
    assert error.value.field == "phone"


def test_staff_record_a_topic_raised_at_a_meeting_only_in_their_community(community, staff, outsider):
    topic = services.propose_topic(community=community, title="楼道堆物", description="清理", actor=staff)
    assert topic.source == "meeting"
    with pytest.raises(NotAllowed):
        services.propose_topic(community=community, title="楼道堆物", description="清理", actor=outsider)


def test_support_counts_once_per_device_and_once_per_phone(community):
    topic = propose(community)
    assert services.support_topic(topic=topic, device_id="dev-a") is True
    assert services.support_topic(topic=topic, device_id="dev-a") is False
    assert services.support_topic(topic=topic, device_id="dev-b", phone="13900000001") is True
    # Same phone, another device: still one person.
    assert services.support_topic(topic=topic, device_id="dev-c", phone="+86 139-0000-0001") is False
    topic.refresh_from_db()
    assert topic.support_count == 2
    assert topic.supports.count() == 2
    assert "dev-a" not in {s.device_key for s in topic.supports.all()}  # only an HMAC is kept


def test_support_only_while_collecting(community, staff):
    topic = walk(propose(community), to="proposed", actor=staff)
    with pytest.raises(DeliberationError):
        services.support_topic(topic=topic, device_id="late")


def test_only_staff_of_the_community_screen(community, staff, outsider):
    topic = propose(community)
    with pytest.raises(NotAllowed):
        services.screen_topic(topic=topic, actor=outsider, decision=Screening.ACCEPT)
    with pytest.raises(NotAllowed):
        services.screen_topic(topic=topic, actor=None, decision=Screening.ACCEPT)
    topic = services.screen_topic(topic=topic, actor=staff, decision=Screening.ACCEPT)
    assert topic.step == Step.PROPOSED and topic.accepted_at


def test_staff_without_a_scope_may_not_act(community, django_user_model):
    from .conftest import deliberation_group

    user = django_user_model.objects.create_user(username="noscope", is_staff=True)
    user.groups.add(deliberation_group())
    with pytest.raises(NotAllowed):
        services.screen_topic(topic=propose(community), actor=user, decision=Screening.ACCEPT)


def test_decline_needs_a_reason_that_becomes_public(community, staff):
    topic = propose(community)
    with pytest.raises(DeliberationError) as error:
        services.screen_topic(topic=topic, actor=staff, decision=Screening.DECLINE)
    assert error.value.field == "reason"
    topic = services.screen_topic(
        topic=topic, actor=staff, decision=Screening.DECLINE, reason="属于市政道路，已转交城管部门。"
    )
    assert topic.step == Step.DECLINED
    assert topic.public_reason == "属于市政道路，已转交城管部门。"
    assert topic.events.last().note == "属于市政道路，已转交城管部门。"


def test_merge_into_another_topic_of_the_same_community(community, other_community, staff):
    first = propose(community, title="地面停车乱")
    second = propose(community, title="停车位不够")
    elsewhere = propose(other_community)
    with pytest.raises(DeliberationError):
        services.screen_topic(topic=second, actor=staff, decision=Screening.MERGE, merge_into=elsewhere)
    with pytest.raises(DeliberationError):
        services.screen_topic(topic=second, actor=staff, decision=Screening.MERGE, merge_into=second)
    merged = services.screen_topic(topic=second, actor=staff, decision=Screening.MERGE, merge_into=first)
    assert merged.step == Step.MERGED and merged.merged_into == first
    assert "地面停车乱" in merged.public_reason
    assert first.events.filter(title="并入相关议题").exists()


def test_meeting_only_after_screening_and_by_scope(community, staff, outsider):
    topic = propose(community)
    args = dict(
        held_on=datetime.date(2026, 11, 20),
        place="党群服务中心",
        agenda="议程",
        participants=[Participants(role="resident_rep", count=5)],
    )
    with pytest.raises(DeliberationError):
        services.record_meeting(topic=topic, actor=staff, **args)
    topic = walk(topic, to="proposed", actor=staff)
    with pytest.raises(NotAllowed):
        services.record_meeting(topic=topic, actor=outsider, **args)
    with pytest.raises(DeliberationError) as error:
        services.record_meeting(topic=topic, actor=staff, **{**args, "participants": []})
    assert error.value.field == "participants"
    services.record_meeting(topic=topic, actor=staff, **args)
    topic.refresh_from_db()
    assert topic.step == Step.DELIBERATING


def test_minutes_are_masked_for_the_public(community, staff):
    topic = walk(propose(community), to="deliberating", actor=staff)
    meeting = topic.meeting
    assert "张秀英" in meeting.minutes  # staff keep what they typed
    assert "张秀英" not in meeting.public_minutes
    assert "13900001111" not in meeting.public_minutes
    assert "错峰停车" in meeting.public_minutes


def test_votes_cannot_exceed_participants(community, staff):
    topic = walk(propose(community), to="deliberating", actor=staff)  # 10 participants
    with pytest.raises(DeliberationError) as error:
        services.record_resolution(topic=topic, actor=staff, text="决议", votes_for=9, votes_against=2)
    assert "超过了参会人数 10 人" in str(error.value)
    resolution = services.record_resolution(
        topic=topic, actor=staff, text="决议", votes_for=8, votes_against=1, votes_abstain=1
    )
    assert resolution.votes_total == 10


def test_objections_only_within_the_notice_period(community, staff, settings):
    settings.DELIBERATION_NOTICE_DAYS = 5
    topic = walk(propose(community), to="resolved", actor=staff)
    with pytest.raises(DeliberationError):  # not yet published
        services.object_to_result(topic=topic, text="不同意", phone="13900000002")
    before = timezone.now()
    topic = services.publish_result(topic=topic, actor=staff)
    assert before + timedelta(days=5) <= topic.notice_ends_at <= timezone.now() + timedelta(days=5)
    objection = services.object_to_result(topic=topic, text="车位挡住单元门", phone="139 0000 0002")
    assert objection.phone == "13900000002"
    # One second after the end: closed.
    topic.notice_ends_at = timezone.now() - timedelta(seconds=1)
    topic.save()
    with pytest.raises(DeliberationError):
        services.object_to_result(topic=topic, text="还是不同意", phone="13900000003")


def test_implementation_waits_for_the_period_and_the_answers(community, staff, outsider, report):
    topic = walk(propose(community), to="notice", actor=staff)
    objection = services.object_to_result(topic=topic, text="车位挡住单元门", phone="13900000002")
    with pytest.raises(DeliberationError, match="公示期尚未结束"):
        services.start_implementation(topic=topic, actor=staff)
    topic.notice_ends_at = timezone.now() - timedelta(minutes=1)
    topic.save()
    with pytest.raises(DeliberationError, match="异议未答复"):
        services.start_implementation(topic=topic, actor=staff)
    with pytest.raises(NotAllowed):
        services.answer_objection(objection=objection, actor=outsider, answer="好")
    services.answer_objection(objection=objection, actor=staff, answer="车位已调整，避开单元门。")
    with pytest.raises(DeliberationError):
        services.answer_objection(objection=objection, actor=staff, answer="再答一次")
    topic = services.start_implementation(topic=topic, actor=staff, promise_title="施划夜间错峰车位30个")
    assert topic.step == Step.IMPLEMENTING
    # The 实事 is on the live report, published through a revision.
    report.refresh_from_db()
    assert not report.has_unpublished_changes
    promise = ReportPromise.objects.get(page=report, title="施划夜间错峰车位30个")
    assert topic.promise == promise
    assert report.revisions.count() >= 1


def test_progress_follows_on_the_report_and_done_opens_rating(community, staff, report):
    topic = walk(propose(community), to="notice", actor=staff)
    topic.notice_ends_at = timezone.now() - timedelta(minutes=1)
    topic.save()
    topic = services.start_implementation(topic=topic, actor=staff)
    with pytest.raises(DeliberationError):
        services.rate_outcome(topic=topic, device_id="d1", rating="satisfied")
    topic = services.update_progress(topic=topic, actor=staff, progress=60, note="已施划 18 个")
    assert ReportPromise.objects.get(pk=topic.promise_id).progress == 60
    with pytest.raises(DeliberationError):
        services.update_progress(topic=topic, actor=staff, progress=40)
    topic = services.update_progress(topic=topic, actor=staff, progress=100)
    promise = ReportPromise.objects.get(pk=topic.promise_id)
    assert (promise.progress, promise.status) == (100, "done")
    assert topic.step == Step.DONE
    assert services.rate_outcome(topic=topic, device_id="d1", rating="satisfied") is True
    assert services.rate_outcome(topic=topic, device_id="d1", rating="dissatisfied") is False
    assert topic.ratings.count() == 1


def test_linking_a_promise_of_another_community_is_refused(community, other_community, staff, home_page):
    from tests.factories.notices import ReportPromiseFactory, ResidentReportPageFactory

    topic = walk(propose(community), to="notice", actor=staff)
    topic.notice_ends_at = timezone.now() - timedelta(minutes=1)
    topic.save()
    foreign = ReportPromiseFactory(
        page=ResidentReportPageFactory(parent=home_page, community=other_community)
    )
    with pytest.raises(DeliberationError):
        services.start_implementation(topic=topic, actor=staff, promise=foreign)


def test_without_a_report_page_implementation_is_refused_with_nothing_half_done(community, staff):
    topic = walk(propose(community), to="notice", actor=staff)
    topic.notice_ends_at = timezone.now() - timedelta(minutes=1)
    topic.save()
    with pytest.raises(DeliberationError, match="向居民报告"):
        services.start_implementation(topic=topic, actor=staff)
    topic.refresh_from_db()
    assert topic.step == Step.NOTICE


def test_every_step_is_on_the_timeline(community, staff, report):
    topic = walk(propose(community), to="notice", actor=staff)
    steps = list(TopicEvent.objects.filter(topic=topic).values_list("step", flat=True))
    assert steps == ["collecting", "proposed", "deliberating", "resolved", "notice"]


def test_a_user_in_scope_without_the_role_may_not_act(community, django_user_model):
    from tests.factories.feedback import StaffScopeFactory

    user = django_user_model.objects.create_user(username="clerk", is_staff=True)
    StaffScopeFactory(user=user, communities=[community])
    with pytest.raises(NotAllowed):
        services.screen_topic(topic=propose(community), actor=user, decision=Screening.ACCEPT)
