"""A public report's own page (/feedback/public/<code>/) and 我也遇到."""

import re

import pytest
from django.urls import reverse

from feedback.complaints import selectors, services
from feedback.complaints.forms import FollowForm
from feedback.complaints.photos import clean_photo
from feedback.models import ComplaintFollower
from tests.factories.feedback import ComplaintFactory

from .conftest import advance, image_upload

pytestmark = pytest.mark.django_db
PUBLIC = "/feedback/public/"


def page_url(complaint) -> str:
    return reverse("feedback:public_detail", args=[complaint.public_code])


def follow_url(complaint) -> str:
    return reverse("feedback:public_follow", args=[complaint.public_code])


def follow(client, complaint, **data):
    return client.post(follow_url(complaint), {**FollowForm.protection_data(), **data})


@pytest.fixture
def client_factory():
    """Another resident's phone: a browser without the first one's cookies."""
    from django.test import Client

    return Client


@pytest.fixture
def shown(site, category, community):
    """A dispatched report whose public text a moderator approved, with one public photo."""
    complaint = services.submit_complaint(
        kind="complaint",
        category=category,
        community=community,
        place="复兴路88号小区3栋楼下",
        description="小区3栋门口路灯不亮，晚上很黑，我是张三丰，电话13812345678",
        name="张三丰",
        phone="13812345678",
        allow_public=True,
        privacy_notice_version="1",
        photos=[clean_photo(image_upload()), clean_photo(image_upload())],
    )
    complaint = advance(complaint, to="dispatched")
    first = complaint.photos.first()
    return services.set_public_text(
        complaint=complaint, text="小区3栋门口路灯不亮，晚上很黑。", public_photo_ids=[first.pk], actor=None
    )


def test_public_page_shows_moderated_text_timeline_photo_and_no_personal_data(client, shown):
    response = client.get(page_url(shown))
    assert response.status_code == 200
    html = response.content.decode()
    assert "小区3栋门口路灯不亮，晚上很黑。" in html
    assert "环境卫生 · 复兴社区" in html and "已派单" in html
    assert "已派单至街道城管办" in html  # the public timeline
    assert "审核通过公开文本" not in html  # an internal event
    public, private = shown.photos.all()
    assert reverse("feedback:public_photo", args=[public.pk]) in html
    assert reverse("feedback:public_photo", args=[private.pk]) not in html
    assert "复兴路88号小区3栋楼下" in html  # the place, as text
    assert re.search(r"<title>环境卫生 · 复兴社区的居民反映 - ", html)
    assert '<meta name="description" content="复兴社区居民反映（环境卫生，已派单）：小区3栋' in html
    for personal in ("张三丰", "13812345678", "138****5678", "张**", shown.reference, shown.tracking_token):
        assert personal not in html
    assert "晚上很黑，我是" not in html  # the description as typed is never read out


def test_public_page_shows_days_to_resolve_and_staff_notes_not_residents_comments(client, shown):
    complaint = advance(shown, to="resolved")
    services.rate_complaint(complaint=complaint, rating="dissatisfied", comment="我是李四，电话13900001111")
    html = client.get(page_url(complaint)).content.decode()
    assert "居民不满意，重新办理" in html
    assert "李四" not in html and "13900001111" not in html and "139****1111" not in html
    complaint = services.resolve_complaint(
        complaint=complaint, reply="已更换灯泡，联系人13700002222。", actor=None
    )
    html = client.get(page_url(complaint)).content.decode()
    assert "0 天办结" in html
    assert "已更换灯泡" in html and "13700002222" not in html  # staff text is masked too


@pytest.mark.parametrize("how", ["hidden", "not_allowed", "unapproved", "unknown"])
def test_public_page_is_404_unless_on_the_board(client, site, shown, category, community, how):
    if how == "hidden":
        assert client.get(page_url(shown)).status_code == 200
        services.set_public_text(complaint=shown, hidden=True, actor=None)  # live: gone at once
        url = page_url(shown)
    elif how == "not_allowed":
        other = advance(
            ComplaintFactory(category=category, community=community, allow_public=False), to="dispatched"
        )
        other.public_code = "ABCDEFGH"
        other.save(update_fields=["public_code"])
        url = f"{PUBLIC}ABCDEFGH/"
    elif how == "unapproved":
        other = advance(ComplaintFactory(category=category, community=community), to="dispatched")
        other.public_text, other.public_code = "草稿文本", "HGFEDCBA"
        other.save(update_fields=["public_text", "public_code"])
        url = f"{PUBLIC}HGFEDCBA/"
    else:
        url = f"{PUBLIC}20990101-ZZZZ/"  # no such reference
    assert client.get(url).status_code == 404
    assert (
        follow(
            client, shown if how == "hidden" else ComplaintFactory.build(public_code="X"), notify=""
        ).status_code
        == 404
    )


def test_a_shared_reference_leads_to_the_page_at_its_public_code(client, shown):
    typed = shown.reference.lower().replace("-", "")  # as people type it
    response = client.get(f"{PUBLIC}{typed}/")
    assert response.status_code == 301
    assert response["Location"] == page_url(shown)
    page = client.get(page_url(shown)).content.decode()
    assert shown.reference not in page  # the page itself never shows the reference
    services.set_public_text(complaint=shown, hidden=True, actor=None)
    assert client.get(f"{PUBLIC}{shown.reference}/").status_code == 404  # hidden: no redirect


def test_board_links_each_report_to_its_page_with_the_me_too_count(client, shown):
    ComplaintFollower.objects.create(complaint=shown, device_key="k1")
    ComplaintFollower.objects.create(complaint=shown, device_key="k2")
    html = client.get(PUBLIC).content.decode()
    assert f'href="{page_url(shown)}"' in html
    assert "2 位居民也遇到" in html
    assert shown.reference not in html


