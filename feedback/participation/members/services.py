"""双报到 writes: a phone signs up as a volunteer, in-job party member or unit contact with
a community; the community verifies (or refuses) the registration; verified members log
service hours, which the community confirms (points follow) or refuses.

The rules live here once: only a verified member logs hours; an entry is 0.5 to
``PARTICIPATION_MAX_HOURS_PER_ENTRY`` hours on a day within the past year; staff decide
only within their communities (``feedback.common.scopes``), and each decision once.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from portal.personal_data import is_mobile, normalise_phone

from ...common.scopes import communities_for
from ..points import services as points
from .models import HoursState, Member, MemberKind, Registration, ServiceHours, Unit


def member_for_phone(*, phone: str) -> Member | None:
    return Member.objects.select_related("community", "unit").filter(phone=normalise_phone(phone)).first()


@transaction.atomic
def register_member(*, phone: str, display_name: str, kind: str, community, unit_name: str = "") -> Member:
    """A verified phone registers (报到) with a community; a unit contact registers the unit too."""
    phone = normalise_phone(phone)
    if not is_mobile(phone):
        raise ValidationError({"phone": "请填写 11 位手机号码。"})
    if Member.objects.filter(phone=phone).exists():
        raise ValidationError({"phone": "这个手机号已经报到过了。"})
    display_name = (display_name or "").strip()
    if not display_name:
        raise ValidationError({"display_name": "请填写称呼。"})
    unit = None
    if kind == MemberKind.UNIT_CONTACT:
        unit_name = (unit_name or "").strip()
        if not unit_name:
            raise ValidationError({"unit_name": "单位联系人请填写单位名称。"})
        unit, _ = Unit.objects.get_or_create(
            community=community,
            name=unit_name,
            defaults={"contact_name": display_name, "contact_phone": phone},
        )
    member = Member.objects.create(
        phone=phone, display_name=display_name, kind=kind, community=community, unit=unit
    )
    points.ensure_balance(member=member)
    return member


def _check_scope(*, actor, community_id: int) -> None:
    if not communities_for(actor).filter(pk=community_id).exists():
        raise PermissionDenied("不在您负责的社区。")


def decide_registration(*, registration: Member | Unit, actor, verified: bool, note: str = ""):
    """The community verifies (or refuses) a member's or a unit's 报到."""
    _check_scope(actor=actor, community_id=registration.community_id)
    if not verified and not (note or "").strip():
        raise ValidationError({"note": "请填写未通过的原因。"})
    with transaction.atomic():
        registration = type(registration).objects.select_for_update().get(pk=registration.pk)
        if registration.registration != Registration.PENDING:
            raise ValidationError("这条报到已经处理过了。")
        registration.registration = Registration.VERIFIED if verified else Registration.REFUSED
        registration.decided_at, registration.decided_by = timezone.now(), actor
        registration.decision_note = (note or "").strip()[:200]
        registration.save(update_fields=["registration", "decided_at", "decided_by", "decision_note"])
    return registration


def log_hours(*, member: Member, activity: str, served_on, hours: Decimal) -> ServiceHours:
    if not member.is_verified:
        raise ValidationError("社区确认报到后才能登记服务时长。")
    errors = {}
    activity = (activity or "").strip()
    if not activity:
        errors["activity"] = "请填写服务内容。"
    today = timezone.localdate()
    if served_on is None or served_on > today:
        errors["served_on"] = "服务日期不能晚于今天。"
    elif served_on < today - timedelta(days=365):
        errors["served_on"] = "只能登记一年以内的服务。"
    top = settings.PARTICIPATION_MAX_HOURS_PER_ENTRY
    if hours is None or hours < Decimal("0.5") or hours > top:
        errors["hours"] = f"时长应在 0.5 到 {top} 小时之间。"
    elif hours * 2 != int(hours * 2):
        errors["hours"] = "时长按半小时计，如 1.5。"
    if errors:
        raise ValidationError(errors)
    return ServiceHours.objects.create(
        member=member,
        unit=member.unit if member.kind == MemberKind.UNIT_CONTACT else None,
        community=member.community,
        activity=activity[:100],
        served_on=served_on,
        hours=hours,
    )


def decide_hours(*, hours: ServiceHours, actor, confirmed: bool, note: str = "") -> ServiceHours:
    """The community confirms the hours (points are awarded in the same transaction) or refuses them."""
    _check_scope(actor=actor, community_id=hours.community_id)
    if not confirmed and not (note or "").strip():
        raise ValidationError({"note": "请填写未确认的原因。"})
    with transaction.atomic():
        hours = ServiceHours.objects.select_for_update().select_related("member").get(pk=hours.pk)
        if hours.state != HoursState.PENDING:
            raise ValidationError("这条时长已经处理过了。")
        hours.state = HoursState.CONFIRMED if confirmed else HoursState.REFUSED
        hours.decided_at, hours.decided_by = timezone.now(), actor
        hours.decision_note = (note or "").strip()[:200]
        hours.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])
        if confirmed:
            points.award_for_hours(hours=hours)
    return hours


def record_signed_in(*, member: Member) -> None:
    Member.objects.filter(pk=member.pk).update(last_signed_in_at=timezone.now())
