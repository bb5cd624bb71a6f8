"""Guessing a tracking code: misses are limited per device, per address and per reference, in
sliding windows, and only our own proxies may say who the client is."""

import re

import pytest

from feedback.trust.throttle import TRACK_REFERENCE_LOCKED
from portal import abuse

from .feedback_fixtures import *  # noqa: F403
from .feedback_fixtures import TRACK, lookup_data

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"


def _guess(client, reference, last4, **meta):
    return client.post(TRACK, lookup_data(reference, last4), **meta)


def _guess_without_cookie(client, reference, last4, **meta):
    """A guesser who drops the device cookie: counted per address (cookie-less bucket)."""
    client.cookies.clear()
    return _guess(client, reference, last4, **meta)


def test_one_reference_cannot_be_guessed_from_many_addresses(client, site, complaint, settings):
    settings.FEEDBACK_TRACK_MISS_RATE = "10/h"
    settings.FEEDBACK_TRACK_MISS_RATE_PER_REFERENCE = "4/d"
    codes = [
        _guess(client, complaint.reference, f"{i:04d}", REMOTE_ADDR=f"203.0.113.{i}").status_code
        for i in range(6)
    ]
    assert codes == [200, 200, 200, 200, 429, 429]
    # Locked for everybody, even with the right digits and from a fresh address.
    right = _guess(client, complaint.reference.lower(), "5678", REMOTE_ADDR="198.51.100.77")
    html = right.content.decode()
    assert right.status_code == 429 and TRACK_REFERENCE_LOCKED in html and "查询链接" in html
    # The day's window ends at a fixed hour: today's time, or another day's date and time.
    assert re.search(r"请于 <strong>(\d+月\d+日 )?\d\d:\d\d</strong>", html)
    assert complaint.tracking_token not in html
    assert 3600 < int(right["Retry-After"]) <= 86400 + 86400 // 4


def test_a_locked_reference_does_not_lock_other_references(client, site, complaint, settings):
    settings.FEEDBACK_TRACK_MISS_RATE_PER_REFERENCE = "2/d"
    for i in range(2):
        _guess(client, "20260101-ZZZZ", f"{i:04d}", REMOTE_ADDR=f"203.0.113.{i}")
    assert _guess(client, "20260101-ZZZZ", "0009", REMOTE_ADDR="203.0.113.9").status_code == 429
    # Misses of a reference that does not exist count like any other: nothing tells them apart.
    assert _guess(client, complaint.reference, "5678", REMOTE_ADDR="203.0.113.1").status_code == 302


def test_address_limit_slides_over_the_hour_boundary(client, site, complaint, settings, monkeypatch):
    settings.FEEDBACK_TRACK_MISS_RATE = "3/h"
    hour = 1_800_000_000 - (1_800_000_000 % 3600)
    clock = {"now": hour + 3590.0}
    monkeypatch.setattr(abuse.time, "time", lambda: clock["now"])
    ip = {"REMOTE_ADDR": "198.51.100.9"}
    assert [_guess(client, f"20260101-ZZZ{i}", "0000", **ip).status_code for i in range(3, 6)] == [200] * 3
    clock["now"] = hour + 3600 + 30  # a fixed window aligned to the clock would start afresh here
    assert _guess(client, complaint.reference, "5678", **ip).status_code == 429
    clock["now"] = hour + 3600 + 1300  # the misses have mostly aged out of the last hour
    assert _guess(client, complaint.reference, "5678", **ip).status_code == 302


def test_forwarded_for_is_read_only_from_our_proxies(client, site, complaint, settings):
    settings.FEEDBACK_TRACK_MISS_RATE = "2/h"
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    # Straight to the app: a new X-Forwarded-For each time gets no fresh bucket.
    direct = [
        _guess_without_cookie(
            client,
            f"20260101-ZZZ{i}",
            "0000",
            REMOTE_ADDR="198.51.100.20",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        ).status_code
        for i in range(2, 6)
    ]
    assert direct == [200, 200, 429, 429]
    # Through our proxy: the rightmost untrusted address counts, the client-written ones do not.
    via_proxy = [
        _guess_without_cookie(
            client,
            f"20260101-YYY{i}",
            "0000",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"1.1.1.{i}, 203.0.113.50, 10.0.0.3",
        ).status_code
        for i in range(2, 6)
    ]
    assert via_proxy == [200, 200, 429, 429]
    neighbour = _guess(
        client, complaint.reference, "5678", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.51"
    )
    assert neighbour.status_code == 302
