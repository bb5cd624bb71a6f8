"""Settings shared by every environment.

Environment variables read here (all optional; the defaults run on SQLite with a
process-local cache):

- ``DATABASE_URL``: e.g. ``postgres://user:pass@127.0.0.1:5432/portal``
- ``REDIS_URL``: e.g. ``redis://127.0.0.1:6379/0``; used as the shared cache
  (pages, sessions, rate-limit counters) so several app processes agree.
"""

import os
from pathlib import Path

import dj_database_url

from portal.maps import default_provider as default_map_provider
from portal.maps import tile_hosts as map_tile_hosts

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "home",
    "notices",
    "servicecatalog",
    "feedback",
    "wagtail_modeladmin",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "captcha",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "portal",  # connects the page-cache purge signals (portal/apps.py)
    "portal.accounts",  # staff sign-in: lock-out, password reset limits, second factor
]

MIDDLEWARE = [
    # Anonymous GET pages from the shared cache: a hit runs no other middleware (no
    # session, auth or database). A stored page keeps every header the middleware
    # below set when it was made (HSTS, CSP, nosniff, Referrer-Policy, COOP…); the
    # key holds the scheme, so an http request never gets an https page (portal/cache.py).
    "portal.cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Below the cache is enough: its 400 answer is never stored, so a NUL byte never hits.
    "portal.middleware.RejectNullBytesMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag/304 for pages the page cache does not answer (it answers 304 itself).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The request's Site and root page, kept per generation (after CommonMiddleware's host check).
    "portal.sites.CachedSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session passed the second factor?
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff who may see residents' personal data reach the admins only after it.
    "portal.accounts.middleware.RequireStaffOTPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the Chinese lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.care.care_mode",
                "portal.cache.fragments",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction that reads and then writes fails at once with "database is locked"
    # when another thread wrote meanwhile (SQLite cannot wait there without risking a
    # deadlock); IMMEDIATE takes the write lock as the transaction begins, waiting for it
    # up to the timeout. runserver answers several requests at once (an editor's preview
    # beside a publish), so the embedded default needs it.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "TIMEOUT": 300,
        }
    }
    # Sessions are read from Redis but also written to the database, so a Redis
    # restart or eviction does not log moderators out mid-triage. Anonymous
    # visitors have no session, so this costs nothing on public pages.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
        }
    }

# Full-page cache for anonymous visitors (portal/cache.py): seconds a page stays
# in the shared cache (0 turns it off), and how long nginx/a CDN may keep it.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
PAGE_CACHE_SHARED_MAX_AGE = int(os.environ.get("PAGE_CACHE_SHARED_MAX_AGE", "60"))
# Seconds an app process answers from its own copies of pages before asking Redis whether
# a purge happened meanwhile (another process's purge shows here at most this much later).
PAGE_CACHE_LOCAL_SECONDS = float(os.environ.get("PAGE_CACHE_LOCAL_SECONDS", "1"))
# Paths whose visitors fill in forms or see answers made for them alone: never stored.
PAGE_CACHE_NEVER_PATHS = [
    "/admin/",
    "/django-admin/",
    "/feedback/",
    "/search/",
    "/captcha/",
    "/care-mode/",
    "/documents/",
    "/static/",
    "/media/",
]
# Template fragments every visitor sees alike ({% wagtailcache fragments.seconds … %}),
# keyed with the page cache's generation, so they are purged with the pages. They
# serve whatever the page cache cannot: logged-in editors, query strings, forms.
FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", "300"))
if FRAGMENT_CACHE_SECONDS <= 0:
    # Django's {% cache %} (under {% wagtailcache %}) uses this alias when it exists.
    CACHES["template_fragments"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}

