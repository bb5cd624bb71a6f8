"""Open311 GeoReport v2 (``/open311/v2/``): other systems file and read residents' reports."""
