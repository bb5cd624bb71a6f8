"""Changes to notices that touch more than one page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import NoticePage, Validity


@transaction.atomic
def notice_supersede(*, old: NoticePage, new: NoticePage | None, validity: str, user=None) -> NoticePage:
    """Mark ``old`` revised or repealed, pointing at ``new`` (the notice now in force).

    A repealed notice may have no successor; a revised one must. ``old`` is
    republished only if it was live, so a draft stays a draft.
    """
    if validity not in (Validity.REVISED, Validity.REPEALED):
        raise ValidationError("只能将文件标记为已修订或已废止。")
    old.validity = validity
    old.replaced_by = new
    old.full_clean()
    revision = old.save_revision(user=user, log_action=True)
    if old.live:
        revision.publish(user=user)
    return old


def notice_published(*, notice: NoticePage, user=None) -> NoticePage | None:
    """A notice that names the notice it replaces (``supersedes``, 本文件替代) has been
    published: mark that one revised, pointing here, with ``notice_supersede``.

    Called for every publication (direct, after review, scheduled) by the
    ``page_published`` receiver in ``notices.apps``; nothing happens for a draft, so
    residents are never sent from a notice in force to one not yet published. Returns
    the old notice when it changed."""
    if not notice.supersedes_id:
        return None
    old = NoticePage.objects.get(pk=notice.supersedes_id)
    if old.validity == Validity.REVISED and old.replaced_by_id == notice.pk:
        return None  # already done (a republication of the new notice)
    return notice_supersede(old=old, new=notice, validity=Validity.REVISED, user=user)
