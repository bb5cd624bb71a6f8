"""Figures against hand-computed data."""

import datetime

import pytest
from django.utils import timezone

from feedback.participation.figures import figures_by_community, need_figures
from feedback.participation.models import Need, Wish

from .conftest import make_need, make_wish

pytestmark = pytest.mark.django_db


def _at(day):
    tz = timezone.get_default_timezone()
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=tz)


def test_figures_per_community_and_period(community, other_community):
    today = timezone.localdate()
    last_year = today.replace(year=today.year - 1)
    # In the period: 4 posted in community, 3 taken, 2 confirmed rated 5 and 2 (avg 3.5).
    make_need(community, to="confirmed", rating=5)
    make_need(community, to="confirmed", rating=2)
    make_need(community, to="taken")
    make_need(community)
    # Outside the period: posted, taken and confirmed last year.
    old = make_need(community, to="confirmed", rating=1)
    Need.objects.filter(pk=old.pk).update(
        created_at=_at(last_year), taken_at=_at(last_year), confirmed_at=_at(last_year)
    )
    # Another community.
    make_need(other_community, to="confirmed", rating=4)
    make_wish(community, to="fulfilled")
    make_wish(community, to="claimed")
    old_wish = make_wish(community, to="fulfilled")
    Wish.objects.filter(pk=old_wish.pk).update(fulfilled_at=_at(last_year))

    start = today.replace(month=1, day=1)
    figures = need_figures(start=start, end=today, community=community)
    assert (figures.posted, figures.taken, figures.done, figures.rated) == (4, 3, 2, 2)
    assert figures.average_rating == 3.5
    assert figures.wishes_fulfilled == 1

    everyone = need_figures(start=start, end=today)
    assert (everyone.posted, everyone.done, everyone.average_rating) == (5, 3, round(11 / 3, 1))

    by_community = figures_by_community(start=start, end=today)
    assert by_community[community.pk] == figures
    assert by_community[other_community.pk].done == 1

    year_before = need_figures(start=last_year, end=last_year, community=community)
    assert (year_before.posted, year_before.done, year_before.average_rating) == (1, 1, 1.0)
    assert year_before.wishes_fulfilled == 1
