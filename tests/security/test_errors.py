"""With DEBUG off, every error a visitor can trigger is a Chinese page that leaks nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path
from django.views.decorators.csrf import csrf_protect

from portal import urls as portal_urls

from .test_headers import assert_strict_public_policy, inline_code


def _forbidden(request):
    raise PermissionDenied("internal-permission-detail")


@csrf_protect
def _accepts_post(request):
    return HttpResponse("ok")


def _boom(request):
    raise RuntimeError("secret-internal-detail")


urlpatterns = [
    path("forbidden/", _forbidden),
    path("submit/", _accepts_post),
    path("boom/", _boom),
    *portal_urls.urlpatterns,  # base.html links to named portal URLs
]


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_unknown_host_gets_chinese_400_without_details(client):
    response = client.get("/", HTTP_HOST="evil.example.com")
    html = response.content.decode()
    assert response.status_code == 400
    assert "请求无法处理" in html and '<html lang="zh-hans"' in html
    assert "evil.example.com" not in html
    assert "ALLOWED_HOSTS" not in html and "DisallowedHost" not in html
    assert_strict_public_policy(response)
    assert inline_code(html) == []


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_nul_byte_in_query_gets_400_not_a_database_error(client, site):
    response = client.get("/", {"q": "社区\x00"})
    assert response.status_code == 400
    assert "请求无法处理" in response.content.decode()
    assert client.get("/%00/").status_code == 400


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_forbidden_page_is_chinese(client, site):
    response = client.get("/forbidden/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "没有访问权限" in html and '<html lang="zh-hans"' in html
    assert "internal-permission-detail" not in html
    assert inline_code(html) == []


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_expired_form_csrf_failure_explains_in_chinese():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/submit/", {"content": "楼道灯坏了"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in html and "刷新页面" in html
    assert "CSRF" not in html  # no technical reason shown to residents
    assert_strict_public_policy(response)
    assert inline_code(html) == []


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_server_error_page_obeys_the_csp():
    response = Client(raise_request_exception=False).get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务暂时不可用" in html and "secret-internal-detail" not in html
    assert_strict_public_policy(response)
    assert inline_code(html) == []
    assert "/static/css/portal.css" in html
