"""What the API shows: services (category and kind) and service requests (reports).

A request shows the report's status, the public reply, the unit, its dates, its place
and a moderator-approved public photo; its description only as the approved public
text. Never the resident's name, phone or e-mail: ``PUBLIC_FIELDS`` is all that is read,
and the reply and the place are shown as the public board shows them (``for_the_public``).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone

from home.models import Community

from ..complaints.models import Complaint, ComplaintCategory, ComplaintPhoto, Kind, State
from ..complaints.references import for_the_public
from ..complaints.workdays import due_at
from .models import ApiClient

CLOSED_STATES = (State.RESOLVED, State.CLOSED, State.REJECTED)
MAX_REQUESTS = 1000

# Everything a request's answer is built from: no name, phone, e-mail or typed description.
PUBLIC_FIELDS = (
    "reference", "kind", "state", "reply", "reject_reason", "place", "latitude", "longitude",
    "deadline", "created_at", "allow_public", "hidden", "public_text", "public_text_approved_at",
    "category__name", "category__code", "category__default_days", "community__name",
    "handling_unit__name", "public_code",
)  # fmt: skip


def service_code(*, kind: str, category: ComplaintCategory) -> str:
    return f"{kind}-{category.code}"


@dataclass(frozen=True)
class Service:
    kind: str
    category: ComplaintCategory


def parse_service_code(code: str) -> Service | None:
    kind, _, category_code = (code or "").partition("-")
    if kind not in Kind.values or not category_code:
        return None
    category = ComplaintCategory.objects.filter(active=True, code=category_code).first()
    return Service(kind, category) if category else None


def service_list() -> list[dict]:
    categories = list(ComplaintCategory.objects.filter(active=True))
    return [
        {
            "service_code": service_code(kind=kind, category=category),
            "service_name": f"{category.name}（{label}）",
            "description": category.description,
            "metadata": True,
            "type": "realtime",
            "keywords": f"{category.name},{label}",
            "group": label,
        }
        for kind, label in Kind.choices
        for category in categories
    ]


def _values(pairs) -> list[dict]:
    return [{"key": key, "name": name} for key, name in pairs]


YES_NO = (("true", "是"), ("false", "否"))


def service_definition(service: Service) -> dict:
    """The attributes every report takes beside the spec's fields."""
    communities = Community.objects.order_by("street__name", "name").values_list("slug", "name")
    attributes = [
        (
            "community",
            True,
            "singlevaluelist",
            "所在社区。接入方只对应一个社区时可不填。",
            False,
            communities,
        ),
        (
            "consent",
            True,
            "singlevaluelist",
            "居民已阅读并同意个人信息保护告知（必填 true）。",
            True,
            [("true", "已同意")],
        ),
        ("allow_public", True, "singlevaluelist", "居民同意隐去姓名和电话后在公开栏展示。", False, YES_NO),
        (
            "notify",
            True,
            "singlevaluelist",
            "居民同意通过短信（和邮件）接收办理进展。填写 email 时必须为 true。",
            False,
            YES_NO,
        ),
    ]
    return {
        "service_code": service_code(kind=service.kind, category=service.category),
        "attributes": [
            {
                "variable": variable,
                "code": code,
                "datatype": datatype,
                "required": required,
                "datatype_description": "",
                "order": order,
                "description": description,
                "values": _values(values),
            }
            for order, (code, variable, datatype, description, required, values) in enumerate(attributes, 1)
        ],
    }


def readable_complaints(
    client: ApiClient | None, *, communities: QuerySet | None = None
) -> QuerySet[Complaint]:
    """A client's communities' reports; without a client (a keyless read), the reports on
    the public board only."""
    if client is None:
        complaints = Complaint.objects.publicly_visible().filter(public_code__isnull=False)
        if communities is not None:
            complaints = complaints.filter(community__in=communities.values("pk"))
    else:
        communities = client.communities.all() if communities is None else communities
        complaints = Complaint.objects.filter(community__in=communities.values("pk"))
    return (
        complaints.select_related("category", "community", "handling_unit")
        .only(*PUBLIC_FIELDS)
        .annotate(updated=Max("events__at"))
        .order_by("-created_at")
    )


def id_field(client: ApiClient | None) -> str:
    """What ``service_request_id`` is: the reference for a client (it filed or may follow
    the report), the public board's code for everyone else; a reference with the phone's
    last digits opens the resident's own page, so it is never given out without a key."""
    return "reference" if client else "public_code"


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in Beijing time, ``2026-12-02T18:30:00+08:00``."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def service_notice(complaint: Complaint) -> str:
    days = complaint.category.default_days
    return f"{complaint.category.name}类反映的办理时限为派单后 {days} 个工作日（派单当天不计）。"


def _status_notes(complaint: Complaint) -> str | None:
    if complaint.state == State.REJECTED:
        return f"不予受理：{complaint.get_reject_reason_display()}" if complaint.reject_reason else "不予受理"
    if complaint.state in (State.RESOLVED, State.CLOSED):
        # As the public board shows it: a reply may quote a phone, a name or a reference.
        return for_the_public(complaint.reply) or None
    return None


def _public(complaint: Complaint) -> bool:
    return (
        complaint.allow_public
        and not complaint.hidden
        and complaint.public_text_approved_at is not None
        and bool(complaint.public_text)
        and complaint.state not in (State.SUBMITTED, State.REJECTED)
    )


def public_photo_ids(complaints: list[Complaint]) -> dict[int, int]:
    """The first moderator-approved photo of each public report: {complaint pk: photo pk}."""
    public = [c.pk for c in complaints if _public(c)]
    found: dict[int, int] = {}
    rows = ComplaintPhoto.objects.filter(public=True, complaint_id__in=public).order_by("pk")
    for complaint_id, pk in rows.values_list("complaint_id", "pk"):
        found.setdefault(complaint_id, pk)
    return found


def request_item(complaint: Complaint, *, client: ApiClient | None, photo_id: int | None, absolute) -> dict:
    open_ = complaint.state not in CLOSED_STATES
    expected = due_at(complaint.deadline) if open_ and complaint.deadline else None
    address = " ".join(part for part in (complaint.community.name, for_the_public(complaint.place)) if part)
    return {
        "service_request_id": getattr(complaint, id_field(client)),
        "status": "open" if open_ else "closed",
        "status_notes": _status_notes(complaint),
        "service_name": f"{complaint.category.name}（{complaint.get_kind_display()}）",
        "service_code": service_code(kind=complaint.kind, category=complaint.category),
        "description": complaint.public_text if _public(complaint) else None,
        "agency_responsible": complaint.handling_unit.name if complaint.handling_unit else None,
        "service_notice": service_notice(complaint),
        "requested_datetime": iso(complaint.created_at),
        "updated_datetime": iso(getattr(complaint, "updated", None) or complaint.created_at),
        "expected_datetime": iso(expected),
        "address": address,
        "address_id": None,
        "zipcode": None,
        "lat": float(complaint.latitude) if complaint.latitude is not None else None,
        "long": float(complaint.longitude) if complaint.longitude is not None else None,
        "media_url": absolute(reverse("feedback:public_photo", args=[photo_id])) if photo_id else None,
    }


def request_items(complaints, *, client: ApiClient | None, absolute) -> list[dict]:
    complaints = list(complaints)
    photos = public_photo_ids(complaints)
    return [request_item(c, client=client, photo_id=photos.get(c.pk), absolute=absolute) for c in complaints]
