"""双报到 and 积分 figures against hand-computed data."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from feedback.participation.figures import participation_figures
from feedback.participation.members import services
from feedback.participation.points import services as points

pytestmark = pytest.mark.django_db


def test_figures_per_community_and_period(make_member, staff, rules, item, other_community):
    today = timezone.localdate()
    a = make_member("13800000001")
    b = make_member("13800000002")
    make_member("13800000003", verified=False)
    contact = make_member("13800000004", kind="unit_contact", unit_name="西山供电局党总支")
    services.decide_registration(registration=contact.unit, actor=staff, verified=True)
    for member, hours in ((a, "6"), (b, "2"), (contact, "12")):
        entry = services.log_hours(member=member, activity="助老", served_on=today, hours=Decimal(hours))
        services.decide_hours(hours=entry, actor=staff, confirmed=True)
    services.log_hours(member=b, activity="未确认", served_on=today, hours=Decimal(5))  # pending: not counted
    redemption = points.request_redemption(member=a, item=item)
    points.confirm_redemption(redemption=redemption, actor=staff)
    figures = participation_figures(start=date(today.year, 1, 1), end=today, communities=[a.community])
    assert (figures.units, figures.members) == (1, 2)  # the unverified member and the contact not counted
    assert figures.member_hours == 8 and figures.unit_hours == 12
    assert figures.members_on_target == 1 and figures.units_on_target == 1
    assert figures.member_target == 12 and figures.unit_target == 12
    assert figures.points_issued == (60 + 5) + (20 + 5) + (120 + 5) and figures.points_redeemed == 30
    empty = participation_figures(start=date(today.year, 1, 1), end=today, communities=[other_community])
    assert (empty.units, empty.members, empty.points_issued) == (0, 0, 0)
