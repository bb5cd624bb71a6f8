"""The queue's table is built in one pass (``feedback_queue.queue_result_list``): the same
markup as wagtail_modeladmin's ``{% result_list %}``, and no per-row template or other
work that grows with the page beyond the row's own cells."""

import re
import sys
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.test.signals import template_rendered
from django.utils import timezone

from feedback.common.admin import capped_count, shown_count
from feedback.complaints import services
from feedback.complaints.dispatch_admin import queue_queryset
from feedback.complaints.selectors import follower_count
from feedback.models import Complaint, ComplaintFollower
from portal import personal_data
from tests.factories.feedback import ComplaintFactory

pytestmark = pytest.mark.django_db
QUEUE = "/admin/feedback/complaint/"
# Python function calls a row adds to a warm render of the queue (masks kept, content
# types and templates loaded): ~1,470 when measured. The old per-row inclusion templates
# and masking each excerpt again cost ~2,900 a row; a per-row query or template costs hundreds.
CALLS_PER_ROW = 1800


def _tidy(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _table(html: str) -> str:
    return _tidy(str(BeautifulSoup(html, "html.parser").select_one("table.listing")))


def _variety(category, community, unit) -> None:
    """Rows with every kind of cell: a repeat, an overdue and a held report, one with
    followers, one with a phone number and a name in its description."""
    first = ComplaintFactory(category=category, community=community, phone="13911112222")
    Complaint.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=2))
    ComplaintFactory(category=category, community=community, phone="13911112222")
    overdue = services.dispatch_complaint(
        complaint=ComplaintFactory(category=category, community=community), unit=unit, actor=None
    )
    Complaint.objects.filter(pk=overdue.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    ComplaintFactory(category=category, community=community, held=True, phone="")
    followed = ComplaintFactory(
        category=category, community=community, description="张建国家门口的路灯坏了，请联系13812345678。"
    )
    ComplaintFollower.objects.create(complaint=followed, device_key="a", phone="", notify=False)


def test_queue_table_is_modeladmins_markup(client, make_moderator, category, community, unit):
    _variety(category, community, unit)
    client.force_login(make_moderator(communities=[community]))
    response = client.get(QUEUE)
    assert response.status_code == 200
    context = Context(
        {
            "view": response.context["view"],
            "object_list": list(response.context["object_list"]),
            "request": response.context["request"],
        }
    )
    stock = Template("{% load modeladmin_tags %}{% result_list %}").render(context)
    ours = Template("{% load feedback_queue %}{% queue_result_list %}").render(context)
    assert _table(ours) == _table(stock)
    assert _table(response.content.decode()) == _table(stock)
    assert response.content.decode().count("查看/处理") == 5


def _measure(client) -> tuple[int, int]:
    """(templates rendered, Python calls) of one warm visit to the queue."""
    assert client.get(QUEUE).status_code == 200  # warm: masks kept, templates loaded
    templates, calls = [], [0]

    def count_template(sender, **kwargs):
        templates.append(sender.name)

    def count_call(frame, event, arg):
        if event == "call":
            calls[0] += 1

    template_rendered.connect(count_template)
    sys.setprofile(count_call)
    try:
        response = client.get(QUEUE)
    finally:
        sys.setprofile(None)
        template_rendered.disconnect(count_template)
    assert response.status_code == 200
    return len(templates), calls[0]


def _rows(count: int, category, community) -> None:
    for _ in range(count - Complaint.objects.count()):
        ComplaintFactory(category=category, community=community)


def test_queue_render_does_no_per_row_template_and_bounded_work(client, make_moderator, category, community):
    client.force_login(make_moderator(communities=[community]))
    _rows(5, category, community)
    few_templates, few_calls = _measure(client)
    _rows(25, category, community)
    many_templates, many_calls = _measure(client)
    assert many_templates == few_templates, f"{few_templates} templates for 5 rows, {many_templates} for 25"
    per_row = (many_calls - few_calls) / 20
    assert per_row <= CALLS_PER_ROW, (
        f"{per_row:.0f} calls per row ({few_calls} for 5 rows, {many_calls} for 25)"
    )


def test_masks_are_kept_per_process(monkeypatch):
    personal_data.clear_mask_memo()
    text = "张建国家门口的路灯坏了，请联系13812345678。"
    first = personal_data.mask_personal_data(text)
    assert "13812345678" not in first and "张建国" not in first

    def fail(text):
        raise AssertionError("the detector ran again for a text already masked")

    monkeypatch.setattr(personal_data, "find_personal_data", fail)
    assert personal_data.mask_personal_data(text) == first
    personal_data.clear_mask_memo()
    with pytest.raises(AssertionError):
        personal_data.mask_personal_data(text)


def test_capped_count_counts_the_filtered_rows_up_to_one_past_the_cap(category, community, unit):
    _variety(category, community, unit)
    queue = queue_queryset(Complaint.objects.annotate(follower_count=follower_count()))
    assert capped_count(queue, cap=3) == 4
    assert capped_count(queue, cap=10) == 5
    for narrowed in (queue.filter(light="red"), queue.filter(is_repeat=True), queue.filter(follower_count=1)):
        assert 1 <= capped_count(narrowed, cap=10) == len(list(narrowed)) < 5
    assert shown_count(capped_count(queue, cap=3), cap=3) == "3+"
