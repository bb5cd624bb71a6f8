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
