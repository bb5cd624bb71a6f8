"""Settings for the test suite: fast, offline, deterministic.

``DATABASE_URL``/``REDIS_URL`` still switch to PostgreSQL/Redis so CI can run the
same suite against the production services.
"""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-private-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Test mode: the answer "PASSED" is accepted. Only here; production rejects it.
CAPTCHA_TEST_MODE = True
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tests clear the shared cache between them; a process's own page copies would outlive
# that. tests/performance/test_page_cache.py switches them on where they are the subject.
PAGE_CACHE_LOCAL_SECONDS = 0


# Deterministic whatever today's date: 2027-2030, which chinesecalendar 1.11 does not
# have, count as plain weekdays in tests (the setting wins over the package, so this holds
# after an upgrade too), and a report dispatched in late December or in 2027 gets a
# deadline. Tests of the real calendar use 2025 and 2026 dates; tests of a missing year use
# 2031 and later (tests/dispatch/test_workdays.py, test_holiday_calendar.py).
FEEDBACK_EXTRA_CALENDAR = {year: {"holidays": [], "workdays": []} for year in range(2027, 2031)}
