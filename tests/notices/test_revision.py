"""Revising a notice from either side: the old notice names its successor (现行文件),
or the new notice names the one it replaces (本文件替代), which publishing applies;
and the chooser editors pick notices with shows 发文字号, 效力 and the date."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from notices.models import NoticePage
from notices.services import notice_published
from notices.vocab import Validity
from tests.factories.notices import NoticePageFactory

pytestmark = pytest.mark.django_db
CHOOSER = "/admin/notices/chooser/"


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("chief", password="pw-chief-1"))
    return client


def _edit(client, notice, action: str, **fields):
    url = f"/admin/pages/{notice.pk}/edit/"
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    # The body is a StreamField the browser builds with JavaScript.
    data.update(nested_form_data({"body": streamfield([("paragraph", rich_text("<p>正文。</p>"))])}))
    for name, value in fields.items():
        data[name] = str(value)
    data[action] = "1"
    return client.post(url, data)


def test_publishing_the_new_notice_marks_the_one_it_replaces_revised(admin_client, notice_index):
    old = NoticePageFactory(parent=notice_index, title="网格管理办法（2024年版）")
    new = NoticePageFactory(parent=notice_index, title="网格管理办法")
    response = _edit(admin_client, new, "action-publish", supersedes=old.pk)
    assert response.status_code == 302, response.content.decode()[:3000]
    old.refresh_from_db()
    assert (old.validity, old.replaced_by_id, old.live) == (Validity.REVISED, new.pk, True)
    assert old.live_revision.user.username == "chief"  # republished through notice_supersede
    html = admin_client.get(old.url).content.decode()
    assert "本文件已修订" in html and "网格管理办法" in html


def test_a_draft_naming_the_old_notice_leaves_it_in_force(admin_client, notice_index):
    old = NoticePageFactory(parent=notice_index)
    new = NoticePageFactory(parent=notice_index, live=False)
    assert _edit(admin_client, new, "action-save", supersedes=old.pk).status_code == 302
    old.refresh_from_db()
    assert old.validity == Validity.CURRENT and old.replaced_by is None

    # Approval after review publishes the revision: the old one is revised then.
    new.refresh_from_db()
    new.get_latest_revision().publish()
    old.refresh_from_db()
    assert (old.validity, old.replaced_by_id) == (Validity.REVISED, new.pk)


def test_replacing_a_repealed_notice_is_refused_in_chinese_and_keeps_the_form(admin_client, notice_index):
    repealed = NoticePageFactory(parent=notice_index, title="旧规定", validity=Validity.REPEALED)
    new = NoticePageFactory(parent=notice_index)
    response = _edit(admin_client, new, "action-publish", supersedes=repealed.pk, title="改过的标题")
    assert response.status_code == 200
    html = response.content.decode()
    assert "《旧规定》已废止，不能再被替代。" in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("input[name=title]")["value"] == "改过的标题"
    new.refresh_from_db()
    assert new.title != "改过的标题" and new.supersedes is None


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("self", "不能选择本文件自身。"),
        ("taken", "《甲办法》已由《乙办法》替代。"),
        ("successor", "所选文件正是取代本文件的现行文件，不能反过来替代它。"),
        ("not-current", "只有现行有效的文件才能替代其他文件"),
    ],
)
def test_what_a_new_notice_may_not_replace(notice_index, case, message):
    first = NoticePageFactory(parent=notice_index, title="甲办法")
    second = NoticePageFactory(parent=notice_index, title="乙办法")
    notice = NoticePageFactory(parent=notice_index)
    if case == "self":
        notice.supersedes = notice
    elif case == "taken":
        first.validity, first.replaced_by = Validity.REVISED, second
        first.save()
        notice.supersedes = first
    elif case == "successor":
        notice.validity, notice.replaced_by = Validity.REVISED, second
        notice.supersedes = second
    else:
        notice.validity, notice.replaced_by = Validity.REPEALED, None
        notice.supersedes = first
    with pytest.raises(ValidationError) as error:
        notice.full_clean()
    assert message in " ".join(error.value.message_dict["supersedes"])


def test_a_notice_that_replaced_one_can_itself_be_replaced(notice_index):
    first = NoticePageFactory(parent=notice_index, title="2022年版")
    second = NoticePageFactory(parent=notice_index, title="2024年版", supersedes=first)
    notice_published(notice=second)
    third = NoticePageFactory(parent=notice_index, title="2026年版", supersedes=second)
    notice_published(notice=third)
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.validity, second.replaced_by_id) == (Validity.REVISED, third.pk)
    assert (first.validity, first.replaced_by_id) == (Validity.REVISED, second.pk)


def test_republishing_the_new_notice_changes_nothing_more(notice_index):
    old = NoticePageFactory(parent=notice_index)
    new = NoticePageFactory(parent=notice_index, supersedes=old)
    assert notice_published(notice=new) == old
    revisions = old.revisions.count()
    assert notice_published(notice=NoticePage.objects.get(pk=new.pk)) is None
    assert old.revisions.count() == revisions


def test_the_old_notice_still_names_its_successor_from_its_own_edit_screen(admin_client, notice_index):
    old = NoticePageFactory(parent=notice_index)
    new = NoticePageFactory(parent=notice_index)
    response = _edit(admin_client, old, "action-publish", validity=Validity.REVISED, replaced_by=new.pk)
    assert response.status_code == 302
    old.refresh_from_db()
    assert (old.validity, old.replaced_by_id) == (Validity.REVISED, new.pk)


def test_edit_screen_offers_both_fields_through_the_notice_chooser(admin_client, notice_index):
    notice = NoticePageFactory(parent=notice_index)
    html = admin_client.get(f"/admin/pages/{notice.pk}/edit/").content.decode()
    assert "本文件替代" in html and "现行文件" in html
    assert html.count(CHOOSER) >= 2  # both pickers open the notice chooser
    assert "选择通知公告" in html


def _chooser_rows(client, **params):
    response = client.get(CHOOSER, params)
    assert response.status_code == 200
    soup = BeautifulSoup(json.loads(response.content)["html"], "html.parser")
    headers = [th.get_text(" ", strip=True) for th in soup.select("thead th")]
    rows = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in soup.select("tbody tr")]
    return headers, rows


def test_notice_chooser_lists_document_number_validity_and_date(admin_client, notice_index):
    import datetime

    NoticePageFactory(
        parent=notice_index,
        title="网格管理办法（2024年版）",
        document_number="同政办发〔2024〕21号",
        published_on=datetime.date(2024, 5, 6),
        validity=Validity.REPEALED,
    )
    NoticePageFactory(
        parent=notice_index,
        title="网格管理办法",
        document_number="同政办发〔2026〕9号",
        published_on=datetime.date(2026, 2, 3),
    )
    headers, rows = _chooser_rows(admin_client)
    assert headers[1:5] == ["发文字号", "效力", "发布日期", "状态"]
    assert rows[0][:4] == ["网格管理办法", "同政办发〔2026〕9号", "现行有效", "2026-02-03"]
    assert rows[1][1:4] == ["同政办发〔2024〕21号", "已废止", "2024-05-06"]

    _, found = _chooser_rows(admin_client, q="〔2024〕")
    assert [row[0] for row in found] == ["网格管理办法（2024年版）"]
    _, found = _chooser_rows(admin_client, q="管理办法")
    assert len(found) == 2


def test_an_editor_can_open_the_notice_chooser(client, notice_index):
    from django.contrib.auth.models import Group

    from home.roles import apply_roles

    apply_roles()
    editor = get_user_model().objects.create_user("editor", password="pw-editor-1")
    editor.groups.add(Group.objects.get(name="编辑"))
    NoticePageFactory(parent=notice_index, document_number="同政办发〔2026〕3号")
    client.force_login(editor)
    _, rows = _chooser_rows(client)
    assert rows[0][1] == "同政办发〔2026〕3号"


def test_the_chooser_shows_drafts_only_to_who_may_write_notices(client, notice_index):
    from django.contrib.auth.models import Group, Permission

    from home.roles import apply_roles

    apply_roles()
    live = NoticePageFactory(parent=notice_index, title="已发布的通知")
    draft = NoticePageFactory(parent=notice_index, title="尚未发布的草稿", live=False)
    editor = get_user_model().objects.create_user("editor", password="pw-editor-1")
    editor.groups.add(Group.objects.get(name="编辑"))
    outsider = get_user_model().objects.create_user("outsider", password="pw-outsider-1")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    titles = {}
    for user in (editor, outsider):
        client.force_login(user)
        titles[user.username] = {row[0] for row in _chooser_rows(client)[1]}
    assert {live.title, draft.title} <= titles["editor"]
    assert live.title in titles["outsider"] and draft.title not in titles["outsider"]
