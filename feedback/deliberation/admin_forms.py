"""Staff forms for each step of a topic; each one's ``save`` calls its service, and a
refusal of the service comes back as a Chinese error next to its field."""

from django import forms
from django.utils import timezone

from home.models import Community
from notices.models import ReportPromise

from . import services
from .models import ParticipantRole, Step, Topic
from .services import Participants, Screening


class StepForm(forms.Form):
    title = ""

    def __init__(self, *args, topic: Topic, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic, self.actor = topic, actor

    def run(self):
        raise NotImplementedError

    def save(self) -> bool:
        """Run the service; False (with the error on the form) if it refused."""
        try:
            self.run()
        except services.DeliberationError as error:
            self.add_error(error.field if error.field in self.fields else None, str(error))
            return False
        return True


class NewTopicForm(forms.Form):
    """A topic raised at a meeting, recorded by staff."""

    community = forms.ModelChoiceField(label="社区", queryset=Community.objects.none(), empty_label="请选择")
    title = forms.CharField(label="议题", max_length=60)
    description = forms.CharField(label="议题说明", max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, communities, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.actor = actor

    def save(self):
        try:
            return services.propose_topic(actor=self.actor, **self.cleaned_data)
        except services.DeliberationError as error:
            self.add_error(error.field if error.field in self.fields else None, str(error))
            return None


class ScreenForm(StepForm):
    title = "党组织提议"
    decision = forms.ChoiceField(label="处理方式", choices=Screening.CHOICES, widget=forms.RadioSelect)
    merge_into = forms.ModelChoiceField(
        label="并入议题（合并时选择）", queryset=Topic.objects.none(), required=False
    )
    reason = forms.CharField(
        label="向居民公开的说明",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不列入议题时必填，会在议题页公开。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merge_into"].queryset = (
            Topic.objects.filter(community=self.topic.community)
            .exclude(pk=self.topic.pk)
            .exclude(step__in=(Step.MERGED, Step.DECLINED, Step.DONE))
        )

    def run(self):
        data = self.cleaned_data
        services.screen_topic(
            topic=self.topic,
            actor=self.actor,
            decision=data["decision"],
            reason=data["reason"],
            merge_into=data["merge_into"],
        )


class MeetingForm(StepForm):
    title = "各方共同商议"
    held_on = forms.DateField(label="会议日期", widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label="会议地点", max_length=80)
    agenda = forms.CharField(label="议程", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(
        label="会议纪要",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="公开时自动隐去居民姓名、电话、门牌号。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        for role, label in ParticipantRole.choices:
            self.fields[f"count_{role}"] = forms.IntegerField(label=f"{label}人数", min_value=0, initial=0)
            if role in ("unit", "property", "social_org"):
                self.fields[f"orgs_{role}"] = forms.CharField(
                    label=f"{label}名称", max_length=200, required=False
                )

    def run(self):
        data = self.cleaned_data
        participants = [
            Participants(role=role, count=data[f"count_{role}"], organisations=data.get(f"orgs_{role}", ""))
            for role in ParticipantRole.values
        ]
        services.record_meeting(
            topic=self.topic,
            actor=self.actor,
            held_on=data["held_on"],
            place=data["place"],
            agenda=data["agenda"],
            minutes=data["minutes"],
            participants=participants,
        )

    def add_error(self, field, error):
        if field == "participants":
            field = f"count_{ParticipantRole.RESIDENT_REP}"
        super().add_error(field, error)


class ResolutionForm(StepForm):
    title = "会议决议"
    text = forms.CharField(label="决议内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    votes_for = forms.IntegerField(label="赞成票", min_value=0)
    votes_against = forms.IntegerField(label="反对票", min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label="弃权票", min_value=0, initial=0)

    def run(self):
        services.record_resolution(topic=self.topic, actor=self.actor, **self.cleaned_data)


class PublishForm(StepForm):
    title = "结果公开"

    def run(self):
        services.publish_result(topic=self.topic, actor=self.actor)


class AnswerForm(StepForm):
    title = "答复异议"
    objection = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(label="答复", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def run(self):
        objection = self.topic.objections.filter(pk=self.cleaned_data["objection"]).first()
        if objection is None:
            raise services.DeliberationError("没有这条异议。")
        services.answer_objection(objection=objection, actor=self.actor, answer=self.cleaned_data["answer"])


class ImplementForm(StepForm):
    title = "督促落实"
    promise = forms.ModelChoiceField(
        label="关联已有实事（可不选）",
        queryset=ReportPromise.objects.none(),
        required=False,
        empty_label="在本社区当前的向居民报告中新增一项实事",
    )
    promise_title = forms.CharField(label="新增实事内容", max_length=100, required=False)
    expected_on = forms.DateField(
        label="预计完成", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["promise"].queryset = ReportPromise.objects.filter(
            page__community=self.topic.community
        ).select_related("page")
        self.fields["promise"].label_from_instance = lambda p: f"{p.page.title}：{p.title}"
        self.fields["promise_title"].initial = self.topic.title

    def run(self):
        services.start_implementation(topic=self.topic, actor=self.actor, **self.cleaned_data)


class ProgressForm(StepForm):
    title = "更新落实进度"
    progress = forms.IntegerField(label="进度（%）", min_value=0, max_value=100)
    note = forms.CharField(label="进展说明", max_length=200, required=False)

    def run(self):
        services.update_progress(topic=self.topic, actor=self.actor, **self.cleaned_data)


def form_for(topic: Topic):
    """The form of the step the topic is in, or None when staff have nothing to move."""
    if topic.step == Step.COLLECTING:
        return ScreenForm
    if topic.step == Step.PROPOSED:
        return MeetingForm
    if topic.step == Step.DELIBERATING:
        return ResolutionForm
    if topic.step == Step.RESOLVED:
        return PublishForm
    if topic.step == Step.NOTICE:
        return ImplementForm
    if topic.step == Step.IMPLEMENTING:
        return ProgressForm
    return None
