"""The participation rules: 居民点单 → 支部下单 → 部门接单 and 微心愿, with a timeline.

Need: submitted → listed (the community's party branch approves a masked public text)
or declined (with a reason) → taken (by a unit, an in-job party member or a volunteer)
→ done (recorded by the taker or staff) → confirmed and rated by the resident through
the private link given on submission.

Wish: submitted → listed (moderated public text) or declined → claimed → fulfilled,
then the resident may leave a thank-you. The value is capped by
``settings.PARTICIPATION_WISH_MAX_YUAN``.

Every write is one of these keyword-only functions, in a transaction, with the row
locked; an illegal move raises ``TransitionError`` whose message staff read as is.
"""

import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from home.models import Community
from portal.personal_data import is_mobile, normalise_phone, strip_bidi

from .models import Need, NeedEvent, NeedKind, NeedState, TakerKind, Wish, WishState
from .signals import need_done


class TransitionError(Exception):
    """A participation rule refused the change; ``str(error)`` is shown as is."""


NEED_TRANSITIONS: dict[str, frozenset[str]] = {
    NeedState.SUBMITTED: frozenset({NeedState.LISTED, NeedState.DECLINED}),
    NeedState.LISTED: frozenset({NeedState.TAKEN, NeedState.DECLINED}),
    NeedState.TAKEN: frozenset({NeedState.DONE}),
    NeedState.DONE: frozenset({NeedState.CONFIRMED}),
    NeedState.DECLINED: frozenset(),
    NeedState.CONFIRMED: frozenset(),
}

WISH_TRANSITIONS: dict[str, frozenset[str]] = {
    WishState.SUBMITTED: frozenset({WishState.LISTED, WishState.DECLINED}),
    WishState.LISTED: frozenset({WishState.CLAIMED, WishState.DECLINED}),
    WishState.CLAIMED: frozenset({WishState.FULFILLED, WishState.LISTED}),
    WishState.FULFILLED: frozenset(),
    WishState.DECLINED: frozenset(),
}


def _ensure(current: str, target: str, transitions, labels) -> None:
    if target not in transitions.get(current, frozenset()):
        raise TransitionError(f"当前状态为“{labels(current).label}”，不能变更为“{labels(target).label}”。")


def new_tracking_token() -> str:
    return secrets.token_urlsafe(24)


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def wish_max_yuan() -> int:
    return int(getattr(settings, "PARTICIPATION_WISH_MAX_YUAN", 200))


# --- Needs ----------------------------------------------------------------------------------


def _need_event(need: Need, *, title, actor=None, from_state="", to_state="", note="", public=True):
    return NeedEvent.objects.create(
        need=need,
        actor=_actor(actor),
        from_state=from_state,
        to_state=to_state,
        title=title,
        note=note,
        public=public,
    )


def _locked_need(need: Need) -> Need:
    return Need.objects.select_for_update().get(pk=need.pk)


def _move_need(need: Need, target: str, *, actor, title, note="", public=True, fields=()) -> Need:
    _ensure(need.state, target, NEED_TRANSITIONS, NeedState)
    source = need.state
    need.state = target
    need.save(update_fields=["state", *fields])
    _need_event(need, title=title, actor=actor, from_state=source, to_state=target, note=note, public=public)
    return need


def submit_need(
    *,
    kind: str,
    community: Community,
    description: str,
    phone: str,
    privacy_notice_version: str,
    preferred_time: str = "",
    name: str = "",
) -> Need:
    """Store a resident's 点单; it waits for the branch's review and is not public yet."""
    if kind not in NeedKind.values:
        raise ValueError(f"unknown kind {kind!r}")
    phone = normalise_phone(phone)
    if not is_mobile(phone):
        raise ValueError("not a mobile number")
    now = timezone.now()
    with transaction.atomic():
        need = Need.objects.create(
            kind=kind,
            community=community,
            description=strip_bidi(description).strip(),
            phone=phone,
            name=strip_bidi(name).strip(),
            preferred_time=strip_bidi(preferred_time).strip(),
            privacy_notice_version=privacy_notice_version,
            consented_at=now,
            created_at=now,
            tracking_token=new_tracking_token(),
        )
        _need_event(need, title="居民点单", to_state=NeedState.SUBMITTED)
    return need


