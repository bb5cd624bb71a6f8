"""Likely duplicates are suggested, merging closes one as 重复 and both residents keep
hearing of the main report, and the same phone + category within 30 days is a repeat."""

from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.complaints import duplicates, services
from feedback.complaints.workflow import TransitionError
from feedback.models import Complaint, ComplaintCategory, Notification, RejectReason, State
from tests.factories.feedback import ComplaintFactory
from tests.factories.home import CommunityFactory

pytestmark = pytest.mark.django_db

EMAIL_A, EMAIL_B = "a@example.com", "b@example.com"


def _report(category, community, text, *, days_ago=0, **kw):
    created = timezone.now() - timedelta(days=days_ago)
    return ComplaintFactory(
        category=category, community=community, description=text, created_at=created, place="", **kw
    )


def test_suggestions_share_community_category_window_and_words(category, community):
    main = _report(category, community, "小区门口路灯不亮，晚上很黑", days_ago=0)
    same = _report(category, community, "门口的路灯坏了好几天，晚上不亮", days_ago=3)
    unrelated = _report(category, community, "楼道里堆放杂物占用消防通道", days_ago=2)
    old = _report(category, community, "门口路灯不亮", days_ago=31)
    other_place = _report(
        category, CommunityFactory(name="其他社区", slug="other"), "门口路灯不亮", days_ago=1
    )
    other_category = _report(ComplaintCategory.objects.create(name="市政设施"), community, "门口路灯不亮")
    found = duplicates.suggest_duplicates(main)
    refs = [s.complaint.pk for s in found]
    assert refs[0] == same.pk
    assert "路灯" in found[0].shared_words
    for excluded in (old, other_place, other_category, unrelated):
        assert excluded.pk not in refs


def test_nearby_coordinates_raise_the_score_and_at_most_five(category, community):
    main = _report(category, community, "井盖松动", latitude="31.230000", longitude="121.470000")
    near = _report(category, community, "井盖松动有响声", latitude="31.230100", longitude="121.470100")
    far = _report(category, community, "井盖松动有响声", latitude="31.300000", longitude="121.570000")
    for i in range(6):
        _report(category, community, f"井盖问题第{i}次", days_ago=1)
    found = duplicates.suggest_duplicates(main)
    assert len(found) == 5
    assert found[0].complaint.pk == near.pk and found[0].metres < 50
    scores = {s.complaint.pk: s.score for s in found}
    assert far.pk not in scores or scores[far.pk] < scores[near.pk]


def test_suggestions_take_a_bounded_number_of_queries(category, community, django_assert_max_num_queries):
    main = _report(category, community, "路灯不亮")
    for i in range(20):
        _report(category, community, f"路灯不亮{i}", days_ago=i % 20)
    with django_assert_max_num_queries(1):
        duplicates.suggest_duplicates(main)


def _consenting(category, community, email, phone):
    return _report(
        category,
        community,
        "小区门口路灯不亮",
        email=email,
        phone=phone,
        notify_consent=True,
        notify_consented_at=timezone.now(),
    )


def test_merge_closes_as_duplicate_and_both_residents_hear_of_the_main_report(
    category, community, unit, mailoutbox, django_capture_on_commit_callbacks
):
    main = _consenting(category, community, EMAIL_A, "13800000001")
    dup = _consenting(category, community, EMAIL_B, "13800000002")
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch_complaint(complaint=main, unit=unit, actor=None)
        duplicates.merge_complaint(duplicate=dup, main=main, actor=None)
    dup.refresh_from_db()
    assert dup.state == State.CLOSED and dup.duplicate_of_id == main.pk
    assert dup.reject_reason == RejectReason.DUPLICATE
    event = dup.events.get(title="合并为重复反映")
    assert event.public and main.reference in event.note
    assert main.events.filter(title="合并重复反映", public=False).exists()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve_complaint(
            complaint=Complaint.objects.get(pk=main.pk), reply="已更换灯泡。", actor=None
        )
    to = {m.to[0]: m for m in mailoutbox}
    assert EMAIL_A in to and EMAIL_B in to
    # The duplicate's resident is told under their own report, never the main one's reference.
    body_b = to[EMAIL_B].subject + to[EMAIL_B].body
    assert dup.reference in body_b and main.reference not in body_b
    assert main.tracking_token not in body_b
    assert Notification.objects.filter(complaint=main, recipient=f"merged:{dup.pk}").exists()


def test_merged_resident_without_consent_is_not_told(
    category, community, unit, mailoutbox, django_capture_on_commit_callbacks
):
    main = _consenting(category, community, EMAIL_A, "13800000001")
    dup = _report(category, community, "路灯不亮", email=EMAIL_B)
    duplicates.merge_complaint(duplicate=dup, main=main, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch_complaint(complaint=main, unit=unit, actor=None)
    assert [m.to for m in mailoutbox] == [[EMAIL_A]]


def test_merge_refuses_itself_a_closed_report_and_a_chain(category, community):
    main = _report(category, community, "a")
    dup = _report(category, community, "b")
    third = _report(category, community, "c")
    with pytest.raises(TransitionError):
        duplicates.merge_complaint(duplicate=main, main=main, actor=None)
    duplicates.merge_complaint(duplicate=dup, main=main, actor=None)
    with pytest.raises(TransitionError):
        duplicates.merge_complaint(duplicate=dup, main=third, actor=None)
    with pytest.raises(TransitionError):
        duplicates.merge_complaint(duplicate=third, main=dup, actor=None)


def test_repeat_same_phone_and_category_within_thirty_days(category, community):
    first = _report(category, community, "a", phone="13900000000", days_ago=29)
    again = _report(category, community, "b", phone="13900000000", days_ago=0)
    other_phone = _report(category, community, "c", phone="13900000001", days_ago=0)
    late = _report(category, community, "d", phone="13700000000", days_ago=0)
    _report(category, community, "e", phone="13700000000", days_ago=31)
    other_cat = _report(ComplaintCategory.objects.create(name="噪声"), community, "f", phone="13900000000")
    flags = dict(duplicates.with_repeat_flag(Complaint.objects.all()).values_list("pk", "is_repeat"))
    assert flags[again.pk] is True
    assert flags[first.pk] is False and flags[other_phone.pk] is False
    assert flags[late.pk] is False and flags[other_cat.pk] is False
    assert duplicates.is_repeat(again) and not duplicates.is_repeat(first)
