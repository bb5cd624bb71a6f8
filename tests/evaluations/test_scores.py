"""What residents see on a target's page: average, count, distribution, approved comments."""

import pytest

from feedback.evaluations.selectors import target_summary
from feedback.models import ModerationState, TargetType
from tests.factories.feedback import EvaluationFactory

from .conftest import count_queries


def rate_station(station, n, **kwargs):
    return [
        EvaluationFactory(
            target_type=TargetType.STATION,
            station=station,
            company=None,
            community=station.community,
            **kwargs,
        )
        for _ in range(n)
    ]


def test_station_page_shows_the_score_block(client, station):
    rate_station(station, 3, stars=5)
    rate_station(station, 2, stars=3)
    html = client.get(station.url).content.decode()
    assert "居民评议" in html
    assert "4.20" in html  # (3×5 + 2×3) / 5
    assert "基于 5 位居民的评议" in html
    assert "5 星</span><progress" in html and '3 人<span class="visually-hidden">，占 60%' in html
    assert f'href="/feedback/evaluate/?station={station.pk}"' in html


def test_fewer_than_the_minimum_shows_no_average(client, station, settings):
    rate_station(station, 4, stars=5)
    html = client.get(station.url).content.decode()
    assert "评议人数不足 5 人，暂不显示平均分" in html
    assert "5.00" not in html and "<progress" not in html
    settings.FEEDBACK_MIN_RATINGS = 3
    summary = target_summary(target_type=TargetType.STATION, target_pk=station.pk)
    assert summary.average == 5


def test_hidden_comment_is_never_public_but_its_score_counts(client, station):
    rate_station(station, 4, stars=5)
    rate_station(
        station, 1, stars=1, comment="管理员态度恶劣，张建国 13812345678", state=ModerationState.HIDDEN
    )
    rate_station(station, 1, stars=4, comment="等待审核的意见", state=ModerationState.PENDING)
    html = client.get(station.url).content.decode()
    assert "态度恶劣" not in html and "等待审核的意见" not in html
    assert "基于 6 位居民的评议" in html
    assert "4.17" in html  # (4×5 + 1 + 4) / 6: the hidden and the pending scores count
    summary = target_summary(target_type=TargetType.STATION, target_pk=station.pk)
    assert summary.ratings == 6


def test_abuse_is_left_out_of_every_score(station):
    rate_station(station, 5, stars=5)
    rate_station(station, 3, stars=1, comment="刷分", state=ModerationState.ABUSE)
    summary = target_summary(target_type=TargetType.STATION, target_pk=station.pk)
    assert (summary.residents, summary.average) == (5, 5)


def test_approved_comments_show_masked_names_and_never_phones(client, station):
    rate_station(station, 4, stars=5)
    rate_station(
        station,
        1,
        stars=4,
        name="张三丰",
        phone="13812345678",
        comment="饮水机修好了，有事可以打我电话 13912345678。",
        state=ModerationState.APPROVED,
    )
    html = client.get(station.url).content.decode()
    assert "饮水机修好了" in html
    assert "张**" in html and "张三丰" not in html
    assert "13812345678" not in html and "13912345678" not in html and "139****5678" in html


@pytest.mark.parametrize("page", ["station", "company", "community"])
def test_target_page_query_count_does_not_grow_with_ratings(client, station, company, community, page):
    def add(n):
        for i in range(n):
            comment = f"第{i}条意见"
            if page == "station":
                rate_station(station, 1, stars=1 + i % 5, comment=comment, name="李四")
            elif page == "company":
                EvaluationFactory(company=company, community=community, stars=1 + i % 5, comment=comment)
            else:
                EvaluationFactory(
                    target_type=TargetType.COMMUNITY, company=None, community=community, comment=comment
                )

    url, target = {
        "station": (station.url, f"station:{station.pk}"),
        "company": (f"/feedback/companies/{company.pk}/", f"company:{company.pk}"),
        "community": (f"/feedback/communities/{community.slug}/", f"community:{community.pk}"),
    }[page]
    add(6)
    few = count_queries(client, url, forget=(target,))
    add(12)
    many = count_queries(client, url, forget=(target,))
    assert few == many
    # Once cached, the score block costs nothing.
    assert count_queries(client, url) == many - 2


def test_company_page_lists_communities_and_rating_link(client, company, community):
    html = client.get(f"/feedback/companies/{company.pk}/").content.decode()
    assert company.name in html and community.name in html
    assert f"/feedback/evaluate/?company={company.pk}" in html
    assert "还没有居民评议" in html


def test_a_new_rating_and_a_moderation_show_at_once_despite_the_caches(
    client, station, admin_user, django_capture_on_commit_callbacks
):
    from feedback.evaluations.services import moderate_evaluations, submit_evaluation
    from feedback.models import Evaluation

    rate_station(station, 4, stars=5)
    assert "评议人数不足 5 人" in client.get(station.url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        submit_evaluation(
            target_type=TargetType.STATION,
            target=station,
            stars=3,
            phone="13812345678",
            comment="周末也开门就好了。",
            privacy_notice_version="1",
        )
    html = client.get(station.url).content.decode()
    assert "基于 5 位居民的评议" in html and "周末也开门就好了" not in html

    with django_capture_on_commit_callbacks(execute=True):
        moderate_evaluations(
            evaluations=Evaluation.objects.filter(phone="13812345678"), action="approve", actor=admin_user
        )
    assert "周末也开门就好了" in client.get(station.url).content.decode()
