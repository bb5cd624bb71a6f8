"""Shared fixtures. Build data with the factories in ``tests/factories``."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters, cached pages and fragments must not leak between tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(db):
    """The demo ground: regions, settings, home page and groups."""
    from home import demo

    demo.load()
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True)


@pytest.fixture
def home_page(site):
    return site.root_page.specific