# Staff passwords guard residents' names, phones and photos: at least 12 characters, not
# like the account's name or e-mail, not a common password, not digits only. Django's
# zh-hans catalogue says the rest in Chinese; portal/accounts/passwords.py the length.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "portal.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# -- Staff sign-in (portal/accounts) ----------------------------------------------------
# django-axes counts failed sign-ins in the database (the same on SQLite and PostgreSQL,
# and shared by every app process), separately per account and per client address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "portal.accounts.lockout.PerParameterLimitHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Wrong passwords allowed before a lock-out: per account, and per client address (higher,
# as a street office's staff share one address behind its NAT).
AXES_FAILURE_LIMITS = {
    "username": int(os.environ.get("STAFF_LOGIN_FAILURES_PER_ACCOUNT", "5")),
    "ip_address": int(os.environ.get("STAFF_LOGIN_FAILURES_PER_ADDRESS", "20")),
}
AXES_FAILURE_LIMIT = "portal.accounts.lockout.account_failure_limit"
# Minutes a lock-out lasts after the last failed attempt (a try while locked restarts it).
AXES_COOLOFF_TIME = "portal.accounts.lockout.cool_off"
STAFF_LOGIN_COOLOFF_MINUTES = int(os.environ.get("STAFF_LOGIN_COOLOFF_MINUTES", "15"))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.abuse.client_ip"  # honours TRUSTED_PROXIES, like every other limit
AXES_LOCKOUT_CALLABLE = "portal.accounts.lockout.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password", "csrfmiddlewaretoken"]
# Password reset e-mails (portal.abuse rate syntax), per client address and per address typed.
STAFF_PASSWORD_RESET_RATE_PER_IP = os.environ.get("STAFF_PASSWORD_RESET_RATE_PER_IP", "5/h")
STAFF_PASSWORD_RESET_RATE_PER_EMAIL = os.environ.get("STAFF_PASSWORD_RESET_RATE_PER_EMAIL", "3/h")
# A TOTP second factor (django-otp) is required of superusers and of every account holding
# one of these permissions, before any admin page is served.
STAFF_OTP_REQUIRED_PERMISSIONS = ["feedback.view_personal_data"]
STAFF_OTP_PROTECTED_PATH_PREFIXES = ("/admin/", "/django-admin/")
STAFF_OTP_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = "同心门户"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Chinese for the Wagtail strings its zh_Hans catalogue lacks; wins over every app (portal/i18n.py).
LOCALE_PATHS = [PROJECT_DIR / "locale"]
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
# Served at the site's root by WhiteNoise: /favicon.ico and /apple-touch-icon.png, which
# browsers and phones' "add to home screen" ask for without reading the page's <link>s.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

