"""Every write to a complaint goes through these functions (views, admin, commands, tests).

Each change checks the transition table in ``workflow``, updates the complaint and
records a ``ComplaintEvent`` in one transaction. Residents and the system act with
``actor=None``. The trust writes are here too: a report from a blocked phone is held
until ``release_held_complaint``; personal data goes after the retention period
(``anonymise_complaints``, run by ``feedback.trust.retention``) or on the resident's
request (``erase_personal_data``), each audited in ``feedback.trust``.
"""

import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.crypto import salted_hmac

from home.models import Community, Grid
from portal.personal_data import mask_personal_data, normalise_phone, strip_bidi

from ..trust.models import AuditAction
from ..trust.selectors import is_phone_blocked
from ..trust.services import record_audit
from .models import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintFollower,
    ComplaintPhoto,
    EventKind,
    ExtensionDecision,
    ExtensionRequest,
    HandlingUnit,
    Kind,
    Rating,
    RejectReason,
    SendBackReason,
    State,
)
from .photos import CleanPhoto
from .references import new_public_code, new_reference, new_tracking_token
from .rollup import refresh_for
from .selectors import assignable_users, can_moderate, promised_deadline, user_covers
from .signals import PublicStep, public_step
from .tasks import enqueue_on_commit, notify_new_complaint, notify_reopened_complaint
from .workflow import (
    EXTENDABLE,
    TransitionError,
    close_unrated_after_days,
    ensure_transition,
    latest_deadline,
    resolved_on_time,
)

logger = logging.getLogger(__name__)

REFERENCE_ATTEMPTS = 8


def _event(
    complaint,
    *,
    title,
    actor=None,
    from_state="",
    to_state="",
    note="",
    public=True,
    at=None,
    kind="",
    unit=None,
    send_back_reason="",
):
    if not kind:  # a dispatch, another change of state, or something else
        kind = (
            EventKind.DISPATCHED
            if to_state == State.DISPATCHED
            else EventKind.STATE
            if to_state
            else EventKind.OTHER
        )
    return ComplaintEvent.objects.create(
        complaint=complaint,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        title=title,
        note=note,
        public=public,
        at=at or timezone.now(),
        kind=kind,
        unit=unit,
        send_back_reason=send_back_reason,
    )


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _announce(complaint: Complaint, step: PublicStep) -> None:
    """Tell whoever listens (the resident's notifications) of a public step, in this transaction."""
    public_step.send(sender=Complaint, complaint=complaint, step=step)


def _move(complaint: Complaint, target: str, *, actor, title, note="", public=True, fields=()) -> Complaint:
    previous = complaint.state
    ensure_transition(previous, target)
    complaint.state = target
    complaint.save(update_fields=["state", *fields])
    refresh_for(complaint)  # a report of a rolled-up day: its day's figures change
    _event(
        complaint, title=title, actor=actor, from_state=previous, to_state=target, note=note, public=public
    )
    return complaint


