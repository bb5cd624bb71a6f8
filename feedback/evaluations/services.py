"""Every write to an evaluation: a resident's submission and moderators' decisions.

Rules:

- one evaluation per voter per target per quarter. The voter is the phone number when
  one is given, otherwise the device (a long-lived random cookie); both are stored only
  as an HMAC. A repeat in the same quarter replaces the earlier row; a new quarter
  starts a new row;
- a comment needs a moderator's approval before it is public. An evaluation without a
  comment has nothing to moderate and is stored as approved (``moderated_by`` empty);
- a replaced comment goes back to 待审核; an evaluation marked as abuse stays marked
  for the quarter (whoever abused the form cannot clear the mark by sending it again);
- hiding or marking as abuse needs a reason, which is recorded;
- past the retention period (``feedback.trust.retention``) an evaluation loses its
  name, phone and voter key (``anonymise_evaluations``), never its stars.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from home.models import Community
from portal.cache import purge_pages
from portal.personal_data import mask_personal_data, normalise_phone, strip_bidi

from .models import DIMENSION_FIELDS, Evaluation, ModerationState, TargetType, quarter_of, target_key
from .selectors import forget_score_blocks


class EvaluationError(ValueError):
    """A rule was broken; the message is Chinese and may be shown to the user."""


def voter_key(*, phone: str = "", device_token: str = "") -> str:
    if phone:
        return "p:" + salted_hmac("feedback.evaluation.phone", phone).hexdigest()
    if device_token:
        return "d:" + salted_hmac("feedback.evaluation.device", device_token).hexdigest()
    raise EvaluationError("缺少手机号或设备标识，无法确认评议人。")


def evaluation_community(*, target_type: str, target, community: Community | None) -> Community | None:
    """The community an evaluation belongs to (moderators' scope and figures)."""
    if target_type == TargetType.STATION:
        return target.community
    if target_type == TargetType.COMMUNITY:
        return target
    if target_type == TargetType.COMPANY:
        served = list(target.communities.all())
        if community is None and len(served) == 1:
            return served[0]
        if community is None or community not in served:
            raise EvaluationError("请选择该物业服务的、您居住的社区。")
        return community
    return community  # a service: the resident's own community, if given


@dataclass(frozen=True)
class Submission:
    evaluation: Evaluation
    replaced: bool


def submit_evaluation(
    *,
    target_type: str,
    target,
    stars: int,
    privacy_notice_version: str,
    community: Community | None = None,
    dimensions: Mapping[str, int | None] | None = None,
    comment: str = "",
    name: str = "",
    phone: str = "",
    device_token: str = "",
    now: datetime | None = None,
) -> Submission:
    """Store a resident's evaluation, replacing their earlier one of the same quarter."""
    if target_type not in TargetType.values:
        raise EvaluationError("请选择评议对象类型。")
    if not 1 <= int(stars) <= 5:
        raise EvaluationError("总体评分须为 1–5 星。")
    dimensions = {field: (dimensions or {}).get(field) for field in DIMENSION_FIELDS}
    if any(score is not None and not 1 <= score <= 5 for score in dimensions.values()):
        raise EvaluationError("分项评分须为 1–5 星。")
    now = now or timezone.now()
    phone = normalise_phone(phone)
    fields = {
        "target_type": target_type,
        "service": target if target_type == TargetType.SERVICE else None,
        "station": target if target_type == TargetType.STATION else None,
        "company": target if target_type == TargetType.COMPANY else None,
        "community": evaluation_community(target_type=target_type, target=target, community=community),
        "stars": int(stars),
        **dimensions,
        "comment": strip_bidi(comment).strip()[:300],
        "name": strip_bidi(name).strip()[:30],
        "phone": phone,
        "privacy_notice_version": privacy_notice_version,
        "consented_at": now,
        "submitted_at": now,
    }
    keys = {
        "voter_key": voter_key(phone=phone, device_token=device_token),
        "target_key": target_key(target_type, target.pk),
        "quarter": quarter_of(now),
    }
    for _attempt in range(2):
        try:
            with transaction.atomic():
                earlier = Evaluation.objects.select_for_update().filter(**keys).first()
                if earlier is None:
                    evaluation = Evaluation.objects.create(
                        **keys, **fields, created_at=now, **_fresh_moderation(fields["comment"])
                    )
                    submission = Submission(evaluation=evaluation, replaced=False)
                else:
                    submission = Submission(evaluation=_replace(earlier, fields), replaced=True)
                transaction.on_commit(lambda: _published([keys["target_key"]]))
                return submission
        except IntegrityError:
            # Two submissions of one voter crossed; the second now finds the first and replaces it.
            continue
    raise EvaluationError("提交过于频繁，请稍后再试。")


def _fresh_moderation(comment: str) -> dict:
    state = ModerationState.PENDING if comment else ModerationState.APPROVED
    return {"state": state, "hide_reason": "", "moderated_by": None, "moderated_at": None}


def _replace(earlier: Evaluation, fields: dict) -> Evaluation:
    comment_changed = fields["comment"] != earlier.comment
    for field, value in fields.items():
        setattr(earlier, field, value)
    if earlier.state != ModerationState.ABUSE and comment_changed:
        for field, value in _fresh_moderation(fields["comment"]).items():
            setattr(earlier, field, value)
    earlier.save()
    return earlier


MODERATION_ACTIONS = {
    "approve": ModerationState.APPROVED,
    "hide": ModerationState.HIDDEN,
    "abuse": ModerationState.ABUSE,
}
REASON_REQUIRED = {ModerationState.HIDDEN, ModerationState.ABUSE}


def moderate_evaluations(*, evaluations: Iterable[Evaluation], action: str, actor, reason: str = "") -> int:
    """Approve, hide or mark as abuse; the caller has already limited ``evaluations`` to
    the actor's communities. Returns how many evaluations changed."""
    if action not in MODERATION_ACTIONS:
        raise EvaluationError("未知的审核操作。")
    state = MODERATION_ACTIONS[action]
    reason = (reason or "").strip()[:200]
    if state in REASON_REQUIRED and not reason:
        raise EvaluationError("隐藏或标记滥用须填写原因。")
    pks = [e.pk for e in evaluations]
    with transaction.atomic():
        targets = list(Evaluation.objects.filter(pk__in=pks).values_list("target_key", flat=True).distinct())
        changed = Evaluation.objects.filter(pk__in=pks).update(
            state=state,
            hide_reason=reason if state in REASON_REQUIRED else "",
            moderated_by=actor,
            moderated_at=timezone.now(),
        )
        transaction.on_commit(lambda: _published(targets))
    return changed


def _published(target_keys: list[str]) -> None:
    """Scores or comments of these targets changed: forget their cached score blocks and
    the cached public pages that show them."""
    forget_score_blocks(target_keys)
    purge_pages()


def anonymise_evaluations(pks: list[int], *, now: datetime) -> int:
    """Remove name, phone and voter key of these evaluations (inside the caller's
    transaction); the voter key becomes ``a:<pk>``, unique per row and linked to nobody.
    Returns how many were anonymised (those already done are skipped)."""
    rows = list(Evaluation.objects.select_for_update().filter(pk__in=pks, anonymised_at__isnull=True))
    for evaluation in rows:
        evaluation.name = ""
        evaluation.phone = ""
        evaluation.voter_key = f"a:{evaluation.pk}"
        evaluation.comment = mask_personal_data(evaluation.comment)
        evaluation.hide_reason = mask_personal_data(evaluation.hide_reason)
        evaluation.anonymised_at = now
    Evaluation.objects.bulk_update(
        rows, ["name", "phone", "voter_key", "comment", "hide_reason", "anonymised_at"]
    )
    if rows:
        # Public comments show the (masked) name: forget cached blocks and pages that do.
        targets = {evaluation.target_key for evaluation in rows}
        transaction.on_commit(lambda: forget_score_blocks(targets))
        purge_pages()
    return len(rows)
