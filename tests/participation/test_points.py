"""积分: the append-only ledger, balances, redemptions held / confirmed / refused, caps, and
concurrent redemptions on PostgreSQL."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from feedback.participation.members import services as members
from feedback.participation.points import selectors, services
from feedback.participation.points.models import (
    EntryKind,
    PointBalance,
    PointEntry,
    Redemption,
    RedemptionState,
    RewardItem,
)


def _give(member, staff, hours="3"):
    entry = members.log_hours(
        member=member, activity="助老", served_on=timezone.localdate(), hours=Decimal(hours)
    )
    members.decide_hours(hours=entry, actor=staff, confirmed=True)
    return entry


@pytest.mark.django_db
def test_ledger_is_append_only(make_member, staff, rules):
    member = make_member()
    _give(member, staff)
    entry = PointEntry.objects.first()
    entry.delta = 999
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        PointEntry.objects.filter(member=member).update(delta=1)
    with pytest.raises(TypeError):
        PointEntry.objects.filter(member=member).delete()
    assert sorted(PointEntry.objects.values_list("kind", "delta")) == [("activity", 5), ("hours", 30)]


@pytest.mark.django_db
def test_balance_is_the_sum_of_the_ledger_and_each_entry_names_its_source(make_member, staff, rules, item):
    member = make_member()
    hours = _give(member, staff)
    services.award_for_need(member=member, need_id=77, title="帮王奶奶修水管")
    services.award_for_need(member=member, need_id=77, title="again")  # a repeated signal pays once
    redemption = services.request_redemption(member=member, item=item)
    assert selectors.balance_of(member=member) == 30 + 5 + 8 - 30
    assert sum(PointEntry.objects.filter(member=member).values_list("delta", flat=True)) == 13
    sources = set(PointEntry.objects.values_list("kind", "source_id"))
    assert sources == {
        ("hours", hours.pk),
        ("activity", hours.pk),
        ("need", 77),
        ("redemption", redemption.pk),
    }


@pytest.mark.django_db
def test_yearly_cap_limits_activity_points(make_member, staff, rules):
    member = make_member()
    for _ in range(5):
        _give(member, staff, hours="0.5")
    activity = PointEntry.objects.filter(member=member, kind=EntryKind.ACTIVITY)
    assert sum(activity.values_list("delta", flat=True)) == 20  # cap 20, 5 points each


@pytest.mark.django_db
def test_redemption_refused_at_insufficient_points_changes_nothing(make_member, staff, rules, item):
    member = make_member()
    _give(member, staff, hours="2")  # 20 + 5 = 25 < 30
    with pytest.raises(ValidationError, match="积分不足"):
        services.request_redemption(member=member, item=item)
    item.refresh_from_db()
    assert item.stock == 2 and not Redemption.objects.exists() and selectors.balance_of(member=member) == 25


@pytest.mark.django_db
def test_refused_redemption_returns_points_and_stock_by_a_reversing_entry(make_member, staff, rules, item):
    member = make_member()
    _give(member, staff)
    redemption = services.request_redemption(member=member, item=item)
    with pytest.raises(ValidationError):
        services.refuse_redemption(redemption=redemption, actor=staff, reason="")
    services.refuse_redemption(redemption=redemption, actor=staff, reason="本月名额已满")
    item.refresh_from_db()
    assert item.stock == 2 and selectors.balance_of(member=member) == 35
    assert list(
        PointEntry.objects.filter(source_id=redemption.pk, kind__in=["redemption", "refund"])
        .values_list("kind", "delta")
        .order_by("pk")
    ) == [
        ("redemption", -30),
        ("refund", 30),
    ]
    with pytest.raises(ValidationError):
        services.confirm_redemption(redemption=redemption, actor=staff)


@pytest.mark.django_db
def test_member_redeems_from_the_catalogue_and_sees_it_held(
    client, site, outbox, make_member, staff, rules, item
):
    from .conftest import code_of
    from .test_members import CODE_DATA, PHONE_DATA

    member = make_member()
    _give(member, staff)
    page = client.get(reverse("participation:points"))
    assert "长者食堂用餐补贴" in page.content.decode() and "30 分" in page.content.decode()
    response = client.post(reverse("participation:redeem", args=[item.pk]))
    assert response.status_code == 302 and reverse("participation:signin") in response["Location"]
    client.post(reverse("participation:signin"), {"phone": member.phone, **PHONE_DATA})
    client.post(reverse("participation:signin_verify"), {"code": code_of(outbox), **CODE_DATA})
    response = client.post(reverse("participation:redeem", args=[item.pk]))
    assert response["Location"].startswith(reverse("participation:my_points"))
    html = client.get(response["Location"]).content.decode()
    assert "积分已冻结" in html and "待社区确认" in html and "-30" in html
    services.confirm_redemption(redemption=Redemption.objects.get(), actor=staff)
    assert Redemption.objects.get().state == RedemptionState.CONFIRMED
    client.post(reverse("participation:redeem", args=[item.pk]))  # 5 points left
    html = client.post(reverse("participation:redeem", args=[item.pk])).content.decode()
    assert "积分不足" in html


@pytest.mark.django_db
def test_my_points_page_queries_stay_flat(
    client, site, outbox, make_member, staff, rules, item, django_assert_max_num_queries
):
    from .conftest import code_of
    from .test_members import CODE_DATA, PHONE_DATA

    member = make_member()
    for _ in range(3):
        _give(member, staff, hours="4")
        services.request_redemption(
            member=member, item=RewardItem.objects.create(name="理发", points_cost=10, stock=5)
        )
    client.post(reverse("participation:signin"), {"phone": member.phone, **PHONE_DATA})
    client.post(reverse("participation:signin_verify"), {"code": code_of(outbox), **CODE_DATA})
    with django_assert_max_num_queries(8):
        assert client.get(reverse("participation:my_points")).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_redemptions_never_overspend_nor_oversell(make_member, staff, rules):
    rich = make_member("13800003333")
    other = make_member("13800004444")
    for member in (rich, other):
        _give(member, staff, hours="10")  # 100 + 5 = 105 points each
    item = RewardItem.objects.create(name="物业费减免 50 元", points_cost=20, stock=6)
    results = []
    barrier = threading.Barrier(12)

    def attempt(member):
        try:
            barrier.wait()
            services.request_redemption(member=member, item=item)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(m,)) for m in [rich] * 8 + [other] * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    item.refresh_from_db()
    assert results.count("ok") == 6 and item.stock == 0  # stock, not points, ran out
    for member in (rich, other):
        balance = PointBalance.objects.get(member=member).balance
        ledger = sum(PointEntry.objects.filter(member=member).values_list("delta", flat=True))
        assert balance == ledger >= 0
        held = Redemption.objects.filter(member=member).count()
        assert PointEntry.objects.filter(member=member, kind=EntryKind.REDEMPTION).count() == held
        assert balance == 105 - 20 * held


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_redemptions_never_take_the_balance_below_zero(make_member, staff, rules):
    member = make_member()
    _give(member, staff, hours="5")  # 55 points: two of 25 at most
    item = RewardItem.objects.create(name="购物抵扣 10 元", points_cost=25, stock=50)
    results = []
    barrier = threading.Barrier(8)

    def attempt():
        try:
            barrier.wait()
            services.request_redemption(member=member, item=item)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    item.refresh_from_db()
    balance = PointBalance.objects.get(member=member).balance
    assert results.count("ok") == 2 and balance == 5 and item.stock == 48
    assert sum(PointEntry.objects.filter(member=member).values_list("delta", flat=True)) == 5


@pytest.mark.django_db
def test_member_takes_a_need_and_earns_points_when_the_resident_confirms(
    client, site, outbox, make_member, staff, rules, community
):
    from feedback.participation import services as needs

    from .conftest import code_of, make_need
    from .test_members import CODE_DATA, PHONE_DATA

    member = make_member()
    need = make_need(community, to="listed")
    take_url = reverse("participation:take_need", args=[need.pk])
    assert reverse("participation:signin") in client.get(take_url)["Location"]
    client.post(reverse("participation:signin"), {"phone": member.phone, "next": take_url, **PHONE_DATA})
    response = client.post(reverse("participation:signin_verify"), {"code": code_of(outbox), **CODE_DATA})
    assert response["Location"] == take_url
    assert "确认接单" in client.get(take_url).content.decode()
    assert client.post(take_url)["Location"].startswith(reverse("participation:me"))
    need.refresh_from_db()
    assert need.state == "taken" and need.taker_member == member and need.taker_name == "李老师"
    assert client.get(take_url).status_code == 404  # no longer listed
    assert "我接的单" in client.get(reverse("participation:me")).content.decode()
    need = needs.complete_need(need=need, note="已帮忙买菜")
    needs.confirm_need(need=need, rating=5)
    assert selectors.balance_of(member=member) == 8
    assert PointEntry.objects.get(member=member).kind == EntryKind.NEED