def submit_complaint(
    *,
    kind: str,
    category: ComplaintCategory,
    community: Community,
    description: str,
    phone: str,
    privacy_notice_version: str,
    grid: Grid | None = None,
    place: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    name: str = "",
    allow_public: bool = False,
    photos: Sequence[CleanPhoto] = (),
    notify: bool = False,
    email: str = "",
) -> Complaint:
    """Store a resident's report with its photos, or nothing at all.

    ``notify`` is the resident's consent to be told of each public step (by SMS, and by
    e-mail to ``email`` if given); it is stored with its time. Without it no e-mail is kept.

    Photos are written only after the row exists; if anything fails the transaction
    rolls back and the files already written are deleted.
    """
    if kind not in Kind.values:
        raise ValueError(f"unknown kind {kind!r}")
    if grid is not None and grid.community_id != community.pk:
        raise ValueError("grid does not belong to community")
    # Whoever calls (form, API, command): one form of the phone, no bidi controls.
    phone = normalise_phone(phone)
    email = (email or "").strip() if notify else ""
    description, place, name = strip_bidi(description), strip_bidi(place), strip_bidi(name)
    now = timezone.now()
    held = is_phone_blocked(phone)
    written: list[ComplaintPhoto] = []
    try:
        with transaction.atomic():
            complaint = _create_with_unique_reference(
                kind=kind,
                category=category,
                community=community,
                grid=grid,
                place=place,
                latitude=latitude,
                longitude=longitude,
                description=description,
                name=name,
                phone=phone,
                allow_public=allow_public,
                privacy_notice_version=privacy_notice_version,
                consented_at=now,
                email=email,
                notify_consent=notify,
                notify_consented_at=now if notify else None,
                created_at=now,
                tracking_token=new_tracking_token(),
                held=held,
            )
            for photo in photos:
                record = ComplaintPhoto(complaint=complaint, width=photo.width, height=photo.height)
                record.file.save(photo.name, _content(photo), save=False)
                written.append(record)
                record.save()
            _event(complaint, title="居民提交反映", to_state=State.SUBMITTED, at=now)
            if not held:  # a blocked sender's report waits in the queue without e-mail
                enqueue_on_commit(notify_new_complaint, complaint_id=complaint.pk)
    except BaseException:
        for record in written:
            record.file.storage.delete(record.file.name)
        raise
    return complaint


def _content(photo: CleanPhoto):
    return ContentFile(photo.content)


def _create_with_unique_reference(**fields) -> Complaint:
    today = timezone.localdate(fields["created_at"])
    for _attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Complaint.objects.create(reference=new_reference(on=today), **fields)
        except IntegrityError:
            # Almost always a reference collision (the token has 192 bits); draw again.
            fields["tracking_token"] = new_tracking_token()
            continue
    raise RuntimeError("could not allocate a unique complaint reference")


def dispatch_complaint(
    *,
    complaint: Complaint,
    unit: HandlingUnit,
    actor,
    deadline: date | None = None,
    note: str = "",
) -> Complaint:
    """Accept (or re-dispatch) a report to a handling unit with a promised deadline."""
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.held:
            raise TransitionError("该反映来自已屏蔽的手机号，已暂缓处理；核实后请先解除暂缓再派单。")
        today = timezone.localdate()
        if deadline is None:
            deadline = promised_deadline(complaint=complaint, start=today)
        if deadline < today:
            raise TransitionError("办结时限不能早于今天。", field="deadline")
        category = complaint.category
        latest, missing = latest_deadline(start=today, days=category.default_days)
        if deadline > latest:
            # The promised date is the resident's and feeds the on-time rate: a longer time
            # is an extension, whose reason the resident sees (extend_deadline).
            limit = f"“{category.name}”办理时限为 {category.default_days} 个工作日"
            if missing:
                limit += "（法定节假日安排缺失，按日历日估算）"
            raise TransitionError(
                f"{limit}，今天派单最晚可定到 {latest:%Y年%m月%d日}。"
                "确需更长时间，请按时限派单后办理延期并写明原因（居民可见）。",
                field="deadline",
            )
        complaint.handling_unit = unit
        complaint.deadline = deadline
        complaint.dispatched_at = complaint.dispatched_at or timezone.now()
        # Each dispatch is a new ticket for the unit: it signs again; a send-back is over.
        complaint.signed_at = complaint.signed_by = None
        complaint.send_back_reason, complaint.sent_back_at, complaint.sent_back_by_unit = "", None, None
        previous = complaint.state
        ensure_transition(previous, State.DISPATCHED)
        complaint.state = State.DISPATCHED
        complaint.save(
            update_fields=[
                "state",
                "handling_unit",
                "deadline",
                "dispatched_at",
                "signed_at",
                "signed_by",
                "send_back_reason",
                "sent_back_at",
                "sent_back_by_unit",
            ]
        )
        _event(
            complaint,
            title=f"已派单至{unit.name}",
            actor=actor,
            from_state=previous,
            to_state=State.DISPATCHED,
            note=note or f"承办单位：{unit.name}，承诺 {deadline:%Y年%m月%d日} 前办结。",
            kind=EventKind.DISPATCHED,
            unit=unit,
        )
        _announce(complaint, PublicStep.DISPATCHED)
        return complaint


