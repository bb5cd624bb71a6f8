"""Aliyun 短信服务 (Dysmsapi 2017-05-25) ``SendSms`` over its documented RPC HTTP API.

A POST of form fields signed with the RPC signature (version 1.0, HMAC-SHA1): the sorted
parameters, each RFC 3986 percent-encoded, make the canonical query; the string to sign
is ``POST&%2F&`` + its encoding; the key is the AccessKey secret plus ``&``. The answer is
JSON, ``Code`` ``OK`` with a ``BizId`` on success. Standard library only (the official SDK
brings a dozen packages for one call). The phone is in the POST body, never the URL.

Settings (from the environment): ``ALIYUN_SMS_ENDPOINT``, ``ALIYUN_SMS_ACCESS_KEY_ID``,
``ALIYUN_SMS_ACCESS_KEY_SECRET``, ``NOTIFY_SMS_SIGN_NAME`` (the approved 签名) and
``NOTIFY_SMS_TEMPLATES`` (step → approved template code), ``NOTIFY_HTTP_TIMEOUT``.
"""

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime

from django.conf import settings

from . import DeliveryError

API_VERSION = "2017-05-25"
# Codes after which the same request may succeed later: the provider's own trouble and
# its flow control (too many messages to one number per minute/hour/day).
RETRYABLE_CODES = {
    "isp.SYSTEM_ERROR",
    "isp.RAM_PERMISSION_DENY",
    "isv.BUSINESS_LIMIT_CONTROL",
    "Throttling",
    "Throttling.User",
    "ServiceUnavailable",
    "InternalError",
}


def percent_encode(value: str) -> str:
    return urllib.parse.quote(value, safe="~")


def signature(params: dict[str, str], secret: str, *, method: str = "POST") -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsBackend:
    def __init__(self):
        self.endpoint = settings.ALIYUN_SMS_ENDPOINT
        self.key_id = settings.ALIYUN_SMS_ACCESS_KEY_ID
        self.secret = settings.ALIYUN_SMS_ACCESS_KEY_SECRET
        self.timeout = settings.NOTIFY_HTTP_TIMEOUT

    def signed_params(self, *, address: str, message) -> dict[str, str]:
        template = settings.NOTIFY_SMS_TEMPLATES.get(message.template, "")
        if not template:
            raise DeliveryError("no_template", retryable=False)
        params = {
            "AccessKeyId": self.key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": address,
            "RegionId": "cn-hangzhou",
            "SignName": settings.NOTIFY_SMS_SIGN_NAME,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": template,
            "TemplateParam": json.dumps(message.template_params, ensure_ascii=False, separators=(",", ":")),
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
        }
        params["Signature"] = signature(params, self.secret)
        return params

    def send(self, *, address: str, message) -> str:
        body = urllib.parse.urlencode(self.signed_params(address=address, message=message)).encode()
        request = urllib.request.Request(  # noqa: S310 - the endpoint's scheme is checked (notify.E003)
            self.endpoint,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - https from settings
                answer = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            answer = _error_answer(error)
            if answer is None or error.code >= 500:
                code = answer["Code"] if answer else f"http_{error.code}"
                raise DeliveryError(code, retryable=error.code >= 500 or error.code == 429) from error
        except TimeoutError as error:
            raise DeliveryError("timeout", retryable=True) from error
        except urllib.error.URLError as error:
            code = "timeout" if isinstance(error.reason, TimeoutError) else "unreachable"
            raise DeliveryError(code, retryable=True) from error
        except (ValueError, OSError) as error:
            raise DeliveryError("bad_answer", retryable=True) from error
        code = str(answer.get("Code", ""))
        if code == "OK":
            return str(answer.get("BizId", ""))
        raise DeliveryError(code or "bad_answer", retryable=code in RETRYABLE_CODES or not code)


def _error_answer(error: urllib.error.HTTPError) -> dict | None:
    """Aliyun answers some refusals (a bad signature, flow control) with HTTP 4xx and a JSON body."""
    try:
        answer = json.loads(error.read().decode("utf-8"))
    except (ValueError, OSError):
        return None
    return answer if isinstance(answer, dict) and answer.get("Code") else None
