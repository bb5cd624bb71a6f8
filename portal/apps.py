from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project package as an app, so its signal handlers are connected in
    every process (web, ``db_worker``, cron commands like ``publish_scheduled``)."""

    name = "portal"
    label = "portal"
    verbose_name = "门户"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
        from .cache import connect_signals

        connect_signals()
