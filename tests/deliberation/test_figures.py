"""Figures per community and period against hand-counted data."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from feedback.deliberation import services
from feedback.deliberation.figures import figures
from feedback.deliberation.models import Topic

from .conftest import propose, walk

pytestmark = pytest.mark.django_db


def _on(topic, day):
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    Topic.objects.filter(pk=topic.pk).update(created_at=at)


def test_figures_per_community_and_period(community, other_community, staff, report, make_staff):
    other_staff = make_staff("other", communities=[other_community])
    november = datetime.date(2026, 11, 10)
    # 复兴: five proposed in November — one left collecting, one declined, one resolved
    # (still in notice), two carried out (rated 满意, 满意, 基本满意, 不满意 → 9/4 = 2.25 → 2.3).
    _on(propose(community, title="甲"), november)
    declined = services.screen_topic(
        topic=propose(community, title="乙"), actor=staff, decision="decline", reason="不属于议事范围"
    )
    _on(declined, november)
    _on(walk(propose(community, title="丙"), to="notice", actor=staff), november)
    ratings = [("satisfied", "satisfied"), ("basically", "dissatisfied")]
    for n, pair in enumerate(ratings):
        topic = walk(propose(community, title=f"丁{n}"), to="notice", actor=staff)
        Topic.objects.filter(pk=topic.pk).update(notice_ends_at=timezone.now() - timedelta(minutes=1))
        topic = services.start_implementation(topic=topic, actor=staff, promise_title=f"实事{n}")
        topic = services.update_progress(topic=topic, actor=staff, progress=100)
        for i, rating in enumerate(pair):
            services.rate_outcome(topic=topic, device_id=f"d{n}{i}", rating=rating)
        _on(topic, november)
    # 复兴, outside the period (31 October): not counted.
    _on(walk(propose(community, title="戊"), to="proposed", actor=staff), datetime.date(2026, 10, 31))
    # 滨江: one taken up, none resolved, no ratings.
    _on(
        walk(propose(other_community, title="己"), to="proposed", actor=other_staff),
        datetime.date(2026, 11, 30),
    )

    result = figures(start=datetime.date(2026, 11, 1), end=datetime.date(2026, 11, 30))
    fuxing = result[community.pk]
    assert (fuxing.proposed, fuxing.taken_up, fuxing.resolved, fuxing.carried_out) == (5, 3, 3, 2)
    assert fuxing.ratings == 4
    assert fuxing.average_rating == Decimal("2.3")
    assert fuxing.satisfied_rate == Decimal("75.0")
    binjiang = result[other_community.pk]
    assert (binjiang.proposed, binjiang.taken_up, binjiang.resolved, binjiang.carried_out) == (1, 1, 0, 0)
    assert binjiang.average_rating is None and binjiang.satisfied_rate is None
    only = figures(
        start=datetime.date(2026, 11, 1), end=datetime.date(2026, 11, 30), communities=[other_community]
    )
    assert list(only) == [other_community.pk]
