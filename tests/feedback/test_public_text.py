"""Moderated public text: nothing a resident typed goes public as typed.

A report is on the public board only with a public text a moderator approved, shown
instead of the description; the moderator starts from the description with personal
data masked, sees each detection marked, edits, approves or keeps it off the board.
Photos are public only once marked.
"""

import re

import pytest
from django.urls import reverse

from feedback.complaints import services
from feedback.complaints.photos import clean_photo
from feedback.models import Complaint, State
from tests.factories.feedback import ComplaintFactory, dispatch_date

from .conftest import advance, image_upload, publish

pytestmark = pytest.mark.django_db
PUBLIC = "/feedback/public/"
NEIGHBOUR_REPORT = (
    "楼上邻居张建国住5栋302，天天半夜在家装修，敲打声很大。"
    "他的电话138-1111-2222打不通，身份证110101199003074514是物业给我看的。"
)
SECRETS = ("张建国", "建国", "5栋302", "138-1111-2222", "1111", "110101199003074514")


def action(complaint, name):
    return reverse("feedback_complaint_action", args=[complaint.pk, name])


def seen(complaint) -> dict:
    from feedback.complaints.concurrency import complaint_version

    return {"version": complaint_version(Complaint.objects.get(pk=complaint.pk))}


def form_value(html: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    return match.group(1).strip() if match else ""


def test_neighbours_name_room_dashed_phone_and_id_never_reach_the_public_board(
    client, site, make_moderator, category, community, unit
):
    complaint = ComplaintFactory(category=category, community=community, description=NEIGHBOUR_REPORT)
    client.force_login(make_moderator(communities=[community]))
    form = client.get(action(complaint, "dispatch")).content.decode()
    prefilled = form_value(form, "public_text")
    assert "张**" in prefilled and "［门牌号］" in prefilled and "138****2222" in prefilled
    assert "［身份证号］" in prefilled
    response = client.post(
        action(complaint, "dispatch"),
        {
            "unit": unit.pk,
            "deadline": dispatch_date(),
            "note": "",
            "public_text": prefilled,
            **seen(complaint),
        },
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == State.DISPATCHED and complaint.public_text_approved_at is not None

    html = client.get(PUBLIC).content.decode()
    assert "天天半夜在家装修" in html  # the report is there…
    for secret in SECRETS:  # …without any of them
        assert secret not in html


def test_dispatch_without_public_text_keeps_the_report_off_the_board(
    client, site, make_moderator, complaint, unit
):
    client.force_login(make_moderator(communities=[complaint.community]))
    client.post(
        action(complaint, "dispatch"),
        {"unit": unit.pk, "deadline": dispatch_date(), "note": "", "public_text": "", **seen(complaint)},
    )
    complaint.refresh_from_db()
    assert complaint.state == State.DISPATCHED and complaint.public_text_approved_at is None
    assert complaint.description not in client.get(PUBLIC).content.decode()


def test_existing_reports_without_an_approved_text_are_not_public(site, client, complaint):
    advance(complaint, to="resolved")
    assert not Complaint.objects.publicly_visible().exists()
    assert complaint.description not in client.get(PUBLIC).content.decode()


def test_dispatch_form_offers_no_public_text_when_the_resident_did_not_allow_it(
    client, make_moderator, category, community
):
    private = ComplaintFactory(category=category, community=community, allow_public=False)
    client.force_login(make_moderator(communities=[community]))
    assert 'name="public_text"' not in client.get(action(private, "dispatch")).content.decode()


def test_public_text_screen_marks_each_detection_with_its_kind(client, make_moderator, category, community):
    complaint = ComplaintFactory(category=category, community=community, description=NEIGHBOUR_REPORT)
    client.force_login(make_moderator(communities=[community]))
    html = client.get(action(complaint, "hide")).content.decode()
    assert "检测到 4 处个人信息" in html
    for text, kind in (("张建国", "人名"), ("5栋302", "门牌号"), ("138-1111-2222", "手机号")):
        assert f'{text}<span class="pd-kind">（{kind}）</span></mark>' in html
    assert 'data-kind="id_number">110101199003074514' in html
    draft = form_value(html, "public_text")
    assert draft.startswith("楼上邻居张**住［门牌号］") and "110101199003074514" not in draft
    assert "未检测到个人信息" in html  # the masked draft is clean


def test_hide_checkbox_starts_as_the_report_is_and_a_reason_alone_keeps_it_public(
    client, site, make_moderator, complaint
):
    complaint = publish(advance(complaint, to="dispatched"))
    client.force_login(make_moderator(communities=[complaint.community]))
    html = client.get(action(complaint, "hide")).content.decode()
    checkbox = re.search(r'<input[^>]*name="hidden"[^>]*>', html).group(0)
    assert "checked" not in checkbox  # public now: "不在公开栏展示" starts unticked
    draft = form_value(html, "public_text")
    response = client.post(
        action(complaint, "hide"), {"public_text": draft, "note": "核对过", **seen(complaint)}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.hidden is False
    assert complaint.description in client.get(PUBLIC).content.decode()

    services.set_public_text(complaint=complaint, hidden=True, actor=None)
    html = client.get(action(complaint, "hide")).content.decode()
    assert "checked" in re.search(r'<input[^>]*name="hidden"[^>]*>', html).group(0)


def test_moderator_edits_and_approves_and_the_board_shows_the_edit(
    client, site, make_moderator, category, community
):
    complaint = advance(
        ComplaintFactory(category=category, community=community, description=NEIGHBOUR_REPORT),
        to="dispatched",
    )
    moderator = make_moderator(communities=[community])
    client.force_login(moderator)
    # Typing a phone back in is caught, with what and where, and nothing is saved.
    response = client.post(
        action(complaint, "hide"), {"public_text": "楼上装修扰民，电话139 2222 3333。", **seen(complaint)}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "仍有疑似个人信息" in page and "（手机号）" in page
    assert "楼上装修扰民，电话139 2222 3333。" in page  # what was typed is kept
    complaint.refresh_from_db()
    assert complaint.public_text == "" and complaint.public_text_approved_at is None

    edited = "楼上住户长期夜间装修，噪音扰民，希望社区协调。"
    assert (
        client.post(action(complaint, "hide"), {"public_text": edited, **seen(complaint)}).status_code == 302
    )
    complaint.refresh_from_db()
    assert complaint.public_text == edited and complaint.public_text_approved_by == moderator
    html = client.get(PUBLIC).content.decode()
    assert edited in html and "天天半夜在家装修" not in html


def test_a_false_detection_can_be_confirmed(client, site, make_moderator, complaint):
    complaint = advance(complaint, to="dispatched")
    client.force_login(make_moderator(communities=[complaint.community]))
    text = "和平社区王阿姨助餐点的饭菜偏咸。"  # 王阿姨 is the name of the canteen here
    assert client.post(action(complaint, "hide"), {"public_text": text, **seen(complaint)}).status_code == 200
    response = client.post(
        action(complaint, "hide"), {"public_text": text, "confirmed": "on", **seen(complaint)}
    )
    assert response.status_code == 302
    assert text in client.get(PUBLIC).content.decode()


def test_without_the_residents_consent_nothing_is_approved(client, make_moderator, category, community):
    private = advance(
        ComplaintFactory(category=category, community=community, allow_public=False), to="dispatched"
    )
    client.force_login(make_moderator(communities=[community]))
    response = client.post(action(private, "hide"), {"public_text": "路灯坏了。", **seen(private)})
    assert "居民未同意公开" in response.content.decode()
    private.refresh_from_db()
    assert private.public_text_approved_at is None


def _with_photos(category, community, n=2):
    return services.submit_complaint(
        kind="complaint",
        category=category,
        community=community,
        description="路口井盖缺失，晚上很危险。",
        phone="13912345678",
        allow_public=True,
        privacy_notice_version="1",
        photos=[clean_photo(image_upload()) for _ in range(n)],
    )


def test_only_photos_a_moderator_marks_go_public(client, site, make_moderator, category, community):
    complaint = advance(_with_photos(category, community), to="dispatched")
    first, second = complaint.photos.all()
    public_url = reverse("feedback:public_photo", args=[first.pk])
    complaint = publish(complaint)
    assert complaint.description in client.get(PUBLIC).content.decode()
    assert "/feedback/public/photos/" not in client.get(PUBLIC).content.decode()
    assert client.get(public_url).status_code == 404

    client.force_login(make_moderator(communities=[community], personal_data=True))
    html = client.get(action(complaint, "hide")).content.decode()
    assert f'value="{first.pk}"' in html and f'value="{second.pk}"' in html
    client.post(
        action(complaint, "hide"),
        {"public_text": complaint.public_text, "public_photos": [first.pk], **seen(complaint)},
    )
    client.logout()
    board = client.get(PUBLIC).content.decode()
    assert public_url in board and reverse("feedback:public_photo", args=[second.pk]) not in board
    response = client.get(public_url)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert client.get(reverse("feedback:public_photo", args=[second.pk])).status_code == 404

    services.set_public_text(complaint=complaint, hidden=True, actor=None)  # off the board: photo too
    assert client.get(public_url).status_code == 404


def test_moderator_without_photo_permission_does_not_unmark_photos(
    client, make_moderator, category, community
):
    complaint = advance(_with_photos(category, community, n=1), to="dispatched")
    photo = complaint.photos.get()
    services.set_public_text(complaint=complaint, text="井盖缺失。", public_photo_ids=[photo.pk], actor=None)
    client.force_login(make_moderator(communities=[community]))
    html = client.get(action(complaint, "hide")).content.decode()
    assert 'name="public_photos"' not in html
    client.post(action(complaint, "hide"), {"public_text": "井盖缺失。", **seen(complaint)})
    photo.refresh_from_db()
    assert photo.public is True


def test_demo_public_reports_have_approved_texts(site):
    from feedback.complaints import demo

    demo.load()
    visible = Complaint.objects.publicly_visible()
    assert visible.exists()
    assert not visible.filter(public_text_approved_at__isnull=True).exists()
    assert not Complaint.objects.filter(allow_public=False, public_text_approved_at__isnull=False).exists()


def test_demo_loads_when_the_next_year_has_no_official_calendar_yet(site, monkeypatch):
    # In late December the deadlines of the last days' reports fall in a year that
    # chinesecalendar does not know yet (dispatch.W020): the demo still loads, and those
    # reports wait for dispatch, as a moderator could not dispatch them either.
    import datetime

    from django.utils import timezone

    from feedback.complaints import demo, workdays

    horizon = timezone.localdate() + datetime.timedelta(days=3)
    known = workdays.is_workday

    def is_workday(day):
        if day > horizon:
            raise workdays.CalendarMissing(day.year)
        return known(day)

    monkeypatch.setattr(workdays, "is_workday", is_workday)
    demo.load()
    assert Complaint.objects.filter(is_demo=True, deadline__isnull=False).exists()  # older ones went on
    assert not Complaint.objects.filter(deadline__gt=horizon).exists()
    waiting = Complaint.objects.filter(is_demo=True, state=State.SUBMITTED)
    assert waiting.exists() and not waiting.filter(deadline__isnull=False).exists()
    assert not waiting.filter(public_text_approved_at__isnull=False).exists()
