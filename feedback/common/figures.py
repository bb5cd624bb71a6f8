"""Rates as every figure of feedback shows them (a percentage with one decimal), and
the periods they are counted over."""

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone


def percentage(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in per cent, or ``None`` when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def on_days(field: str, start: date, end: date) -> Q:
    """``field`` (a datetime) on a local day from ``start`` to ``end`` inclusive.

    The same rows as ``field__date__gte=start, field__date__lte=end``, written as a
    range on the column itself so an index on it serves the period: a ``__date``
    lookup converts every row's time first (a scan of every report ever received).
    """
    return Q(
        **{f"{field}__gte": local_midnight(start), f"{field}__lt": local_midnight(end + timedelta(days=1))}
    )


def local_midnight(day: date) -> datetime:
    """The moment ``day`` begins in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))
