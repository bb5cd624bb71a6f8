"""A community's page and the 我的网格员 lookup: who the grid worker is and how to call."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.models import Community, Grid
from servicecatalog.vocab import StationType
from tests.factories.servicecatalog import StationIndexPageFactory, StationPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fuxing(site):
    return Community.objects.get(slug="fuxing")


@pytest.fixture
def stations(home_page, fuxing):
    index = StationIndexPageFactory(parent=home_page)
    centre = StationPageFactory(
        parent=index,
        title="复兴社区党群服务中心",
        slug="fuxing-center",
        station_type=StationType.PARTY_CENTER,
        community=fuxing,
        phone="0871-6412 3055",
    )
    StationPageFactory(parent=index, title="复兴路红色驿站", slug="fuxing-road", community=fuxing)
    return centre


def test_resident_finds_each_grid_worker_with_a_work_number_to_call(client, fuxing):
    html = client.get("/communities/fuxing/").content.decode()
    grids = list(Grid.objects.filter(community=fuxing).order_by("pk"))
    assert [g.name for g in grids] == ["第一网格", "第二网格", "第三网格"]
    positions = [html.index(f"{g.name} <span") for g in grids]
    assert positions == sorted(positions), "grids in the office's order, not 第一, 第三, 第二"
    for grid in grids:
        assert grid.worker_name in html
        number = grid.worker_phone.replace(" ", "").replace("-", "")
        assert f'href="tel:{number}"' in html and grid.worker_phone in html
    assert f'href="tel:{fuxing.phone.replace(" ", "").replace("-", "")}"' in html


def test_community_page_shows_its_party_centre_and_links_to_its_stations(client, stations):
    html = client.get("/communities/fuxing/").content.decode()
    assert "社区党群服务中心" in html
    assert f'href="{stations.url}">复兴社区党群服务中心</a>' in html
    assert 'href="tel:0871-64123055"' in html
    assert 'href="/stations/?community=fuxing">本社区的红色驿站等服务站点（1 个）' in html


def test_community_page_and_the_figures_page_link_both_ways(client, fuxing):
    html = client.get("/communities/fuxing/").content.decode()
    assert 'href="/feedback/communities/fuxing/"' in html
    assert 'href="/feedback/report/?community=fuxing"' in html
    figures = client.get("/feedback/communities/fuxing/").content.decode()
    assert 'href="/communities/fuxing/"' in figures


def test_home_page_links_every_community_and_the_lookup(client, site):
    html = client.get("/").content.decode()
    for community in Community.objects.all():
        assert f'href="/communities/{community.slug}/">{community.name}</a>' in html
    assert 'href="/communities/"' in html


def test_unknown_community_is_404(client, site):
    assert client.get("/communities/nowhere/").status_code == 404


def test_lookup_lists_communities_until_one_is_chosen(client, site):
    response = client.get("/communities/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="community"' in html and 'name="grid"' not in html
    assert 'href="/communities/kunlun/">昆仑社区</a>' in html


def test_choosing_a_community_shows_its_grid_workers_and_then_a_grid_to_narrow(client, fuxing):
    html = client.get("/communities/", {"community": "fuxing"}).content.decode()
    workers = [g.worker_name for g in Grid.objects.filter(community=fuxing)]
    assert all(name in html for name in workers)
    assert 'name="grid"' in html
    assert "春雨" not in html.split('name="grid"')[1].split("</select>")[0]  # only this community's grids
    second = Grid.objects.get(community=fuxing, name="第二网格")
    html = client.get("/communities/", {"community": "fuxing", "grid": second.pk}).content.decode()
    result = html.split('id="result-title"')[1]
    assert second.worker_name in result
    assert [name for name in workers if name in result] == [second.worker_name]
    assert re.search(rf'<option value="{second.pk}" selected>', html)


def test_a_grid_of_another_community_gets_a_chinese_error_and_keeps_the_choice(client, site):
    other = Grid.objects.filter(community__slug="kunlun").first()
    html = client.get("/communities/", {"community": "fuxing", "grid": other.pk}).content.decode()
    assert "这个网格不属于所选社区，请重新选择。" in html
    assert '<option value="fuxing" selected>' in html
    assert other.worker_name not in html.split("</form>")[1]


def test_an_unknown_community_gets_a_chinese_error(client, site):
    html = client.get("/communities/", {"community": "nowhere"}).content.decode()
    assert "没有这个社区，请从列表中选择。" in html


def test_a_grid_without_a_published_number_says_to_call_the_community(client, fuxing):
    Grid.objects.filter(community=fuxing, name="第三网格").update(worker_phone="")
    html = client.get("/communities/fuxing/").content.decode()
    assert "暂未公布工作电话，请拨打社区电话。" in html


@pytest.mark.parametrize("path", ["/communities/fuxing/", "/communities/?community=fuxing"])
def test_community_pages_cost_a_fixed_number_of_queries(client, settings, stations, path):
    """The grids and stations are read in one query each, however many there are."""
    settings.PAGE_CACHE_SECONDS = 0  # measure the view itself, not the page cache
    client.get(path)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    fuxing = stations.community
    for n in range(5):
        Grid.objects.create(community=fuxing, name=f"新增{n}网格", worker_name="测试", worker_phone="0871-1")
    index = stations.get_parent()
    for n in range(3):
        StationPageFactory(
            parent=index, slug=f"extra-{n}", community=fuxing, station_type=StationType.PARTY_CENTER
        )
    # The pages just added purged what was kept; another visitor's request finds the site
    # again (portal.sites) before this one is measured, as before the additions.
    client.get("/feedback/track/")
    with CaptureQueriesContext(connection) as many:
        response = client.get(path)
    assert response.status_code == 200
    real = [q for q in many.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(real) == len([q for q in few.captured_queries if "SAVEPOINT" not in q["sql"]])
    # 6 for the community, its grids and stations; one each for open needs, wishes and topics.
    assert len(real) <= 9, "\n".join(q["sql"][:150] for q in real)
