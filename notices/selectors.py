"""Reads of notices for other parts of the site (the home page's section).

The rules of what residents may see are in ``visibility``; the pages' own lists are
built by the page models with them.
"""

from django.db.models import Q

from . import visibility
from .models import NoticePage
from .vocab import Validity


def home_notices(*, latest: int = 5, important: int = 3) -> tuple[list[NoticePage], list[NoticePage]]:
    """Pinned/urgent notices in force, and the latest others; two queries."""
    base = visibility.latest(NoticePage.objects.all())
    flagged = list(base.filter(Q(is_pinned=True) | Q(is_urgent=True), validity=Validity.CURRENT)[:important])
    shown = {n.pk for n in flagged}
    others = [n for n in base[: latest + len(flagged)] if n.pk not in shown][:latest]
    return flagged, others
