"""Extra views for the page-cache tests: a form page and a page that sets a cookie,
served beside the real site (Wagtail's catch-all stays last)."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path
from wagtail import urls as wagtail_urls

from portal.urls import urlpatterns as portal_patterns

_FORM = engines["django"].from_string(
    '<!DOCTYPE html><html><body><form method="post">{% csrf_token %}'
    '<input name="q"><button>提交</button></form></body></html>'
)


def contact_form(request):
    return HttpResponse(_FORM.render({}, request))


def remembers_choice(request):
    response = HttpResponse("<!DOCTYPE html><p>已记住您的选择</p>")
    response.set_cookie("choice", "1")
    return response


urlpatterns = [
    path("contact/", contact_form),
    path("remember/", remembers_choice),
    *[p for p in portal_patterns if getattr(p, "urlconf_name", None) is not wagtail_urls],
    path("", include(wagtail_urls)),
]