def start_complaint(*, complaint: Complaint, actor, note: str = "") -> Complaint:
    with transaction.atomic():
        complaint = _locked(complaint)
        _may_work(actor, complaint)
        _move(
            complaint,
            State.IN_PROGRESS,
            actor=actor,
            title="承办单位开始处理",
            note=note or "已安排人员处理。",
        )
        _announce(complaint, PublicStep.IN_PROGRESS)
        return complaint


def resolve_complaint(*, complaint: Complaint, reply: str, actor) -> Complaint:
    reply = (reply or "").strip()
    if len(reply) < 5:
        raise TransitionError("请填写不少于 5 个字的答复，答复将展示给居民。")
    with transaction.atomic():
        complaint = _locked(complaint)
        _may_work(actor, complaint)
        now = timezone.now()
        complaint.reply = reply
        complaint.resolved_at = now
        complaint.resolved_on_time = resolved_on_time(deadline=complaint.deadline, resolved_at=now)
        _move(
            complaint,
            State.RESOLVED,
            actor=actor,
            title="已办结并答复",
            note=reply,
            fields=("reply", "resolved_at", "resolved_on_time"),
        )
        _announce(complaint, PublicStep.RESOLVED)
        return complaint


def reject_complaint(
    *,
    complaint: Complaint,
    reason: str,
    actor,
    note: str = "",
    duplicate_of: Complaint | None = None,
) -> Complaint:
    if reason not in RejectReason.values:
        raise TransitionError("请选择不予受理的原因。")
    if reason == RejectReason.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == complaint.pk:
            raise TransitionError("重复反映须填写与之重复的另一条反映编号。")
    with transaction.atomic():
        complaint = _locked(complaint)
        complaint.reject_reason = reason
        complaint.duplicate_of = duplicate_of if reason == RejectReason.DUPLICATE else None
        text = RejectReason(reason).label
        if complaint.duplicate_of:
            text += f"：与 {complaint.duplicate_of.reference} 为同一问题，请关注该反映的办理进展"
        if note:
            text += f"。{note}"
        _move(
            complaint,
            State.REJECTED,
            actor=actor,
            title="不予受理",
            note=text,
            fields=("reject_reason", "duplicate_of"),
        )
        _announce(complaint, PublicStep.REJECTED)
        return complaint


def extend_deadline(*, complaint: Complaint, new_deadline: date, reason: str, actor) -> Complaint:
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError("延期必须填写原因，原因将展示给居民。")
    with transaction.atomic():
        complaint = _locked(complaint)
        _may_work(actor, complaint)
        if complaint.state not in EXTENDABLE:
            raise TransitionError(f"当前状态为“{complaint.get_state_display()}”，不能延期。")
        if complaint.deadline is None or new_deadline <= complaint.deadline:
            raise TransitionError("新的办结时限必须晚于原时限。")
        old = complaint.deadline
        complaint.deadline = new_deadline
        complaint.save(update_fields=["deadline"])
        _event(
            complaint,
            title="办结时限延期",
            actor=actor,
            kind=EventKind.EXTENDED,
            note=f"由 {old:%Y年%m月%d日} 延至 {new_deadline:%Y年%m月%d日}。原因：{reason}",
        )
        _announce(complaint, PublicStep.EXTENDED)
        return complaint


