"""需求清单: the state machine, the resident's private link, privacy on the public list."""

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.participation import services
from feedback.participation.models import Need, NeedState
from feedback.participation.signals import need_done

from .conftest import make_need

pytestmark = pytest.mark.django_db


def test_happy_path_records_each_step_on_the_timeline(community):
    need = make_need(community, to="confirmed", rating=4)
    need.refresh_from_db()
    assert need.state == NeedState.CONFIRMED
    assert need.rating == 4
    assert need.taker_name == "西山区供电局党支部"
    assert [e.to_state for e in need.events.all()] == ["submitted", "listed", "taken", "done", "confirmed"]
    assert need.listed_at and need.taken_at and need.done_at and need.confirmed_at


def test_phone_is_normalised(community):
    need = make_need(community, phone="+86 138-1234-5678")
    assert need.phone == "13812345678"


@pytest.mark.parametrize(
    "state,call",
    [
        ("submitted", lambda n: services.take_need(need=n, taker_name="x", taker_kind="unit")),
        ("submitted", lambda n: services.complete_need(need=n)),
        ("listed", lambda n: services.confirm_need(need=n, rating=5)),
        ("taken", lambda n: services.confirm_need(need=n, rating=5)),
        ("declined", lambda n: services.list_need(need=n, public_text="x", actor=None)),
        ("confirmed", lambda n: services.complete_need(need=n)),
    ],
)
def test_illegal_moves_are_refused_in_chinese(community, state, call):
    need = make_need(community, to=state)
    with pytest.raises(services.TransitionError, match="当前状态为"):
        call(need)
    assert Need.objects.get(pk=need.pk).state == state


def test_second_taker_is_refused(community):
    need = make_need(community, to="taken")
    with pytest.raises(services.TransitionError, match="已被其他单位或志愿者接单"):
        services.take_need(need=need, taker_name="志愿者小张", taker_kind="volunteer")
    assert Need.objects.get(pk=need.pk).taker_name == "西山区供电局党支部"


def test_listing_needs_public_text_and_decline_needs_reason(community):
    need = make_need(community)
    with pytest.raises(services.TransitionError, match="公开文本"):
        services.list_need(need=need, public_text="  ", actor=None)
    with pytest.raises(services.TransitionError, match="原因"):
        services.decline_need(need=need, reason="", actor=None)
    assert Need.objects.get(pk=need.pk).state == "submitted"


def test_taker_kind_and_rating_are_checked(community):
    need = make_need(community, to="listed")
    with pytest.raises(services.TransitionError):
        services.take_need(need=need, taker_name="某单位", taker_kind="boss")
    need = make_need(community, to="done")
    with pytest.raises(services.TransitionError, match="1 到 5"):
        services.confirm_need(need=need, rating=6)


def test_need_done_signal_sent_once_on_confirmation(community):
    received = []

    def receiver(sender, need, **kwargs):
        received.append((sender, need.pk, need.taker_kind))

    need_done.connect(receiver)
    try:
        need = make_need(community, to="done")
        assert received == []
        services.confirm_need(need=need, rating=5)
    finally:
        need_done.disconnect(receiver)
    assert received == [(Need, need.pk, "unit")]


def test_public_list_shows_only_approved_text_never_phone_or_name(client, community):
    listed = make_need(community, to="taken")
    make_need(community, description="这条还没审核，电话13811112222，请勿公开。", phone="13811112222")
    html = client.get(reverse("participation:needs")).content.decode()
    assert "老人腿脚不便，希望每周有人帮忙买菜。" in html
    assert "西山区供电局党支部" in html
    assert "3栋502" not in html  # the description as typed
    for secret in ("13812345678", "13811112222", "李秀英", "请勿公开", listed.tracking_token):
        assert secret not in html


def test_public_list_filters_by_community_kind_and_state(client, community, other_community):
    make_need(community, to="listed", kind="repair")
    make_need(other_community, to="listed", kind="elderly")
    html = client.get(reverse("participation:needs"), {"community": "majie"}).content.decode()
    assert html.count('class="card"') >= 1 and "马街社区 <span" in html and "碧鸡社区 <span" not in html
    html = client.get(reverse("participation:needs"), {"kind": "repair"}).content.decode()
    assert "维修 · 碧鸡社区" in html and "助老 · 马街社区" not in html
    html = client.get(reverse("participation:needs"), {"state": "taken"}).content.decode()
    assert "暂无符合条件的需求" in html


def test_list_query_count_does_not_grow_with_rows(
    client, community, other_community, django_assert_max_num_queries
):
    for _ in range(3):
        make_need(community, to="taken")
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("participation:needs"))
    for i in range(12):
        make_need(other_community if i % 2 else community, to="confirmed")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("participation:needs"))
    assert response.content.decode().count("badge-confirmed") == 12


def test_resident_confirms_and_rates_through_private_link(client, community):
    need = make_need(community, to="done")
    url = reverse("participation:need_track", args=[need.tracking_token])
    page = client.get(url)
    assert page["Cache-Control"] == "private, no-store"
    html = page.content.decode()
    assert "确认完成并评价" in html and "138****5678" in html and "13812345678" not in html
    bad = client.post(url, {"comment": "很好"})
    assert bad.status_code == 400 and "请选择评价星级。" in bad.content.decode()
    assert "很好" in bad.content.decode()  # what was typed is kept
    client.post(url, {"rating": "5", "comment": "送菜很准时，谢谢！"})
    need.refresh_from_db()
    assert need.state == "confirmed" and need.rating == 5 and need.rating_comment == "送菜很准时，谢谢！"
    assert client.get(reverse("participation:need_track", args=["nope"])).status_code == 404


def test_take_need_accepts_member_none(community):
    need = make_need(community, to="listed")
    need = services.take_need(need=need, taker_name="张志愿", taker_kind="volunteer", actor=None, member=None)
    assert need.state == "taken" and need.taker_kind == "volunteer"


def test_home_and_community_pages_link_the_lists(client, community, home_page):
    make_need(community, to="listed")
    home = client.get("/").content.decode()
    assert reverse("participation:needs") in home and reverse("participation:wishes") in home
    page = client.get(reverse("community", args=[community.slug])).content.decode()
    assert "待接单的需求" in page and "老人腿脚不便" in page and "13812345678" not in page


def test_list_shows_this_years_figures_of_the_chosen_community(client, community, other_community):
    make_need(community, to="confirmed", rating=4)
    make_need(community, to="taken")
    make_need(other_community, to="confirmed", rating=1, phone="13811112222")
    html = client.get(reverse("participation:needs"), {"community": community.slug}).content.decode()
    assert f"{community.name} {timezone.localdate().year} 年居民参与" in html
    assert "<dt>发布需求</dt><dd>2</dd>" in html and "<dt>被认领</dt><dd>2</dd>" in html
    assert "<dt>已完成</dt><dd>1</dd>" in html and "<dt>平均评分</dt><dd>4.0</dd>" in html
    assert "年居民参与" not in client.get(reverse("participation:needs")).content.decode()


def test_public_list_names_a_person_who_took_a_need_by_family_name_only(client, community):
    need = make_need(community, to="listed")
    services.take_need(need=need, taker_name="王建国", taker_kind="volunteer")
    html = client.get(reverse("participation:needs")).content.decode()
    assert "王建国" not in html
    assert "接单：王**（志愿者）" in html
