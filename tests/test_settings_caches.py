"""The suite runs with the caches production runs with, not a gentler configuration."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def test_tests_keep_the_page_cache_and_fragments_of_production():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.production", "SECRET_KEY": "x" * 50}
    env.update(ALLOWED_HOSTS="portal.example.cn", REDIS_URL="redis://127.0.0.1:6379/9")
    env = {k: v for k, v in env.items() if not k.startswith(("PAGE_CACHE", "FRAGMENT_CACHE"))}
    probe = "import django; django.setup(); from django.conf import settings as s; print(s.PAGE_CACHE_SECONDS, s.FRAGMENT_CACHE_SECONDS)"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    production = done.stdout.split()
    assert [str(settings.PAGE_CACHE_SECONDS), str(settings.FRAGMENT_CACHE_SECONDS)] == production
    assert settings.FRAGMENT_CACHE_SECONDS > 0 and settings.PAGE_CACHE_SECONDS > 0
    assert "template_fragments" not in settings.CACHES  # fragments are kept, not a dummy
