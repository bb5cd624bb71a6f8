from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "通知公告"

    def ready(self):
        from wagtail.signals import page_published

        from .models import NoticePage

        # The one moment every way of publishing shares (the edit screen, approval in a
        # workflow, scheduled publishing); the rule itself is in services.
        page_published.connect(_notice_published, sender=NoticePage, dispatch_uid="notices-supersedes")


def _notice_published(sender, instance, revision=None, **kwargs):
    from .services import notice_published

    notice_published(notice=instance, user=getattr(revision, "user", None))
