"""Settings for tests/benchmarks/load.py only: production, plus the captcha test mode so
a load generator can submit reports (answer "PASSED"). Never use this in production."""

import os

from portal.settings.production import *  # noqa: F403

CAPTCHA_TEST_MODE = True
# wrk sends one form again and again; a resident takes longer than 0 s to fill it.
ABUSE_FORM_MIN_SECONDS = 0
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", "/tmp/portal_bench_static")
MEDIA_ROOT = os.environ.get("BENCH_MEDIA_ROOT", "/tmp/portal_bench_media")
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "ERROR"}}  # noqa: F405
# wrk submits from one address with one phone number: lift the per-IP, per-phone and per-device limits
# (production keeps them; tests/security proves they hold).
FEEDBACK_REPORT_RATE_PER_IP = "1000000/m"
FEEDBACK_REPORT_HARD_RATE_PER_IP = "1000000/m"
FEEDBACK_REPORT_RATE_PER_PHONE = "1000000/m"
FEEDBACK_REPORT_RATE_PER_DEVICE = "1000000/m"
