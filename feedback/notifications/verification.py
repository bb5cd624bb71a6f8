"""SMS codes that prove a resident holds a phone (我的反映), through the SMS backend.

A six-digit code lives ``CODE_SECONDS`` in the shared cache under a keyed hash of the
phone, itself only as a keyed hash; ``CODE_TRIES`` wrong answers void it. Sending is
limited per phone (``FEEDBACK_MINE_CODE_RATE_PER_PHONE``) and per client address
(``FEEDBACK_MINE_CODE_RATE_PER_IP``), after a captcha, so the form cannot be used to
flood someone's phone or run up the SMS bill.

``purpose`` keeps the codes of different sign-ins apart (我的反映 is ``"mine"``; the
participation accounts use ``"participation"``): a code sent for one never opens the other,
and each has its own limits. The code is sent at once (the resident is
waiting for it), not queued: a queued task would keep the number and code in its row.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from portal.abuse import check_rate, parse_rate

from .backends import DeliveryError, backend_for
from .models import Channel

CODE_SECONDS = 600
CODE_TRIES = 5
CODE_STEP = "code"


PURPOSE_LABELS = {"mine": "查看“我的反映”", "participation": "登录“志愿服务”"}


def _keyed(value: str, purpose: str = "mine") -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def _cache_key(phone: str, purpose: str = "mine") -> str:
    return f"feedback-{purpose}-code:{_keyed(phone, purpose)}"


@dataclass(frozen=True)
class CodeMessage:
    code: str
    step: str = CODE_STEP
    reference: str = ""
    link: str = ""
    purpose: str = "mine"

    @property
    def template(self) -> str:
        """The key of the approved template in ``NOTIFY_SMS_TEMPLATES``."""
        return self.step

    @property
    def template_params(self) -> dict[str, str]:
        return {"code": self.code}

    @property
    def text(self) -> str:
        return f"【{settings.NOTIFY_SMS_SIGN_NAME}】您{PURPOSE_LABELS[self.purpose]}的验证码为 {self.code}，10 分钟内有效。如非本人操作，请忽略。"


def send_wait(*, phone: str, ip_key: str, purpose: str = "mine") -> int:
    """Count one request for a code; seconds to wait if over a limit, else 0."""
    for scope, key, setting in (
        (f"feedback-{purpose}-code-ip", ip_key, "FEEDBACK_MINE_CODE_RATE_PER_IP"),
        (f"feedback-{purpose}-code-phone", _keyed(phone, purpose), "FEEDBACK_MINE_CODE_RATE_PER_PHONE"),
    ):
        limit, period = parse_rate(getattr(settings, setting))
        verdict = check_rate(scope=scope, key=key, limit=limit, period=period)
        if not verdict.allowed:
            return verdict.retry_after
    return 0


def send_code(*, phone: str, purpose: str = "mine") -> bool:
    """Make and send a new code; False if the provider refused or could not be reached."""
    code = f"{secrets.randbelow(10**6):06d}"
    try:
        backend_for(Channel.SMS).send(address=phone, message=CodeMessage(code=code, purpose=purpose))
    except DeliveryError:
        return False
    cache.set(_cache_key(phone, purpose), {"code": _keyed(code, purpose), "tries": 0}, CODE_SECONDS)
    return True


def check_code(*, phone: str, code: str, purpose: str = "mine") -> bool:
    """True once for the right code; a wrong one counts towards voiding it."""
    key = _cache_key(phone, purpose)
    stored = cache.get(key)
    if not stored:
        return False
    if hmac.compare_digest(stored["code"], _keyed((code or "").strip(), purpose)):
        cache.delete(key)
        return True
    stored["tries"] += 1
    if stored["tries"] >= CODE_TRIES:
        cache.delete(key)
    else:
        cache.set(key, stored, CODE_SECONDS)
    return False
