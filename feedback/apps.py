from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "居民反映与评议"

    def ready(self):
        from portal.cache import purge_when_saved

        from .complaints import (
            checks,  # noqa: F401 - registers the storage checks
            workdays,  # noqa: F401 - the holiday calendar covers this year and next
        )
        from .models import ComplaintCategory
        from .notifications import checks as notification_checks  # noqa: F401 - the SMS settings
        from .notifications import receivers  # noqa: F401 - residents are told of public steps
        from .participation import receivers as participation_receivers  # noqa: F401 - points for needs done

        # Categories are edited in the modeladmin (not a snippet) and shown in the
        # report form's kept fields and on the public board.
        purge_when_saved(ComplaintCategory)
