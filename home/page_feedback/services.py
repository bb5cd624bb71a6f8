"""Writes: an answer to 这个页面有用吗？, its comment masked first."""

from wagtail.models import Page

from portal.personal_data import mask_personal_data

from .models import PageFeedback

COMMENT_LENGTH = 300


def record_answer(*, page: Page, useful: bool, comment: str = "") -> PageFeedback:
    """Store one answer; the comment keeps no personal data (phones, IDs, names…)."""
    comment = mask_personal_data((comment or "").strip())[:COMMENT_LENGTH]
    return PageFeedback.objects.create(page=page, useful=useful, comment=comment)


def add_comment(*, answer: PageFeedback, comment: str) -> PageFeedback:
    """The comment typed after the yes/no click (the script posts the click first)."""
    answer.comment = mask_personal_data((comment or "").strip())[:COMMENT_LENGTH]
    answer.save(update_fields=["comment"])
    return answer
