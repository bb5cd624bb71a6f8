"""Two app processes behind one address share the page cache, its purges and the
rate-limit counters through Redis (``REDIS_URL``)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from portal.abuse import check_rate
from portal.cache import current_generation, purge_pages

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not settings.REDIS_URL,
    reason="needs REDIS_URL (e.g. REDIS_URL=redis://127.0.0.1:6379/5): without Redis each "
    "process has its own cache, which is why production turns the page cache off then",
)


def _other_process(code: str) -> str:
    """Run ``code`` in a separate Python process with the same settings, as a second app server would."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    script = "import django; django.setup()\n" + code
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_cache_entry_written_by_one_process_is_read_by_the_other():
    key, value = f"probe:{uuid.uuid4().hex}", "来自另一台应用服务器"
    _other_process(f"from django.core.cache import cache; cache.set({key!r}, {value!r}, 60)")
    assert cache.get(key) == value


def test_purge_in_one_process_reaches_the_other():
    before = current_generation()
    _other_process("from portal.cache import purge_pages; purge_pages()")
    assert current_generation() > before
    seen = int(_other_process("from portal.cache import current_generation; print(current_generation())"))
    purge_pages()
    assert current_generation() > seen


def test_rate_limit_counts_hits_from_both_processes():
    scope, key = f"shared-{uuid.uuid4().hex[:8]}", "203.0.113.7"
    assert check_rate(scope=scope, key=key, limit=3, period=3600).allowed
    _other_process(
        "from portal.abuse import check_rate\n"
        f"print(check_rate(scope={scope!r}, key={key!r}, limit=3, period=3600).count)"
    )
    third = check_rate(scope=scope, key=key, limit=3, period=3600)
    assert third.count == 3 and third.allowed
    assert not check_rate(scope=scope, key=key, limit=3, period=3600).allowed
