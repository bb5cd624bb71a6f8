"""The staff screen of one topic: its facts, timeline and the form of its current step.

Every move goes through ``services`` (via ``admin_forms``); topics outside the user's
communities are a 404, as in the complaint screens.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from ..common.scopes import can_see_personal_data, communities_for
from . import admin_forms
from .models import Topic
from .selectors import meeting_of, six_steps


def topics_for(user):
    return Topic.objects.filter(community__in=communities_for(user))


def _topic(request, pk: int) -> Topic:
    topic = (
        topics_for(request.user)
        .select_related("community", "resolution", "promise__page")
        .filter(pk=pk)
        .first()
    )
    if topic is None:
        raise Http404
    return topic


def manage(request, pk: int):
    topic = _topic(request, pk)
    form_class = admin_forms.form_for(topic)
    answer_forms = []
    form = None
    if request.method == "POST":
        if request.POST.get("action") == "answer":
            answer = admin_forms.AnswerForm(request.POST, topic=topic, actor=request.user)
            if answer.is_valid() and answer.save():
                messages.success(request, "已答复异议，答复已在议题页公开。")
                return redirect("deliberation_topic_manage", pk=topic.pk)
            answer_forms.append(answer)
        elif form_class is not None:
            form = form_class(request.POST, topic=topic, actor=request.user)
            if form.is_valid() and form.save():
                messages.success(request, f"“{form.title}”已办理。")
                return redirect("deliberation_topic_manage", pk=topic.pk)
    if form is None and form_class is not None:
        form = form_class(topic=topic, actor=request.user)
    posted = {f.data.get("objection") for f in answer_forms}
    for objection in topic.objections.filter(answered_at__isnull=True):
        if str(objection.pk) not in posted:
            answer_forms.append(
                admin_forms.AnswerForm(initial={"objection": objection.pk}, topic=topic, actor=request.user)
            )
    context = {
        "topic": topic,
        "steps": six_steps(topic),
        "meeting": meeting_of(topic),
        "form": form,
        "answer_forms": answer_forms,
        "objections": topic.objections.all(),
        "events": topic.events.all(),
        "personal": can_see_personal_data(request.user),
        "public_url": reverse("deliberation:detail", args=[topic.public_code]),
    }
    return TemplateResponse(request, "deliberation/admin/manage.html", context)


def new_topic(request):
    communities = communities_for(request.user)
    form = admin_forms.NewTopicForm(request.POST or None, communities=communities, actor=request.user)
    if request.method == "POST" and form.is_valid() and (topic := form.save()):
        messages.success(request, "议题已登记，正在征集居民附议。")
        return redirect("deliberation_topic_manage", pk=topic.pk)
    return TemplateResponse(request, "deliberation/admin/new.html", {"form": form})
