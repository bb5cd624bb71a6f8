"""Search that answers what a resident came to do (home/intents.py), above the results."""

import re

import pytest
from wagtail.models import Site

from feedback.complaints import demo as complaint_demo
from feedback.complaints.models import ComplaintCategory
from home import intents
from home.models import PortalSettings
from servicecatalog.vocab import AMENITY_LABELS, StationType
from tests.factories.servicecatalog import StationIndexPageFactory

pytestmark = pytest.mark.django_db


def _answers(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.context["answers"], response.content.decode()


@pytest.fixture
def finder(home_page):
    return StationIndexPageFactory(parent=home_page)


@pytest.fixture
def categories():
    complaint_demo.load()  # units and categories; the demo reports need communities
    return {c.name: c for c in ComplaintCategory.objects.all()}


def test_every_intent_leads_somewhere_that_exists():
    known_categories = {name for name, *_ in complaint_demo.CATEGORIES}
    for intent in intents.INTENTS:
        if intent.target == "stations":
            assert not intent.value or intent.value in AMENITY_LABELS or intent.value in StationType.values
        elif intent.target == "report":
            assert intent.value in known_categories, intent
        else:
            assert intent.target == "grid_workers" and not intent.value
    words = intents.intent_words()
    assert len(words) == len(set(words)), "a word may lead to one place only"


def test_驿站_leads_to_the_station_finder(client, finder):
    [answer], html = _answers(client, "驿站")
    assert answer.url == "/stations/" and answer.kind == "stations"
    assert '<a class="button" href="/stations/">打开驿站查找</a>' in html
    assert html.index("打开驿站查找") < html.index("没有找到与")  # above what the search found


def test_amenity_words_set_the_finders_amenity_filter(client, finder):
    [answer], _ = _answers(client, "哪里可以充电")
    assert answer.url == "/stations/?amenity=charging"
    assert answer.title == "找能充电的红色驿站"
    [answer], _ = _answers(client, "热饭 厕所")
    assert answer.url == "/stations/?amenity=microwave&amenity=toilet"


def test_the_finder_opens_with_the_filter_the_answer_set(client, finder):
    [answer], _ = _answers(client, "喝水")
    html = client.get(answer.url).content.decode()
    assert re.search(r'<input[^>]*value="water"[^>]*checked', html)
    assert not re.search(r'<input[^>]*value="charging"[^>]*checked', html)


def test_党群服务中心_sets_the_station_type(client, finder):
    [answer], _ = _answers(client, "党群服务中心")
    assert answer.url == "/stations/?type=party_center"


@pytest.mark.parametrize(
    ("query", "category"),
    [
        ("停车", "停车管理"),
        ("小区乱停车", "停车管理"),
        ("路灯坏了", "道路设施"),
        ("井盖", "道路设施"),
        ("垃圾没人清运", "环境卫生"),
        ("垃圾分类", "环境卫生"),
        ("占道经营", "环境卫生"),
        ("噪音", "噪音扰民"),
        ("楼上漏水", "邻里纠纷"),
        ("tingche", "停车管理"),
    ],
)
def test_problem_words_lead_to_the_report_form_with_the_category(client, categories, query, category):
    answers, html = _answers(client, query)
    assert [a.url for a in answers] == [f"/feedback/report/?category={categories[category].pk}"]
    assert f"反映“{category}”问题" in html


def test_the_report_form_opens_with_that_category_chosen(client, categories):
    [answer], _ = _answers(client, "停车")
    form = client.get(answer.url).context["form"]
    assert form.initial["category"] == categories["停车管理"]
    html = client.get(answer.url).content.decode()
    assert f'value="{categories["停车管理"].pk}" selected' in html


@pytest.mark.parametrize("value", ["abc", "-1", "99999", "１", "1; drop", "9" * 20])
def test_a_bad_category_parameter_is_ignored(client, categories, value):
    response = client.get("/feedback/report/", {"category": value})
    assert response.status_code == 200
    assert "category" not in response.context["form"].initial


def test_a_switched_off_category_is_not_chosen_and_the_form_is_still_offered(client, categories):
    parking = categories["停车管理"]
    ComplaintCategory.objects.filter(pk=parking.pk).update(active=False)
    assert "category" not in client.get("/feedback/report/", {"category": parking.pk}).context["form"].initial
    [answer], _ = _answers(client, "停车")
    assert answer.url == "/feedback/report/"


def test_two_problems_give_two_report_answers(client, categories):
    answers, _ = _answers(client, "噪音 垃圾")
    assert [a.title for a in answers] == ["反映“噪音扰民”问题", "反映“环境卫生”问题"]


@pytest.mark.parametrize("query", ["网格员", "我的网格员", "社区电话", "網格員", "wanggeyuan", "wgy"])
def test_grid_worker_words_lead_to_the_lookup(client, site, query):
    [answer], html = _answers(client, query)
    assert answer.url == "/communities/"
    assert "查网格员电话" in html


@pytest.mark.parametrize("query", ["加装电梯", "居住证", "退役军人优待证", "低保"])
def test_words_that_ask_nothing_of_the_table_get_no_answer(client, finder, categories, query):
    answers, _ = _answers(client, query)
    assert answers == []


def test_no_results_offer_the_report_form_and_the_hotline_from_settings(client, site):
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal.hotline = "0871-12345"
    portal.save()
    html = client.get("/search/", {"q": "火星移民登记"}).content.decode()
    empty = html[html.index("没有找到与") :]
    assert 'href="/feedback/report/"' in empty
    assert 'href="tel:0871-12345"' in empty and "0871-12345" in empty