# Residents' photos and other moderator-only files live outside MEDIA_ROOT, so no
# web server or dev static route can expose them by mistake; staff reach them only
# through permission-checked views. Back this folder up together with MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
# With the photos in a private bucket (production, PRIVATE_MEDIA_BUCKET), the view redirects
# a moderator to a signed URL that works this many seconds (a system check keeps it 30-600).
PRIVATE_MEDIA_URL_SECONDS = int(os.environ.get("PRIVATE_MEDIA_URL_SECONDS", "120"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "private": {"BACKEND": "feedback.complaints.storage.PrivateStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Wagtail
WAGTAIL_SITE_NAME = "同心门户"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_USER_LOGIN_FORM = "portal.forms.LoginForm"  # its password label in Chinese
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
# Wagtail 8 autosaves every 500 ms. On a new page, an autosave still in flight when the
# editor presses 提交审核 makes the page twice: the second answer is a 500 ("slug already
# in use"), or "database is locked" on SQLite (seen in tests/browser/test_notice_review.py).
# Editors save or submit explicitly; every save is still a revision.
WAGTAIL_AUTOSAVE_INTERVAL = 0
# Wagtail's database backend, with SQLite ranking that scales (portal/search/__init__.py).
# A large site may point this at OpenSearch/Elasticsearch with a Chinese analyzer and
# set PORTAL_SEARCH_SEGMENTATION = False (see home/chinese.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "portal.search"}}
PORTAL_SEARCH_SEGMENTATION = True
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "doc", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "xls", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024

# Captcha (django-simple-captcha)
# Digits without 0/1, large glyphs, light noise: readable for elderly residents on a
# phone (portal/abuse.py explains the choice).
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_CHALLENGE_FUNCT = "portal.abuse.captcha_challenge"
CAPTCHA_LETTER_ROTATION = (-15, 15)
CAPTCHA_FONT_SIZE = 34
CAPTCHA_NOISE_FUNCTIONS = ("captcha.helpers.noise_arcs",)
CAPTCHA_TEST_MODE = False  # only portal/settings/test.py turns it on

# Abuse protection (portal/abuse.py)
# Addresses or CIDRs of our own reverse proxies: X-Forwarded-For is read only from them
# (portal.abuse.client_ip). None in development, where clients talk to runserver.
TRUSTED_PROXIES: list[str] = []
ABUSE_FORM_MIN_SECONDS = 3  # faster than this, a form was filled in by a program
ABUSE_FORM_MAX_AGE = 24 * 3600  # a form left open longer gets a fresh timestamp

# Security headers (portal/middleware.py). The CSP applies in every environment, so
# the tests prove it; the admins get their own policy because Wagtail uses inline
# scripts and styles and frames its own previews.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # blob: for the thumbnails of photos chosen on the report form, before sending.
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
CSP_ADMIN_PATH_PREFIXES = ("/admin/", "/django-admin/")

# Maps (portal/maps.py): 天地图 tiles when TIANDITU_KEY is set, else none (the maps then
# show their points on a plain background); MAP_TILES=osm for a demo with tiles.
TIANDITU_KEY = os.environ.get("TIANDITU_KEY", "")
MAP_TILES = os.environ.get("MAP_TILES", default_map_provider(TIANDITU_KEY))
MAP_DEFAULT_CENTER = (25.0405, 102.7129)  # where a map with no point starts: the demo street
MAP_DEFAULT_ZOOM = 14
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += map_tile_hosts(MAP_TILES, TIANDITU_KEY)

# The station finder (servicecatalog/finder.py): cards per page; when a resident asks for
# the nearest, stations open now within this distance of the nearest one come first;
# the map view's answer holds at most this many stations.
STATION_PAGE_SIZE = 20
STATION_OPEN_FIRST_BAND_M = int(os.environ.get("STATION_OPEN_FIRST_BAND_M", "3000"))
STATION_MAP_LIMIT = 300
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), payment=(), usb=(), geolocation=(self)"
# Staff avatars from gravatar.com would leak e-mail hashes to a third party (and the
# site is unreachable from mainland China); Wagtail shows initials instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor should the admin call releases.wagtail.org from every editor's browser.
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Background jobs (django-tasks, installed by Wagtail 8). The immediate backend runs a
# task right after the request's transaction commits; swap in a queue-backed backend in
# production without touching the callers.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Participation: the most a 微心愿 may be worth (small wishes; larger needs go to 需求清单).
PARTICIPATION_WISH_MAX_YUAN = int(os.environ.get("PARTICIPATION_WISH_MAX_YUAN", "200"))
# Feedback: resolved reports nobody rated are archived after this many days.
# Dispatch warning lights (feedback.complaints.lights), in working days: red when a
# dispatched ticket is not signed within sign_within or is overdue; yellow when due within
# due_within or without progress for stale_after.
DISPATCH_LIGHTS = {"sign_within": 1, "due_within": 1, "stale_after": 3}
FEEDBACK_CLOSE_UNRATED_AFTER_DAYS = int(os.environ.get("FEEDBACK_CLOSE_UNRATED_AFTER_DAYS", "7"))
# Feedback abuse limits (portal.abuse rate syntax "N/period"), fair to shared networks
# (feedback/trust/throttle.py): the sender's phone and device (a random id in a signed
# cookie) refuse; an address over its soft limit only steps up (a step-up token shown with
# the form some seconds before, and a fresh captcha) and refuses at a much higher bound.
# Reports: accepted per address before the step-up; also all POSTs without the device cookie.
FEEDBACK_REPORT_RATE_PER_IP = os.environ.get("FEEDBACK_REPORT_RATE_PER_IP", "5/10m")
FEEDBACK_REPORT_HARD_RATE_PER_IP = os.environ.get("FEEDBACK_REPORT_HARD_RATE_PER_IP", "60/10m")  # every POST
FEEDBACK_REPORT_RATE_PER_PHONE = os.environ.get("FEEDBACK_REPORT_RATE_PER_PHONE", "3/h")
FEEDBACK_REPORT_RATE_PER_DEVICE = os.environ.get("FEEDBACK_REPORT_RATE_PER_DEVICE", "5/h")
FEEDBACK_REPORT_STEP_UP_SECONDS = int(os.environ.get("FEEDBACK_REPORT_STEP_UP_SECONDS", "15"))
# Failed tracking look-ups per device (without the cookie: per address), per address in all.
FEEDBACK_TRACK_MISS_RATE = os.environ.get("FEEDBACK_TRACK_MISS_RATE", "10/h")
FEEDBACK_TRACK_MISS_HARD_RATE_PER_IP = os.environ.get("FEEDBACK_TRACK_MISS_HARD_RATE_PER_IP", "100/h")
# Failed look-ups of one reference, from all addresses together: 10 of the 10,000 last-four
# digits a day, so even an attacker with unlimited addresses needs on average 500 days.
FEEDBACK_TRACK_MISS_RATE_PER_REFERENCE = os.environ.get("FEEDBACK_TRACK_MISS_RATE_PER_REFERENCE", "10/d")
FEEDBACK_RATING_RATE = os.environ.get("FEEDBACK_RATING_RATE", "10/h")
# 我也遇到 presses per IP (a community centre's Wi-Fi is shared: one per device and phone
# is what counts, this only stops a script) and similar-report look-ups per IP.
FEEDBACK_FOLLOW_RATE_PER_IP = os.environ.get("FEEDBACK_FOLLOW_RATE_PER_IP", "30/h")
# 议事协商: days a resolution stays on public notice, open to objections; 附议 and
# objections per address (one per device and phone is the service's own rule).
DELIBERATION_NOTICE_DAYS = int(os.environ.get("DELIBERATION_NOTICE_DAYS", "5"))
DELIBERATION_SUPPORT_RATE_PER_IP = os.environ.get("DELIBERATION_SUPPORT_RATE_PER_IP", "30/h")
DELIBERATION_PROPOSE_RATE_PER_DEVICE = os.environ.get("DELIBERATION_PROPOSE_RATE_PER_DEVICE", "3/h")
DELIBERATION_OBJECTION_RATE_PER_IP = os.environ.get("DELIBERATION_OBJECTION_RATE_PER_IP", "10/h")
FEEDBACK_SIMILAR_RATE_PER_IP = os.environ.get("FEEDBACK_SIMILAR_RATE_PER_IP", "120/10m")
# Open311 API (feedback/open311): every call per key, and reports filed per key; the
# resident's phone and the client's device_id count as on the form.
OPEN311_RATE_PER_KEY = os.environ.get("OPEN311_RATE_PER_KEY", "600/h")
# Reading the public reports without a key (the spec lets GET go without one).
OPEN311_PUBLIC_RATE_PER_IP = os.environ.get("OPEN311_PUBLIC_RATE_PER_IP", "300/h")
OPEN311_REPORT_RATE_PER_KEY = os.environ.get("OPEN311_REPORT_RATE_PER_KEY", "100/h")
# 我的反映: SMS codes sent per client address and per phone (each one costs money and
# lands on someone's phone).
FEEDBACK_MINE_CODE_RATE_PER_IP = os.environ.get("FEEDBACK_MINE_CODE_RATE_PER_IP", "10/h")
FEEDBACK_MINE_CODE_RATE_PER_PHONE = os.environ.get("FEEDBACK_MINE_CODE_RATE_PER_PHONE", "3/h")

# 双报到: each unit serves residents at least 12 hours a year, each in-job member 6 (Kunming
# Xishan); one logged entry holds at most a day's work.
PARTICIPATION_UNIT_HOURS_TARGET = 12
PARTICIPATION_MEMBER_HOURS_TARGET = 6
PARTICIPATION_MAX_HOURS_PER_ENTRY = 12
PARTICIPATION_SESSION_SECONDS = 8 * 3600
# Personal data is anonymised this many days after a report's last change (feedback/trust/
# retention.py, said in the privacy notice): finished (closed/rejected) reports and evaluations,
# reports left unfinished, and reports held because they came from a blocked number.
FEEDBACK_RETENTION_DAYS = int(os.environ.get("FEEDBACK_RETENTION_DAYS", "730"))
FEEDBACK_RETENTION_UNFINISHED_DAYS = int(os.environ.get("FEEDBACK_RETENTION_UNFINISHED_DAYS", "1095"))
FEEDBACK_RETENTION_HELD_DAYS = int(os.environ.get("FEEDBACK_RETENTION_HELD_DAYS", "1095"))
# Evaluations: no average is shown (nor a company ranked) for fewer residents than this.
FEEDBACK_MIN_RATINGS = int(os.environ.get("FEEDBACK_MIN_RATINGS", "5"))

# Residents' notifications (feedback/notifications): a backend per channel. SMS prints to
# the console unless NOTIFY_SMS_BACKEND=aliyun (Aliyun 短信服务, keys below); e-mail goes
# through EMAIL_BACKEND. NOTIFY_OUTBOX: a file the console backend also appends each SMS to.
SMS_BACKENDS = {
    "console": "feedback.notifications.backends.console.ConsoleSmsBackend",
    "aliyun": "feedback.notifications.backends.aliyun.AliyunSmsBackend",
}
NOTIFY_BACKENDS = {
    "sms": SMS_BACKENDS.get(
        os.environ.get("NOTIFY_SMS_BACKEND", "console"), os.environ.get("NOTIFY_SMS_BACKEND")
    ),
    "email": "feedback.notifications.backends.email.MailBackend",
}
NOTIFY_OUTBOX = os.environ.get("NOTIFY_OUTBOX", "")
NOTIFY_SMS_SIGN_NAME = os.environ.get("NOTIFY_SMS_SIGN_NAME", "同心门户")  # the approved 签名
# The approved template code of each step, "dispatched=SMS_1,resolved=SMS_2,…", and
# "code" for the verification code of 我的反映.
NOTIFY_SMS_TEMPLATES = dict(
    item.split("=", 1) for item in os.environ.get("NOTIFY_SMS_TEMPLATES", "").split(",") if "=" in item
)
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "4"))
NOTIFY_RETRY_SECONDS = float(os.environ.get("NOTIFY_RETRY_SECONDS", "60"))  # doubles each retry
NOTIFY_HTTP_TIMEOUT = float(os.environ.get("NOTIFY_HTTP_TIMEOUT", "5"))
ALIYUN_SMS_ENDPOINT = os.environ.get("ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
ALIYUN_SMS_ACCESS_KEY_ID = os.environ.get("ALIYUN_SMS_ACCESS_KEY_ID", "")
ALIYUN_SMS_ACCESS_KEY_SECRET = os.environ.get("ALIYUN_SMS_ACCESS_KEY_SECRET", "")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@tongxin.example.cn")

# Residents' tracking links carry their secret in the path: cut out of every log line.
# A resident's tracking link, and an Open311 client's key in a GET's query string.
LOG_REDACTED_PATHS = [r"(/feedback/track/)[^/\s\"?]+", r"([?&]api_key=)[^&\s\"]+"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"secrets": {"()": "portal.logs.RedactPathSecrets", "patterns": LOG_REDACTED_PATHS}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["secrets"]},
        # runserver's request lines, as Django formats them, without the secrets.
        "django.server": {
            "class": "logging.StreamHandler",
            "filters": ["secrets"],
            "formatter": "django.server",
        },
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "loggers": {"django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
