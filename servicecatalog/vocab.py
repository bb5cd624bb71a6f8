"""Fixed vocabularies of the catalogue: station types, amenities (with icons), statuses.

Amenity codes are stored on stations; labels and icons live here only, so an
editor picks from the same list residents filter by.
"""

from django.db import models


class StationType(models.TextChoices):
    PARTY_CENTER = "party_center", "党群服务中心"
    RED_STATION = "red_station", "红色驿站"
    ENERGY_STATION = "energy_station", "红色蓄能站"
    OUTDOOR_HOME = "outdoor_home", "户外劳动者之家"


class StationStatus(models.TextChoices):
    OPERATING = "operating", "运营"
    SUSPENDED = "suspended", "暂停"


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", "原件"
    COPY = "copy", "复印件"
    BOTH = "both", "原件及复印件"


# (code, label, icon symbol id in includes/amenity_sprite.html)
AMENITIES: list[tuple[str, str]] = [
    ("rest", "休息"),
    ("water", "饮水"),
    ("charging", "充电"),
    ("microwave", "热饭"),
    ("toilet", "如厕"),
    ("first_aid", "药箱"),
    ("tools", "维修工具"),
    ("umbrella", "雨具"),
    ("wifi", "Wi-Fi"),
    ("reading", "阅读"),
    ("cooling", "纳凉取暖"),
]
AMENITY_LABELS = dict(AMENITIES)


def amenity_items(codes: list[str]) -> list[dict[str, str]]:
    """Codes in vocabulary order with their labels; unknown codes are dropped."""
    wanted = set(codes or [])
    return [{"code": code, "label": label} for code, label in AMENITIES if code in wanted]
