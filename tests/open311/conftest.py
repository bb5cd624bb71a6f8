"""Open311 fixtures: a category, two communities, a read-write and a read-only client,
and helpers that parse either encoding into the same Python shape."""

import json

import pytest
from defusedxml import ElementTree as ET

from feedback.open311 import keys
from feedback.open311.models import Access
from tests.factories.feedback import ComplaintCategoryFactory, HandlingUnitFactory
from tests.factories.home import CommunityFactory

NAME_LAST, NAME_FIRST = "欧阳", "修远"
PHONE = "13912345678"
EMAIL = "ouyang.xiuyuan@example.com"
API = "/open311/v2/"


@pytest.fixture
def unit(db):
    return HandlingUnitFactory(name="街道城管办")


@pytest.fixture
def category(unit):
    return ComplaintCategoryFactory(
        name="环境卫生", code="huan-jing-wei-sheng", default_unit=unit, default_days=7
    )


@pytest.fixture
def community(db):
    return CommunityFactory(name="复兴社区", slug="fuxing")


@pytest.fixture
def other_community(db):
    return CommunityFactory(name="和平社区", slug="heping")


@pytest.fixture
def writer(community):
    client, key = keys.create_client(name="12345热线", access=Access.READ_WRITE, communities=[community])
    client.key = key
    return client


@pytest.fixture
def reader(community):
    client, key = keys.create_client(name="网格系统", access=Access.READ, communities=[community])
    client.key = key
    return client


def parse(response):
    """Either encoding as plain Python: a list of dicts for list answers, a dict otherwise."""
    if response["Content-Type"].startswith("text/xml"):
        assert response.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
        root = ET.fromstring(response.content)
        if root.tag in ("services", "service_requests", "errors"):
            return [_element(child) for child in root]
        return _element(root)
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


LISTS = {"attributes", "values", "endpoints", "formats"}


def _element(element):
    if element.tag in LISTS:
        return [_element(child) for child in element]
    if len(element):
        return {child.tag: _element(child) for child in element}
    return element.text


def report_params(writer, category, **overrides):
    params = {
        "api_key": writer.key,
        "service_code": f"complaint-{category.code}",
        "lat": "31.230416",
        "long": "121.473701",
        "address_string": "复兴路88号小区3栋楼下",
        "description": "楼下垃圾桶三天没有清运，气味很大，影响居民出行。",
        "first_name": NAME_FIRST,
        "last_name": NAME_LAST,
        "phone": "+86 139-1234-5678",
        "email": EMAIL,
        "device_id": "device-1",
        "attribute[consent]": "true",
        "attribute[notify]": "true",
    }
    params.update(overrides)
    return {key: value for key, value in params.items() if value is not None}
