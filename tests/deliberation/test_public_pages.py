"""Residents' pages: the list with filters (and its query count), proposing, 附议 without
JavaScript, objections in the notice period, rating; no phone or private name shown."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.deliberation import services
from feedback.deliberation.forms import ObjectionForm, ProposeForm
from feedback.deliberation.models import Topic

from .conftest import propose, walk

pytestmark = pytest.mark.django_db


def _detail(topic):
    return reverse("deliberation:detail", args=[topic.public_code])


def test_list_filters_by_step_and_community(client, community, other_community, staff):
    open_one = propose(community, title="楼道堆物清理")
    walk(propose(community, title="加装电梯"), to="proposed", actor=staff)
    propose(other_community, title="滨江停车")
    html = client.get(
        reverse("deliberation:list"), {"step": "collecting", "community": community.slug}
    ).content
    html = html.decode()
    assert open_one.title in html
    assert "加装电梯" not in html and "滨江停车" not in html
    assert client.get(reverse("deliberation:list"), {"step": "nonsense"}).status_code == 200


def test_list_queries_do_not_grow_with_topics(client, community, other_community):
    for n in range(3):
        propose(community, title=f"议题甲{n}")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("deliberation:list"))
    for n in range(15):
        propose(other_community if n % 2 else community, title=f"议题乙{n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("deliberation:list")).status_code == 200
    assert len(many) <= len(few)


def test_list_is_paged(client, community):
    for n in range(23):
        propose(community, title=f"分页议题{n:02d}")
    first = client.get(reverse("deliberation:list")).content.decode()
    assert "第 1 / 2 页" in first
    second = client.get(reverse("deliberation:list"), {"page": 2}).content.decode()
    assert second.count('class="topic-title"') == 3


def _propose_data(community, **over):
    data = {
        "community": community.pk,
        "title": "3栋加装电梯",
        "description": "老人上下楼困难，希望加装电梯，费用按楼层分摊。",
        "name": "王阿姨",
        "phone": "138-0013-8000",
        "consent": "on",
        "captcha_0": "test",
        "captcha_1": "PASSED",
        **ProposeForm.protection_data(),
    }
    data.update(over)
    return data


def test_resident_proposes_and_lands_on_the_public_page_without_phone(client, community):
    response = client.post(reverse("deliberation:propose"), _propose_data(community))
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(topic)
    assert topic.proposer_phone == "13800138000"
    page = client.get(_detail(topic)).content.decode()
    assert "3栋加装电梯" in page
    assert "13800138000" not in page and "王阿姨" not in page and "8000" not in page
    assert page.count('<li class="six-step ') == 6
    assert 'aria-current="step"' in page


def test_bad_proposal_keeps_what_was_typed_with_errors_next_to_fields(client, community):
    response = client.post(reverse("deliberation:propose"), _propose_data(community, phone="123", consent=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写 11 位手机号码" in html and "请阅读并勾选同意个人信息保护告知" in html
    assert "老人上下楼困难" in html
    assert not Topic.objects.exists()


def test_wrong_captcha_refuses(client, community):
    response = client.post(reverse("deliberation:propose"), _propose_data(community, captcha_1="WRONG"))
    assert response.status_code == 400 and not Topic.objects.exists()


def test_support_without_javascript_counts_once_per_device(client, community):
    topic = propose(community)
    url = reverse("deliberation:support", args=[topic.public_code])
    first = client.post(url, {})
    assert first.status_code == 302
    assert first.cookies["feedback_device"]["path"] == "/deliberation/"
    client.post(url, {})
    topic.refresh_from_db()
    assert topic.support_count == 1
    page = client.get(_detail(topic)).content.decode()
    assert "您已经附议过这个议题" in page


def test_two_devices_count_twice_but_one_phone_once(client, community, django_user_model):
    from django.test import Client

    topic = propose(community)
    url = reverse("deliberation:support", args=[topic.public_code])
    Client().post(url, {"phone": "13900000001"})
    Client().post(url, {"phone": "13900000002"})
    Client().post(url, {"phone": "139 0000 0001"})
    topic.refresh_from_db()
    assert topic.support_count == 2


def test_support_is_throttled_per_address(client, community, settings):
    settings.DELIBERATION_SUPPORT_RATE_PER_IP = "2/h"
    topic = propose(community)
    url = reverse("deliberation:support", args=[topic.public_code])
    from django.test import Client

    assert Client().post(url).status_code == 302
    assert Client().post(url).status_code == 302
    assert Client().post(url).status_code == 429
    topic.refresh_from_db()
    assert topic.support_count == 2


def test_support_after_collecting_is_refused(client, community, staff):
    topic = walk(propose(community), to="proposed", actor=staff)
    client.post(reverse("deliberation:support", args=[topic.public_code]))
    topic.refresh_from_db()
    assert topic.support_count == 0
    assert "附议</button>" not in client.get(_detail(topic)).content.decode()


def test_declined_reason_is_public(client, community, staff):
    topic = services.screen_topic(
        topic=propose(community), actor=staff, decision="decline", reason="属于市政道路，已转交城管部门。"
    )
    assert "属于市政道路，已转交城管部门。" in client.get(_detail(topic)).content.decode()


def test_minutes_and_objections_are_masked_on_the_public_page(client, community, staff):
    topic = walk(propose(community), to="notice", actor=staff)
    data = {"text": "我是住3栋的李建国，电话13700001234，车位挡路", "phone": "13700001234", "consent": "on"}
    response = client.post(
        reverse("deliberation:object", args=[topic.public_code]), {**data, **ObjectionForm.protection_data()}
    )
    assert response.status_code == 302
    page = client.get(_detail(topic)).content.decode()
    assert "错峰停车" in page  # the minutes are there…
    for private in ("张秀英", "13900001111", "13700001234", "李建国"):
        assert private not in page  # …without residents' names and phones
    assert "提出异议</button>" in page


def test_objection_form_closes_with_the_notice_period(client, community, staff):
    topic = walk(propose(community), to="notice", actor=staff)
    Topic.objects.filter(pk=topic.pk).update(notice_ends_at=timezone.now() - timedelta(seconds=1))
    data = {
        "text": "不同意这个方案",
        "phone": "13700001234",
        "consent": "on",
        **ObjectionForm.protection_data(),
    }
    client.post(reverse("deliberation:object", args=[topic.public_code]), data)
    assert topic.objections.count() == 0
    page = client.get(_detail(topic)).content.decode()
    assert "提出异议</button>" not in page and "（已结束）" in page


def test_rating_after_carried_out_once_per_device(client, community, staff, report):
    topic = walk(propose(community), to="notice", actor=staff)
    Topic.objects.filter(pk=topic.pk).update(notice_ends_at=timezone.now() - timedelta(seconds=1))
    topic = services.start_implementation(topic=topic, actor=staff)
    url = reverse("deliberation:rate", args=[topic.public_code])
    client.post(url, {"rating": "satisfied"})
    assert topic.ratings.count() == 0  # not yet carried out
    services.update_progress(topic=topic, actor=staff, progress=100)
    client.post(url, {"rating": "satisfied"})
    client.post(url, {"rating": "dissatisfied"})
    assert list(topic.ratings.values_list("rating", flat=True)) == ["satisfied"]
    assert "满意 1" in client.get(_detail(topic)).content.decode()


def test_unknown_code_is_404(client, db):
    assert client.get(reverse("deliberation:detail", args=["NOPE2345"])).status_code == 404


def test_home_and_community_pages_show_topics_open_for_support(client, home_page, community, staff):
    open_topic = propose(community, title="楼道堆物清理")
    walk(propose(community, title="已在商议的议题"), to="proposed", actor=staff)
    home = client.get("/").content.decode()
    assert "正在征集附议的议题" in home and "楼道堆物清理" in home and "已在商议的议题" not in home
    page = client.get(reverse("community", args=[community.slug])).content.decode()
    assert "正在征集附议的议题" in page and open_topic.title in page


def test_list_shows_this_years_figures_of_the_chosen_community(client, community, other_community, staff):
    walk(propose(community, title="加装电梯"), to="proposed", actor=staff)
    propose(community, title="楼道堆物清理")
    old = propose(community, title="去年的议题")
    Topic.objects.filter(pk=old.pk).update(created_at=timezone.now().replace(year=timezone.now().year - 1))
    propose(other_community, title="滨江停车")
    html = client.get(reverse("deliberation:list"), {"community": community.slug}).content.decode()
    year = timezone.localdate().year
    assert f"{community.name} {year} 年议事协商" in html
    assert "<dt>提出议题</dt><dd>2</dd>" in html and "<dt>列入议程</dt><dd>1</dd>" in html
    assert "<dt>已落实</dt><dd>0</dd>" in html
    # Without a community: no figures, a hint instead.
    html = client.get(reverse("deliberation:list")).content.decode()
    assert "年议事协商" not in html and "选择社区后可查看" in html
