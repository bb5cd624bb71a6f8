"""A resident reads a service guide, filters the catalogue and prints the checklist."""

import re
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from servicecatalog.demo.docx import form_docx
from servicecatalog.vocab import MaterialForm
from tests.factories.servicecatalog import (
    ServiceAudienceFactory,
    ServiceCategoryFactory,
    ServiceItemPageFactory,
    ServiceMaterialFactory,
    StationPageFactory,
)
from tests.servicecatalog.conftest import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def dibao(service_index, station_index):
    center = StationPageFactory(parent=station_index, title="复兴社区党群服务中心", address="复兴路88号")
    blank = Document(title="最低生活保障申请书")
    blank.file.save("dibao.docx", ContentFile(form_docx("低保申请书\n申请人姓名：____")), save=False)
    blank.save()
    page = ServiceItemPageFactory(
        parent=service_index,
        title="最低生活保障申请",
        slug="dibao",
        code="530112-MZ-0101",
        summary="家庭人均收入低于低保标准的可以申请。",
        category=ServiceCategoryFactory(name="社会救助", slug="social-assistance"),
        audiences=[ServiceAudienceFactory(name="困难群众", slug="low-income")],
        department="同心区民政局",
        conditions="<ol><li>家庭月人均收入低于低保标准</li></ol>",
        process=[("step", {"title": "入户调查", "who": "街道", "detail": "工作人员上门核实"})],
        legal_time_limit=30,
        promised_time_limit=20,
        max_visits=1,
        place_station=center,
        office_hours="周一至周五 8:30—17:30",
        enquiry_phone="0871-6411 2101",
        complaint_phone="12345",
        online_url="https://zwfw.example.gov.cn/dibao",
        faq=[("faq", {"question": "打工收入怎么算？", "answer": "按前 6 个月平均收入计算。"})],
        last_verified=date(2026, 10, 20),
    )
    ServiceMaterialFactory(service=page, name="居民身份证", form=MaterialForm.BOTH, copies=2, sort_order=0)
    ServiceMaterialFactory(service=page, name="最低生活保障申请书", form=MaterialForm.ORIGINAL, blank_form=blank,
                           sort_order=1)  # fmt: skip
    ServiceMaterialFactory(service=page, name="残疾人证", form=MaterialForm.COPY, required=False,
                           note="家庭成员有残疾的提供", sort_order=2)  # fmt: skip
    return page


def test_resident_reads_every_field_of_a_service_guide(client, dibao):
    html = client.get("/services/dibao/").content.decode()
    for text in [
        "最低生活保障申请",
        "530112-MZ-0101",
        "社会救助",
        "困难群众",
        "同心区民政局",
        "家庭月人均收入低于低保标准",
        "入户调查",
        "工作人员上门核实",
        "最多跑 1 次",
        "20 个工作日",
        "30 个工作日",
        "免费",
        "复兴社区党群服务中心",
        "复兴路88号",
        "周一至周五 8:30—17:30",
        "打工收入怎么算？",
        "2026年10月20日",
        "原件及复印件",
        "2 份",
        "视情况",
        "家庭成员有残疾的提供",
    ]:
        assert text in html, text
    assert 'href="tel:0871-64112101"' in html and 'href="tel:12345"' in html
    assert 'href="https://zwfw.example.gov.cn/dibao"' in html
    assert re.search(
        r'href="/documents/\d+/dibao[^"]*\.docx" download>下载空白表格，打印后填写（Word 文档）', html
    )
    assert 'href="/services/dibao/checklist/"' in html


def test_station_hosting_a_service_links_back_to_it(client, dibao):
    html = client.get(dibao.place_station.url).content.decode()
    assert 'href="/services/dibao/"' in html


def test_checklist_prints_materials_as_checkboxes_without_javascript(client, dibao):
    response = client.get("/services/dibao/checklist/")
    html = response.content.decode()
    assert response.status_code == 200
    boxes = re.findall(r'<input type="checkbox" id="material-\d+"', html)
    assert len(boxes) == 3
    for text in ["居民身份证", "最低生活保障申请书", "残疾人证", "复兴社区党群服务中心", "20 个工作日"]:
        assert text in html
    # The print button is revealed by a static script; without it the page says how to print.
    assert '<button class="button print-button" type="button" hidden>' in html
    assert "用浏览器菜单中的“打印”即可" in html
    assert "<script>" not in html and "onclick" not in html and "onsubmit" not in html
    assert "/static/js/servicecatalog-checklist.js" in html
    assert "/static/css/servicecatalog.css" in html
    css = (Path(settings.BASE_DIR) / "static/css/servicecatalog.css").read_text()
    print_rules = css.split("@media print", 1)[1]
    assert ".print-button" in print_rules and ".check-list" in print_rules


