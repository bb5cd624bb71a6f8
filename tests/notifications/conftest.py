"""A local stand-in for Aliyun's SendSms API and complaints whose resident asked to be told.

``fake_aliyun`` serves on 127.0.0.1 on a random port from a thread. It checks each
request's RPC signature with its own implementation (so a wrong signing algorithm fails
every test) and answers from a script: ``ok``, a provider error code, an HTTP status, or
a delay longer than the client's timeout.
"""

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.factories.feedback import ComplaintFactory
from tests.feedback import conftest as feedback_fixtures

KEY_ID, SECRET = "LTAI-test-key", "test-secret-不公开"
TEMPLATES = {
    "dispatched": "SMS_100001",
    "in_progress": "SMS_100002",
    "extended": "SMS_100003",
    "resolved": "SMS_100004",
    "reopened": "SMS_100005",
    "rejected": "SMS_100006",
}
FOLLOWER_TEMPLATE_CODE = "SMS_100008"
PHONE, EMAIL = "13812345678", "zhangsan@example.com"
# The same unit, category and community as the feedback tests.
unit, category, community = feedback_fixtures.unit, feedback_fixtures.category, feedback_fixtures.community


def expected_signature(params: dict[str, str], secret: str) -> str:
    # Written apart from the backend's: Aliyun's "special URL encode" is form encoding with
    # + as %20, * as %2A and ~ kept.
    def enc(value):
        return urllib.parse.quote_plus(value).replace("+", "%20").replace("*", "%2A").replace("%7E", "~")

    query = "&".join(enc(k) + "=" + enc(params[k]) for k in sorted(params))
    to_sign = "POST&" + enc("/") + "&" + enc(query)
    return base64.b64encode(
        hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()
    ).decode()


class FakeAliyun:
    def __init__(self):
        self.script: list = []
        self.requests: list[dict[str, str]] = []
        self.lock = threading.Lock()

    def next_answer(self):
        with self.lock:
            return self.script.pop(0) if self.script else "ok"


def _handler(fake: FakeAliyun):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output clean
            pass

        def _json(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            params = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
            params["_query"] = urllib.parse.urlsplit(self.path).query
            fake.requests.append(params)
            signed = {k: v for k, v in params.items() if k not in ("Signature", "_query")}
            if params.get("Signature") != expected_signature(signed, SECRET):
                return self._json(
                    400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}
                )
            answer = fake.next_answer()
            if answer == "ok":
                return self._json(
                    200,
                    {"Code": "OK", "Message": "OK", "BizId": f"biz-{len(fake.requests)}", "RequestId": "r"},
                )
            kind, value = answer
            if kind == "code":
                return self._json(
                    200, {"Code": value, "Message": f"refused {params['PhoneNumbers']}", "RequestId": "r"}
                )
            if kind == "http":
                self.send_response(value)
                self.send_header("Content-Length", "5")
                self.end_headers()
                return self.wfile.write(b"oops!")
            if kind == "sleep":
                time.sleep(value)
                return self._json(200, {"Code": "OK", "BizId": "too-late"})
            raise AssertionError(answer)

    return Handler


@pytest.fixture
def fake_aliyun(settings):
    fake = FakeAliyun()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.NOTIFY_BACKENDS = {
        **settings.NOTIFY_BACKENDS,
        "sms": "feedback.notifications.backends.aliyun.AliyunSmsBackend",
    }
    settings.ALIYUN_SMS_ENDPOINT = f"http://127.0.0.1:{server.server_address[1]}/"
    settings.ALIYUN_SMS_ACCESS_KEY_ID = KEY_ID
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = SECRET
    settings.NOTIFY_SMS_SIGN_NAME = "同心门户"
    settings.NOTIFY_SMS_TEMPLATES = {**TEMPLATES, "follower": FOLLOWER_TEMPLATE_CODE}
    settings.NOTIFY_HTTP_TIMEOUT = 0.5
    settings.NOTIFY_RETRY_SECONDS = 0
    settings.NOTIFY_MAX_ATTEMPTS = 3
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def consenting(category, community):
    """A report whose resident ticked 短信/邮件告诉我办理进展 and gave an e-mail."""
    from django.utils import timezone

    return ComplaintFactory(
        category=category,
        community=community,
        phone=PHONE,
        email=EMAIL,
        notify_consent=True,
        notify_consented_at=timezone.now(),
    )
