"""Security headers: a strict CSP on every public page, a separate one for the admin,
and the production HTTPS/cookie settings actually reaching the browser."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from wagtail.models import Page

from .helpers import production_settings


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


class InlineCodeFinder(HTMLParser):
    """Collects everything a CSP without 'unsafe-inline' would block."""

    def __init__(self):
        super().__init__()
        self.problems = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # Data blocks (Django's json_script) are never run, so the CSP leaves them alone.
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self._in_inline_script = True
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs.items():
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"{name} handler on <{tag}>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}>")

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.problems.append(f"inline script: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


def assert_strict_public_policy(response):
    csp = parse_csp(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_home_page_sends_strict_csp_and_browser_protections(client, site):
    response = client.get("/")
    assert response.status_code == 200
    assert_strict_public_policy(response)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert inline_code(response.content.decode()) == []


@pytest.mark.django_db
def test_page_answered_from_page_cache_still_carries_csp(client, site):
    first = client.get("/")
    second = client.get("/")
    assert first.status_code == second.status_code == 200
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_every_public_demo_page_obeys_the_csp(client, demo_site):
    """Every live page of every app's demo content, plus the feedback and search pages."""
    urls = [page.url for page in Page.objects.live().filter(depth__gt=1).specific() if page.url]
    urls += ["/feedback/report/", "/feedback/track/", "/search/?q=社区"]
    assert len(urls) >= 10
    for url in [*urls, "/no-such-page/"]:
        response = client.get(url)
        assert response.status_code == (404 if url == "/no-such-page/" else 200), url
        assert_strict_public_policy(response)
        assert inline_code(response.content.decode()) == [], url


@pytest.mark.django_db
def test_wagtail_admin_gets_its_own_looser_policy(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    csp = parse_csp(response["Content-Security-Policy"])
    # Wagtail's admin needs inline scripts and frames its own previews…
    assert "'unsafe-inline'" in csp["script-src"]
    assert csp["frame-ancestors"] == ["'self'"]
    # …but still loads nothing from elsewhere.
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_page_preview_keeps_public_policy_but_can_sit_in_the_admin_iframe(home_page):
    response = home_page.make_preview_request()
    csp = parse_csp(response["Content-Security-Policy"])
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]


@pytest.mark.django_db
def test_admin_does_not_contact_gravatar(client, admin_user):
    client.force_login(admin_user)
    html = client.get("/admin/").content.decode()
    assert "gravatar.com" not in html


def test_production_settings_turn_on_https_protections():
    values = production_settings(
        "DEBUG",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SAMESITE",
        "X_FRAME_OPTIONS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "TRUSTED_PROXIES",
        "CONTENT_SECURITY_POLICY",
        "MIDDLEWARE",
    )
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    for cookie in ("SESSION", "CSRF"):
        assert values[f"{cookie}_COOKIE_SECURE"] is True
        assert values[f"{cookie}_COOKIE_HTTPONLY"] is True
        assert values[f"{cookie}_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert values["TRUSTED_PROXIES"] == ["127.0.0.1/32", "::1/128"]  # nginx on the same host by default
    assert values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["script-src"] == ["'self'"]
    assert "portal.middleware.ContentSecurityPolicyMiddleware" in values["MIDDLEWARE"]


@pytest.fixture(scope="module")
def production_security():
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SAMESITE",
    ]
    return production_settings(*names)


@pytest.mark.django_db
def test_staff_login_over_https_gets_hsts_and_locked_down_cookies(client, production_security):
    get_user_model().objects.create_superuser("editor", "editor@example.cn", "s3cret-pass")
    with override_settings(**production_security):
        page = client.get("/admin/login/", secure=True)
        assert page["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "includeSubDomains" in page["Strict-Transport-Security"]
        csrf = page.cookies["csrftoken"]
        assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
        login = client.post(
            "/admin/login/",
            {"username": "editor", "password": "s3cret-pass", "next": "/admin/"},
            secure=True,
        )
        assert login.status_code == 302
        session = login.cookies["sessionid"]
        assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
