"""答复模板: staff-managed replies per category and state, and how a reply form uses them.

A template fits a ticket when it is active, its category is the ticket's (or blank: every
category) and the ticket's state is among its states (none ticked: every state in which a
reply is written). Its text may hold placeholders, filled by ``fill`` from the ticket's
facts that the resident reads anyway: {reference} {category} {community} {unit}
{deadline}. The reference is for the resident alone (the public board and the API show
replies through ``references.for_the_public``, which hides it). Never the resident's name
or phone: there is no placeholder for them, and an unknown placeholder stays as typed
(the admin form refuses it).

With JavaScript the select fills the reply at once (each option carries its filled text);
without it the form's 使用模板 button posts the form back and ``filled_form`` returns it
with the reply replaced, every other field as posted.
"""

import re

from django import forms
from django.db import models
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminModelForm

from .models import OPEN_STATES, Complaint, ComplaintCategory, State

PLACEHOLDER = re.compile(r"\{(\w+)\}")
PLACEHOLDERS = {
    "reference": "编号",
    "category": "分类",
    "community": "社区",
    "unit": "承办单位",
    "deadline": "办结时限",
}
USE_TEMPLATE = "use_template"  # the name of the no-JavaScript submit button


class ResponseTemplate(models.Model):
    title = models.CharField("名称", max_length=60)
    category = models.ForeignKey(
        ComplaintCategory,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="适用分类",
        help_text="留空则适用于全部分类。",
    )
    # Comma-separated ``State`` values; blank: every state in which a reply is written.
    states = models.CharField("适用状态", max_length=80, blank=True)
    body = models.TextField(
        "答复内容",
        max_length=2000,
        help_text="可用占位符：" + "、".join(f"{{{key}}} {label}" for key, label in PLACEHOLDERS.items()),
    )
    active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        app_label = "feedback"
        verbose_name = "答复模板"
        verbose_name_plural = "答复模板"
        ordering = ["sort_order", "title"]

    def __str__(self):
        return self.title

    def state_list(self) -> list[str]:
        return [s for s in self.states.split(",") if s]

    def fits(self, state: str) -> bool:
        return not self.states or state in self.state_list()


def unknown_placeholders(body: str) -> list[str]:
    return [name for name in PLACEHOLDER.findall(body) if name not in PLACEHOLDERS]


def fill(body: str, complaint: Complaint) -> str:
    """The template's text for this ticket (a regex, not ``str.format``: no attribute access)."""
    values = {
        "reference": complaint.reference,
        "category": complaint.category.name,
        "community": complaint.community.name,
        "unit": complaint.handling_unit.name if complaint.handling_unit_id else "承办单位",
        "deadline": f"{complaint.deadline:%Y年%m月%d日}" if complaint.deadline else "",
    }
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)


def templates_for(complaint: Complaint) -> list[ResponseTemplate]:
    rows = ResponseTemplate.objects.filter(active=True).filter(
        Q(category__isnull=True) | Q(category_id=complaint.category_id)
    )
    return [t for t in rows if t.fits(complaint.state)]


class TemplateSelect(forms.Select):
    """Each option carries its filled text (``data-text``) for ``js/reply-templates.js``."""

    def __init__(self, texts: dict[str, str]):
        super().__init__(attrs={"data-reply-template": ""})
        self.texts = texts

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) in self.texts:
            option["attrs"]["data-text"] = self.texts[str(value)]
        return option


def add_template_field(form: forms.Form, complaint: Complaint) -> None:
    """Put a 答复模板 select before the form's ``reply`` when templates fit the ticket."""
    fitting = templates_for(complaint)
    form.has_templates = bool(fitting)
    if not fitting:
        return
    field = forms.ChoiceField(
        label="答复模板",
        required=False,
        choices=[("", "不使用模板")] + [(str(t.pk), t.title) for t in fitting],
        widget=TemplateSelect({str(t.pk): fill(t.body, complaint) for t in fitting}),
        help_text="选择后答复内容自动填入，可再修改。",
    )
    form.fields = {"template": field, **form.fields}


def filled_form(form_class, data, *, complaint: Complaint, **kwargs) -> forms.Form:
    """使用模板 without JavaScript: the form as posted, its reply from the chosen template."""
    form = form_class(data, complaint=complaint, **kwargs)
    texts = form.fields["template"].widget.texts if form.has_templates else {}
    chosen = data.get(form.add_prefix("template"), "")
    if chosen not in texts:
        form.add_error("template" if form.has_templates else "reply", "请先选择答复模板。")
        return form
    data = data.copy()
    data[form.add_prefix("reply")] = texts[chosen]
    return form_class(data, complaint=complaint, **kwargs)


class ResponseTemplateForm(WagtailAdminModelForm):
    """The admin form: the states as boxes to tick, placeholders checked."""

    states = forms.MultipleChoiceField(
        label="适用状态",
        required=False,
        choices=[(s.value, s.label) for s in map(State, OPEN_STATES)],
        widget=forms.CheckboxSelectMultiple,
        help_text="不选则适用于全部待办状态（已派单、处理中、重新办理）。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["states"] = self.instance.state_list()

    def clean_states(self):
        return ",".join(self.cleaned_data["states"])

    def clean_body(self):
        body = self.cleaned_data["body"]
        unknown = unknown_placeholders(body)
        if unknown:
            allowed = "、".join(f"{{{key}}}" for key in PLACEHOLDERS)
            raise forms.ValidationError(
                f"不认识的占位符：{'、'.join('{' + u + '}' for u in unknown)}。可用：{allowed}。"
            )
        return body
