from django.urls import path, re_path

from . import views

app_name = "open311"

# ``.json`` or ``.xml`` after each resource, as the spec gives them; without one (or with
# another) the answer is the spec's error, not a bare 404.
FMT = r"(?:\.(?P<fmt>[A-Za-z0-9]+))?"

urlpatterns = [
    path("", views.docs, name="docs"),
    re_path(rf"^discovery{FMT}$", views.discovery, name="discovery"),
    re_path(rf"^services{FMT}$", views.services, name="services"),
    re_path(rf"^services/(?P<code>[A-Za-z0-9_-]+){FMT}$", views.service_definition, name="service"),
    re_path(rf"^requests{FMT}$", views.requests, name="requests"),
    re_path(rf"^requests/(?P<request_id>[A-Za-z0-9-]+){FMT}$", views.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[A-Za-z0-9_-]+){FMT}$", views.token_detail, name="token"),
]
