from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "门户首页与区域"

    def ready(self):
        from wagtail.contrib.search_promotions.models import SearchPromotion

        from portal.cache import purge_when_saved

        # Promoted results are edited outside snippets; cached search answers show them.
        purge_when_saved(SearchPromotion)
