"""A resident reads one notice: every field, attachments, and where it stands in force."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from notices.models import Validity
from notices.services import notice_supersede
from tests.factories.home import CommunityFactory
from tests.factories.notices import NoticeAttachmentFactory, NoticeCategoryFactory, NoticePageFactory

pytestmark = pytest.mark.django_db


def test_resident_sees_every_field_of_a_notice(client, notice_index):
    image = Image.objects.create(title="网格示意图", file=get_test_image_file())
    notice = NoticePageFactory(
        parent=notice_index,
        title="同心区城市社区网格化服务管理办法",
        issuing_body="同心区人民政府办公室",
        document_number="同政办发〔2026〕9号",
        written_on=datetime.date(2026, 2, 26),
        published_on=datetime.date(2026, 3, 5),
        effective_on=datetime.date(2026, 4, 1),
        category=NoticeCategoryFactory(name="社区治理", slug="shequ"),
        summary="按每300户左右设一个网格。",
        is_urgent=True,
        body=[
            {"type": "heading", "value": "一、网格划分"},
            {"type": "paragraph", "value": "<p>每个网格配备1名专职网格员。</p>"},
            {
                "type": "table",
                "value": {
                    "data": [["对象", "频次"], ["困难群体", "每月必访"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "走访频次",
                },
            },
            {"type": "quote", "value": {"text": "人在网中走，事在格中办。", "source": "网格工作口诀"}},
            {
                "type": "image",
                "value": {"image": image.pk, "decorative": False, "alt_text": "网格划分示意图"},
            },
        ],
        communities=[
            CommunityFactory(name="复兴社区", slug="fx"),
            CommunityFactory(name="春雨社区", slug="cy"),
        ],
    )
    notice.tags.add("网格化治理")
    notice.save()
    attachment = NoticeAttachmentFactory(page=notice, document__title="走访记录表")
    attachment.document.file.save("zoufang.txt", ContentFile("走访记录表\n" * 100))
    attachment.document.file_size = attachment.document.file.size
    attachment.document.save()

    response = client.get("/notices/" + notice.slug + "/")
    html = response.content.decode()

    assert response.status_code == 200
    for text in [
        "同心区城市社区网格化服务管理办法",
        "同心区人民政府办公室",
        "同政办发〔2026〕9号",
        "2026年2月26日",
        "2026年3月5日",
        "2026年4月1日",
        "现行有效",
        "社区治理",
        "复兴社区",
        "春雨社区",
        "按每300户左右设一个网格。",
        "一、网格划分",
        "每个网格配备1名专职网格员。",
        '<th scope="col">对象</th>',
        "每月必访",
        "人在网中走，事在格中办。",
        'alt="网格划分示意图"',
        "网格化治理",
        "紧急",
        "走访记录表",
        "TXT",
        "最后更新",
    ]:
        assert text in html, text
    assert attachment.document.url in html
    assert "1.6\xa0KB" in html


def test_notice_applying_to_no_community_in_particular_says_whole_district(client, notice_index):
    notice = NoticePageFactory(parent=notice_index)
    html = client.get(notice.url).content.decode()
    assert "全区各社区" in html


def test_revised_notice_banner_links_to_current_one_and_back(client, notice_index):
    old = NoticePageFactory(
        parent=notice_index, title="网格管理办法（2024年版）", document_number="同政办发〔2024〕21号"
    )
    new = NoticePageFactory(parent=notice_index, title="网格管理办法", document_number="同政办发〔2026〕9号")
    notice_supersede(old=old, new=new, validity=Validity.REVISED)

    old_html = client.get(old.url).content.decode()
    assert "本文件已修订" in old_html
    assert f'现行文件：<a href="{new.url}">网格管理办法</a>（同政办发〔2026〕9号）' in old_html

    new_html = client.get(new.url).content.decode()
    assert "本文件已修订" not in new_html
    assert f'<a href="{old.url}">网格管理办法（2024年版）</a>' in new_html
    assert "已修订" in new_html


def test_repealed_notice_without_successor_says_so(client, notice_index):
    old = NoticePageFactory(parent=notice_index, title="社区疫情防控工作指引")
    notice_supersede(old=old, new=None, validity=Validity.REPEALED)
    html = client.get(old.url).content.decode()
    assert "本文件已废止" in html
    assert "暂无替代文件" in html


def test_banner_does_not_link_to_a_successor_that_is_not_live(client, notice_index):
    old = NoticePageFactory(parent=notice_index)
    draft = NoticePageFactory(parent=notice_index, live=False, title="尚未发布的新办法")
    notice_supersede(old=old, new=draft, validity=Validity.REPEALED)
    html = client.get(old.url).content.decode()
    assert "本文件已废止" in html
    assert "尚未发布的新办法" not in html


def test_validity_and_successor_must_agree(notice_index):
    notice = NoticePageFactory(parent=notice_index)
    other = NoticePageFactory(parent=notice_index)
    notice.replaced_by = other
    with pytest.raises(ValidationError) as error:
        notice.full_clean()
    assert "现行有效的文件不能指定取代它的文件。" in str(error.value)
    notice.validity, notice.replaced_by = Validity.REVISED, None
    with pytest.raises(ValidationError) as error:
        notice.full_clean()
    assert "已修订的文件须选择修订后的现行文件。" in str(error.value)
    with pytest.raises(ValidationError):
        notice_supersede(old=notice, new=other, validity=Validity.CURRENT)


def test_summary_is_limited_to_100_characters(notice_index):
    with pytest.raises(ValidationError) as error:
        NoticePageFactory(parent=notice_index, summary="字" * 101)
    assert "summary" in error.value.message_dict


def test_notice_page_stays_within_query_budget(client, notice_index, settings):
    settings.PAGE_CACHE_SECONDS = 0  # measure the page itself, not the anonymous page cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    old = NoticePageFactory(parent=notice_index)
    new = NoticePageFactory(parent=notice_index, communities=[CommunityFactory()])
    plain = NoticePageFactory(parent=notice_index)
    notice_supersede(old=old, new=new, validity=Validity.REVISED)
    NoticeAttachmentFactory(page=old)
    counts = {}
    for notice in (old, new, plain):
        client.get(notice.url)  # warm Wagtail's site root paths, as in a running process
        with CaptureQueriesContext(connection) as queries:
            assert client.get(notice.url).status_code == 200
        counts[notice.slug] = len(queries.captured_queries)
    assert max(counts.values()) <= 12, counts
