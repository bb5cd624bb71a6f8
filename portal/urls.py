from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home.communities import community_lookup, community_page
from home.views import search_view
from portal.accounts.views import ThrottledPasswordResetView
from portal.care import toggle_care_mode

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # Before Wagtail's own: the second-factor pages, and its password reset with limits.
    path("admin/2fa/", include("portal.accounts.urls")),
    path("admin/password_reset/", ThrottledPasswordResetView.as_view(), name="wagtailadmin_password_reset"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("captcha/", include("captcha.urls")),
    path("care-mode/", toggle_care_mode, name="care_mode"),
    path("search/", search_view, name="search"),
    path("communities/", community_lookup, name="communities"),
    path("communities/<str:slug>/", community_page, name="community"),
    path("feedback/", include("feedback.urls")),
    path("participation/", include("feedback.participation.urls")),
    path("deliberation/", include("feedback.deliberation.urls")),
    path("page-feedback/", include("home.page_feedback.urls")),
    path("open311/v2/", include("feedback.open311.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every page (/, /notices/, /services/, /stations/, /reports/…);
# it must stay last.
urlpatterns += [path("", include(wagtail_urls))]
