"""Who may work a ticket, checked in the services themselves (not only the views); 分配
to a named person of the unit or of the street office; the extension request shown
with its state on the unit's ticket page and the inspect page."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from feedback.complaints import services
from feedback.complaints.models import ComplaintEvent, EventKind, State
from feedback.complaints.selectors import assignable_users
from feedback.complaints.workflow import TransitionError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "act",
    [
        lambda c, u: services.resolve_complaint(complaint=c, reply="已处理完毕，感谢反映。", actor=u),
        lambda c, u: services.post_progress(complaint=c, actor=u, text="已到现场查看", public=True),
        lambda c, u: services.start_complaint(complaint=c, actor=u),
        lambda c, u: services.assign_complaint(complaint=c, actor=u, assignee=u),
        lambda c, u: services.extend_deadline(
            complaint=c, new_deadline=c.deadline + timedelta(days=3), reason="协调", actor=u
        ),
    ],
    ids=["resolve", "progress", "start", "assign", "extend"],
)
def test_other_units_liaison_is_refused_by_the_service(dispatched, other_liaison, act):
    with pytest.raises(services.NotYourTicket):
        act(dispatched, other_liaison)
    dispatched.refresh_from_db()
    assert dispatched.state == State.DISPATCHED and dispatched.reply == "" and dispatched.assignee is None
    assert not dispatched.events.filter(kind__in=[EventKind.PROGRESS, EventKind.ASSIGNED]).exists()


def test_own_liaison_and_community_staff_may_work_it(dispatched, liaison, moderator):
    services.post_progress(complaint=dispatched, actor=liaison, text="已到现场查看", public=True)
    services.post_progress(complaint=dispatched, actor=moderator, text="街道已督办", public=False)
    resolved = services.resolve_complaint(complaint=dispatched, reply="已处理完毕，感谢反映。", actor=liaison)
    assert resolved.state == State.RESOLVED


def test_staff_of_another_community_is_refused(dispatched, make_moderator):
    from tests.factories.home import CommunityFactory

    outsider = make_moderator("outsider", communities=[CommunityFactory()])
    with pytest.raises(services.NotYourTicket):
        services.resolve_complaint(complaint=dispatched, reply="已处理完毕，感谢反映。", actor=outsider)


def test_liaison_of_a_sent_back_ticket_can_no_longer_work_it(dispatched, liaison):
    services.send_back_complaint(complaint=dispatched, actor=liaison, reason="wrong_area")
    with pytest.raises(services.NotYourTicket):
        services.post_progress(complaint=dispatched, actor=liaison, text="补充说明", public=False)


def test_assignable_people_are_the_units_and_the_offices(
    dispatched, liaison, other_liaison, moderator, make_liaison, unit
):
    colleague = make_liaison("colleague", unit)
    assert set(assignable_users(dispatched)) == {liaison, colleague, moderator}
    assert set(assignable_users(dispatched, unit_only=True)) == {liaison, colleague}


def test_moderator_assigns_a_named_person_from_the_inspect_page(client, dispatched, liaison, moderator):
    client.force_login(moderator)
    inspect = reverse("feedback_complaint_modeladmin_inspect", args=[dispatched.pk])
    soup = BeautifulSoup(client.get(inspect).content, "html.parser")
    select = soup.select_one(".dispatch-assign select[name=assignee]")
    assert {o.text for o in select.find_all("option") if o["value"]} == {"liaison", "moderator"}
    client.post(reverse("feedback_complaint_assign", args=[dispatched.pk]), {"assignee": liaison.pk})
    dispatched.refresh_from_db()
    assert dispatched.assignee == liaison
    event = ComplaintEvent.objects.get(complaint=dispatched, kind=EventKind.ASSIGNED)
    assert event.title == "分配给liaison" and event.actor == moderator and not event.public
    assert "分配给liaison" in client.get(inspect).content.decode()


def test_inspect_assign_refuses_someone_outside(client, dispatched, moderator, other_liaison):
    client.force_login(moderator)
    response = client.post(
        reverse("feedback_complaint_assign", args=[dispatched.pk]),
        {"assignee": other_liaison.pk},
        follow=True,
    )
    assert "请选择承办人" in response.content.decode()
    dispatched.refresh_from_db()
    assert dispatched.assignee is None


def test_liaison_assigns_a_colleague_but_not_street_staff(
    client, dispatched, liaison, moderator, make_liaison, unit
):
    colleague = make_liaison("colleague", unit)
    colleague.first_name = "王工"
    colleague.save()
    client.force_login(liaison)
    url = reverse("feedback_unit_ticket", args=[dispatched.pk])
    options = BeautifulSoup(client.get(url).content, "html.parser").select(
        "select[name=assign-assignee] option"
    )
    assert {o.text for o in options if o["value"]} == {"liaison", "王工"}
    page = client.post(url, {"action": "assign", "assign-assignee": moderator.pk}).content.decode()
    assert "有效的选项" in page
    client.post(url, {"action": "assign", "assign-assignee": colleague.pk})
    dispatched.refresh_from_db()
    assert dispatched.assignee == colleague
    assert "承办人</dt><dd>王工" in client.get(url).content.decode()
    with pytest.raises(TransitionError, match="只能分配给本单位"):
        services.assign_complaint(complaint=dispatched, actor=liaison, assignee=moderator)


def test_pending_extension_then_its_decision_show_on_both_pages(client, dispatched, liaison, moderator):
    wanted = dispatched.deadline + timedelta(days=10)
    request = services.request_extension(
        complaint=dispatched, actor=liaison, new_deadline=wanted, reason="需协调供电部门"
    )
    ticket = reverse("feedback_unit_ticket", args=[dispatched.pk])
    inspect = reverse("feedback_complaint_modeladmin_inspect", args=[dispatched.pk])
    client.force_login(liaison)
    shown = BeautifulSoup(client.get(ticket).content, "html.parser").select_one(".dispatch-extensions")
    assert "待审核" in shown.text and f"{wanted.year}年{wanted.month}月{wanted.day}日" in shown.text
    assert "需协调供电部门" in shown.text
    client.force_login(moderator)
    assert (
        "待审核"
        in BeautifulSoup(client.get(inspect).content, "html.parser").select_one(".dispatch-extensions").text
    )
    services.decide_extension(request=request, actor=moderator, approve=False, reason="时限足够")
    client.force_login(liaison)
    shown = BeautifulSoup(client.get(ticket).content, "html.parser").select_one(".dispatch-extensions")
    assert "未同意" in shown.text and "时限足够" in shown.text and "待审核" not in shown.text
