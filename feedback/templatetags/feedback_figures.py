"""Figures from residents' reports and evaluations for pages of other apps.

Pages below ``feedback`` (a report to residents in ``notices``) must not import it;
their templates load this library instead::

    {% load feedback_figures %}
    {% complaint_figures_for page.community page.period_start page.period_end as complaint_figures %}

Participation (``participation_figures_for``) and 议事协商 (``deliberation_figures_for``)
figures are loaded the same way. All come from the selectors, at most a minute old (``FIGURES_SECONDS``).
"""

from django import template

from ..complaints.selectors import complaint_figures_for
from ..deliberation.figures import deliberation_figures_for
from ..evaluations.selectors import evaluation_figures_for
from ..participation.figures import participation_figures_for

register = template.Library()
register.simple_tag(complaint_figures_for)
register.simple_tag(evaluation_figures_for)
register.simple_tag(participation_figures_for)
register.simple_tag(deliberation_figures_for)
