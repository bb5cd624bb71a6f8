"""``{% rating_summary target %}``: a target's score block, for pages of other apps.

Station and service templates load this library (``{% load evaluation_tags %}``, which
``feedback/templatetags/evaluation_tags.py`` hands over from here), so ``servicecatalog``
needs no Python import of ``feedback``; the block costs two queries whatever the number
of ratings.
"""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from home.models import Community
from servicecatalog.models import ServiceItemPage, StationPage

from .models import PropertyCompany, TargetType
from .selectors import score_block

register = template.Library()
COMPACT_COMMENTS = 2


def _target_type(target) -> str:
    if isinstance(target, StationPage):
        return TargetType.STATION
    if isinstance(target, ServiceItemPage):
        return TargetType.SERVICE
    if isinstance(target, PropertyCompany):
        return TargetType.COMPANY
    if isinstance(target, Community):
        return TargetType.COMMUNITY
    raise template.TemplateSyntaxError(f"rating_summary cannot rate {type(target).__name__}")


def evaluate_url(target_type: str, target) -> str:
    value = target.slug if target_type == TargetType.COMMUNITY else target.pk
    return f"{reverse('feedback:evaluate')}?{urlencode({target_type: value})}"


@register.inclusion_tag("feedback/includes/rating_summary.html")
def rating_summary(target, heading="居民评议", compact=False):
    """``compact`` (a service guide, where the block follows the essentials): the star
    distribution folds away and only the latest comments show, and the page links
    ``evaluations.css`` in its head (a stylesheet in the body blocks rendering late)."""
    target_type = _target_type(target)
    summary, comments = score_block(target_type=target_type, target_pk=target.pk)
    return {
        "summary": summary,
        "comments": comments[:COMPACT_COMMENTS] if compact else comments,
        "compact": compact,
        "evaluate_url": evaluate_url(target_type, target),
        "heading": heading,
        "block_id": f"rating-{target_type}-{target.pk}",
    }


@register.simple_tag
def star_text(stars: int) -> str:
    return "★" * stars + "☆" * (5 - stars)
