"""Reads of deliberation topics for public pages, the home and community sections.

What the public see: every topic (the process is public), its timeline, the meeting with
its masked minutes (``Meeting.public_minutes``), the resolution, objections' masked text
and answers. Never a phone, a proposer's name or the minutes as typed.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet

from .models import SIX_STEPS, Meeting, MeetingParticipant, Objection, Step, Topic

PAGE_SIZE = 20
# Where a topic that left the process stopped on the six steps, for the timeline.
_STOPPED_AT = {Step.MERGED: Step.COLLECTING, Step.DECLINED: Step.COLLECTING}


def public_topics(*, step: str = "", community=None) -> QuerySet[Topic]:
    topics = Topic.objects.select_related("community")
    if step:
        topics = topics.filter(step=step)
    if community is not None:
        topics = topics.filter(community=community)
    return topics.order_by("-created_at", "-pk")


def topics_page(*, step: str = "", community=None, page: str | int = 1):
    return Paginator(public_topics(step=step, community=community), PAGE_SIZE).get_page(page)


def open_for_support(*, community=None, limit: int = 5) -> list[Topic]:
    topics = Topic.objects.open_for_support().select_related("community")
    if community is not None:
        topics = topics.filter(community=community)
    return list(topics.order_by("-support_count", "-created_at")[:limit])


def public_topic(*, code: str) -> Topic | None:
    return (
        Topic.objects.select_related("community", "merged_into", "resolution", "promise__page")
        .prefetch_related(
            "events",
            Prefetch("objections", queryset=Objection.objects.order_by("created_at", "pk")),
            Prefetch("merged", queryset=Topic.objects.only("pk", "public_code", "title", "merged_into")),
        )
        .filter(public_code=code)
        .first()
    )


def meeting_of(topic: Topic) -> Meeting | None:
    return (
        Meeting.objects.prefetch_related(
            Prefetch("participants", queryset=MeetingParticipant.objects.order_by("pk"))
        )
        .filter(topic=topic)
        .first()
    )


@dataclass(frozen=True)
class StepState:
    step: str
    label: str
    state: str  # done, current, upcoming

    @property
    def state_label(self) -> str:
        return {"done": "已完成", "current": "进行中", "upcoming": "未开始"}[self.state]


def six_steps(topic: Topic) -> list[StepState]:
    """Each of the six steps as done, current or upcoming for this topic."""
    if topic.step == Step.DONE:
        return [StepState(s, s.label, "done") for s in SIX_STEPS]
    at = _STOPPED_AT.get(topic.step, topic.step)
    index = SIX_STEPS.index(at)
    states = []
    for i, s in enumerate(SIX_STEPS):
        state = "done" if i < index else "current" if i == index else "upcoming"
        if topic.step in _STOPPED_AT and i == index:
            state = "done"
        states.append(StepState(s, s.label, state))
    return states


def rating_counts(topic: Topic) -> dict[str, int]:
    return dict(topic.ratings.values_list("rating").annotate(n=Count("pk")).values_list("rating", "n"))
