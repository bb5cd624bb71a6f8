"""Figures from residents' reports and evaluations for pages of other apps.

Pages below ``feedback`` (a report to residents in ``notices``) must not import it;
their templates load this library instead::

    {% load feedback_figures %}
    {% complaint_figures_for page.community page.period_start page.period_end as complaint_figures %}

Both figures come from the selectors, at most a minute old (``FIGURES_SECONDS``).
"""

from django import template

from ..complaints.selectors import complaint_figures_for
from ..evaluations.selectors import evaluation_figures_for

register = template.Library()
register.simple_tag(complaint_figures_for)
register.simple_tag(evaluation_figures_for)
