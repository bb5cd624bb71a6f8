"""Search answers for place and amenity words: the station finder with the filter set.

``home.intents`` holds the words; this module knows where the finder lives and what its
filter parameters are (``servicecatalog.forms.StationFilterForm``: ``amenity``, ``type``).
"""

from urllib.parse import urlencode

from home.intents import IntentAnswer

from .models import StationIndexPage
from .vocab import AMENITY_LABELS, StationType


def station_answers(values: list[str]) -> list[IntentAnswer]:
    index = StationIndexPage.objects.live().first()
    if index is None:
        return []
    amenities = [value for value in values if value in AMENITY_LABELS]
    types = [value for value in values if value in StationType.values]
    params = [("amenity", code) for code in amenities] + [("type", code) for code in types[:1]]
    kind = StationType(types[0]).label if types else "红色驿站"
    if amenities:
        labels = "、".join(AMENITY_LABELS[code] for code in amenities)
        title = f"找能{labels}的{kind}" if len(amenities) == 1 else f"找有{labels}的{kind}"
    else:
        title = f"找附近的{kind}"
    return [
        IntentAnswer(
            title=title,
            text="看看哪些站点现在开放，可按离我最近排序，一键导航过去。",
            url=index.url + (f"?{urlencode(params)}" if params else ""),
            action="打开驿站查找",
            kind="stations",
        )
    ]