def set_public_text(
    *,
    complaint: Complaint,
    actor,
    text: str = "",
    hidden: bool = False,
    public_photo_ids: Sequence[int] | None = None,
    note: str = "",
) -> Complaint:
    """A moderator's decision on what the public board shows of a report.

    Not hidden: ``text`` (the moderator's edit of the masked description) is approved,
    by ``actor`` now, and shown instead of the description; the resident must have
    allowed publication. Hidden: the report is off the board (a text given is kept as a
    draft, unapproved). ``public_photo_ids`` are the photos marked public (None: unchanged).
    """
    text = strip_bidi(text or "").strip()
    if not hidden and not text:
        raise TransitionError("请填写公开文本，或勾选“不在公开栏展示”。")
    with transaction.atomic():
        complaint = _locked(complaint)
        if not hidden and not complaint.allow_public:
            raise TransitionError("居民未同意公开，这条反映不能在公开栏展示。")
        complaint.hidden = hidden
        complaint.public_text = text or complaint.public_text
        fields = ["hidden", "public_text"]
        if not hidden:
            complaint.public_text_approved_by = actor if getattr(actor, "is_authenticated", False) else None
            complaint.public_text_approved_at = timezone.now()
            fields += ["public_text_approved_by", "public_text_approved_at"]
            if not complaint.public_code:
                complaint.public_code = _unused_public_code()
                fields.append("public_code")
        complaint.save(update_fields=fields)
        if public_photo_ids is not None:
            photos = complaint.photos.all()
            photos.filter(pk__in=public_photo_ids).update(public=True)
            photos.exclude(pk__in=public_photo_ids).update(public=False)
        _event(
            complaint,
            title="不在公开栏目展示" if hidden else "审核通过公开文本",
            actor=actor,
            note=note,
            public=False,
        )
        return complaint


def _unused_public_code() -> str:
    while True:  # 32**8 codes: a second draw is already rare
        code = new_public_code()
        if not Complaint.objects.filter(public_code=code).exists():
            return code


def follower_device_key(device_id: str) -> str:
    """What is stored of a device's random id: an HMAC, so the table cannot be matched
    against cookies without ``SECRET_KEY``."""
    return salted_hmac("feedback.follower.device", device_id).hexdigest()


def add_follower(
    *,
    complaint: Complaint,
    device_id: str,
    phone: str = "",
    notify: bool = False,
    privacy_notice_version: str = "",
) -> bool:
    """A resident presses 我也遇到 on a public report; True if they were counted now.

    One per report and device, and per report and phone when one is given. The phone is
    kept only when the resident asks to be told of updates (``notify``, their consent
    recorded with the privacy notice version); someone already counted who now asks
    for updates has the wish added, not counted twice.
    """
    phone = normalise_phone(phone) if notify else ""
    key = follower_device_key(device_id)
    same = Q(device_key=key) | Q(phone=phone) if phone else Q(device_key=key)
    consent = {
        "notify": True,
        "phone": phone,
        "consented_at": timezone.now(),
        "privacy_notice_version": privacy_notice_version,
    }
    try:
        with transaction.atomic():
            existing = complaint.followers.select_for_update().filter(same).first()
            if existing is None:
                ComplaintFollower.objects.create(
                    complaint=complaint, device_key=key, **(consent if phone else {})
                )
                return True
            if phone and not existing.notify:
                for name, value in consent.items():
                    setattr(existing, name, value)
                existing.save(update_fields=list(consent))
    except IntegrityError:  # the same device or phone, in a request racing this one
        pass
    return False


def _sentence(text: str) -> str:
    return text if text.endswith(("。", "！", "？", "!", "?", "…")) else f"{text}。"


