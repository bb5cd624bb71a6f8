"""The demo evaluations: deterministic, idempotent, every moderation state, a ranking."""

from feedback.evaluations import demo as demo_evaluations
from feedback.evaluations.selectors import company_ranking, default_ranking_quarter
from feedback.models import Evaluation, ModerationState, PropertyCompany, TargetType


def test_demo_evaluations_load_once_with_every_state(demo_site):
    first = list(Evaluation.objects.order_by("pk").values_list("target_key", "quarter", "stars", "state"))
    demo_evaluations.load()

    assert (
        list(Evaluation.objects.order_by("pk").values_list("target_key", "quarter", "stars", "state"))
        == first
    )
    assert 5 <= PropertyCompany.objects.count() <= 8
    assert len(first) >= 150
    assert {state for *_rest, state in first} == set(ModerationState.values)
    assert len({quarter for _key, quarter, *_rest in first}) == 4
    assert {TargetType.COMPANY, TargetType.COMMUNITY} <= set(
        Evaluation.objects.values_list("target_type", flat=True)
    )
    assert company_ranking(quarter=default_ranking_quarter()).rows


def test_demo_comments_residents_can_read_never_repeat_word_for_word(demo_site):
    comments = list(
        Evaluation.objects.exclude(comment="")
        .exclude(state=ModerationState.ABUSE)
        .values_list("comment", flat=True)
    )
    assert len(comments) >= 100
    assert len(set(comments)) == len(comments)
