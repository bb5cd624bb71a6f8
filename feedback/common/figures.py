"""Rates as every figure of feedback shows them: a percentage with one decimal."""

from decimal import ROUND_HALF_UP, Decimal


def percentage(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in per cent, or ``None`` when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
