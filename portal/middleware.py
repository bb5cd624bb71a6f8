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
