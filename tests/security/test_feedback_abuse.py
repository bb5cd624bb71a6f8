"""Abuse resistance of the residents' feedback forms: bots, floods, guessing, blocked senders."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from feedback.complaints import services
from feedback.complaints.workflow import TransitionError
from feedback.models import AuditEntry, BlockedPhone, Complaint, Rating, State
from feedback.trust.services import BlocklistError, block_phone
from portal.abuse import REJECTED_MESSAGE

from .feedback_fixtures import *  # noqa: F403
from .feedback_fixtures import REPORT, TRACK, advance, lookup_data, rating_data, report_data

pytestmark = pytest.mark.django_db
QUEUE = "/admin/feedback/complaint/"


def test_report_and_lookup_forms_carry_honeypot_fill_time_and_captcha(client, site, category):
    for url in (REPORT, TRACK):
        html = client.get(url).content.decode()
        assert 'name="website"' in html and 'aria-hidden="true"' in html, url
        assert 'type="hidden" name="form_started"' in html, url
        assert 'name="captcha_1"' in html and "验证码图片" in html, url


def test_bot_filling_the_honeypot_saves_nothing_and_keeps_text(client, site, category, community):
    data = report_data(
        category, community, website="http://spam.example", description="加微信领补贴，名额有限快来"
    )
    response = client.post(REPORT, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert REJECTED_MESSAGE in html and "加微信领补贴" in html
    assert Complaint.objects.count() == 0


def test_lookup_needs_the_captcha(client, site, complaint):
    data = lookup_data(complaint.reference, "5678") | {"captcha_1": "WRONG"}
    response = client.post(TRACK, data)
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()


def test_report_flood_from_one_ip_is_refused_at_the_hard_bound(client, site, category, community, settings):
    settings.FEEDBACK_REPORT_HARD_RATE_PER_IP = "2/10m"
    phones = ["13800000001", "13800000002", "13800000003"]
    codes = [
        client.post(REPORT, report_data(category, community, phone=p), REMOTE_ADDR="198.51.100.7").status_code
        for p in phones
    ]
    assert codes == [302, 302, 429]
    response = client.post(REPORT, report_data(category, community), REMOTE_ADDR="198.51.100.7")
    # Sliding window: at most the window's end plus a share of the next (600 + 600 / 2).
    assert "暂时不能提交" in response.content.decode() and int(response["Retry-After"]) <= 900
    assert Complaint.objects.count() == 2
    # A neighbour on another address is not affected.
    assert (
        client.post(REPORT, report_data(category, community), REMOTE_ADDR="198.51.100.8").status_code == 302
    )


def test_one_phone_cannot_flood_from_many_addresses(client, site, category, community, settings):
    settings.FEEDBACK_REPORT_RATE_PER_PHONE = "2/h"
    codes = [
        client.post(REPORT, report_data(category, community), REMOTE_ADDR=f"203.0.113.{i}").status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]
    assert Complaint.objects.filter(phone="13812345678").count() == 2


def test_guessing_last_four_digits_locks_the_guesser_out(client, site, complaint, settings):
    settings.FEEDBACK_TRACK_MISS_RATE = "3/h"
    ip = {"REMOTE_ADDR": "198.51.100.9"}
    misses = [
        client.post(TRACK, lookup_data(complaint.reference, f"000{i}"), **ip).status_code for i in range(4)
    ]
    assert misses == [200, 200, 200, 429]
    # Locked out: even the right digits are refused now, so guessing cannot go on.
    right = client.post(TRACK, lookup_data(complaint.reference, "5678"), **ip)
    assert right.status_code == 429 and "查询错误的次数过多" in right.content.decode()
    # The lock is the guesser's (device): a neighbour behind the same address gets through.
    assert Client().post(TRACK, lookup_data(complaint.reference, "5678"), **ip).status_code == 302


def test_successful_lookups_do_not_count(client, site, complaint, settings):
    settings.FEEDBACK_TRACK_MISS_RATE = "2/h"
    codes = [client.post(TRACK, lookup_data(complaint.reference, "5678")).status_code for _ in range(5)]
    assert codes == [302] * 5


def test_rating_posts_are_limited_and_protected(client, site, complaint, settings):
    settings.FEEDBACK_RATING_RATE = "1/h"
    resolved = advance(complaint, to="resolved")
    url = reverse("feedback:rate", args=[resolved.tracking_token])
    bot = client.post(url, {"rating": Rating.SATISFIED, "website": "x", "form_started": "forged"})
    assert bot.status_code == 400 and REJECTED_MESSAGE in bot.content.decode()
    resolved.refresh_from_db()
    assert resolved.state == State.RESOLVED
    assert client.post(url, rating_data(Rating.SATISFIED)).status_code == 429


# --- Blocked phone numbers -----------------------------------------------------------


def test_blocked_number_is_stored_as_keyed_hash_and_masked(db, django_user_model):
    admin = django_user_model.objects.create_user("admin", password="pw-123456")
    blocked = block_phone(phone="138 1234 5678", reason="多次提交辱骂信息", actor=admin)
    assert blocked.phone_masked == "138****5678"
    assert "13812345678" not in blocked.phone_hash and len(blocked.phone_hash) >= 40
    with pytest.raises(BlocklistError, match="已在屏蔽名单"):
        block_phone(phone="13812345678", reason="重复", actor=admin)
    entry = AuditEntry.objects.get(action="block_phone")
    assert entry.actor == admin and "5678" not in entry.detail


def test_report_from_blocked_number_looks_normal_but_is_held_without_email(
    client, site, category, community, make_moderator, mailoutbox, unit, django_capture_on_commit_callbacks
):
    moderator = make_moderator(communities=[community], email="worker@example.cn")
    block_phone(phone="13812345678", reason="骚扰", actor=moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REPORT, report_data(category, community))
    assert response.status_code == 302  # the same answer as for everyone
    confirmation = client.get(response["Location"]).content.decode()
    held = Complaint.objects.get()
    assert held.reference in confirmation and "屏蔽" not in confirmation and "暂缓" not in confirmation
    assert held.held and held.state == State.SUBMITTED
    assert mailoutbox == []
    tracking = client.get(reverse("feedback:track_token", args=[held.tracking_token])).content.decode()
    assert "待受理" in tracking and "暂缓" not in tracking and "屏蔽" not in tracking

    # Someone else's report still notifies moderators.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REPORT, report_data(category, community, phone="13900001111"))
    assert len(mailoutbox) == 1

    client.force_login(moderator)
    queue = client.get(QUEUE, {"held": "yes"}).content.decode()
    assert held.reference in queue and "暂缓" in queue
    assert Complaint.objects.exclude(pk=held.pk).get().reference not in queue
    with pytest.raises(TransitionError, match="暂缓"):
        services.dispatch_complaint(complaint=held, unit=unit, actor=moderator)

    page = client.get(reverse("feedback_complaint_modeladmin_inspect", args=[held.pk])).content.decode()
    assert "已暂缓" in page
    client.post(reverse("feedback_complaint_release", args=[held.pk]), {"note": "核实为真实问题"})
    held.refresh_from_db()
    assert not held.held
    assert services.dispatch_complaint(complaint=held, unit=unit, actor=moderator).state == State.DISPATCHED


def test_moderator_blocks_the_sender_of_a_report_without_seeing_the_number(
    client, site, complaint, make_moderator
):
    moderator = make_moderator(communities=[complaint.community])  # no personal-data permission
    client.force_login(moderator)
    url = reverse("feedback_complaint_block_phone", args=[complaint.pk])
    page = client.get(url).content.decode()
    assert "13812345678" not in page and "5678" not in page
    client.post(url, {"note": "连续发送广告"})
    blocked = BlockedPhone.objects.get()
    assert blocked.reason == "连续发送广告" and blocked.created_by == moderator
    assert AuditEntry.objects.get(action="block_phone").reference == complaint.reference


def test_moderator_adds_and_removes_a_blocked_number_in_the_admin(
    client, site, make_moderator, django_user_model
):
    admin = django_user_model.objects.create_superuser("boss", password="pw-123456")
    client.force_login(admin)
    create = reverse("feedback_blockedphone_modeladmin_create")
    response = client.post(create, {"phone": "1381234", "reason": "骚扰"})
    assert "请填写 11 位手机号码" in response.content.decode()
    response = client.post(create, {"phone": "13812345678", "reason": "骚扰电话"})
    assert response.status_code == 302
    blocked = BlockedPhone.objects.get()
    listing = client.get(reverse("feedback_blockedphone_modeladmin_index")).content.decode()
    assert "138****5678" in listing and "13812345678" not in listing
    client.post(reverse("feedback_blockedphone_modeladmin_delete", args=[blocked.pk]))
    assert not BlockedPhone.objects.exists()
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "block_phone",
        "unblock_phone",
    ]
    assert not re.search(r"1[3-9]\d{9}", " ".join(AuditEntry.objects.values_list("detail", flat=True)))
