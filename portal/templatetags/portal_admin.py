"""What the admin's own templates need from the project's settings."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def admin_site_name() -> str:
    """The name staff know the back office by (``WAGTAIL_SITE_NAME``)."""
    return settings.WAGTAIL_SITE_NAME
