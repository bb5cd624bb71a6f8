"""Production: everything secret or host-specific comes from the environment.

Required: ``SECRET_KEY``, ``ALLOWED_HOSTS`` (comma separated). Recommended:
``CSRF_TRUSTED_ORIGINS`` (comma separated, with scheme), ``DATABASE_URL``,
``REDIS_URL``, ``TRUSTED_PROXIES``. Behind one reverse proxy that sets ``X-Forwarded-Proto``.
Required too, or the system checks refuse to start (``portal/checks.py``): a delivering
``EMAIL_BACKEND`` (with ``EMAIL_HOST``/``EMAIL_*``) and ``WAGTAILADMIN_BASE_URL``.
"""

import ipaddress
import os
from copy import deepcopy
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

# E-mail and the address in links must be real: without them the system checks fail
# (portal/checks.py) and the app refuses to start, rather than falling back to the
# console backend and http://127.0.0.1:8000 of the base settings.
PORTAL_REQUIRE_DELIVERY = True
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# -- Runtime (see README "Running in production") ------------------------------

# Without Redis each process has its own cache: a purge in one worker would not
# reach the others, so the page and fragment caches stay off unless asked for explicitly.
if not REDIS_URL:  # noqa: F405
    # Each process would have its own cache and its own generation: a purge in one
    # would not reach the others, so both caches are off unless asked for.
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
    FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", "0"))
    if FRAGMENT_CACHE_SECONDS <= 0:
        CACHES["template_fragments"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}  # noqa: F405

# Hashed static names (ManifestStaticFilesStorage) are served "immutable" for ten
# years by WhiteNoise; the few unhashed ones (favicon via /favicon.ico) for an hour.
WHITENOISE_MAX_AGE = 3600

# Background tasks go through the database queue; run ``python manage.py db_worker``
# beside the web processes. TASKS_BACKEND=immediate runs them in the request.
INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]  # noqa: F405
if os.environ.get("TASKS_BACKEND", "database") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Media on the filesystem unless a bucket is configured: Wagtail's public images and
# documents in MEDIA_ROOT or AWS_STORAGE_BUCKET_NAME; residents' photos in
# PRIVATE_MEDIA_ROOT or, for several app servers, their own private bucket
# PRIVATE_MEDIA_BUCKET (feedback/complaints/storage.py). One S3-compatible service
# (AWS S3, MinIO, OSS, COS…) for both: endpoint, region, keys and addressing style are
# shared. feedback/complaints/checks.py refuses a half-done configuration.
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
AWS_S3_ADDRESSING_STYLE = os.environ.get("AWS_S3_ADDRESSING_STYLE") or None  # auto | path | virtual
# Unset: boto3's own chain (instance role, ~/.aws); MinIO and most clouds' S3 need them.
AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID") or None
AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY") or None
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_S3_FILE_OVERWRITE = False
    AWS_DEFAULT_ACL = None  # the bucket policy decides; objects are private by default
    AWS_QUERYSTRING_AUTH = os.environ.get("AWS_QUERYSTRING_AUTH", "1") == "1"
    STORAGES = {**STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage"}}  # noqa: F405
PRIVATE_MEDIA_BUCKET = os.environ.get("PRIVATE_MEDIA_BUCKET", "")
if PRIVATE_MEDIA_BUCKET:
    STORAGES = {
        **STORAGES,  # noqa: F405
        "private": {
            "BACKEND": "feedback.complaints.s3.PrivateS3Storage",
            "OPTIONS": {"bucket_name": PRIVATE_MEDIA_BUCKET},
        },
    }
    # The admin shows a photo with <img src="…/photo/<pk>/">, which redirects to the
    # bucket: its origin (path-style and virtual-hosted) may serve admin images. A plain
    # <img> needs no CORS rule on the bucket.
    if AWS_S3_ENDPOINT_URL:
        _endpoints = [AWS_S3_ENDPOINT_URL]
    elif (AWS_S3_REGION_NAME or "").startswith("cn-"):
        _endpoints = [f"https://s3.{AWS_S3_REGION_NAME}.amazonaws.com.cn"]
    else:  # boto3 signs for the global name; S3 may redirect to the regional one
        _endpoints = [
            "https://s3.amazonaws.com",
            f"https://s3.{AWS_S3_REGION_NAME or 'us-east-1'}.amazonaws.com",
        ]
    _bucket_origins = []
    for _endpoint in map(urlsplit, _endpoints):
        _bucket_origins.append(f"{_endpoint.scheme}://{_endpoint.netloc}")
        if AWS_S3_ADDRESSING_STYLE != "path":
            _bucket_origins.append(f"{_endpoint.scheme}://{PRIVATE_MEDIA_BUCKET}.{_endpoint.netloc}")
    CONTENT_SECURITY_POLICY_ADMIN = deepcopy(CONTENT_SECURITY_POLICY_ADMIN)  # noqa: F405
    CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]["img-src"] += _bucket_origins

# Our reverse proxies (nginx), as addresses or CIDRs: portal.abuse.client_ip reads
# X-Forwarded-For only when the peer is one of them, and takes the rightmost address
# that is not, never the client-written entries to its left. Default: nginx on this host.
TRUSTED_PROXIES = _env_list("TRUSTED_PROXIES") or ["127.0.0.1/32", "::1/128"]
try:
    for _proxy in TRUSTED_PROXIES:
        ipaddress.ip_network(_proxy, strict=False)
except ValueError as error:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from error
