from .catalogue import ServiceAudience, ServiceCategory, ServiceIndexPage, ServiceItemPage, ServiceMaterial
from .stations import StationIndexPage, StationOpeningHours, StationPage, StationPhoto

__all__ = [
    "ServiceAudience",
    "ServiceCategory",
    "ServiceIndexPage",
    "ServiceItemPage",
    "ServiceMaterial",
    "StationIndexPage",
    "StationOpeningHours",
    "StationPage",
    "StationPhoto",
]
