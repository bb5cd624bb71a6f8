"""The demo's participation history reaches back past the last quarter, as the demo's
reports to residents (last quarter) count it, and each need's stamps keep their order."""

import datetime

from django.utils import timezone

from feedback.participation import demo
from feedback.participation.figures import need_figures
from feedback.participation.models import Need


def test_demo_needs_fall_in_last_quarter_with_their_history(community, other_community):
    demo.load()
    today = timezone.localdate()
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = quarter_start - datetime.timedelta(days=1)
    start = datetime.date(end.year, end.month - 2, 1)
    totals = [need_figures(start=start, end=end, community=c) for c in (community, other_community)]
    assert sum(f.posted for f in totals) > 0
    assert sum(f.taken for f in totals) > 0
    for need in Need.objects.filter(is_demo=True):
        stamps = [need.created_at, need.listed_at, need.taken_at, need.done_at, need.confirmed_at]
        present = [s for s in stamps if s is not None]
        assert present == sorted(present), need.pk
        assert all(event.at >= need.created_at for event in need.events.all())
