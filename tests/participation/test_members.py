"""Participation accounts and 双报到: SMS sign-in, registration verified by the community,
service hours confirmed by it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from feedback.notifications.forms import CodeForm, PhoneForm
from feedback.participation.members import selectors, services
from feedback.participation.members.models import HoursState, Member, Registration
from feedback.participation.points.selectors import balance_of

from .conftest import code_of

pytestmark = pytest.mark.django_db
PHONE_DATA = {"captcha_0": "test", "captcha_1": "PASSED", **PhoneForm.protection_data()}
CODE_DATA = CodeForm.protection_data()


def _ask_code(client, phone="13800001111"):
    response = client.post(reverse("participation:signin"), {"phone": phone, **PHONE_DATA})
    assert response.status_code == 302 and response["Location"] == reverse("participation:signin_verify")


def test_new_phone_signs_in_with_code_registers_and_sees_its_pages(client, site, outbox, community):
    assert client.get(reverse("participation:me"))["Location"].startswith(reverse("participation:signin"))
    _ask_code(client, "138 0000 1111")
    (sms,) = outbox()
    assert "登录“志愿服务”" in sms["text"] and "13800001111" not in sms["text"]
    response = client.post(reverse("participation:signin_verify"), {"code": code_of(outbox), **CODE_DATA})
    assert response["Location"] == reverse("participation:register")
    response = client.post(
        reverse("participation:register"),
        {"display_name": "李老师", "kind": "party_member", "community": community.pk},
    )
    assert response["Location"] == reverse("participation:me")
    page = client.get(reverse("participation:me"))
    html = page.content.decode()
    assert "李老师" in html and "138****1111" in html and "待社区确认" in html and "13800001111" not in html
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    assert Member.objects.get().phone == "13800001111"
    assert not client.session.get("_auth_user_id")  # never a Django user
    client.post(reverse("participation:signout"))
    assert client.get(reverse("participation:me")).status_code == 302


def test_unit_contact_must_name_the_unit_and_the_form_keeps_what_was_typed(client, site, outbox, community):
    _ask_code(client)
    client.post(reverse("participation:signin_verify"), {"code": code_of(outbox), **CODE_DATA})
    response = client.post(
        reverse("participation:register"),
        {"display_name": "王经理", "kind": "unit_contact", "community": community.pk},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "单位联系人请填写单位名称" in html and "王经理" in html
    assert not Member.objects.exists()


def test_wrong_code_is_refused_and_five_wrong_void_it(client, site, outbox, make_member):
    make_member()
    _ask_code(client)
    right = code_of(outbox)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        html = client.post(
            reverse("participation:signin_verify"), {"code": wrong, **CODE_DATA}
        ).content.decode()
        assert "验证码不正确或已过期" in html
    html = client.post(reverse("participation:signin_verify"), {"code": right, **CODE_DATA}).content.decode()
    assert "验证码不正确或已过期" in html
    assert client.get(reverse("participation:me")).status_code == 302


def test_expired_code_is_refused(client, site, outbox, make_member):
    from django.core.cache import cache

    make_member()
    _ask_code(client)
    cache.clear()  # what ten minutes do to the stored code
    html = client.post(
        reverse("participation:signin_verify"), {"code": code_of(outbox), **CODE_DATA}
    ).content.decode()
    assert "验证码不正确或已过期" in html


def test_a_feedback_mine_code_does_not_sign_in_here(client, site, outbox, make_member):
    make_member()
    client.post(reverse("feedback:mine"), {"phone": "13800001111", **PHONE_DATA})
    mine_code = code_of(outbox)
    _ask_code(client)
    if mine_code != code_of(outbox):
        html = client.post(
            reverse("participation:signin_verify"), {"code": mine_code, **CODE_DATA}
        ).content.decode()
        assert "验证码不正确或已过期" in html


def test_registered_member_signs_in_and_comes_back_to_next(client, site, outbox, make_member):
    make_member()
    response = client.get(reverse("participation:my_hours"))
    assert response.status_code == 302
    client.post(
        reverse("participation:signin"),
        {"phone": "13800001111", "next": reverse("participation:my_hours"), **PHONE_DATA},
    )
    response = client.post(reverse("participation:signin_verify"), {"code": code_of(outbox), **CODE_DATA})
    assert response["Location"] == reverse("participation:my_hours")


def test_staff_verify_only_their_communities_and_refusal_needs_reason(
    make_member, staff, other_community, django_user_model
):
    mine = make_member(verified=False)
    theirs = make_member("13800002222", verified=False, community=other_community)
    with pytest.raises(PermissionDenied):
        services.decide_registration(registration=theirs, actor=staff, verified=True)
    outsider = django_user_model.objects.create_user("nobody", password="x")
    with pytest.raises(PermissionDenied):
        services.decide_registration(registration=mine, actor=outsider, verified=True)
    with pytest.raises(ValidationError):
        services.decide_registration(registration=mine, actor=staff, verified=False)
    services.decide_registration(registration=mine, actor=staff, verified=True)
    mine.refresh_from_db()
    assert mine.registration == Registration.VERIFIED and mine.decided_by == staff
    with pytest.raises(ValidationError):
        services.decide_registration(registration=mine, actor=staff, verified=False, note="again")


def test_unverified_member_cannot_log_hours(make_member):
    member = make_member(verified=False)
    with pytest.raises(ValidationError):
        services.log_hours(
            member=member, activity="清扫楼道", served_on=timezone.localdate(), hours=Decimal(2)
        )


def test_hours_bounds_are_checked_next_to_the_field(client, site, outbox, make_member):
    make_member()
    _ask_code(client)
    client.post(reverse("participation:signin_verify"), {"code": code_of(outbox), **CODE_DATA})
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        reverse("participation:my_hours"), {"activity": "上门理发", "served_on": future, "hours": "30"}
    )
    html = response.content.decode()
    assert "服务日期不能晚于今天" in html or "时长应在" in html
    assert "上门理发" in html
    response = client.post(
        reverse("participation:my_hours"),
        {"activity": "上门理发", "served_on": timezone.localdate().isoformat(), "hours": "13"},
    )
    assert "时长应在 0.5 到 12 小时之间" in response.content.decode()
    response = client.post(
        reverse("participation:my_hours"),
        {"activity": "上门理发", "served_on": timezone.localdate().isoformat(), "hours": "2"},
    )
    assert response.status_code == 302
    assert "待社区确认" in client.get(reverse("participation:my_hours")).content.decode()


def test_confirmed_hours_count_towards_target_and_earn_points(make_member, staff, rules, settings):
    member = make_member()
    today = timezone.localdate()
    first = services.log_hours(member=member, activity="清扫楼道", served_on=today, hours=Decimal("2.5"))
    second = services.log_hours(member=member, activity="助老", served_on=today, hours=Decimal(4))
    services.decide_hours(hours=first, actor=staff, confirmed=True)
    with pytest.raises(ValidationError):
        services.decide_hours(hours=second, actor=staff, confirmed=False)  # no reason
    services.decide_hours(hours=second, actor=staff, confirmed=False, note="当天无此活动")
    with pytest.raises(ValidationError):
        services.decide_hours(hours=first, actor=staff, confirmed=True)  # decided once
    progress = selectors.progress_of(member=member)
    assert progress.served == Decimal("2.5") and progress.target == settings.PARTICIPATION_MEMBER_HOURS_TARGET
    assert progress.percent == 41 and not progress.reached
    second.refresh_from_db()
    assert second.state == HoursState.REFUSED
    assert balance_of(member=member) == 25 + 5  # 2.5 h x 10, one activity 5


def test_unit_contact_hours_count_for_the_unit_target(make_member, staff, settings):
    contact = make_member(kind="unit_contact", unit_name="西山区人民医院党支部")
    hours = services.log_hours(
        member=contact, activity="义诊", served_on=timezone.localdate(), hours=Decimal(3)
    )
    services.decide_hours(hours=hours, actor=staff, confirmed=True)
    progress = selectors.progress_of(member=contact)
    assert progress.target == settings.PARTICIPATION_UNIT_HOURS_TARGET == 12 and progress.percent == 25


def test_staff_confirm_hours_in_the_admin_only_in_their_community(
    client, make_member, staff, other_community, rules, django_user_model
):
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(codename__in=["view_servicehours", "view_member"]),
    )
    member = make_member()
    stranger = make_member("13800009999", community=other_community, verified=False)
    hours = services.log_hours(
        member=member, activity="助老", served_on=timezone.localdate(), hours=Decimal(2)
    )
    client.force_login(staff)
    listing = client.get(reverse("feedback_member_modeladmin_index")).content.decode()
    assert "138****1111" in listing and "13800001111" not in listing and "138****9999" not in listing
    assert client.get(reverse("participation_decide", args=["member", stranger.pk])).status_code == 404
    url = reverse("participation_decide", args=["hours", hours.pk])
    html = client.post(url, {"refuse": "1", "note": ""}).content.decode()
    assert "请填写未确认的原因" in html
    response = client.post(url, {"approve": "1", "note": ""})
    assert response.status_code == 302
    hours.refresh_from_db()
    assert hours.state == HoursState.CONFIRMED and balance_of(member=member) == 25
