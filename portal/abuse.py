"""Abuse protection primitives: client IP, rate limits, honeypot, minimum fill time, captcha.

How a view adopts each piece::

    # forms.py — honeypot field + signed "form shown at" timestamp, both checked in clean()
    from portal.abuse import AbuseProtectedForm, PortalCaptchaField

    class ReportForm(AbuseProtectedForm):            # or (AbuseProtectedForm, forms.ModelForm)
        content = forms.CharField(label="反映内容", widget=forms.Textarea)
        captcha = PortalCaptchaField()

    # views.py — at most 5 submissions per 10 minutes per client; GETs are never counted
    from portal.abuse import ratelimited

    @ratelimited(scope="feedback-report", rate="5/10m")
    def report(request): ...

    # class-based view / Wagtail page serve():
    #   @method_decorator(ratelimited(scope="feedback-evaluate", rate="10/h"), name="dispatch")

    # counting by hand (e.g. only failed look-ups count), then the Chinese 429 page
    from portal.abuse import ip_rate_key, rate_limit, too_many_requests

    if not rate_limit(scope="track-miss", key=ip_rate_key(request), limit=20, period=3600):
        return too_many_requests(request, retry_after=3600)

    # or show the form again, with what was typed, as the 429 (Retry-After, never cached)
    return refused(render(request, "form.html", {"form": form}), retry_after=wait)

    # tests: post the protection fields of a form shown a minute ago
    client.post(url, {**data, **ReportForm.protection_data()})

Counters live in the default cache (``cache.add`` + ``cache.incr``), in sliding windows:
atomic on Redis, so they hold across app processes when ``REDIS_URL`` is set; LocMem
works for one process. Settings: ``TRUSTED_PROXIES`` (addresses or CIDRs of our own
reverse proxies, whose X-Forwarded-For alone is read; empty in development),
``ABUSE_FORM_MIN_SECONDS`` and ``ABUSE_FORM_MAX_AGE`` (seconds).
"""

from __future__ import annotations

import functools
import ipaddress
import math
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac

# --- Client IP ---------------------------------------------------------------------------


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


@functools.cache
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def trusted_proxy_networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """``TRUSTED_PROXIES`` (addresses or CIDRs of our own reverse proxies) as networks."""
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _is_trusted(address: str, networks) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip.version == network.version and ip in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The address of the client: the rightmost address not belonging to our own proxies.

    X-Forwarded-For is read only when the peer (``REMOTE_ADDR``) is one of
    ``TRUSTED_PROXIES``; anyone else's header is ignored, so a client talking to the app
    directly cannot pick its own rate-limit bucket. Each proxy appends the address it
    received the connection from, so walking the header from the right, past our own
    proxies, the first other address is the one our outermost proxy saw. Entries to its
    left were written by the client and are never read. A garbage entry stops the walk:
    the client is then the last of our proxies that we could still vouch for.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104
    networks = trusted_proxy_networks()
    if not networks or not _is_trusted(remote, networks):
        return remote
    client = remote
    for part in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not part.strip():
            continue
        address = _valid_ip(part)
        if address is None:
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return client


def ip_rate_key(request: HttpRequest) -> str:
    """Rate-limit key for a client: its IPv4 address, or its IPv6 /64 network.

    One IPv6 subscriber usually owns a whole /64 and can rotate addresses inside it.
    """
    address = ipaddress.ip_address(client_ip(request))
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


# --- Rate limiting -----------------------------------------------------------------------

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE_RE = re.compile(r"^(\d+)/(\d*)([smhd])$")


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/10m"`` → (5, 600): at most 5 hits per 600 seconds."""
    match = _RATE_RE.match(rate.strip())
    if not match:
        raise ValueError(f"Bad rate {rate!r}; use e.g. '5/m', '20/h', '5/10m'.")
    limit, multiplier, unit = match.groups()
    return int(limit), int(multiplier or 1) * _PERIODS[unit]


@dataclass(frozen=True)
class RateVerdict:
    allowed: bool
    count: int  # hits in the sliding window (weighted estimate, rounded up)
    retry_after: int  # seconds until one more hit would be within the limit


