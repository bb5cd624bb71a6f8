"""Search answers for problem words: 我要反映 with the category already chosen.

``home.intents`` names the category; the link carries its id (``?category=<id>``), which
the report form reads as its initial choice (``views.report``).
"""

from urllib.parse import urlencode

from django.urls import reverse

from home.intents import IntentAnswer

from .models import ComplaintCategory


def report_answers(values: list[str]) -> list[IntentAnswer]:
    categories = {c.name: c for c in ComplaintCategory.objects.filter(active=True, name__in=values)}
    url = reverse("feedback:report")
    answers = [
        IntentAnswer(
            title=f"反映“{category.name}”问题",
            text=f"填写“我要反映”，分类已选好：{category.name}。提交后可凭反映编号查询办理进度。",
            url=f"{url}?{urlencode({'category': category.pk})}",
            action="我要反映",
            kind="report",
        )
        for name in values
        if (category := categories.get(name))
    ]
    # A category renamed or switched off: the form is still the way to report it.
    return answers or [
        IntentAnswer(
            title="反映问题",
            text="填写“我要反映”，选择问题分类后提交，可凭反映编号查询办理进度。",
            url=url,
            action="我要反映",
            kind="report",
        )
    ]
