"""Rate limits of the residents' feedback forms, counted in the shared cache.

- report submission: every POST per client IP (``FEEDBACK_REPORT_RATE_PER_IP``), and
  every accepted report per phone number (``FEEDBACK_REPORT_RATE_PER_PHONE``), so one
  person cannot flood the queue from many addresses either;
- tracking look-up: only *failed* look-ups per IP count (``FEEDBACK_TRACK_MISS_RATE``);
  past the limit every look-up from that IP is refused until the window ends, so the
  10,000 possible last-four digits of a known reference cannot be tried through;
- rating: POSTs per IP (``FEEDBACK_RATING_RATE``).

Rates are read on every call so tests and operators can change them without a restart.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from portal.abuse import check_rate, ip_rate_key, parse_rate
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


def _lockout_key(request: HttpRequest) -> str:
    return (
        "feedback:track-lockout:"
        + salted_hmac("feedback.track-lockout", ip_rate_key(request)).hexdigest()[:32]
    )


def track_lockout_wait(request: HttpRequest) -> int:
    """Seconds this client is still locked out of tracking look-ups (0 if not)."""
    return int(cache.get(_lockout_key(request)) or 0)


def track_miss(request: HttpRequest) -> int:
    """Count a failed look-up; once over the limit, lock the client out for the window."""
    wait = over_limit(
        scope="feedback-track-miss", key=ip_rate_key(request), setting="FEEDBACK_TRACK_MISS_RATE"
    )
    if wait:
        cache.set(_lockout_key(request), wait, timeout=wait)
    return wait
