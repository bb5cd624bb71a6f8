"""The topic page's queries stay flat however many events, objections and ratings it has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.deliberation import services

from .conftest import propose, walk

pytestmark = pytest.mark.django_db


def test_topic_page_queries_do_not_grow_with_objections(client, community, staff):
    topic = walk(propose(community), to="notice", actor=staff)
    url = reverse("deliberation:detail", args=[topic.public_code])
    services.object_to_result(topic=topic, text="第一条异议内容", phone="13900000001")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(8):
        objection = services.object_to_result(topic=topic, text=f"异议内容{n}", phone=f"1390000001{n}")
        services.answer_objection(objection=objection, actor=staff, answer="已答复")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) <= len(few)
