"""Two moderators on one report: the second to act on a stale screen changes nothing.

Every change to a complaint appends a ``ComplaintEvent``, so (state, latest event id) is
a version stamp that moves on every action, including those that keep the state
(re-dispatch, deadline extension, hiding). The action form carries the version it was
rendered for; ``act_if_unchanged`` locks the row (``select_for_update``) inside one
transaction, compares, and only then runs the service, so two simultaneous submits are
serialised by the database and the loser is told to refresh.
"""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.db import transaction
from django.db.models import Max

from .models import Complaint
from .workflow import TransitionError

STALE_MESSAGE = "该反映已被其他工作人员处理，请刷新后重试"

T = TypeVar("T")


class StaleComplaintError(TransitionError):
    """The report changed after the moderator's screen was rendered."""


def complaint_version(complaint: Complaint) -> str:
    last_event = complaint.events.aggregate(last=Max("pk"))["last"] or 0
    return f"{complaint.state}:{last_event}"


class VersionForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, max_length=40)


def act_if_unchanged(*, complaint: Complaint, version: str, act: Callable[[Complaint], T]) -> T:
    """Run ``act`` on the locked complaint if it is still at ``version``; else raise."""
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint_version(locked) != version:
            raise StaleComplaintError(STALE_MESSAGE)
        return act(locked)
