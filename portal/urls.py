from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home.communities import community_lookup, community_page
from home.sitemap import robots_txt, sitemap_xml
from home.views import search_view
from portal.accounts.views import ThrottledPasswordResetView
from portal.care import toggle_care_mode

# Entry pages served by views, listed in /sitemap.xml after every public Wagtail page.
SITEMAP_ENTRIES = [
    "feedback:report",
    "feedback:public",
    "feedback:evaluate",
    "feedback:ranking",
    "communities",
    "participation:needs",
    "participation:wishes",
    "participation:resources",
    "participation:projects",
    "participation:points",
    "deliberation:list",
]
# Addresses crawlers must not follow (/robots.txt): staff screens, per-query pages and
# anything that carries a resident's tracking token or session.
ROBOTS_DISALLOW = [
    "/admin/",
    "/django-admin/",
    "/search/",
    "/feedback/track/",
    "/feedback/mine/",
    "/feedback/report/submitted/",
    "/participation/me/",
    "/participation/needs/track/",
    "/participation/wishes/track/",
    "/page-feedback/",
    "/care-mode/",
    "/captcha/",
]

urlpatterns = [
    path("robots.txt", robots_txt, {"disallow": ROBOTS_DISALLOW}, name="robots_txt"),
    path("sitemap.xml", sitemap_xml, {"entries": SITEMAP_ENTRIES}, name="sitemap"),
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
