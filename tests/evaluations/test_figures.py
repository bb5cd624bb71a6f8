"""Satisfaction from evaluations, computed per community and period."""

from datetime import date, datetime

from django.utils import timezone

from feedback.evaluations.selectors import evaluation_figures
from feedback.models import ModerationState, TargetType
from tests.factories.feedback import EvaluationFactory

TZ = timezone.get_default_timezone()


def community_rating(community, stars, *, at, **kwargs):
    return EvaluationFactory(
        target_type=TargetType.COMMUNITY,
        company=None,
        community=community,
        stars=stars,
        submitted_at=at,
        **kwargs,
    )


def test_satisfaction_rate_is_the_share_of_four_and_five_stars(community, other_community):
    at = datetime(2026, 9, 10, 10, tzinfo=TZ)
    for stars in (5, 4, 4, 3, 1):
        community_rating(community, stars, at=at)
    community_rating(community, 1, at=at, state=ModerationState.ABUSE)  # excluded
    community_rating(community, 1, at=datetime(2026, 6, 30, 23, 30, tzinfo=TZ))  # before the period
    community_rating(other_community, 1, at=at)  # another community

    figures = evaluation_figures(communities=[community], start=date(2026, 7, 1), end=date(2026, 9, 30))
    assert (figures.ratings, figures.satisfied, str(figures.satisfaction_rate)) == (5, 3, "60.0")
    both = evaluation_figures(
        communities=[community, other_community], start=date(2026, 7, 1), end=date(2026, 9, 30)
    )
    assert both.ratings == 6


def test_public_figures_page_shows_evaluation_satisfaction(client, community, site):
    now = timezone.now()
    for stars in (5, 5, 4, 2, 1):
        community_rating(community, stars, at=now)
    html = client.get(f"/feedback/public/?community={community.slug}&period=year").content.decode()
    assert "评议满意率" in html
    assert '<td data-label="居民评议">5</td><td data-label="评议满意率">60.0%</td>' in html
