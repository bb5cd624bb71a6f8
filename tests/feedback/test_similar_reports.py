"""Similar open public reports offered before a new one: the rule, the JSON for
feedback.js, and the step of the form without JavaScript."""

from decimal import Decimal

import pytest
from django.urls import reverse

from feedback.complaints import selectors, services
from feedback.complaints.forms import ComplaintReportForm
from feedback.models import Complaint
from tests.factories.feedback import ComplaintCategoryFactory, ComplaintFactory
from tests.factories.home import CommunityFactory

from .conftest import advance, image_upload

pytestmark = pytest.mark.django_db
REPORT = "/feedback/report/"
SIMILAR = "/feedback/report/similar/"
LAMP = "3栋门口的路灯不亮了，晚上很黑，老人出门不安全。"


def on_board(category, community, text, *, to="dispatched", lat=None, lng=None, allow_public=True):
    complaint = ComplaintFactory(
        category=category,
        community=community,
        description=text + "我是张三丰13812345678",
        latitude=lat,
        longitude=lng,
        allow_public=allow_public,
    )
    complaint = advance(complaint, to=to)
    if allow_public:
        complaint = services.set_public_text(complaint=complaint, text=text, actor=None)
    return complaint


def similar(category, community, text, **kwargs):
    return [
        s.complaint
        for s in selectors.similar_public_complaints(
            category=category, community=community, text=text, **kwargs
        )
    ]


def test_rule_needs_two_shared_words_same_community_and_category(category, community):
    lamp = on_board(category, community, "小区3栋门口路灯不亮，晚上很黑。")
    on_board(category, community, "楼道里堆满杂物，存在消防隐患。")
    on_board(category, CommunityFactory(name="千秋社区", slug="qianqiu"), "3栋路灯不亮，晚上很黑。")
    on_board(ComplaintCategoryFactory(name="市政设施"), community, "3栋门口路灯不亮，晚上很黑。")
    assert similar(category, community, LAMP) == [lamp]
    assert similar(category, community, "路灯坏了") == []  # one shared word is not enough
    assert similar(category, community, "请尽快处理问题，谢谢") == []  # only words every report uses


def test_rule_one_shared_word_suffices_when_the_places_are_near(category, community):
    lamp = on_board(category, community, "路灯坏了。", lat=Decimal("39.900000"), lng=Decimal("116.400000"))
    near = {"latitude": Decimal("39.901000"), "longitude": Decimal("116.400000")}  # ~110 m
    far = {"latitude": Decimal("39.950000"), "longitude": Decimal("116.400000")}  # ~5.5 km
    assert similar(category, community, "门口路灯一直不亮", **near) == [lamp]
    assert similar(category, community, "门口路灯一直不亮", **far) == []


@pytest.mark.parametrize("state", ["resolved", "rejected", "submitted"])
def test_rule_offers_open_reports_only(category, community, state):
    if state == "rejected":
        complaint = services.reject_complaint(
            complaint=ComplaintFactory(category=category, community=community),
            reason="out_of_scope",
            actor=None,
        )
        complaint.public_text = "小区3栋门口路灯不亮，晚上很黑。"
        complaint.save()
    elif state == "submitted":
        ComplaintFactory(
            category=category, community=community, public_text="小区3栋门口路灯不亮，晚上很黑。"
        )
    else:
        on_board(category, community, "小区3栋门口路灯不亮，晚上很黑。", to="resolved")
    assert similar(category, community, LAMP) == []


def test_rule_reads_only_approved_public_text_never_descriptions(category, community):
    private = advance(
        ComplaintFactory(category=category, community=community, description=LAMP), to="dispatched"
    )
    hidden = on_board(category, community, "小区3栋门口路灯不亮，晚上很黑。")
    services.set_public_text(complaint=hidden, hidden=True, actor=None)
    on_board(category, community, LAMP, allow_public=False)
    assert private.description == LAMP and similar(category, community, LAMP) == []


def test_rule_gives_at_most_three_best_first_in_one_query(category, community, django_assert_num_queries):
    for n in range(6):
        on_board(category, community, f"小区{n}栋门口路灯不亮，晚上很黑。")
    best = on_board(category, community, "3栋门口路灯不亮，晚上很黑，老人出门不安全。")
    with django_assert_num_queries(1):
        found = similar(category, community, LAMP)
    assert len(found) == 3 and found[0] == best


