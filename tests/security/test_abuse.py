"""Rate limits and client IPs: a flood gets the Chinese 429 page, spoofing does not help."""

import os
import textwrap

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import path

from portal import urls as portal_urls
from portal.abuse import (
    check_rate,
    client_ip,
    ip_rate_key,
    parse_rate,
    peek_rate,
    rate_limit,
    ratelimited,
)

from .helpers import run_django


@ratelimited(scope="test-report", rate="3/10m")
def _report(request):
    return HttpResponse("已收到")


urlpatterns = [path("report/", _report), *portal_urls.urlpatterns]

PROXY = "10.0.0.2"  # our nginx, as seen by the app
PROXIES = ["10.0.0.0/24", "fd00::/8"]


def _request(remote_addr="198.51.100.20", forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxy_client_ip_is_the_peer_and_forwarded_header_is_ignored():
    assert client_ip(_request("198.51.100.20", forwarded="1.2.3.4")) == "198.51.100.20"


@override_settings(TRUSTED_PROXIES=PROXIES)
def test_forwarded_for_from_a_peer_outside_the_proxy_list_is_ignored():
    # A client talking to the app directly cannot pick its address (and rate-limit bucket).
    assert client_ip(_request("198.51.100.20", forwarded="1.2.3.4")) == "198.51.100.20"
    assert client_ip(_request("198.51.100.20", forwarded="10.0.0.5")) == "198.51.100.20"


@override_settings(TRUSTED_PROXIES=PROXIES)
def test_behind_a_trusted_proxy_client_ip_is_the_rightmost_untrusted_entry():
    # The client wrote "1.2.3.4, 5.6.7.8"; nginx appended the real peer 203.0.113.9.
    assert client_ip(_request(PROXY, forwarded="1.2.3.4, 5.6.7.8, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request(PROXY, forwarded="203.0.113.9")) == "203.0.113.9"
    # Two of our proxies in a row (a load balancer, then nginx): both are skipped.
    assert client_ip(_request(PROXY, forwarded="6.6.6.6, 203.0.113.9, 10.0.0.1")) == "203.0.113.9"
    assert client_ip(_request("fd00::2", forwarded="2001:db8::7, fd00::1")) == "2001:db8::7"


@override_settings(TRUSTED_PROXIES=PROXIES)
def test_behind_a_trusted_proxy_missing_or_garbage_header_falls_back_to_the_last_trusted_hop():
    assert client_ip(_request(PROXY)) == PROXY
    assert client_ip(_request(PROXY, forwarded="1.2.3.4, not-an-ip")) == PROXY
    assert client_ip(_request(PROXY, forwarded="1.2.3.4, not-an-ip, 10.0.0.9")) == "10.0.0.9"
    assert client_ip(_request(PROXY, forwarded="10.0.0.7, 10.0.0.9")) == "10.0.0.7"


def test_ipv6_clients_share_a_bucket_per_64_network():
    one = ip_rate_key(_request("2001:db8:1:2::10"))
    other = ip_rate_key(_request("2001:db8:1:2:ffff::1"))
    neighbour = ip_rate_key(_request("2001:db8:1:3::10"))
    assert one == other == "2001:db8:1:2::/64"
    assert neighbour != one
    assert ip_rate_key(_request("198.51.100.20")) == "198.51.100.20"


def test_rates_are_written_like_django_rest_framework():
    assert parse_rate("5/m") == (5, 60)
    assert parse_rate("5/10m") == (5, 600)
    assert parse_rate("100/d") == (100, 86400)
    with pytest.raises(ValueError):
        parse_rate("5 per minute")


def test_limit_counts_per_key_in_a_sliding_window():
    start = 1_700_000_000.0 - (1_700_000_000 % 60)
    verdicts = [check_rate(scope="t", key="a", limit=2, period=60, now=start + i) for i in range(3)]
    assert [v.allowed for v in verdicts] == [True, True, False]
    assert check_rate(scope="t", key="b", limit=2, period=60, now=start + 3).allowed
    assert check_rate(scope="other", key="a", limit=2, period=60, now=start + 3).allowed
    # A fixed window would start afresh at start + 60; the sliding one still remembers
    # the three hits just before it, and lets them go as they age.
    assert not peek_rate(scope="t", key="a", limit=2, period=60, now=start + 61).allowed
    assert check_rate(scope="t", key="a", limit=2, period=60, now=start + 119).allowed


def test_no_burst_of_twice_the_limit_across_a_window_boundary():
    start = 1_700_000_000.0 - (1_700_000_000 % 600)
    late = [check_rate(scope="edge", key="a", limit=5, period=600, now=start + 590).allowed for _ in range(5)]
    early = [
        check_rate(scope="edge", key="a", limit=5, period=600, now=start + 610).allowed for _ in range(5)
    ]
    assert late == [True] * 5 and early == [False] * 5


def test_retry_after_is_when_the_next_hit_gets_through():
    start = 1_700_000_000.0 - (1_700_000_000 % 60)
    for i in range(3):
        check_rate(scope="wait", key="a", limit=3, period=60, now=start + i)
    refused = check_rate(scope="wait", key="a", limit=3, period=60, now=start + 10)
    assert not refused.allowed
    # The refused hit is not counted. The three in this window are weighed as spread over
    # it: once it is the previous window, they must decay to 2 (3 × (1 − t/60) ≤ 2).
    assert refused.retry_after == (60 - 10) + 20
    later = start + 10 + refused.retry_after
    assert not peek_rate(scope="wait", key="a", limit=3, period=60, now=later - 2).allowed
    assert peek_rate(scope="wait", key="a", limit=3, period=60, now=later).allowed


def test_peeking_counts_nothing():
    for _ in range(5):
        assert peek_rate(scope="peek", key="a", limit=1, period=60).allowed
    assert check_rate(scope="peek", key="a", limit=1, period=60).allowed


def _cache_keys() -> list[str]:
    if hasattr(cache, "keys"):  # django-redis (Redis)
        return list(cache.keys("*"))
    return list(cache._cache)  # LocMem keeps a dict


def test_rate_limit_keys_do_not_store_the_ip_in_clear():
    rate_limit(scope="privacy", key="203.0.113.77", limit=5, period=60)
    keys = [key for key in _cache_keys() if "rl:privacy:" in key]
    assert len(keys) == 1, "the counter should be in the cache"
    assert "203.0.113.77" not in keys[0]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_resident_flooding_the_form_gets_chinese_429_with_retry_after(client, site):
    for _ in range(3):
        assert client.post("/report/", REMOTE_ADDR="198.51.100.20").status_code == 200
    response = client.post("/report/", REMOTE_ADDR="198.51.100.20")
    html = response.content.decode()
    assert response.status_code == 429
    assert "操作过于频繁" in html and "分钟" in html and '<html lang="zh-hans"' in html
    # At most the window's end plus a share of the next one (sliding: 600 + 600 / 3).
    assert 1 <= int(response["Retry-After"]) <= 800
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response
    # Reading the form is never counted; another resident is not affected.
    assert client.get("/report/", REMOTE_ADDR="198.51.100.20").status_code == 200
    assert client.post("/report/", REMOTE_ADDR="198.51.100.21").status_code == 200


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, TRUSTED_PROXIES=PROXIES)
def test_spoofed_forwarded_for_does_not_reset_the_count_behind_our_proxy(client, site):
    def post(spoofed_prefix):
        return client.post(
            "/report/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{spoofed_prefix}, 203.0.113.9"
        ).status_code

    assert [post(f"1.1.1.{i}") for i in range(3)] == [200, 200, 200]
    assert [post(f"9.9.9.{i}") for i in range(3)] == [429, 429, 429]
    # The real neighbour behind the same proxy still gets through.
    assert client.post("/report/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.10").status_code == 200


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, TRUSTED_PROXIES=PROXIES)
def test_a_new_forwarded_for_entry_from_outside_the_proxies_gets_no_fresh_bucket(client, site):
    codes = [
        client.post(
            "/report/", REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}"
        ).status_code
        for i in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs a shared cache: set REDIS_URL (CI: redis://127.0.0.1:6379/7); LocMem is per process",
)
def test_counts_are_shared_between_app_processes():
    code = textwrap.dedent(
        """
        from portal.abuse import check_rate
        print(",".join(str(check_rate(scope="xproc", key="203.0.113.5", limit=4, period=3600).count)
                       for _ in range(3)))
        """
    )
    env = {"DJANGO_SETTINGS_MODULE": "portal.settings.test", "REDIS_URL": os.environ["REDIS_URL"]}
    first = run_django(code, env=env).strip().splitlines()[-1]
    second = run_django(code, env=env).strip().splitlines()[-1]
    # The 5th and 6th hits are refused and not counted.
    assert (first, second) == ("1,2,3", "4,4,4")
    # And this process (the pytest one) sees the same counter.
    assert not rate_limit(scope="xproc", key="203.0.113.5", limit=4, period=3600)