def list_need(*, need: Need, public_text: str, actor) -> Need:
    """支部下单: the branch approves the public text (the masked description, edited) and
    places the need on the public list. What the resident typed is never shown as typed."""
    text = strip_bidi(public_text or "").strip()
    if not text:
        raise TransitionError("请填写公开文本（隐去姓名、电话、门牌号等个人信息）。")
    with transaction.atomic():
        need = _locked_need(need)
        need.public_text = text
        need.public_text_approved_by = _actor(actor)
        need.public_text_approved_at = need.listed_at = timezone.now()
        return _move_need(
            need,
            NeedState.LISTED,
            actor=actor,
            title="支部下单",
            fields=("public_text", "public_text_approved_by", "public_text_approved_at", "listed_at"),
        )


def update_need_public_text(*, need: Need, public_text: str, actor) -> Need:
    """A moderator's correction of the public text of a need already on the list."""
    text = strip_bidi(public_text or "").strip()
    if not text:
        raise TransitionError("公开文本不能为空。")
    with transaction.atomic():
        need = _locked_need(need)
        need.public_text = text
        need.public_text_approved_by = _actor(actor)
        need.public_text_approved_at = timezone.now()
        need.save(update_fields=["public_text", "public_text_approved_by", "public_text_approved_at"])
        _need_event(need, title="修改公开文本", actor=actor, public=False)
    return need


def decline_need(*, need: Need, reason: str, actor) -> Need:
    reason = strip_bidi(reason or "").strip()
    if not reason:
        raise TransitionError("请填写未列入需求清单的原因，居民会看到它。")
    with transaction.atomic():
        need = _locked_need(need)
        need.decline_reason = reason[:200]
        return _move_need(
            need,
            NeedState.DECLINED,
            actor=actor,
            title="未列入需求清单",
            note=reason,
            fields=("decline_reason",),
        )


def take_need(*, need: Need, taker_name: str, taker_kind: str, actor=None, member=None) -> Need:
    """接单: a unit, an in-job party member or a volunteer takes a listed need.

    ``taker_name`` is public (an organisation, or the name a volunteer chose to show).
    ``member`` is the taker's account once accounts exist; only one taker per need: the
    row lock makes a second, concurrent take fail with a clear message.
    """
    if taker_kind not in TakerKind.values:
        raise TransitionError("请选择接单方类型。")
    taker_name = strip_bidi(taker_name or "").strip()
    if not taker_name:
        raise TransitionError("请填写接单单位或志愿者名称。")
    with transaction.atomic():
        need = _locked_need(need)
        if need.state == NeedState.TAKEN:
            raise TransitionError("这条需求已被其他单位或志愿者接单。")
        need.taker_kind = taker_kind
        need.taker_name = taker_name[:60]
        need.taken_at = timezone.now()
        fields = ["taker_kind", "taker_name", "taken_at"]
        if member is not None and hasattr(need, "taker_member"):
            need.taker_member = member
            fields.append("taker_member")
        return _move_need(need, NeedState.TAKEN, actor=actor, title=f"{taker_name}接单", fields=fields)


def complete_need(*, need: Need, note: str = "", actor=None) -> Need:
    """The taker (or staff for them) records the need done; the resident then confirms."""
    with transaction.atomic():
        need = _locked_need(need)
        need.done_note = strip_bidi(note or "").strip()
        need.done_at = timezone.now()
        return _move_need(
            need,
            NeedState.DONE,
            actor=actor,
            title="服务完成",
            note=need.done_note,
            fields=("done_note", "done_at"),
        )


def confirm_need(*, need: Need, rating: int, comment: str = "") -> Need:
    """The resident, through the private link, confirms the need was met and rates it 1–5.

    Sends ``need_done`` in the same transaction, so points are awarded once and only if
    the confirmation is stored."""
    if rating not in range(1, 6):
        raise TransitionError("请选择 1 到 5 星的评价。")
    with transaction.atomic():
        need = _locked_need(need)
        need.rating = rating
        need.rating_comment = strip_bidi(comment or "").strip()[:300]
        need.confirmed_at = timezone.now()
        _move_need(
            need,
            NeedState.CONFIRMED,
            actor=None,
            title="居民确认并评价",
            fields=("rating", "rating_comment", "confirmed_at"),
        )
        need_done.send(sender=Need, need=need)
    return need


# --- Wishes ---------------------------------------------------------------------------------


def _locked_wish(wish: Wish) -> Wish:
    return Wish.objects.select_for_update().get(pk=wish.pk)


def _move_wish(wish: Wish, target: str, *, fields=()) -> Wish:
    _ensure(wish.state, target, WISH_TRANSITIONS, WishState)
    wish.state = target
    wish.save(update_fields=["state", *fields])
    return wish


