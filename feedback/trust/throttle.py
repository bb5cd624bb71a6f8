"""Rate limits of the residents' feedback forms, counted in the shared cache.

- report submission: every POST per client IP (``FEEDBACK_REPORT_RATE_PER_IP``), and
  every accepted report per phone number (``FEEDBACK_REPORT_RATE_PER_PHONE``), so one
  person cannot flood the queue from many addresses either;
- tracking look-up: only *failed* look-ups count, per client address
  (``FEEDBACK_TRACK_MISS_RATE``) and per reference, from all addresses together
  (``FEEDBACK_TRACK_MISS_RATE_PER_REFERENCE``). Once either is used up, every look-up
  from that address, or of that reference, is refused (even the right digits) until
  the sliding window has let enough misses go, so the 10,000 possible last-four digits
  of a known reference cannot be tried through with more addresses either. Misses of
  references that do not exist count the same, so the refusals say nothing about which
  references exist;
- rating: POSTs per IP (``FEEDBACK_RATING_RATE``);
- 我也遇到: presses per IP (``FEEDBACK_FOLLOW_RATE_PER_IP``; one per device and phone
  is the service's own rule), and similar-report look-ups of the report form per IP
  (``FEEDBACK_SIMILAR_RATE_PER_IP``).

Rates are read on every call so tests and operators can change them without a restart.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from portal.abuse import check_rate, ip_rate_key, parse_rate, peek_rate
from portal.personal_data import normalise_phone


def _limit(setting: str) -> tuple[int, int]:
    return parse_rate(getattr(settings, setting))


def over_limit(*, scope: str, key: str, setting: str) -> int:
    """Count one hit; the seconds to wait if it went over the limit, else 0."""
    limit, period = _limit(setting)
    verdict = check_rate(scope=scope, key=key, limit=limit, period=period)
    return 0 if verdict.allowed else verdict.retry_after


def report_ip_wait(request: HttpRequest) -> int:
    return over_limit(
        scope="feedback-report-ip", key=ip_rate_key(request), setting="FEEDBACK_REPORT_RATE_PER_IP"
    )


def report_phone_wait(phone: str) -> int:
    return over_limit(
        scope="feedback-report-phone", key=normalise_phone(phone), setting="FEEDBACK_REPORT_RATE_PER_PHONE"
    )


def rating_wait(request: HttpRequest) -> int:
    return over_limit(scope="feedback-rate", key=ip_rate_key(request), setting="FEEDBACK_RATING_RATE")


def follow_wait(request: HttpRequest) -> int:
    return over_limit(
        scope="feedback-follow", key=ip_rate_key(request), setting="FEEDBACK_FOLLOW_RATE_PER_IP"
    )


def similar_wait(request: HttpRequest) -> int:
    return over_limit(
        scope="feedback-similar", key=ip_rate_key(request), setting="FEEDBACK_SIMILAR_RATE_PER_IP"
    )


@dataclass(frozen=True)
class TrackRefusal:
    wait: int  # seconds
    by_reference: bool  # the reference is locked (else the address)


_TRACK_LIMITS = (
    ("feedback-track-miss", "FEEDBACK_TRACK_MISS_RATE", False),
    ("feedback-track-miss-reference", "FEEDBACK_TRACK_MISS_RATE_PER_REFERENCE", True),
)


def _track_keys(request: HttpRequest, reference: str | None):
    for scope, setting, by_reference in _TRACK_LIMITS:
        if by_reference and reference is None:
            continue
        limit, period = _limit(setting)
        yield scope, reference if by_reference else ip_rate_key(request), limit, period, by_reference


def track_refusal(request: HttpRequest, *, reference: str | None = None) -> TrackRefusal | None:
    """Whether a look-up from this client (and of this normalised ``reference``) is
    refused now, without counting anything."""
    for scope, key, limit, period, by_reference in _track_keys(request, reference):
        verdict = peek_rate(scope=scope, key=key, limit=limit, period=period)
        if not verdict.allowed:
            return TrackRefusal(wait=verdict.retry_after, by_reference=by_reference)
    return None


def track_miss(request: HttpRequest, *, reference: str) -> TrackRefusal | None:
    """Count a failed look-up against the address and the reference; the refusal if
    that went over either limit."""
    refusal = None
    for scope, key, limit, period, by_reference in _track_keys(request, reference):
        verdict = check_rate(scope=scope, key=key, limit=limit, period=period)
        if not verdict.allowed and refusal is None:
            refusal = TrackRefusal(wait=verdict.retry_after, by_reference=by_reference)
    return refusal