def rate_complaint(*, complaint: Complaint, rating: str, comment: str = "") -> Complaint:
    """The resident's rating after resolution.

    满意/基本满意 close the report. The first 不满意 reopens it for another round and
    notifies staff; a second 不满意 closes it rated 不满意.
    """
    if rating not in Rating.values:
        raise TransitionError("请选择满意、基本满意或不满意。")
    comment = (comment or "").strip()[:300]
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.state != State.RESOLVED:
            raise TransitionError("该反映目前不能评价。")
        label = Rating(rating).label
        # Sentences as a resident ends them: the comment's own 。！？ is not doubled.
        note = "".join(_sentence(part) for part in (f"居民评价：{label}", comment) if part)
        if rating == Rating.DISSATISFIED and complaint.reopen_count == 0:
            # The report is no longer resolved: its first answer stays on the timeline
            # (the 已办结 event's note), not as the current reply; figures stop counting
            # it as resolved (or on time) until it is resolved again; and the new round
            # gets the category's time limit again from today.
            complaint.reopen_count += 1
            complaint.rating_comment = comment
            complaint.reply = ""
            complaint.resolved_at = None
            complaint.resolved_on_time = None
            try:
                new_deadline = promised_deadline(complaint=complaint, start=timezone.localdate())
            except TransitionError:  # the holiday calendar lacks the year: staff set the date
                new_deadline = None
            complaint.deadline = new_deadline
            promise = (
                f"承诺 {new_deadline.year}年{new_deadline.month}月{new_deadline.day}日前办结"
                if new_deadline
                else "办结时限由工作人员另行确定"
            )
            _move(
                complaint,
                State.REOPENED,
                actor=None,
                title="居民不满意，重新办理",
                note=f"{note}重新办理，{promise}",
                fields=(
                    "reopen_count",
                    "rating_comment",
                    "reply",
                    "resolved_at",
                    "resolved_on_time",
                    "deadline",
                ),
            )
            enqueue_on_commit(notify_reopened_complaint, complaint_id=complaint.pk)
            _announce(complaint, PublicStep.REOPENED)
            return complaint
        complaint.rating = rating
        complaint.rating_comment = comment
        complaint.rated_at = timezone.now()
        complaint.closed_at = complaint.rated_at
        return _move(
            complaint,
            State.CLOSED,
            actor=None,
            title=f"居民评价：{label}",
            note=comment,
            fields=("rating", "rating_comment", "rated_at", "closed_at"),
        )


def close_unrated_complaints(*, now: datetime | None = None, days: int | None = None) -> int:
    """Archive reports resolved more than ``days`` ago that the resident never rated."""
    now = now or timezone.now()
    days = close_unrated_after_days() if days is None else days
    cutoff = now - timedelta(days=days)
    closed = 0
    for complaint in Complaint.objects.filter(state=State.RESOLVED, resolved_at__lt=cutoff).only("pk"):
        with transaction.atomic():
            locked = _locked(complaint)
            if locked.state != State.RESOLVED:
                continue
            locked.closed_at = now
            _move(
                locked,
                State.CLOSED,
                actor=None,
                title="逾期未评价，自动归档",
                note=f"办结后 {days} 天内未评价，系统自动归档。",
                fields=("closed_at",),
            )
            closed += 1
    return closed


def release_held_complaint(*, complaint: Complaint, actor, note: str = "") -> Complaint:
    """A moderator decides a held report (from a blocked phone) is genuine: it joins the
    normal queue. Audited; the resident never saw it held, so the event is internal."""
    with transaction.atomic():
        complaint = _locked(complaint)
        if not complaint.held:
            raise TransitionError("该反映未被暂缓。")
        complaint.held = False
        complaint.save(update_fields=["held"])
        _event(complaint, title="解除暂缓", actor=actor, note=note or "经核实，转入正常受理。", public=False)
    record_audit(action=AuditAction.RELEASE_HELD, actor=actor, reference=complaint.reference)
    return complaint


