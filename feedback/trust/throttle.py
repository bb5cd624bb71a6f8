"""Rate limits of the residents' feedback forms, fair to shared networks.

A community centre's Wi-Fi or a carrier's shared address (CGNAT) puts many honest
residents behind one address, so the address alone never refuses early. What refuses
is the sender: the phone number and the device (``devices``: a random id in a signed
cookie). The address only steps up, and refuses at a much higher bound.

Report submission (``report_*``):

- every POST counts against the address's hard bound (``FEEDBACK_REPORT_HARD_RATE_PER_IP``);
  past it, refused;
- a POST without the device cookie also counts in the address's cookie-less bucket
  (``FEEDBACK_REPORT_RATE_PER_IP``); past it, refused, so dropping the cookie buys
  nothing (the answer sets one, so a browser that keeps cookies just sends again);
- once an address has had ``FEEDBACK_REPORT_RATE_PER_IP`` accepted reports in the
  window (its soft limit), each further report steps up: it needs a step-up token
  bound to the device, shown with the form at least ``FEEDBACK_REPORT_STEP_UP_SECONDS``
  before, and a fresh captcha (every form shows a new one). A form opened before the
  address went over comes back once with the token and a new captcha;
- accepted reports count per phone (``FEEDBACK_REPORT_RATE_PER_PHONE``) and per device
  (``FEEDBACK_REPORT_RATE_PER_DEVICE``); past either, refused: that is what stops one
  abuser, while neighbours with their own phones get through.

Tracking look-ups: only *failed* look-ups count, per device (``FEEDBACK_TRACK_MISS_RATE``;
a look-up without the cookie also in its address's cookie-less bucket at that rate), per
address at a much higher bound (``FEEDBACK_TRACK_MISS_HARD_RATE_PER_IP``), and per
reference from all addresses together (``FEEDBACK_TRACK_MISS_RATE_PER_REFERENCE``).
One person guessing locks their own device out, not the neighbours behind the address;
once a limit is used up every look-up under it is refused (even the right digits), so
the 10,000 possible last-four digits cannot be tried through. Misses of references that
do not exist count the same, so refusals say nothing about which references exist.

Rating: POSTs per address (``FEEDBACK_RATING_RATE``; behind the 192-bit tracking token).

我也遇到: presses per address (``FEEDBACK_FOLLOW_RATE_PER_IP``; one per device and phone is
the service's own rule), and the report form's similar-report look-ups per address
(``FEEDBACK_SIMILAR_RATE_PER_IP``).

议事协商 (``feedback.deliberation``): 附议 presses per address
(``DELIBERATION_SUPPORT_RATE_PER_IP``; one per device and phone is the service's rule),
proposals per device (``DELIBERATION_PROPOSE_RATE_PER_DEVICE``) besides the captcha, and
objections per address (``DELIBERATION_OBJECTION_RATE_PER_IP``).

Open311 (``feedback.open311``): the caller is an integrator's server, so addresses say
nothing; every call counts per API key (``OPEN311_RATE_PER_KEY``), accepted reports per
key (``OPEN311_REPORT_RATE_PER_KEY``), per phone (the form's own bucket,
``FEEDBACK_REPORT_RATE_PER_PHONE``: one resident gets no more through the API) and per
key and ``device_id`` (``FEEDBACK_REPORT_RATE_PER_DEVICE``).

Rates are read on every call so tests and operators can change them without a restart.
"""

import math
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from portal.abuse import check_rate, ip_rate_key, parse_rate, peek_rate
from portal.personal_data import normalise_phone

from .devices import device_of

TRACK_REFERENCE_LOCKED = (
    "这个反映编号的查询错误次数过多，为保护反映人的信息，暂停按编号和手机号后 4 位查询。"
    "您可以使用提交时获得的查询链接查看进度。"
)
REPORT_REFUSED = {
    "address": "您所在的网络（如社区、单位的 Wi-Fi）近期提交的反映过多。",
    "cookieless": "您的浏览器没有保存本网站的安全 Cookie，同一网络中这样的提交已达上限。"
    "允许 Cookie 后可以直接再次提交。",
    "phone": "这个手机号近期提交的反映较多。",
    "device": "您在这台设备上近期提交的反映较多。",
    "key": "这个接口密钥近期提交的反映过多。",
}
TRACK_REFUSED = {
    "address": "您所在的网络近期查询错误的次数过多。",
    "cookieless": "您的浏览器没有保存本网站的安全 Cookie，同一网络中这样的查询错误次数已达上限。",
    "device": "您在这台设备上查询错误的次数过多。",
    "reference": TRACK_REFERENCE_LOCKED,
}


