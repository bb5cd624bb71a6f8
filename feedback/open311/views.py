"""The GeoReport v2 endpoints. Thin: the rules are in ``complaints.services`` (filing),
``trust.throttle`` (limits), ``keys`` (who calls) and ``selectors`` (what is shown).

No session or cookie counts here: a call is who its ``api_key`` says, so the POST needs
no CSRF token. Every error is the spec's list of ``{"code", "description"}`` in the
format asked for.
"""

import secrets
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import Site

from home.models import Community, Street

from ..common.privacy import portal_settings
from ..complaints import services as complaint_services
from ..trust import throttle
from . import selectors
from .encoders import FORMATS, encode, errors
from .forms import Open311ReportForm, error_descriptions
from .keys import client_for_key
from .models import ApiClient, ApiRequest

MAX_DAYS = 90
LAST_USED_EVERY = timedelta(minutes=5)


class ApiError(Exception):
    def __init__(self, status: int, *descriptions: str, retry_after: int = 60):
        super().__init__(descriptions)
        self.status, self.descriptions, self.retry_after = status, descriptions, retry_after

    @classmethod
    def too_many(cls, what: str, wait: int) -> "ApiError":
        """429 with ``Retry-After``: ``what`` is limited, try again in ``wait`` seconds."""
        return cls(429, f"{what}请 {max(1, -(-wait // 60))} 分钟后再试。", retry_after=wait)


def endpoint(*methods: str, key: str = ""):
    """Check format and method, find the client for ``key`` ("read" or "write"), count the
    call against its limit, and turn ``ApiError`` into the spec's error answer."""

    def decorator(view):
        @csrf_exempt
        def wrapper(request: HttpRequest, fmt: str | None = None, **kwargs):
            fmt_ok = fmt in FORMATS
            out = fmt if fmt_ok else "json"
            try:
                if not fmt_ok:
                    raise ApiError(400, "请在地址末尾写明格式：.json 或 .xml。")
                if request.method not in methods:
                    raise ApiError(405, f"此地址只接受 {'、'.join(methods)} 请求。")
                client = _client(request, key) if key else None
                return view(request, fmt=out, client=client, **kwargs)
            except ApiError as error:
                response = errors(error.status, *error.descriptions, fmt=out)
                if error.status == 429:
                    response["Retry-After"] = str(error.retry_after)
                return response

        return wrapper

    return decorator


def _client(request: HttpRequest, need: str) -> ApiClient | None:
    """The calling client; None for a keyless read ("public": reports on the public board
    only, under their public codes, counted per address)."""
    params = request.POST if request.method == "POST" else request.GET
    api_key = params.get("api_key", "")
    if not api_key and need == "public":
        if wait := throttle.api_public_call_wait(request):
            raise ApiError.too_many(throttle.API_PUBLIC_CALLS_REFUSED, wait)
        return None
    if not api_key:
        raise ApiError(403, "缺少 api_key。接口密钥由门户管理员发放。")
    client = client_for_key(api_key)
    if client is None:
        raise ApiError(403, "api_key 无效或已停用。")
    if need == "write" and not client.can_write:
        raise ApiError(403, "此 api_key 只能查询，不能提交反映。")
    if wait := throttle.api_call_wait(client_id=client.pk):
        raise ApiError.too_many(throttle.API_CALLS_REFUSED, wait)
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at > LAST_USED_EVERY:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


def _communities(request: HttpRequest, client: ApiClient | None, params):
    """The client's communities, narrowed to a street when ``jurisdiction_id`` names one.
    The site's own host name (or nothing) is the whole portal."""
    communities = client.communities.all() if client else None
    jurisdiction = params.get("jurisdiction_id", "").strip()
    if not jurisdiction or jurisdiction in _site_jurisdictions(request):
        return communities
    street = Street.objects.filter(name=jurisdiction).first()
    if street is None:
        raise ApiError(404, f"未知的 jurisdiction_id：{jurisdiction[:60]}。")
    return (communities if communities is not None else Community.objects.all()).filter(street=street)


def _site_jurisdictions(request: HttpRequest) -> set[str]:
    """The site's host name as Wagtail knows it, and the host the call was made to."""
    site = Site.find_for_request(request)
    return {request.get_host().partition(":")[0]} | ({site.hostname} if site else set())


def _absolute(request):
    return request.build_absolute_uri


# --- services -----------------------------------------------------------------------------


