"""The 红黑榜: property companies ranked by residents' stars for one quarter."""

from datetime import datetime

from django.utils import timezone

from feedback.evaluations.selectors import company_ranking, default_ranking_quarter
from feedback.models import ModerationState
from tests.factories.feedback import EvaluationFactory, PropertyCompanyFactory

from .conftest import count_queries

TZ = timezone.get_default_timezone()
Q3 = datetime(2026, 8, 1, 10, tzinfo=TZ)
Q2 = datetime(2026, 5, 1, 10, tzinfo=TZ)


def ratings(company, stars: list[int], at=Q3, **kwargs):
    for value in stars:
        EvaluationFactory(company=company, stars=value, submitted_at=at, **kwargs)


def test_ranking_order_ties_and_minimum(db):
    best = PropertyCompanyFactory(name="乙物业")
    tied_more = PropertyCompanyFactory(name="丙物业")
    tied_name_a = PropertyCompanyFactory(name="A物业")
    tied_name_b = PropertyCompanyFactory(name="B物业")
    worst = PropertyCompanyFactory(name="甲物业")
    too_few = PropertyCompanyFactory(name="丁物业")
    ratings(best, [5] * 9 + [4])  # 4.9
    ratings(tied_more, [4] * 6)  # 4.0 with 6 ratings: a narrower interval than with 5
    ratings(tied_name_b, [4] * 5)  # 4.0 with 5, name B
    ratings(tied_name_a, [4] * 5)  # 4.0 with 5, name A
    ratings(worst, [1, 2, 2, 1, 3, 1, 2, 1])
    ratings(too_few, [5, 5, 5, 5])  # 4 ratings: not ranked
    ratings(worst, [5] * 10, at=Q2)  # another quarter does not count

    ranking = company_ranking(quarter="2026Q3")

    assert [r.name for r in ranking.rows] == ["乙物业", "丙物业", "A物业", "B物业", "甲物业"]
    assert [str(r.average) for r in ranking.rows] == ["4.90", "4.00", "4.00", "4.00", "1.63"]
    assert [r.ratings for r in ranking.rows] == [10, 6, 5, 5, 8]
    assert all(r.score < r.upper for r in ranking.rows)
    assert ranking.too_few == 1
    # Only the clearly better and the clearly worse are named; the three at 4.0 are not.
    assert [r.name for r in ranking.red] == ["乙物业"]
    assert [r.name for r in ranking.black] == ["甲物业"]


def test_a_close_margin_names_nobody_on_the_black_list(db):
    """The issue's case: 3.82 from 11 ratings was black-listed 0.04 below 3.86 from 7."""
    kunlun = PropertyCompanyFactory(name="昆仑家园物业")
    close = PropertyCompanyFactory(name="春晖物业")
    good = PropertyCompanyFactory(name="同心物业")
    middle = PropertyCompanyFactory(name="广和物业")
    bad = PropertyCompanyFactory(name="金盾物业")
    ratings(kunlun, [5, 5, 4, 4, 4, 4, 4, 3, 3, 3, 3])  # 3.82 from 11
    ratings(close, [5, 4, 4, 4, 4, 3, 3])  # 3.86 from 7
    ratings(good, [5] * 8 + [4] * 4)  # 4.67 from 12
    ratings(middle, [4] * 6 + [3] * 2)  # 3.75 from 8
    ratings(bad, [2, 1, 2, 3, 1, 2, 2, 1, 3, 2])  # 1.9 from 10

    ranking = company_ranking(quarter="2026Q3")
    rows = {r.name: r for r in ranking.rows}

    assert (str(rows["昆仑家园物业"].average), rows["昆仑家园物业"].ratings) == ("3.82", 11)
    assert (str(rows["春晖物业"].average), rows["春晖物业"].ratings) == ("3.86", 7)
    # More ratings, a tighter interval: the 11-rating company ranks above the 7-rating one.
    assert rows["昆仑家园物业"].rank < rows["春晖物业"].rank
    assert [r.name for r in ranking.black] == ["金盾物业"]
    assert [r.name for r in ranking.red] == ["同心物业"]
    assert rows["昆仑家园物业"].list_name == "" and rows["春晖物业"].list_name == ""


