"""Figures from residents' reports and evaluations for pages of other apps.

Pages below ``feedback`` (a report to residents in ``notices``) must not import it;
their templates load this library instead::

    {% load feedback_figures %}
    {% complaint_figures_for page.community page.period_start page.period_end as complaint_figures %}
"""

from django import template

from ..evaluation_selectors import evaluation_figures
from ..selectors import complaint_figures, shared_figures

register = template.Library()


@register.simple_tag
def complaint_figures_for(community, start, end):
    """Received / resolved / on-time / satisfaction of reports in the community and period."""
    if community is None or not start or not end:
        return None
    return shared_figures(
        f"complaints:{community.pk}:{start}:{end}",
        lambda: complaint_figures(communities=[community], start=start, end=end),
    )


@register.simple_tag
def evaluation_figures_for(community, start, end):
    """Residents' evaluations (评议) of the community's services in the period."""
    if community is None or not start or not end:
        return None
    return shared_figures(
        f"evaluations:{community.pk}:{start}:{end}",
        lambda: evaluation_figures(communities=[community], start=start, end=end),
    )
