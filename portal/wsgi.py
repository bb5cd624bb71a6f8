import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()

# gunicorn runs no system checks: refuse to serve with a console e-mail backend or a
# localhost WAGTAILADMIN_BASE_URL in production (portal/checks.py).
from portal.checks import refuse_to_start_if_misconfigured  # noqa: E402

refuse_to_start_if_misconfigured()
