"""System checks on the residents' SMS settings (``manage.py check``, every start).

An Aliyun backend without keys, signature or a template for every step would fail each
message at sending time, long after deployment: an error. The console backend in
production (``PORTAL_REQUIRE_DELIVERY``) delivers nothing and prints tracking links to
the process log: a warning, as an office may run before its SMS contract is signed.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.module_loading import import_string

from ..complaints.signals import PublicStep
from .messages import FOLLOWER_TEMPLATE

ALIYUN = "feedback.notifications.backends.aliyun.AliyunSmsBackend"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CONSOLE = "feedback.notifications.backends.console.ConsoleSmsBackend"


@register()
def check_sms_settings(app_configs=None, **kwargs):
    backend = settings.NOTIFY_BACKENDS.get("sms") or ""
    try:
        import_string(backend)
    except ImportError:
        return [
            Error(
                f"NOTIFY_BACKENDS['sms'] is {backend!r}, which cannot be imported.",
                hint="Set NOTIFY_SMS_BACKEND to console or aliyun (deploy/env.sample).",
                id="notify.E001",
            )
        ]
    found = []
    if backend == ALIYUN:
        missing = [
            name
            for name in ("ALIYUN_SMS_ACCESS_KEY_ID", "ALIYUN_SMS_ACCESS_KEY_SECRET", "NOTIFY_SMS_SIGN_NAME")
            if not getattr(settings, name, "")
        ]
        missing += [
            f"NOTIFY_SMS_TEMPLATES[{step}]"
            for step in (*PublicStep.values, FOLLOWER_TEMPLATE)
            if not settings.NOTIFY_SMS_TEMPLATES.get(step)
        ]
        endpoint = urlsplit(settings.ALIYUN_SMS_ENDPOINT)
        if not (endpoint.scheme == "https" or (endpoint.scheme == "http" and endpoint.hostname in LOOPBACK)):
            found.append(
                Error(
                    f"ALIYUN_SMS_ENDPOINT must be an https URL, not {settings.ALIYUN_SMS_ENDPOINT!r}.",
                    hint="The default is https://dysmsapi.aliyuncs.com/ (http only to a local test server).",
                    id="notify.E003",
                )
            )
        if missing:
            found.append(
                Error(
                    f"The Aliyun SMS backend lacks {', '.join(missing)}.",
                    hint="Each step needs its approved template code (deploy/env.sample).",
                    id="notify.E002",
                )
            )
    if backend == CONSOLE and getattr(settings, "PORTAL_REQUIRE_DELIVERY", False):
        found.append(
            Warning(
                "SMS notifications use the console backend: residents receive nothing and "
                "their tracking links are printed to the process log.",
                hint="Set NOTIFY_SMS_BACKEND=aliyun with its keys, signature and templates.",
                id="notify.W001",
            )
        )
    return found
