"""Answers in the two GeoReport v2 encodings: JSON, and XML as the spec's samples give it.

Each answer is a root element holding items (``<services><service>…``); lists inside an
item are named by their plural and hold singular elements (``<attributes><attribute>``,
``<values><value>``). Booleans are ``true``/``false``, a missing value an empty element.
"""

import json
from xml.etree import ElementTree as ET

from django.http import HttpResponse

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
SINGULAR = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}
# The root and item elements of each answer (the spec's sample responses).
ROOTS = {
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: ET.Element, tag: str, value) -> None:
    element = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, inner in value.items():
            _append(element, key, inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            _append(element, SINGULAR.get(tag, "item"), inner)
    else:
        element.text = _text(value)


def to_xml(kind: str, data) -> bytes:
    """``kind`` is ``services``, ``requests`` or ``errors`` (a list of items), or the
    root tag of a single object (``service_definition``, ``discovery``)."""
    if kind in ROOTS:
        root_tag, item_tag = ROOTS[kind]
        root = ET.Element(root_tag)
        for item in data:
            _append(root, item_tag, item)
    else:
        root = ET.Element(kind)
        for key, value in data.items():
            _append(root, key, value)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def encode(kind: str, data, *, fmt: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = to_xml(kind, data)
    else:
        body = json.dumps(data, ensure_ascii=False).encode()
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    response["Cache-Control"] = "private, no-store"
    return response


def errors(status: int, *descriptions: str, fmt: str) -> HttpResponse:
    """The spec's error answer: ``[{"code": 403, "description": "…"}]``, one per problem."""
    items = [{"code": status, "description": text} for text in descriptions]
    return encode("errors", items, fmt=fmt, status=status)