def _anonymise_locked(complaint: Complaint, *, now: datetime) -> int:
    """Strip one (locked) report; returns the number of photo files removed."""
    photos = list(complaint.photos.all())
    complaint.name = ""
    complaint.phone = ""
    complaint.email = ""
    complaint.latitude = complaint.longitude = None
    complaint.description = mask_personal_data(complaint.description)
    complaint.place = mask_personal_data(complaint.place)
    complaint.rating_comment = mask_personal_data(complaint.rating_comment)
    complaint.public_text = mask_personal_data(complaint.public_text)
    complaint.anonymised_at = now
    complaint.save(
        update_fields=[
            "name", "phone", "email", "latitude", "longitude", "description", "place", "rating_comment", "public_text",
            "anonymised_at",
        ]
    )  # fmt: skip
    for event in complaint.events.all():
        redacted = mask_personal_data(event.note)
        if redacted != event.note:
            event.note = redacted
            event.save(update_fields=["note"])
    # 我也遇到 stays counted; who pressed it (phone, device) goes with the report's data.
    complaint.followers.update(
        phone="", notify=False, device_key=Concat(Value("a:"), Cast("pk", output_field=CharField()))
    )
    names = [(photo.file.storage, photo.file.name) for photo in photos]
    complaint.photos.all().delete()
    # Files go only once the rows are gone for good; a rollback keeps both.
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])
    return len(names)


def anonymise_complaints(pks: list[int], *, now: datetime) -> int:
    """Past the retention period: remove name, phone, coordinates and photos of these
    reports and mask the personal data in their texts, keeping what the statistics need.
    Runs inside the caller's transaction; returns how many were anonymised (those
    already done are skipped)."""
    done = 0
    for complaint in Complaint.objects.select_for_update().filter(pk__in=pks, anonymised_at__isnull=True):
        _anonymise_locked(complaint, now=now)
        done += 1
    return done


def erase_personal_data(*, complaint: Complaint, actor) -> Complaint:
    """A resident asked us to delete their data: anonymise this one report now (any state)."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(complaint)
        if locked.anonymised_at is not None:
            return locked
        photos = _anonymise_locked(locked, now=now)
        _event(
            locked,
            title="应居民申请删除个人信息",
            actor=actor,
            note="姓名、手机号、邮箱、位置和照片已删除。",
            public=False,
            at=now,
        )
        record_audit(
            action=AuditAction.ERASE, actor=actor, reference=locked.reference, detail=f"删除照片 {photos} 张"
        )
    return locked


# -- The handling unit's side (签收, 进展, 延期, 退单) and assignment ------------------------


class NotYourTicket(Exception):
    """The user is not a member of the unit the report is dispatched to (views: 404)."""


def _unit_member(user, complaint: Complaint) -> None:
    """Only a member of the unit it is dispatched to, with the unit role, acts for the unit."""
    if (
        complaint.handling_unit_id is None
        or not user.is_active
        or not user.has_perm("feedback.handle_unit_complaint")
        or not complaint.handling_unit.members.filter(pk=user.pk).exists()
    ):
        raise NotYourTicket(complaint.pk)


def _may_work(actor, complaint: Complaint) -> None:
    """Who works a ticket (进展, 办结, 分配…): the system or a resident's step (``None``),
    staff who handle the reports of its community, or a member of the unit it is
    dispatched to. Anyone else, such as another unit's liaison, gets ``NotYourTicket``:
    the check is here, not only in the views, so every caller (admin, API, command) has it."""
    if not _street_side(actor, complaint):
        _unit_member(actor, complaint)


def _street_side(actor, complaint: Complaint) -> bool:
    """The system, or street or community staff handling the ticket's community."""
    return actor is None or (can_moderate(actor) and user_covers(actor, complaint))


