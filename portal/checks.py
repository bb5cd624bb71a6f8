"""System checks that stop production from starting half-configured.

Production used to fall back to the console e-mail backend and to
``WAGTAILADMIN_BASE_URL=http://127.0.0.1:8000``: a password reset then wrote its token
link into the process log, and every link in a notification pointed at the server
itself. With ``PORTAL_REQUIRE_DELIVERY`` on (``portal.settings.production``) these are
errors (``portal.E001``–``E003``): ``manage.py check --deploy``, ``migrate`` and every
other command that runs the checks refuse to go on, and ``portal.wsgi`` runs them
before it serves a request (gunicorn does not run checks by itself).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

# Django's backends that deliver nothing: they print, keep in memory, drop or write to files.
UNDELIVERING_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend": "console (writes mails to the process log)",
    "django.core.mail.backends.locmem.EmailBackend": "locmem (keeps mails in memory)",
    "django.core.mail.backends.dummy.EmailBackend": "dummy (drops mails)",
    "django.core.mail.backends.filebased.EmailBackend": "filebased (writes mails to local files)",
}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "testserver", ""}  # noqa: S104


def _email_errors() -> list[Error]:
    backend = getattr(settings, "EMAIL_BACKEND", "") or ""
    if not backend:
        return [
            Error(
                "EMAIL_BACKEND is not set: production must deliver mail (password resets, notifications).",
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST (deploy/env.sample).",
                id="portal.E001",
            )
        ]
    if backend in UNDELIVERING_BACKENDS:
        return [
            Error(
                f"EMAIL_BACKEND is {UNDELIVERING_BACKENDS[backend]}: nothing is delivered, and "
                "password-reset links end up where anyone reading logs or files can use them.",
                hint="Use a delivering backend such as SMTP in production (deploy/env.sample).",
                id="portal.E001",
            )
        ]
    if backend == "django.core.mail.backends.smtp.EmailBackend" and not getattr(settings, "EMAIL_HOST", ""):
        return [
            Error(
                "EMAIL_BACKEND is SMTP but EMAIL_HOST is not set.", hint="Set EMAIL_HOST.", id="portal.E002"
            )
        ]
    return []


def _base_url_errors() -> list[Error]:
    url = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or host in LOCAL_HOSTS or host.startswith("127."):
        return [
            Error(
                f"WAGTAILADMIN_BASE_URL ({url or 'not set'}) is not the site's public address: "
                "links in e-mails and notifications would point at the server itself.",
                hint="Set WAGTAILADMIN_BASE_URL, e.g. https://portal.example.cn",
                id="portal.E003",
            )
        ]
    return []


@register(Tags.security)
def check_delivery_settings(app_configs=None, **kwargs) -> list[Error]:
    if not getattr(settings, "PORTAL_REQUIRE_DELIVERY", False):
        return []
    return _email_errors() + _base_url_errors()


def refuse_to_start_if_misconfigured() -> None:
    """Raise ``ImproperlyConfigured`` with the errors above (for ``portal.wsgi``)."""
    from django.core.exceptions import ImproperlyConfigured

    errors = check_delivery_settings()
    if errors:
        raise ImproperlyConfigured("; ".join(f"{error.id}: {error.msg}" for error in errors))