def test_public_page_query_count_is_bounded(client, shown, django_assert_max_num_queries):
    for n in range(5):
        ComplaintFollower.objects.create(complaint=shown, device_key=f"k{n}")
    client.get(page_url(shown))  # site settings and the like cached, the device cookie given
    # The report with its count, its public photos, its timeline, "already followed?" (a
    # returning device), the site settings: the same whatever the number of followers,
    # events or photos.
    with django_assert_max_num_queries(7):
        response = client.get(page_url(shown))
    assert "<strong data-follower-count>5</strong>" in response.content.decode()


def test_resident_adds_me_too_once_per_device(client, shown):
    response = follow(client, shown)
    assert response.status_code == 302 and response["Location"].endswith("#metoo")
    assert shown.followers.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "已记录“我也遇到”" in page and "您已点过“我也遇到”" in page
    assert "<strong data-follower-count>1</strong>" in page
    follow(client, shown)  # the same phone browser again (its signed cookie)
    assert shown.followers.count() == 1
    stored = shown.followers.get()
    assert stored.phone == "" and not stored.notify
    assert client.cookies["feedback_device"].value not in stored.device_key  # an HMAC, not the id


def test_me_too_with_phone_counts_once_per_phone_and_is_notified(client, client_factory, shown):
    response = follow(client, shown, notify="on", phone="138 0000 1111", consent="on")
    assert response.status_code == 302
    other_device = client_factory()
    follow(other_device, shown, notify="on", phone="13800001111", consent="on")  # same phone
    assert shown.followers.count() == 1
    follow(client_factory(), shown)  # a third resident, no phone
    assert shown.followers.count() == 2
    notified = list(selectors.followers_to_notify(complaint=shown))
    assert [f.phone for f in notified] == ["13800001111"]
    assert notified[0].consented_at is not None and notified[0].privacy_notice_version
    html = client.get(page_url(shown)).content.decode()
    assert "13800001111" not in html and "138****1111" not in html


def test_someone_counted_who_later_asks_for_updates_is_not_counted_twice(client, shown):
    follow(client, shown)
    follow(client, shown, notify="on", phone="13800001111", consent="on")
    follower = shown.followers.get()
    assert follower.notify and follower.phone == "13800001111"


def test_me_too_asking_for_updates_needs_a_phone_and_consent(client, shown):
    response = follow(client, shown, notify="on", phone="123")
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写 11 位手机号码" in html and "请阅读并勾选同意个人信息保护告知" in html
    assert 'value="123"' in html  # what was typed stays
    assert shown.followers.count() == 0


def test_me_too_is_throttled_per_address(client_factory, shown, settings):
    settings.FEEDBACK_FOLLOW_RATE_PER_IP = "2/h"
    assert follow(client_factory(), shown).status_code == 302
    assert follow(client_factory(), shown).status_code == 302
    refused = follow(client_factory(), shown)
    assert refused.status_code == 429 and "Retry-After" in refused
    assert shown.followers.count() == 2


def test_resolved_report_takes_no_more_me_too(client, shown):
    complaint = advance(shown, to="resolved")
    html = client.get(page_url(complaint)).content.decode()
    assert 'action="' + follow_url(complaint) not in html and "提交新的反映" in html
    follow(client, complaint)
    assert complaint.followers.count() == 0


def test_me_too_post_needs_csrf(shown):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(follow_url(shown), FollowForm.protection_data())
    assert response.status_code == 403


def test_erasing_the_report_erases_its_followers_phones_and_keeps_the_count(client, client_factory, shown):
    follow(client, shown, notify="on", phone="13800001111", consent="on")
    follow(client_factory(), shown)
    services.erase_personal_data(complaint=shown, actor=None)
    assert shown.followers.count() == 2
    assert not shown.followers.exclude(phone="").exists()
    assert not shown.followers.filter(notify=True).exists()
    assert all(f.device_key.startswith("a:") for f in shown.followers.all())
    assert list(selectors.followers_to_notify(complaint=shown)) == []


def test_staff_see_the_count_in_the_queue_and_phones_only_with_permission(
    client, shown, make_moderator, community
):
    ComplaintFollower.objects.create(
        complaint=shown, device_key="k1", phone="13800001111", notify=True, consented_at=shown.created_at
    )
    ComplaintFollower.objects.create(complaint=shown, device_key="k2")
    client.force_login(make_moderator(communities=[community]))
    queue = client.get("/admin/feedback/complaint/").content.decode()
    assert "我也遇到" in queue and re.search(r'<td class="field-followers_cell[^"]*">2</td>', queue)
    inspect = client.get(f"/admin/feedback/complaint/inspect/{shown.pk}/").content.decode()
    assert "2 位居民，其中 1 位要求有进展时短信通知" in inspect
    assert "13800001111" not in inspect
    client.force_login(make_moderator("chief", communities=[community], personal_data=True))
    assert "13800001111" in client.get(f"/admin/feedback/complaint/inspect/{shown.pk}/").content.decode()


def test_public_page_shows_the_place_on_a_map_rounded_to_about_100_m(client, shown):
    assert "data-place-map" not in client.get(page_url(shown)).content.decode()  # no pin, no map
    shown.latitude, shown.longitude = 25.0412345, 102.7098765
    shown.save(update_fields=["latitude", "longitude"])
    html = client.get(page_url(shown)).content.decode()
    assert 'data-lat="25.041"' in html and 'data-lng="102.710"' in html
    assert "25.0412" not in html and "102.7098" not in html  # the exact pin is not published
