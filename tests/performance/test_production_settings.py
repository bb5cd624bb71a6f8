"""Production settings and gunicorn.conf.py read the environment as README describes."""

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

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