@endpoint("GET")
def discovery(request, *, fmt, client):
    base = request.build_absolute_uri(reverse("open311:services", kwargs={"fmt": "json"}))[
        : -len("services.json")
    ]
    data = {
        "changeset": "2026-12-02T00:00:00+08:00",
        "contact": f"接口问题请联系门户管理员；说明见 {request.build_absolute_uri(reverse('open311:docs'))}",
        "key_service": "接口密钥由门户管理员在后台“接口接入方”中发放。",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base.rstrip("/"),
                "changeset": "2026-12-02T00:00:00+08:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return encode("discovery", data, fmt=fmt)


@endpoint("GET")
def services(request, *, fmt, client):
    _communities(request, None, request.GET)
    return encode("services", selectors.service_list(), fmt=fmt)


@endpoint("GET")
def service_definition(request, *, fmt, client, code: str):
    _communities(request, None, request.GET)
    service = selectors.parse_service_code(code)
    if service is None:
        raise ApiError(404, f"没有代码为 {code[:60]} 的服务。")
    return encode("service_definition", selectors.service_definition(service), fmt=fmt)


# --- requests -----------------------------------------------------------------------------


@csrf_exempt
def requests(request, fmt: str | None = None):
    """``GET requests`` reads, ``POST requests`` files: one address, two endpoints."""
    if request.method == "POST":
        return create_request(request, fmt=fmt)
    return list_requests(request, fmt=fmt)


@endpoint("GET", key="public")
def list_requests(request, *, fmt, client):
    params = request.GET
    queryset = selectors.readable_complaints(client, communities=_communities(request, client, params))
    ids = _split(params.get("service_request_id", ""))
    if ids:  # the spec: it overrides every other filter
        queryset = queryset.filter(**{f"{selectors.id_field(client)}__in": ids[: selectors.MAX_REQUESTS]})
    else:
        queryset = _filtered(queryset, params)
    items = selectors.request_items(
        queryset[: selectors.MAX_REQUESTS], client=client, absolute=_absolute(request)
    )
    return encode("requests", items, fmt=fmt)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _moment(value: str, name: str, *, end: bool) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    moment = parse_datetime(value.replace(" ", "+"))
    if moment is None and (day := parse_date(value)):
        moment = datetime.combine(day + timedelta(days=1) if end else day, time.min)
    if moment is None:
        raise ApiError(400, f"{name} 的格式不对，请用 W3C 格式，如 2026-11-01T00:00:00+08:00。")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _filtered(queryset, params):
    codes = _split(params.get("service_code", ""))
    if codes:
        wanted = [selectors.parse_service_code(code) for code in codes]
        if None in wanted:
            raise ApiError(400, "service_code 中有不存在的服务代码。")
        pairs = {(s.kind, s.category.pk) for s in wanted}
        condition = Q(pk__in=[])
        for kind, category in pairs:
            condition |= Q(kind=kind, category=category)
        queryset = queryset.filter(condition)
    start = _moment(params.get("start_date", ""), "start_date", end=False)
    end = _moment(params.get("end_date", ""), "end_date", end=True)
    if start and end and end < start:
        raise ApiError(400, "end_date 不能早于 start_date。")
    if start and end and end - start > timedelta(days=MAX_DAYS):
        raise ApiError(400, f"start_date 到 end_date 最多 {MAX_DAYS} 天。")
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - timedelta(days=MAX_DAYS)
    if end is None:
        end = start + timedelta(days=MAX_DAYS)
    queryset = queryset.filter(created_at__gte=start, created_at__lt=end)
    statuses = set(_split(params.get("status", "").lower()))
    if statuses - {"open", "closed"}:
        raise ApiError(400, "status 只能是 open 或 closed（可用逗号分隔）。")
    if statuses == {"open"}:
        queryset = queryset.exclude(state__in=selectors.CLOSED_STATES)
    elif statuses == {"closed"}:
        queryset = queryset.filter(state__in=selectors.CLOSED_STATES)
    return queryset


@endpoint("GET", key="public")
def request_detail(request, *, fmt, client, request_id: str):
    communities = _communities(request, client, request.GET)
    complaint = (
        selectors.readable_complaints(client, communities=communities)
        .filter(**{selectors.id_field(client): request_id})
        .first()
    )
    if complaint is None:
        where = "此 api_key 可访问的社区" if client else "公开栏（不带 api_key 时只能查询公开的反映）"
        raise ApiError(404, f"没有编号为 {request_id[:40]} 的反映，或它不在{where}。")
    items = selectors.request_items([complaint], client=client, absolute=_absolute(request))
    return encode("requests", items, fmt=fmt)


@endpoint("GET", key="read")
def token_detail(request, *, fmt, client, token: str):
    communities = _communities(request, client, request.GET)
    link = (
        ApiRequest.objects.filter(token=token, complaint__community__in=communities.values("pk"))
        .select_related("complaint")
        .only("token", "complaint__reference")
        .first()
    )
    if link is None:
        raise ApiError(404, "没有这个 token，或它对应的反映不在此 api_key 可访问的社区。")
    return encode(
        "requests", [{"service_request_id": link.complaint.reference, "token": link.token}], fmt=fmt
    )


@endpoint("POST", key="write")
def create_request(request, *, fmt, client):
    params = request.POST
    communities = _communities(request, client, params)
    service = selectors.parse_service_code(params.get("service_code", ""))
    if service is None:
        raise ApiError(400, "service_code：没有这个服务代码，请从 services 中选择。")
    lat, lng, address = (
        params.get("lat", ""),
        params.get("long", ""),
        params.get("address_string", "").strip(),
    )
    if not (lat and lng) and not address:
        raise ApiError(400, "请提供位置：lat 和 long，或 address_string。")
    files = MultiValueDict({"photos": request.FILES.getlist("media")})
    form = Open311ReportForm(_form_data(params, service, communities), files, communities=communities)
    if not form.is_valid():
        raise ApiError(400, *error_descriptions(form))
    data = form.cleaned_data
    device_id = params.get("device_id", "")[:100]
    refusal = throttle.api_report_refusal(client_id=client.pk, phone=data["phone"], device_id=device_id)
    if refusal:
        raise ApiError(429, f"{refusal.reason}请在 {refusal.retry_at} 后再试。", retry_after=refusal.wait)
    with transaction.atomic():
        complaint = complaint_services.submit_complaint(
            **{name: data[name] for name in Open311ReportForm.SUBMITTED},
            privacy_notice_version=portal_settings(request).privacy_notice_version,
        )
        link = ApiRequest.objects.create(client=client, complaint=complaint, token=secrets.token_urlsafe(18))
    throttle.count_api_report(client_id=client.pk, phone=data["phone"], device_id=device_id)
    notice = selectors.service_notice(complaint)
    if params.get("media_url"):
        notice += "本接口不下载 media_url 指向的图片，照片请以 media 字段直接上传。"
    item = {
        "service_request_id": complaint.reference,
        "token": link.token,
        "service_notice": notice,
        "account_id": None,
    }
    return encode("requests", [item], fmt=fmt)


def _coordinate(value: str) -> str:
    """GPS gives more decimals than the form keeps (6: about 10 cm); round, don't refuse."""
    try:
        return str(Decimal(value.strip()).quantize(Decimal("0.000001"))) if value.strip() else ""
    except (InvalidOperation, ValueError):
        return value  # the form's own error names it


def _form_data(params, service, communities) -> dict:
    attribute = {key[10:-1]: value for key, value in params.items() if key.startswith("attribute[")}
    community = attribute.get("community", "")
    if not community and communities.count() == 1:
        community_pk = communities.get().pk
    else:
        community_pk = communities.filter(slug=community).values_list("pk", flat=True).first() or (
            "invalid" if community else ""
        )
    yes = {"true", "1", "yes", "on"}
    name = f"{params.get('last_name', '').strip()}{params.get('first_name', '').strip()}"
    return {
        "kind": service.kind,
        "category": service.category.pk,
        "community": community_pk,
        "grid": "",
        "place": params.get("address_string", "").strip(),
        "latitude": _coordinate(params.get("lat", "")),
        "longitude": _coordinate(params.get("long", "")),
        "description": params.get("description", ""),
        "name": name,
        "phone": params.get("phone", ""),
        "email": params.get("email", ""),
        "notify": attribute.get("notify", "").lower() in yes,
        "allow_public": attribute.get("allow_public", "").lower() in yes,
        "consent": attribute.get("consent", "").lower() in yes,
    }


# --- the integrators' page ----------------------------------------------------------------


def docs(request):
    base = request.build_absolute_uri("/open311/v2/")
    return render(
        request, "feedback/open311/docs.html", {"base": base, "services": selectors.service_list()[:6]}
    )