def _keys(scope: str, key: str, period: int, window: int) -> tuple[str, str]:
    digest = salted_hmac("portal.abuse.rate", key).hexdigest()[:32]
    return f"rl:{scope}:{period}:{window}:{digest}", f"rl:{scope}:{period}:{window - 1}:{digest}"


def _sliding(previous: int, current: int, *, limit: int, period: int, elapsed: float) -> tuple[float, int]:
    """The weighted count and the seconds until it drops to ``limit - 1`` or below.

    Two-window estimate (as Cloudflare's and nginx's limiters): the previous fixed
    window's count weighs by the part of it still inside the sliding window.
    """
    weight = 1 - elapsed / period
    estimate = previous * weight + current
    target = limit - 1
    if estimate <= target:
        return estimate, 0
    if current <= target:
        # The previous window's share decays below what is left.
        wait = period * (1 - (target - current) / previous) - elapsed
    else:
        # Not before the current window has become the previous one and decayed.
        wait = (period - elapsed) + period * (1 - target / current)
    return estimate, max(1, math.ceil(wait))


def _counts(scope: str, key: str, period: int, now: float) -> tuple[str, int, int, float]:
    window = int(now // period)
    current_key, previous_key = _keys(scope, key, period, window)
    values = cache.get_many([current_key, previous_key])
    return (
        current_key,
        int(values.get(previous_key) or 0),
        int(values.get(current_key) or 0),
        now - window * period,
    )


def peek_rate(*, scope: str, key: str, limit: int, period: int, now: float | None = None) -> RateVerdict:
    """Whether one more hit for ``key`` would be within ``limit`` per sliding ``period``,
    without counting one (e.g. refuse a look-up up front, count only failed ones)."""
    now = time.time() if now is None else now
    _, previous, current, elapsed = _counts(scope, key, period, now)
    estimate, wait = _sliding(previous, current, limit=limit, period=period, elapsed=elapsed)
    return RateVerdict(allowed=wait == 0, count=math.ceil(estimate), retry_after=wait)


def check_rate(*, scope: str, key: str, limit: int, period: int, now: float | None = None) -> RateVerdict:
    """Count one hit for ``key`` in ``scope`` and say whether it is within ``limit`` per ``period``.

    A sliding window (two-window weighted counter): no burst of 2 × ``limit`` across a
    window boundary, as fixed windows allow, and two counters per key in the shared
    cache (``cache.add`` + ``cache.incr``, atomic on Redis, so it holds across app
    processes; LocMem works for one process). Each window's key is aligned to the
    epoch, so every process agrees on it. The key is hashed (with SECRET_KEY), so no
    address or reference is stored in the cache in clear.
    """
    now = time.time() if now is None else now
    current_key, previous, _, elapsed = _counts(scope, key, period, now)
    # The counter must outlive the next window too, which reads it as "previous".
    cache.add(current_key, 0, timeout=2 * period + 60)
    try:
        current = cache.incr(current_key)
    except ValueError:  # evicted between add() and incr()
        cache.add(current_key, 1, timeout=2 * period + 60)
        current = 1
    estimate, _ = _sliding(previous, current, limit=limit, period=period, elapsed=elapsed)
    if estimate <= limit:
        return RateVerdict(allowed=True, count=math.ceil(estimate), retry_after=0)
    # A refused hit is taken back (atomically, as it was counted), so hammering on
    # does not push the wait further out: the allowance is ``limit`` per period either way.
    try:
        current = cache.decr(current_key)
    except ValueError:
        current = max(0, current - 1)
    estimate, wait = _sliding(previous, current, limit=limit, period=period, elapsed=elapsed)
    return RateVerdict(allowed=False, count=math.ceil(estimate), retry_after=wait)


def rate_limit(*, scope: str, key: str, limit: int, period: int) -> bool:
    """Count one hit; True while the caller is within ``limit`` hits per ``period`` seconds."""
    return check_rate(scope=scope, key=key, limit=limit, period=period).allowed


def too_many_requests(request: HttpRequest, *, retry_after: int, reason: str = "") -> HttpResponse:
    """The Chinese 429 page, with a Retry-After header; ``reason`` replaces the usual
    explanation (a limit per network) when another limit applies."""
    minutes = max(1, -(-retry_after // 60))
    response = render(request, "429.html", {"retry_minutes": minutes, "reason": reason})
    return refused(response, retry_after=retry_after)


def refused(response: HttpResponse, *, retry_after: int) -> HttpResponse:
    """Make ``response`` a 429 with Retry-After: e.g. a form shown again, with what was
    typed and the reason, instead of a page that loses the text."""
    response.status_code = 429
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)  # a 429 is for this client only, and only for now
    return response


def ratelimited(
    *,
    scope: str,
    rate: str,
    key: Callable[[HttpRequest], str] = ip_rate_key,
    methods: tuple[str, ...] = ("POST",),
):
    """View decorator: answer 429 once ``key(request)`` exceeds ``rate`` in ``scope``.

    Only ``methods`` are counted (POST by default), so reading a form never uses up the
    allowance for sending it.
    """
    limit, period = parse_rate(rate)

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                verdict = check_rate(scope=scope, key=key(request), limit=limit, period=period)
                if not verdict.allowed:
                    return too_many_requests(request, retry_after=verdict.retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# --- Honeypot and minimum fill time ------------------------------------------------------

_SIGNER_SALT = "portal.abuse.form-started"
HONEYPOT_LABEL = "此项用于识别自动程序，请勿填写"
REJECTED_MESSAGE = "提交未通过安全检查，请刷新页面后重新填写。"
TOO_FAST_MESSAGE = "您提交得太快了，请核对填写的内容后再次提交。"
EXPIRED_MESSAGE = "页面打开时间过长，请核对填写的内容后再次提交。"


class HoneypotInput(forms.TextInput):
    """A text box humans never see: wrapped in a visually hidden, aria-hidden block with its
    own Chinese label (shown if the stylesheet fails to load), skipped by Tab and autofill.

    ``is_hidden`` puts it among ``form.hidden_fields()``, so templates that render visible
    fields with labels and hidden fields bare, and ``{{ form }}``, all render it correctly.
    """

    template_name = "portal/abuse/honeypot.html"
    is_hidden = True

    def __init__(self):
        super().__init__(attrs={"autocomplete": "off", "tabindex": "-1"})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["label"] = HONEYPOT_LABEL
        return context


def sign_form_start(*, issued_at: float | None = None) -> str:
    issued_at = time.time() if issued_at is None else issued_at
    return signing.TimestampSigner(salt=_SIGNER_SALT).sign(f"{issued_at:.3f}")


class AbuseProtectedForm(forms.Form):
    """Adds a honeypot and a signed "form shown at" time; rejects bots in ``clean()``.

    Errors are form-wide (``non_field_errors``) because both fields are invisible; the
    typed data stays in the bound form. A missing, forged or expired timestamp is replaced
    by a fresh one, so a human who re-submits after reading the error gets through.
    """

    website = forms.CharField(required=False, label=HONEYPOT_LABEL, widget=HoneypotInput())
    form_started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_started"].initial = sign_form_start()

    @classmethod
    def protection_data(cls, *, seconds_ago: float = 60, prefix: str | None = None) -> dict[str, str]:
        """POST data for both fields as a human who opened the form ``seconds_ago`` would send."""
        name = f"{prefix}-form_started" if prefix else "form_started"
        honeypot = f"{prefix}-website" if prefix else "website"
        return {name: sign_form_start(issued_at=time.time() - seconds_ago), honeypot: ""}

    def _restart_clock(self) -> None:
        if hasattr(self.data, "_mutable"):
            self.data = self.data.copy()
        else:
            self.data = dict(self.data)
        self.data[self.add_prefix("form_started")] = sign_form_start()

    def clean(self):
        cleaned = super().clean()
        if self.cleaned_data.get("website"):
            self.add_error(None, REJECTED_MESSAGE)
            return cleaned
        min_seconds = float(getattr(settings, "ABUSE_FORM_MIN_SECONDS", 3))
        max_age = int(getattr(settings, "ABUSE_FORM_MAX_AGE", 24 * 3600))
        token = self.cleaned_data.get("form_started") or ""
        try:
            issued_at = float(signing.TimestampSigner(salt=_SIGNER_SALT).unsign(token, max_age=max_age))
        except signing.SignatureExpired:
            self._restart_clock()
            self.add_error(None, EXPIRED_MESSAGE)
            return cleaned
        except (signing.BadSignature, ValueError):
            self._restart_clock()
            self.add_error(None, REJECTED_MESSAGE)
            return cleaned
        if time.time() - issued_at < min_seconds:
            self.add_error(None, TOO_FAST_MESSAGE)
        return cleaned


# --- Captcha -----------------------------------------------------------------------------

# Digits only: phone keyboards in Chinese input mode reach them without switching to Latin
# letters, and ``inputmode=numeric`` brings up a large keypad. 0 and 1 are left out (they
# read as O, I, l); 8**5 = 32,768 answers, each captcha single-use.
CAPTCHA_ALPHABET = "23456789"


def captcha_challenge() -> tuple[str, str]:
    """``CAPTCHA_CHALLENGE_FUNCT``: (text drawn in the image, expected answer)."""
    rng = random.SystemRandom()
    text = "".join(rng.choice(CAPTCHA_ALPHABET) for _ in range(int(settings.CAPTCHA_LENGTH)))
    return text, text


class PortalCaptchaInput(CaptchaTextInput):
    """The captcha with a Chinese alt text and hint, and a numeric keypad on phones."""

    template_name = "portal/abuse/captcha.html"

    def __init__(self):
        super().__init__(attrs={"inputmode": "numeric", "pattern": "[0-9]*", "maxlength": "8"})

    # What only a typed answer may carry: on the hidden key input they are invalid HTML.
    TYPED_ONLY = ("pattern", "maxlength", "required", "inputmode", "autocomplete", "aria-describedby")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for sub in context["widget"]["subwidgets"]:
            if sub.get("type") == "hidden":
                sub["attrs"] = {k: v for k, v in sub["attrs"].items() if k not in self.TYPED_ONLY}
        context["length"] = settings.CAPTCHA_LENGTH
        return context


# Expired captchas are swept by each process at most this often, not on every answer
# (the library's way: a scan of the whole table in every submission).
CAPTCHA_SWEEP_SECONDS = 60
_next_sweep = 0.0


def _delete(rows) -> int:
    """DELETE these captcha rows; one statement, as captchas have no relations and no
    delete receivers (Django's fast path). The count says whether a row matched."""
    deleted, _ = rows.delete()
    return deleted


def sweep_expired_captchas(*, now: float | None = None) -> None:
    global _next_sweep
    now = time.monotonic() if now is None else now
    if now < _next_sweep:
        return
    _next_sweep = now + CAPTCHA_SWEEP_SECONDS
    _delete(CaptchaStore.objects.filter(expiration__lte=timezone.now()))


def take_captcha(hashkey: str, answer: str) -> bool:
    """Use up the captcha ``hashkey``; True if it was unexpired and ``answer`` is right.

    One statement for the usual case, so two submissions racing with one captcha cannot
    both pass; a wrong answer uses it up too (one try per image).
    """
    store = CaptchaStore.objects.filter(hashkey=hashkey)
    if settings.CAPTCHA_TEST_MODE and answer == "passed":  # tests and the load benchmark only
        _delete(store)
        return True
    if answer and _delete(store.filter(response=answer, expiration__gt=timezone.now())):
        return True
    _delete(store)
    return False


class PortalCaptchaField(CaptchaField):
    """django-simple-captcha's field, checked by :func:`take_captcha`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "验证码")
        kwargs.setdefault("widget", PortalCaptchaInput())
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": "验证码不正确，请按新图片中的数字重新输入。",
                "required": "请输入图片中的数字验证码。",
                "incomplete": "请输入图片中的数字验证码。",
            },
        )
        super().__init__(**kwargs)

    def clean(self, value):
        forms.MultiValueField.clean(self, value)  # "required" and "incomplete", as the library
        hashkey, answer = value[0], (value[1] or "").strip().lower()
        value[1] = ""  # never shown again: a new image comes with the form
        sweep_expired_captchas()
        if not take_captcha(hashkey, answer):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value