def test_catalogue_filters_by_category_and_audience(client, service_index):
    relief = ServiceCategoryFactory(name="社会救助", slug="social-assistance")
    elderly_care = ServiceCategoryFactory(name="养老服务", slug="elderly-care")
    old = ServiceAudienceFactory(name="老年人", slug="elderly")
    poor = ServiceAudienceFactory(name="困难群众", slug="low-income")
    ServiceItemPageFactory(parent=service_index, title="高龄津贴申领", category=elderly_care, audiences=[old])
    ServiceItemPageFactory(
        parent=service_index, title="特困人员救助供养", category=relief, audiences=[old, poor]
    )
    ServiceItemPageFactory(parent=service_index, title="临时救助", category=relief, audiences=[poor])

    def titles(query):
        html = client.get(f"/services/{query}").content.decode()
        return sorted(re.findall(r'<a class="item-title" href="[^"]+">([^<]+)</a>', html))

    assert titles("") == ["临时救助", "特困人员救助供养", "高龄津贴申领"]
    assert titles("?category=social-assistance") == ["临时救助", "特困人员救助供养"]
    assert titles("?audience=elderly") == ["特困人员救助供养", "高龄津贴申领"]
    assert titles("?category=social-assistance&audience=elderly") == ["特困人员救助供养"]
    assert titles("?q=津贴") == ["高龄津贴申领"]
    assert titles("?category=nope&page=abc") == ["临时救助", "特困人员救助供养", "高龄津贴申领"]
    html = client.get("/services/?category=social-assistance").content.decode()
    # Filter links keep the other facet and work as plain links.
    assert 'href="?category=social-assistance&amp;audience=elderly"' in html
    # ... and the keyword as the search box keeps it (40 characters), not as it was sent.
    html = client.get("/services/?q=" + "津贴" * 1000).content.decode()
    assert f'href="?q={quote("津贴" * 20)}&amp;category=social-assistance"' in html
    assert "津贴" * 21 not in html and quote("津贴" * 21) not in html


def test_home_page_shows_featured_services_only(client, service_index):
    ServiceItemPageFactory(parent=service_index, title="高龄津贴申领", featured=True)
    ServiceItemPageFactory(parent=service_index, title="户口迁入", featured=False)
    html = client.get("/").content.decode()
    assert "常办事项" in html and "高龄津贴申领" in html
    assert "户口迁入" not in html


def test_long_catalogue_pages_by_twenty(client, service_index):
    for n in range(25):
        ServiceItemPageFactory(parent=service_index, title=f"事项{n:02d}")
    first = client.get("/services/").content.decode()
    assert "共 25 项" in first and "第 1 / 2 页" in first and 'href="?page=2"' in first
    second = client.get("/services/?page=2").content.decode()
    assert second.count('class="item-title"') == 5 and "上一页" in second
    past_end = client.get("/services/?page=99").content.decode()  # a stale link: the last page
    assert past_end.count('class="item-title"') == 5 and "第 2 / 2 页" in past_end


def test_demo_content_loads_twice_without_duplicates(demo_site):
    from servicecatalog import demo
    from servicecatalog.models import ServiceItemPage, ServiceMaterial, StationOpeningHours, StationPage
    from servicecatalog.vocab import StationStatus

    counts = (ServiceItemPage.objects.count(), StationPage.objects.count(), ServiceMaterial.objects.count(),
              StationOpeningHours.objects.count())  # fmt: skip
    demo.load()
    assert counts == (ServiceItemPage.objects.count(), StationPage.objects.count(), ServiceMaterial.objects.count(),
                      StationOpeningHours.objects.count())  # fmt: skip
    assert counts[0] >= 20 and counts[1] >= 25
    assert StationPage.objects.filter(always_open=True).exists()
    assert StationPage.objects.filter(status=StationStatus.SUSPENDED).count() == 1
    assert StationPage.objects.values("community").distinct().count() == 8
    assert ServiceItemPage.objects.values("category").distinct().count() >= 8


def _build_services(index, n: int):
    audiences = [ServiceAudienceFactory(), ServiceAudienceFactory()]
    for _ in range(n):
        ServiceItemPageFactory(parent=index, audiences=audiences)


def test_catalogue_query_count_does_not_grow(client, service_index):
    _build_services(service_index, 5)
    few = count_queries(client, "/services/")
    _build_services(service_index, 10)
    many = count_queries(client, "/services/")
    assert few == many == EXPECTED_CATALOGUE_QUERIES


EXPECTED_CATALOGUE_QUERIES = 5  # the site, root page and restrictions are kept per generation


def test_checklist_ends_with_the_address_of_the_host_that_served_it(client, dibao, settings):
    settings.ALLOWED_HOSTS = ["portal.example.cn"]
    html = client.get("/services/dibao/checklist/", HTTP_HOST="portal.example.cn").content.decode()
    assert "http://portal.example.cn/services/dibao/" in html
    assert "http://localhost/services/dibao/" not in html


def test_residents_reviews_come_after_conditions_and_materials(client, dibao):
    html = client.get("/services/dibao/").content.decode()
    facts, conditions, materials = html.index("办理要点"), html.index("受理条件"), html.index("申请材料")
    reviews = html.index('class="card rating-summary')
    assert facts < conditions < materials < reviews
    assert html.index("办理流程") < reviews


def test_blank_form_is_a_word_document_a_phone_can_open():
    import io
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(form_docx("最低生活保障申请书\n\n申请人姓名：____")))
    assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml"} <= set(archive.namelist())
    body = archive.read("word/document.xml").decode()
    assert "最低生活保障申请书" in body and "申请人姓名：____" in body and '<w:jc w:val="center"/>' in body