def sign_complaint(*, complaint: Complaint, actor) -> Complaint:
    """签收: the unit's liaison acknowledges the ticket (who, when); a dispatched report
    is then 处理中. Signing twice is refused, so the first signature stays."""
    with transaction.atomic():
        complaint = _locked(complaint)
        _unit_member(actor, complaint)
        if complaint.state not in (State.DISPATCHED, State.IN_PROGRESS, State.REOPENED):
            raise TransitionError(f"当前状态为“{complaint.get_state_display()}”，不能签收。")
        if complaint.signed_at is not None:
            raise TransitionError("该工单已签收。")
        now = timezone.now()
        complaint.signed_at, complaint.signed_by = now, actor
        fields = ["signed_at", "signed_by"]
        previous = complaint.state
        if previous == State.DISPATCHED:
            complaint.state = State.IN_PROGRESS
            fields.append("state")
        complaint.save(update_fields=fields)
        unit = complaint.handling_unit
        _event(
            complaint,
            title=f"{unit.name}已签收",
            actor=actor,
            from_state=previous if previous != complaint.state else "",
            to_state=complaint.state if previous != complaint.state else "",
            note="承办单位已签收，正在处理。",
            kind=EventKind.SIGNED,
            unit=unit,
            at=now,
        )
        if previous != complaint.state:
            _announce(complaint, PublicStep.IN_PROGRESS)
        return complaint


def post_progress(*, complaint: Complaint, actor, text: str, public: bool) -> Complaint:
    """A public update (the resident sees it) or an internal note (staff only); neither
    changes the state. Members of the unit and staff of the community may post."""
    text = strip_bidi((text or "").strip())
    if len(text) < 2:
        raise TransitionError("请填写进展内容。")
    with transaction.atomic():
        complaint = _locked(complaint)
        _may_work(actor, complaint)
        if complaint.state in (State.CLOSED, State.REJECTED):
            raise TransitionError(f"当前状态为“{complaint.get_state_display()}”，不能再添加进展。")
        now = timezone.now()
        complaint.last_progress_at = now
        complaint.save(update_fields=["last_progress_at"])
        _event(
            complaint,
            title="办理进展" if public else "内部备注",
            actor=actor,
            note=text,
            public=public,
            kind=EventKind.PROGRESS if public else EventKind.NOTE,
            unit=complaint.handling_unit,
            at=now,
        )
        return complaint


def request_extension(*, complaint: Complaint, actor, new_deadline: date, reason: str) -> ExtensionRequest:
    """The unit asks for a later deadline; a moderator decides (``decide_extension``)."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError("请填写申请延期的理由。")
    with transaction.atomic():
        complaint = _locked(complaint)
        _unit_member(actor, complaint)
        if complaint.state not in EXTENDABLE:
            raise TransitionError(f"当前状态为“{complaint.get_state_display()}”，不能申请延期。")
        if complaint.deadline is None or new_deadline <= complaint.deadline:
            raise TransitionError("申请的办结时限必须晚于原时限。")
        if complaint.extension_requests.filter(decision=ExtensionDecision.PENDING).exists():
            raise TransitionError("已有一条延期申请待审核。")
        request = ExtensionRequest.objects.create(
            complaint=complaint, requested_deadline=new_deadline, reason=reason, requested_by=actor
        )
        _event(
            complaint,
            title="申请延期",
            actor=actor,
            note=f"申请延至 {new_deadline:%Y年%m月%d日}。理由：{reason}",
            public=False,
            kind=EventKind.EXTENSION_REQUESTED,
            unit=complaint.handling_unit,
        )
        return request


def decide_extension(
    *, request: ExtensionRequest, actor, approve: bool, reason: str = ""
) -> ExtensionRequest:
    """A moderator approves (the deadline moves as ``extend_deadline`` moves it, and the
    resident is told why) or refuses (the reason is required and goes to the unit)."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise TransitionError("不同意延期须填写原因。")
    with transaction.atomic():
        request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if request.decision != ExtensionDecision.PENDING:
            raise TransitionError("该延期申请已审核。")
        if approve:
            extend_deadline(
                complaint=request.complaint,
                new_deadline=request.requested_deadline,
                reason=request.reason,
                actor=actor,
            )
        request.decision = ExtensionDecision.APPROVED if approve else ExtensionDecision.REFUSED
        request.decided_by, request.decided_at, request.decision_reason = actor, timezone.now(), reason
        request.save(update_fields=["decision", "decided_by", "decided_at", "decision_reason"])
        _event(
            request.complaint,
            title="同意延期" if approve else "不同意延期",
            actor=actor,
            note=reason or f"同意延至 {request.requested_deadline:%Y年%m月%d日}。",
            public=False,
            kind=EventKind.EXTENSION_DECIDED,
            unit=request.complaint.handling_unit,
        )
        return request


