"""Factories, one module per app (``tests/factories/<app>.py``)."""
