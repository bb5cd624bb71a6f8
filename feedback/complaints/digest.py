"""The daily dispatch digest (``manage.py dispatch_digest``) and escalation (督办).

- Each handling unit with red or yellow tickets gets one mail, to the unit's address
  (``HandlingUnit.email``) and its member accounts, listing them by reference, category,
  community, light and deadline with a link to the staff screen. No personal data: no
  name, phone, address or description, only what the staff screen shows everybody.
- Each red ticket is escalated to the moderators (role 审核) whose scope covers the
  complaint's street or community: an internal ``escalated`` event on its timeline and a
  mail to them. At most one escalation per ticket and day (Asia/Shanghai): re-running the
  command the same day neither adds an event nor mails the moderators again (units get their digest again).

The lights come from ``lights.with_lights``, so the mails say exactly what the queue shows.
Queries are bounded: one for the tickets, one for escalations already made today, one for
the moderators' scopes, one for unit members.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from home.roles import MODERATORS

from ..common.scopes import StaffScope
from . import lights
from .models import OPEN_STATES, Complaint, ComplaintEvent, EventKind, HandlingUnit
from .workdays import SHANGHAI


@dataclass
class DigestResult:
    unit_mails: int = 0
    escalated: int = 0
    escalation_mails: int = 0
    units: list[str] = field(default_factory=list)


def _link(complaint: Complaint) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "feedback_complaint_modeladmin_inspect", args=[complaint.pk]
    )


def _line(complaint: Complaint) -> str:
    deadline = f"{complaint.deadline:%Y-%m-%d}" if complaint.deadline else "—"
    return (
        f"- {complaint.reference}｜{complaint.category.name}｜{complaint.community.name}｜"
        f"{lights.reason_text(complaint.light_reason)}｜办结时限 {deadline}\n  {_link(complaint)}"
    )


def lit_tickets(*, now: datetime) -> list[Complaint]:
    qs = lights.with_lights(
        Complaint.objects.filter(state__in=OPEN_STATES, handling_unit__isnull=False), now=now
    ).filter(light__in=(lights.RED, lights.YELLOW))
    return list(
        qs.select_related("category", "community", "handling_unit").order_by("light", "deadline", "pk")
    )


def _moderators_by_place() -> tuple[list[str], dict[int, set[str]], dict[int, set[str]]]:
    """(everywhere, by street id, by community id): e-mails of active 审核 users."""
    scopes = (
        StaffScope.objects.filter(user__is_active=True, user__groups__name=MODERATORS)
        .exclude(user__email="")
        .select_related("user")
        .prefetch_related("streets", "communities")
        .distinct()
    )
    everywhere, streets, communities = [], defaultdict(set), defaultdict(set)
    for scope in scopes:
        email = scope.user.email
        if scope.all_communities:
            everywhere.append(email)
        for street in scope.streets.all():
            streets[street.pk].add(email)
        for community in scope.communities.all():
            communities[community.pk].add(email)
    return everywhere, streets, communities


def run_digest(*, now: datetime | None = None) -> DigestResult:
    now = now or timezone.now()
    today = timezone.localtime(now, SHANGHAI).date()
    day_start = datetime.combine(today, time.min, tzinfo=SHANGHAI)
    tickets = lit_tickets(now=now)
    result = DigestResult()
    sender = settings.DEFAULT_FROM_EMAIL
    messages = []

    by_unit: dict[int, list[Complaint]] = defaultdict(list)
    for ticket in tickets:
        by_unit[ticket.handling_unit_id].append(ticket)
    units = HandlingUnit.objects.filter(pk__in=by_unit).prefetch_related("members")
    for unit in units:
        to = sorted({unit.email, *(m.email for m in unit.members.all() if m.is_active)} - {""})
        if not to:
            continue
        rows = by_unit[unit.pk]
        red = sum(1 for t in rows if t.light == lights.RED)
        body = (
            f"{unit.name}：截至 {timezone.localtime(now, SHANGHAI):%Y-%m-%d %H:%M}，"
            f"本单位有红灯工单 {red} 件、黄灯工单 {len(rows) - red} 件，请及时签收、办理。\n\n"
            + "\n".join(_line(t) for t in rows)
            + "\n\n（本邮件由系统自动发送，不含居民个人信息；详情请登录后台查看。）"
        )
        messages.append(
            (f"【工单预警】{unit.name}：红灯 {red} 件，黄灯 {len(rows) - red} 件", body, sender, to)
        )
        result.unit_mails += 1
        result.units.append(unit.name)

    red_tickets = [t for t in tickets if t.light == lights.RED]
    done_today = set(
        ComplaintEvent.objects.filter(
            kind=EventKind.ESCALATED, at__gte=day_start, complaint__in=[t.pk for t in red_tickets]
        ).values_list("complaint_id", flat=True)
    )
    everywhere, by_street, by_community = _moderators_by_place()
    with transaction.atomic():
        for ticket in red_tickets:
            if ticket.pk in done_today:
                continue
            reason = lights.reason_text(ticket.light_reason)
            ComplaintEvent.objects.create(
                complaint=ticket,
                at=now,
                title="督办",
                note=f"{reason}，已提请街道审核人员督办（承办单位：{ticket.handling_unit.name}）。",
                public=False,
                kind=EventKind.ESCALATED,
                unit=ticket.handling_unit,
            )
            result.escalated += 1
            to = sorted(
                {
                    *everywhere,
                    *by_street.get(ticket.community.street_id, ()),
                    *by_community.get(ticket.community_id, ()),
                }
            )
            if to:
                body = (
                    f"工单 {ticket.reference}（{ticket.category.name}，{ticket.community.name}）{reason}，"
                    f"承办单位：{ticket.handling_unit.name}。请督办。\n{_link(ticket)}\n\n"
                    "（本邮件由系统自动发送，不含居民个人信息。）"
                )
                messages.append((f"【督办】{ticket.reference} {reason}", body, sender, to))
                result.escalation_mails += 1
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return result
