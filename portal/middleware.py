"""Site-wide security headers and request hygiene.

- :class:`ContentSecurityPolicyMiddleware`: django-csp with two policies. Public pages
  get the strict ``CONTENT_SECURITY_POLICY`` (scripts and styles only from our own
  static files, no ``unsafe-inline``, no framing); the Wagtail and Django admins, which
  rely on inline scripts and styles and frame their own page previews, get
  ``CONTENT_SECURITY_POLICY_ADMIN``; Wagtail's page previews keep the public policy but
  may be framed by the admin. The policies hold no nonce, so a page answered
  from the shared page cache carries a header that is still true for it. A
  ``Permissions-Policy`` header switches off browser features the portal never uses.
- :class:`RejectNullBytesMiddleware`: a NUL byte in the path or query string is never
  legitimate and makes PostgreSQL raise on any lookup that uses it (a 500), so such
  requests get a 400 before any view runs.

Both sit right after ``SecurityMiddleware``, outside the page cache, so every answer —
cached or not, page or error — gets the headers.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.utils.deprecation import MiddlewareMixin


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request=request, response=response, report_only=report_only)
        if report_only:
            return parts
        if getattr(request, "is_dummy", False):
            # Wagtail renders page previews through a dummy request carrying the page's own
            # path, then shows them in an admin iframe: the public policy, framable by us.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
            return parts
        admin_prefixes = tuple(getattr(settings, "CSP_ADMIN_PATH_PREFIXES", ()))
        if parts.config is None and admin_prefixes and request.path_info.startswith(admin_prefixes):
            admin_policy = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", {})
            parts.config = default_config(admin_policy.get("DIRECTIVES", {}))
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        permissions = getattr(settings, "PERMISSIONS_POLICY", "")
        if permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions
        return response


class RejectNullBytesMiddleware(MiddlewareMixin):
    def process_request(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            # SuspiciousOperation → the Chinese 400 page, logged without the payload.
            raise SuspiciousOperation("NUL byte in request path or query string")
        return None


class SharedSiteMiddleware:
    """Wagtail finds the Site for every page request (one query with a CASE expression,
    heavy to compile) and then its root page and that page's specific type (two more).
    Both change only through a publish or a Site edit, which purge the shared cache, so
    they are looked up once per content generation and shared by every process
    (``portal.cache.shared_fragment``). ``Site.find_for_request`` reads
    ``request._wagtail_site`` first. Sits after ``CommonMiddleware``, so the host has
    been checked against ``ALLOWED_HOSTS`` before it becomes part of a cache key. With
    the fragment cache off it does nothing (Wagtail then looks the site up when needed).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from wagtail.models import Site

        from .cache import shared_fragment

        if settings.FRAGMENT_CACHE_SECONDS > 0 and not hasattr(request, "_wagtail_site"):
            request._wagtail_site = shared_fragment(
                f"site:{request.get_host()}",
                lambda: _site_with_specific_root(Site._find_for_request(request)),
            )
        return self.get_response(request)


def _site_with_specific_root(site):
    if site is not None:
        site.root_page = site.root_page.specific  # what Wagtail's routing asks for next
    return site
