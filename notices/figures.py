"""Complaint figures shown on a report to residents.

The numbers (reports received, resolved, on-time rate, satisfaction rate) are
computed from residents' problem reports, which live in ``feedback``; they are
never typed in by editors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import ResidentReportPage


def report_figures(page: ResidentReportPage):
    """Complaint figures for ``page.community`` over ``page.period_start``–``page.period_end``.

    Returns None for now: ``feedback.selectors`` will supply them (the lead engineer
    wires it here). The template ``notices/includes/report_figures.html`` expects an
    object or mapping with ``received`` and ``resolved`` (counts) and
    ``on_time_rate`` and ``satisfaction_rate`` (percentages 0–100, or None when
    nothing was rated/due), and renders nothing while this returns None.
    """
    return None
