"""Reads of the catalogue that other apps and hooks use (the home page's featured services).

The pages' own lists are built by the page models (``models/``) and the station finder
(``finder.py``).
"""

from .models import ServiceItemPage


def featured_services(*, limit: int = 6) -> list[ServiceItemPage]:
    return list(
        ServiceItemPage.objects.live()
        .filter(featured=True)
        .select_related("category")
        .order_by("title")[:limit]
    )
