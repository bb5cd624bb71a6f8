"""The daily digest mails each unit its red/yellow tickets without personal data, and
escalates red ones to the street's 审核 users once per day."""

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from feedback.complaints.digest import run_digest
from feedback.complaints.models import EventKind
from feedback.complaints.workdays import SHANGHAI
from feedback.models import ComplaintEvent, State
from home.roles import MODERATORS
from tests.factories.feedback import ComplaintFactory, HandlingUnitFactory, StaffScopeFactory
from tests.factories.home import CommunityFactory, StreetFactory

pytestmark = pytest.mark.django_db

NOW = datetime.combine(date(2026, 12, 3), time(8), tzinfo=SHANGHAI)  # a Thursday
NAME, PHONE, PLACE, TEXT = "李秀英", "13955556666", "幸福路12号", "楼下垃圾桶满了没人清运"


def _ticket(category, community, unit, **kw):
    fields = dict(
        state=State.DISPATCHED,
        handling_unit=unit,
        dispatched_at=NOW - timedelta(days=1),
        deadline=date(2026, 12, 20),
        name=NAME,
        phone=PHONE,
        place=PLACE,
        description=TEXT,
        email="resident@example.com",
    )
    fields.update(kw)
    return ComplaintFactory(category=category, community=community, **fields)


@pytest.fixture
def setup(category, django_user_model):
    street = StreetFactory(name="和平街道")
    community = CommunityFactory(name="和平社区", slug="heping", street=street)
    far = CommunityFactory(name="远方社区", slug="far", street=StreetFactory(name="远方街道"))
    unit = HandlingUnitFactory(name="城管中队", email="unit@example.com")
    liaison = django_user_model.objects.create_user("liaison", email="liaison@example.com", password="x")
    unit.members.add(liaison)
    group, _ = Group.objects.get_or_create(name=MODERATORS)
    mod = django_user_model.objects.create_user("mod", email="mod@example.com", password="x")
    mod.groups.add(group)
    StaffScopeFactory(user=mod, streets=[street])
    other = django_user_model.objects.create_user("other", email="other@example.com", password="x")
    other.groups.add(group)
    StaffScopeFactory(user=other, streets=[far.street])
    red = _ticket(category, community, unit, dispatched_at=NOW - timedelta(days=3))  # Mon: unsigned
    yellow = _ticket(category, community, unit, signed_at=NOW, deadline=date(2026, 12, 4))
    calm = _ticket(category, community, unit, signed_at=NOW)
    return {"unit": unit, "red": red, "yellow": yellow, "calm": calm}


def test_unit_digest_lists_its_lit_tickets_without_personal_data(setup, mailoutbox):
    run_digest(now=NOW)
    unit_mail = next(m for m in mailoutbox if "unit@example.com" in m.to)
    assert sorted(unit_mail.to) == ["liaison@example.com", "unit@example.com"]
    assert "红灯 1 件，黄灯 1 件" in unit_mail.subject
    body = unit_mail.body
    assert setup["red"].reference in body and setup["yellow"].reference in body
    assert setup["calm"].reference not in body
    assert "红灯：超过 1 个工作日未签收" in body and "黄灯：1 个工作日内到期" in body
    for mail in mailoutbox:
        text = mail.subject + mail.body
        for secret in (NAME, PHONE, PLACE, TEXT, "resident@example.com", setup["red"].tracking_token):
            assert secret not in text


def test_red_tickets_are_escalated_once_a_day_to_the_streets_moderators(setup, mailoutbox):
    first = run_digest(now=NOW)
    assert first.escalated == 1
    event = ComplaintEvent.objects.get(kind=EventKind.ESCALATED)
    assert event.complaint_id == setup["red"].pk and not event.public
    escalation = [m for m in mailoutbox if m.subject.startswith("【督办】")]
    assert [m.to for m in escalation] == [["mod@example.com"]]
    mailoutbox.clear()
    again = run_digest(now=NOW + timedelta(hours=3))
    assert again.escalated == 0
    assert ComplaintEvent.objects.filter(kind=EventKind.ESCALATED).count() == 1
    assert not [m for m in mailoutbox if m.subject.startswith("【督办】")]
    # The next day it is escalated again if still red.
    assert run_digest(now=NOW + timedelta(days=1)).escalated == 1


def test_command_runs(setup, mailoutbox, capsys):
    call_command("dispatch_digest")
    assert "督办" in capsys.readouterr().out