@dataclass(frozen=True)
class Refusal:
    wait: int  # seconds
    by: str  # which limit: address, cookieless, phone, device, reference
    reason: str  # what is limited, in Chinese

    @property
    def by_reference(self) -> bool:
        return self.by == "reference"

    @property
    def retry_at(self) -> str:
        """When to try again, Beijing time: "14:05" today, "12月3日 14:05" on another day."""
        now = timezone.localtime()
        at = timezone.localtime(now + timedelta(seconds=self.wait))
        return f"{at:%H:%M}" if at.date() == now.date() else f"{at.month}月{at.day}日 {at:%H:%M}"

    @property
    def retry_minutes(self) -> int:
        return max(1, -(-self.wait // 60))


def _limit(setting: str) -> tuple[int, int]:
    return parse_rate(getattr(settings, setting))


def _verdict(scope: str, key: str, setting: str, *, count: bool):
    limit, period = _limit(setting)
    rate = check_rate if count else peek_rate
    return rate(scope=scope, key=key, limit=limit, period=period)


def _first_refusal(buckets, messages: dict, *, count: bool) -> Refusal | None:
    """Check (or, with ``count``, count) each ``(by, scope, key, setting)``; the first refusal.

    When counting, every bucket is counted even after one refused, as each hit is real.
    """
    refusal = None
    for by, scope, key, setting in buckets:
        verdict = _verdict(scope, key, setting, count=count)
        if not verdict.allowed and refusal is None:
            refusal = Refusal(wait=verdict.retry_after, by=by, reason=messages[by])
    return refusal


def _address_buckets(request: HttpRequest, prefix: str, hard: str, cookieless: str):
    address = ip_rate_key(request)
    yield "address", f"{prefix}-ip-hard", address, hard
    if device_of(request).new:
        yield "cookieless", f"{prefix}-ip-cookieless", address, cookieless


# --- Reports -------------------------------------------------------------------------------


def report_refusal(request: HttpRequest) -> Refusal | None:
    """Count this report POST against its address; the refusal if past the hard bound,
    or past the cookie-less bucket for a POST without the device cookie."""
    buckets = _address_buckets(
        request, "feedback-report", "FEEDBACK_REPORT_HARD_RATE_PER_IP", "FEEDBACK_REPORT_RATE_PER_IP"
    )
    return _first_refusal(buckets, REPORT_REFUSED, count=True)


def _sender_buckets(request: HttpRequest, phone: str):
    yield "phone", "feedback-report-phone", normalise_phone(phone), "FEEDBACK_REPORT_RATE_PER_PHONE"
    yield "device", "feedback-report-device", device_of(request).id, "FEEDBACK_REPORT_RATE_PER_DEVICE"


def report_sender_refusal(request: HttpRequest, *, phone: str) -> Refusal | None:
    """Whether the phone or the device has used up its reports (counts nothing)."""
    return _first_refusal(_sender_buckets(request, phone), REPORT_REFUSED, count=False)


def count_report(request: HttpRequest, *, phone: str) -> None:
    """Count an accepted report against its phone, its device and its address's soft limit."""
    _first_refusal(_sender_buckets(request, phone), REPORT_REFUSED, count=True)
    _verdict("feedback-report-ip", ip_rate_key(request), "FEEDBACK_REPORT_RATE_PER_IP", count=True)


def _wait(scope: str, key: str, setting: str) -> int:
    """Count one hit; the seconds to wait if it went over the limit, else 0."""
    verdict = _verdict(scope, key, setting, count=True)
    return 0 if verdict.allowed else verdict.retry_after


def follow_wait(request: HttpRequest) -> int:
    return _wait("feedback-follow", ip_rate_key(request), "FEEDBACK_FOLLOW_RATE_PER_IP")


def similar_wait(request: HttpRequest) -> int:
    return _wait("feedback-similar", ip_rate_key(request), "FEEDBACK_SIMILAR_RATE_PER_IP")


_STEP_UP_SALT = "feedback.step-up"


@dataclass(frozen=True)
class StepUp:
    """The address is over its soft limit: the report needs this device's step-up token,
    at least ``FEEDBACK_REPORT_STEP_UP_SECONDS`` old."""

    token: str  # to render with the form (the posted one while it is valid)
    wait: int  # seconds before it is accepted; 0 once it is
    posted: bool  # the POST carried a valid token (so the resident has seen the step-up)

    @property
    def passed(self) -> bool:
        return self.posted and self.wait == 0


def _device_digest(request: HttpRequest) -> str:
    # The token sits in the page, the device id only in an HttpOnly cookie: keep it there.
    return salted_hmac(_STEP_UP_SALT, device_of(request).id).hexdigest()[:24]


def _new_token(request: HttpRequest) -> str:
    return signing.dumps({"device": _device_digest(request), "at": time.time()}, salt=_STEP_UP_SALT)


def report_step_up(request: HttpRequest, *, posted_token: str = "") -> StepUp | None:
    """None while the address is within its soft limit; else the step-up state."""
    verdict = _verdict("feedback-report-ip", ip_rate_key(request), "FEEDBACK_REPORT_RATE_PER_IP", count=False)
    if verdict.allowed:
        return None
    seconds = int(settings.FEEDBACK_REPORT_STEP_UP_SECONDS)
    try:
        token = signing.loads(posted_token, salt=_STEP_UP_SALT, max_age=settings.ABUSE_FORM_MAX_AGE)
        issued_at = float(token["at"]) if token["device"] == _device_digest(request) else None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        issued_at = None
    if issued_at is None:
        return StepUp(token=_new_token(request), wait=seconds, posted=False)
    return StepUp(token=posted_token, wait=max(0, math.ceil(issued_at + seconds - time.time())), posted=True)


# --- Tracking look-ups ---------------------------------------------------------------------


def _track_buckets(request: HttpRequest, reference: str | None):
    yield from _address_buckets(
        request, "feedback-track-miss", "FEEDBACK_TRACK_MISS_HARD_RATE_PER_IP", "FEEDBACK_TRACK_MISS_RATE"
    )
    yield "device", "feedback-track-miss-device", device_of(request).id, "FEEDBACK_TRACK_MISS_RATE"
    if reference is not None:
        yield (
            "reference",
            "feedback-track-miss-reference",
            reference,
            "FEEDBACK_TRACK_MISS_RATE_PER_REFERENCE",
        )


def track_refusal(request: HttpRequest, *, reference: str | None = None) -> Refusal | None:
    """Whether a look-up from this device and address (and of this normalised
    ``reference``) is refused now, without counting anything."""
    return _first_refusal(_track_buckets(request, reference), TRACK_REFUSED, count=False)


def track_miss(request: HttpRequest, *, reference: str) -> Refusal | None:
    """Count a failed look-up in every bucket; the refusal if that went over any."""
    return _first_refusal(_track_buckets(request, reference), TRACK_REFUSED, count=True)


# --- Ratings -------------------------------------------------------------------------------


def rating_wait(request: HttpRequest) -> int:
    return _wait("feedback-rate", ip_rate_key(request), "FEEDBACK_RATING_RATE")


# --- 议事协商 ------------------------------------------------------------------------------


def deliberation_support_wait(request: HttpRequest) -> int:
    return _wait("delib-support", ip_rate_key(request), "DELIBERATION_SUPPORT_RATE_PER_IP")


def deliberation_propose_wait(request: HttpRequest) -> int:
    return _wait("delib-propose", device_of(request).id, "DELIBERATION_PROPOSE_RATE_PER_DEVICE")


def deliberation_objection_wait(request: HttpRequest) -> int:
    return _wait("delib-object", ip_rate_key(request), "DELIBERATION_OBJECTION_RATE_PER_IP")


# --- Open311 API ---------------------------------------------------------------------------

API_CALLS_REFUSED = "这个接口密钥近期的请求过多。"
API_PUBLIC_CALLS_REFUSED = "您所在网络近期不带密钥的查询过多。"


def api_call_wait(*, client_id: int) -> int:
    """Count one API call of the key; the seconds to wait if it went over, else 0."""
    return _wait("open311-call", str(client_id), "OPEN311_RATE_PER_KEY")


def api_public_call_wait(request: HttpRequest) -> int:
    """Count one keyless read (public reports only) of the address; seconds to wait, else 0."""
    return _wait("open311-public", ip_rate_key(request), "OPEN311_PUBLIC_RATE_PER_IP")


def _api_report_buckets(*, client_id: int, phone: str, device_id: str):
    yield "key", "open311-report-key", str(client_id), "OPEN311_REPORT_RATE_PER_KEY"
    yield "phone", "feedback-report-phone", normalise_phone(phone), "FEEDBACK_REPORT_RATE_PER_PHONE"
    if device_id:
        yield "device", "open311-report-device", f"{client_id}:{device_id}", "FEEDBACK_REPORT_RATE_PER_DEVICE"


def api_report_refusal(*, client_id: int, phone: str, device_id: str = "") -> Refusal | None:
    """Whether the key, the phone or the client's device has used up its reports (counts nothing)."""
    buckets = _api_report_buckets(client_id=client_id, phone=phone, device_id=device_id)
    return _first_refusal(buckets, REPORT_REFUSED, count=False)


def count_api_report(*, client_id: int, phone: str, device_id: str = "") -> None:
    _first_refusal(
        _api_report_buckets(client_id=client_id, phone=phone, device_id=device_id), REPORT_REFUSED, count=True
    )