def submit_wish(
    *,
    community: Community,
    title: str,
    value_yuan: int,
    name: str,
    privacy_notice_version: str,
    phone: str = "",
    description: str = "",
    posted_by_staff: bool = False,
) -> Wish:
    """A wish posted by the resident (phone required) or by staff for them (phone optional)."""
    if value_yuan < 1 or value_yuan > wish_max_yuan():
        raise TransitionError(f"微心愿价值须在 1–{wish_max_yuan()} 元之间。")
    phone = normalise_phone(phone) if phone else ""
    if not posted_by_staff and not is_mobile(phone):
        raise ValueError("not a mobile number")
    name = strip_bidi(name or "").strip()
    if not name:
        raise TransitionError("请填写心愿人的姓名。")
    now = timezone.now()
    return Wish.objects.create(
        community=community,
        title=strip_bidi(title).strip(),
        description=strip_bidi(description or "").strip(),
        value_yuan=value_yuan,
        name=name,
        phone=phone,
        posted_by_staff=posted_by_staff,
        privacy_notice_version=privacy_notice_version,
        consented_at=now,
        created_at=now,
        tracking_token=new_tracking_token(),
    )


def list_wish(*, wish: Wish, public_text: str, actor) -> Wish:
    text = strip_bidi(public_text or "").strip()
    if not text:
        raise TransitionError("请填写上墙文本（不写姓名、电话、门牌号）。")
    with transaction.atomic():
        wish = _locked_wish(wish)
        wish.public_text = text
        wish.public_text_approved_by = _actor(actor)
        wish.public_text_approved_at = wish.listed_at = timezone.now()
        return _move_wish(
            wish,
            WishState.LISTED,
            fields=("public_text", "public_text_approved_by", "public_text_approved_at", "listed_at"),
        )


def decline_wish(*, wish: Wish, reason: str, actor) -> Wish:
    reason = strip_bidi(reason or "").strip()
    if not reason:
        raise TransitionError("请填写未通过的原因。")
    with transaction.atomic():
        wish = _locked_wish(wish)
        wish.decline_reason = reason[:200]
        return _move_wish(wish, WishState.DECLINED, fields=("decline_reason",))


def claim_wish(*, wish: Wish, claimer_name: str, claimer_phone: str) -> Wish:
    """Someone (a person or organisation) claims a listed wish; their phone stays private."""
    claimer_name = strip_bidi(claimer_name or "").strip()
    if not claimer_name:
        raise TransitionError("请填写认领人或单位名称。")
    phone = normalise_phone(claimer_phone or "")
    if not is_mobile(phone):
        raise TransitionError("请填写 11 位手机号码，如 13812345678。")
    with transaction.atomic():
        wish = _locked_wish(wish)
        if wish.state == WishState.CLAIMED:
            raise TransitionError("这个心愿刚刚已被其他爱心人士认领。")
        wish.claimer_name = claimer_name[:60]
        wish.claimer_phone = phone
        wish.claimed_at = timezone.now()
        return _move_wish(wish, WishState.CLAIMED, fields=("claimer_name", "claimer_phone", "claimed_at"))


def release_wish(*, wish: Wish, actor) -> Wish:
    """Staff put a claimed wish back on the wall (the claimer could not fulfil it)."""
    with transaction.atomic():
        wish = _locked_wish(wish)
        wish.claimer_name = wish.claimer_phone = ""
        wish.claimed_at = None
        return _move_wish(wish, WishState.LISTED, fields=("claimer_name", "claimer_phone", "claimed_at"))


def fulfil_wish(*, wish: Wish, actor=None) -> Wish:
    with transaction.atomic():
        wish = _locked_wish(wish)
        wish.fulfilled_at = timezone.now()
        return _move_wish(wish, WishState.FULFILLED, fields=("fulfilled_at",))


def thank_for_wish(*, wish: Wish, message: str) -> Wish:
    """The resident's thank-you, once, after the wish was fulfilled (shown on the wall)."""
    message = strip_bidi(message or "").strip()
    if not message:
        raise TransitionError("请写下感谢的话。")
    with transaction.atomic():
        wish = _locked_wish(wish)
        if wish.state != WishState.FULFILLED:
            raise TransitionError("心愿实现后才能留言感谢。")
        if wish.thanked_at:
            raise TransitionError("已经留过言了，谢谢您。")
        wish.thanks = message[:300]
        wish.thanked_at = timezone.now()
        wish.save(update_fields=["thanks", "thanked_at"])
    return wish