def test_star_interval_narrows_with_more_ratings():
    from feedback.evaluations.selectors import star_interval

    few_low, few_high = star_interval({4: 5})
    many_low, many_high = star_interval({4: 50})
    assert few_low < many_low < 4 < many_high < few_high


def test_abuse_ratings_do_not_count_towards_the_ranking(db):
    company = PropertyCompanyFactory(name="刷分物业")
    ratings(company, [3] * 4)
    ratings(company, [5] * 6, state=ModerationState.ABUSE)
    assert company_ranking(quarter="2026Q3").rows == []
    ratings(company, [3])
    assert [str(r.average) for r in company_ranking(quarter="2026Q3").rows] == ["3.00"]


def test_ranking_page_shows_lists_method_sample_size_and_history(client, db):
    companies = [PropertyCompanyFactory(name=f"{n}号物业") for n in range(1, 8)]
    for index, company in enumerate(companies):
        ratings(company, [5 - index % 5] * 8)
    ratings(companies[0], [4] * 5, at=Q2)
    html = client.get("/feedback/ranking/?quarter=2026Q3").content.decode()
    assert "2026年第三季度" in html
    assert "红榜（明显高于其他企业）" in html and "黑榜（明显低于其他企业）" in html
    # 5 stars (two) and one of the 4-star companies (ranked first by name) stand
    # clearly above the rest; 1 and 2 stars clearly below; 3 stars on neither.
    assert html.count('class="badge badge-red">红榜') == 3
    assert html.count('class="badge badge-black">黑榜') == 2
    assert "8 人评议" in html and "排名得分" in html
    assert "可信区间" in html and "评议人数多的在前" in html
    assert 'href="?quarter=2026Q2"' in html  # history: another quarter with data


def test_ranking_page_says_when_nobody_is_clearly_apart(client, db):
    for n, stars in enumerate([[4, 4, 4, 3, 5], [4, 3, 4, 4, 4], [3, 4, 4, 4, 5]]):
        ratings(PropertyCompanyFactory(name=f"{n}号物业"), stars)
    html = client.get("/feedback/ranking/?quarter=2026Q3").content.decode()
    assert "本季度没有企业的得分明显高于其他企业" in html
    assert "本季度没有企业的得分明显低于其他企业" in html
    assert 'class="badge badge-black"' not in html


def test_ranking_without_enough_ratings_says_so(client, db):
    ratings(PropertyCompanyFactory(name="小物业"), [5, 5])
    html = client.get("/feedback/ranking/?quarter=2026Q3").content.decode()
    assert "暂不排名" in html and "小物业" not in html.split("怎样计算")[0].split("暂不排名")[0]
    assert "另有 1 家企业" in html


def test_default_quarter_is_the_last_complete_one():
    assert default_ranking_quarter(today=datetime(2026, 11, 22).date()) == "2026Q3"
    assert default_ranking_quarter(today=datetime(2026, 1, 5).date()) == "2025Q4"


def test_bad_quarter_is_404(client, db):
    assert client.get("/feedback/ranking/?quarter=2026Q5").status_code == 404


def test_ranking_query_count_does_not_grow_with_ratings(client, db):
    companies = [PropertyCompanyFactory(name=f"{n}号物业") for n in range(6)]

    def add(per_company):
        for company in companies:
            ratings(company, [4] * per_company)

    add(5)
    few = count_queries(client, "/feedback/ranking/?quarter=2026Q3")
    add(10)
    many = count_queries(client, "/feedback/ranking/?quarter=2026Q3")
    assert few == many <= 12