@pytest.fixture
def lamp(site, category, community):
    return on_board(category, community, "小区3栋门口路灯不亮，晚上很黑。")


def test_json_lists_similar_reports_without_personal_data(client, lamp, category, community):
    response = client.post(SIMILAR, {"category": category.pk, "community": community.pk, "description": LAMP})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert "小区3栋门口路灯不亮，晚上很黑。" in data["html"]
    assert reverse("feedback:public_detail", args=[lamp.public_code]) + "#metoo" in data["html"]
    for personal in ("张三丰", "13812345678", "138****5678", lamp.reference, lamp.tracking_token):
        assert personal not in response.content.decode()


def test_json_is_post_only_and_empty_for_incomplete_fields(client, lamp, category, community):
    assert (
        client.get(
            SIMILAR, {"category": category.pk, "community": community.pk, "description": LAMP}
        ).status_code
        == 405
    )
    assert client.post(SIMILAR, {"community": community.pk, "description": LAMP}).json() == {
        "count": 0,
        "html": "",
    }


def test_json_is_throttled(client, lamp, category, community, settings):
    settings.FEEDBACK_SIMILAR_RATE_PER_IP = "1/h"
    data = {"category": category.pk, "community": community.pk, "description": LAMP}
    assert client.post(SIMILAR, data).status_code == 200
    assert client.post(SIMILAR, data).status_code == 429


@pytest.fixture
def form_data(lamp, category, community):
    return {
        "kind": "complaint",
        "category": category.pk,
        "community": community.pk,
        "place": "复兴路88号小区3栋门口",
        "description": LAMP,
        "name": "李四",
        "phone": "13900001111",
        "consent": "on",
        "captcha_0": "test",
        "captcha_1": "PASSED",
        **ComplaintReportForm.protection_data(),
    }


def test_without_javascript_similar_reports_are_a_step_that_keeps_what_was_typed(client, lamp, form_data):
    response = client.post(REPORT, form_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "本社区已有居民反映过类似问题" in html and "小区3栋门口路灯不亮，晚上很黑。" in html
    assert reverse("feedback:public_detail", args=[lamp.public_code]) + "#metoo" in html
    assert "仍然提交新的反映" in html and "无需再输入验证码" in html
    assert 'value="13900001111"' in html and 'value="李四"' in html and LAMP in html
    assert 'name="captcha_1"' not in html
    assert Complaint.objects.count() == 1  # nothing saved yet
    assert "照片没有保存" not in html  # none were chosen

    token = html.split('name="similar_seen" value="')[1].split('"')[0]
    confirmed = {k: v for k, v in form_data.items() if not k.startswith("captcha")}
    response = client.post(REPORT, {**confirmed, "similar_seen": token})
    assert response.status_code == 302
    assert Complaint.objects.count() == 2

    again = client.post(REPORT, {**confirmed, "similar_seen": token})  # the token is used up
    assert again.status_code == 200 and "请输入图片中的数字验证码" in again.content.decode()
    assert Complaint.objects.count() == 2


def test_similar_step_says_photos_must_be_chosen_again(client, form_data):
    response = client.post(REPORT, {**form_data, "photos": [image_upload()]})
    html = response.content.decode()
    assert "您选择的照片没有保存" in html and "请在下方重新选择照片" in html


def test_with_javascript_the_seen_flag_skips_the_step(client, form_data):
    response = client.post(REPORT, {**form_data, "similar_seen": "seen"})
    assert response.status_code == 302
    assert Complaint.objects.count() == 2


def test_forged_confirm_token_still_needs_the_captcha(client, form_data):
    confirmed = {k: v for k, v in form_data.items() if not k.startswith("captcha")}
    response = client.post(REPORT, {**confirmed, "similar_seen": "forged:token"})
    assert response.status_code == 200 and "请输入图片中的数字验证码" in response.content.decode()
    assert Complaint.objects.count() == 1


def test_no_step_when_nothing_is_similar(client, form_data):
    response = client.post(REPORT, {**form_data, "description": "楼道里堆满杂物，存在消防隐患，请尽快清理。"})
    assert response.status_code == 302