def _state_before_dispatch(complaint: Complaint) -> str:
    """Where a send-back returns the report: the state it was dispatched from."""
    last = (
        complaint.events.filter(to_state=State.DISPATCHED)
        .exclude(from_state=State.DISPATCHED)
        .order_by("-at", "-pk")
        .values_list("from_state", flat=True)
        .first()
    )
    return State.REOPENED if last == State.REOPENED else State.SUBMITTED


def send_back_complaint(*, complaint: Complaint, actor, reason: str, note: str = "") -> Complaint:
    """退单: the unit returns a wrongly routed report to the dispatchers' queue, with a
    reason from ``SendBackReason`` (and a note, required for 其他). The unit, deadline and
    signature are cleared; the reason stays on the report until it is dispatched again."""
    note = strip_bidi((note or "").strip())
    if reason not in SendBackReason.values:
        raise TransitionError("请选择退单原因。")
    if reason == SendBackReason.OTHER and not note:
        raise TransitionError("退单原因为“其他”时须填写说明。")
    with transaction.atomic():
        complaint = _locked(complaint)
        _unit_member(actor, complaint)
        if complaint.state not in (State.DISPATCHED, State.IN_PROGRESS):
            raise TransitionError(f"当前状态为“{complaint.get_state_display()}”，不能退单。")
        unit, previous = complaint.handling_unit, complaint.state
        complaint.state = _state_before_dispatch(complaint)
        complaint.handling_unit = None
        complaint.deadline = None
        complaint.signed_at = complaint.signed_by = complaint.assignee = None
        complaint.send_back_reason, complaint.sent_back_at = reason, timezone.now()
        complaint.sent_back_by_unit = unit
        complaint.save(
            update_fields=[
                "state",
                "handling_unit",
                "deadline",
                "signed_at",
                "signed_by",
                "assignee",
                "send_back_reason",
                "sent_back_at",
                "sent_back_by_unit",
            ]
        )
        label = SendBackReason(reason).label
        _event(
            complaint,
            title=f"{unit.name}退单：{label}",
            actor=actor,
            from_state=previous,
            to_state=complaint.state,
            note=f"退单原因：{label}" + (f"。{note}" if note else ""),
            public=False,
            kind=EventKind.SENT_BACK,
            unit=unit,
            send_back_reason=reason,
        )
        return complaint


def assign_complaint(*, complaint: Complaint, actor, assignee) -> Complaint:
    """分配 (or 分配给我 when ``assignee`` is ``actor``): the person who handles it, one of
    ``selectors.assignable_users``: a member of its unit (with the unit role) or, when
    street or community staff assign, staff handling its community too."""
    with transaction.atomic():
        complaint = _locked(complaint)
        _may_work(actor, complaint)
        if assignee is not None:
            # A unit's liaison assigns within the unit; street or community staff to either.
            staff = _street_side(actor, complaint)
            if not assignable_users(complaint, unit_only=not staff).filter(pk=assignee.pk).exists():
                raise TransitionError(
                    "只能分配给承办单位或本社区的工作人员。" if staff else "只能分配给本单位的工作人员。"
                )
        complaint.assignee = assignee
        complaint.save(update_fields=["assignee"])
        name = assignee.get_full_name() or assignee.get_username() if assignee else ""
        _event(
            complaint,
            title=f"分配给{name}" if assignee else "取消分配",
            actor=actor,
            public=False,
            kind=EventKind.ASSIGNED,
            unit=complaint.handling_unit,
        )
        return complaint
