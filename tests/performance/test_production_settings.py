"""Production settings and gunicorn.conf.py read the environment as README describes."""

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASE_ENV = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "portal.example.cn"}
PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "storage": settings.STORAGES["default"]["BACKEND"],
    "private": settings.STORAGES.get("private", {}).get("BACKEND"),
    "tasks": settings.TASKS["default"]["BACKEND"],
    "page_cache": settings.PAGE_CACHE_SECONDS,
    "cache": settings.CACHES["default"]["BACKEND"],
    "fragments": settings.CACHES.get("template_fragments", settings.CACHES["default"])["BACKEND"],
    "sessions": settings.SESSION_ENGINE,
    "static": settings.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def _production(**env: str) -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "PRIVATE_MEDIA_", "REDIS_URL", "TASKS_", "PAGE_CACHE", "FRAGMENT_CACHE"))
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, **BASE_ENV, "DJANGO_SETTINGS_MODULE": "portal.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_plain_production_keeps_media_on_disk_and_queues_tasks_in_the_database():
    found = _production()
    assert found["storage"] == "django.core.files.storage.FileSystemStorage"
    assert found["private"] == "feedback.complaints.storage.PrivateStorage"
    assert found["tasks"] == "django_tasks_db.DatabaseBackend"
    assert found["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    # No Redis: a purge could not reach the other workers, so no page cache and no fragments.
    assert found["page_cache"] == 0
    assert found["fragments"] == "django.core.cache.backends.dummy.DummyCache"


def test_redis_url_shares_cache_sessions_and_page_cache():
    found = _production(REDIS_URL="redis://127.0.0.1:6379/5")
    assert found["cache"] == found["fragments"] == "django_redis.cache.RedisCache"
    assert found["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert found["page_cache"] == 300


def test_bucket_names_switch_media_and_photos_to_object_storage_separately():
    found = _production(AWS_STORAGE_BUCKET_NAME="portal-media", TASKS_BACKEND="immediate")
    assert found["storage"] == "storages.backends.s3.S3Storage"
    # Residents' photos never share the public media bucket; they need a private one.
    assert found["private"] == "feedback.complaints.storage.PrivateStorage"
    assert found["tasks"] == "django_tasks.backends.immediate.ImmediateBackend"
    found = _production(PRIVATE_MEDIA_BUCKET="portal-private")
    assert found["storage"] == "django.core.files.storage.FileSystemStorage"
    assert found["private"] == "feedback.complaints.s3.PrivateS3Storage"


def test_gunicorn_config_sizes_workers_and_hides_secrets_from_the_access_log(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert 3 <= config["workers"] <= 12
    assert config["preload_app"] is True
    assert "%(U)s" in config["access_log_format"] and "%(q)s" not in config["access_log_format"]
    assert "%(f)s" not in config["access_log_format"]  # the referer may carry a query
    assert (
        config["_SECRET_IN_PATH"].sub(r"\1…", "/feedback/track/Zq8xT3kP/rate/") == "/feedback/track/…/rate/"
    )
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"] == 2


DELIVERY_ENV = {
    "WAGTAILADMIN_BASE_URL": "https://portal.example.cn",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.example.cn",
}


def _run_production(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "REDIS_URL", "EMAIL_", "WAGTAILADMIN_", "DJANGO_SETTINGS_MODULE"))
    }
    full = {**clean, **BASE_ENV, "DJANGO_SETTINGS_MODULE": "portal.settings.production"}
    full.update({k: v for k, v in env.items() if v is not None})
    for name in [k for k, v in env.items() if v is None]:
        full.pop(name, None)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=full, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("override", "error"),
    [
        ({"EMAIL_BACKEND": None}, "portal.E001"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "portal.E001"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}, "portal.E001"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}, "portal.E001"),
        ({"EMAIL_HOST": None}, "portal.E002"),
        ({"WAGTAILADMIN_BASE_URL": None}, "portal.E003"),
        ({"WAGTAILADMIN_BASE_URL": "http://127.0.0.1:8000"}, "portal.E003"),
        ({"WAGTAILADMIN_BASE_URL": "https://localhost"}, "portal.E003"),
        ({"WAGTAILADMIN_BASE_URL": "portal.example.cn"}, "portal.E003"),  # no scheme
    ],
)
def test_deploy_check_fails_without_real_mail_and_base_url(override, error):
    done = _run_production(["manage.py", "check", "--deploy"], **{**DELIVERY_ENV, **override})
    assert done.returncode != 0
    assert error in done.stderr


def test_deploy_check_passes_with_smtp_and_a_public_base_url():
    done = _run_production(["manage.py", "check", "--deploy", "--fail-level", "ERROR"], **DELIVERY_ENV)
    assert done.returncode == 0, done.stderr
    assert "portal.E00" not in done.stdout + done.stderr


def test_other_commands_refuse_to_run_with_the_console_backend():
    done = _run_production(["manage.py", "migrate", "--plan"], **{**DELIVERY_ENV, "EMAIL_BACKEND": None})
    assert done.returncode != 0 and "portal.E001" in done.stderr


@pytest.mark.parametrize(
    ("env", "starts"),
    [
        (DELIVERY_ENV, True),
        ({**DELIVERY_ENV, "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, False),
        ({**DELIVERY_ENV, "WAGTAILADMIN_BASE_URL": None}, False),
    ],
)
def test_the_wsgi_application_refuses_to_start_half_configured(env, starts):
    # What gunicorn does: import portal.wsgi (it runs no system checks of its own).
    done = _run_production(["-c", "import portal.wsgi; print('started')"], **env)
    assert (done.returncode == 0 and "started" in done.stdout) is starts, done.stderr
    if not starts:
        assert "ImproperlyConfigured" in done.stderr and "portal.E00" in done.stderr


def test_smtp_settings_are_read_from_the_environment():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_HOST_USER]))"
    )
    done = _run_production(
        ["-c", code], **DELIVERY_ENV, EMAIL_PORT="587", EMAIL_USE_TLS="1", EMAIL_HOST_USER="portal"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["smtp.example.cn", 587, True, "portal"]
