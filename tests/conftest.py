"""Shared fixtures. Build data with the factories in ``tests/factories``."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters and cached pages must not leak between tests, nor the
    # copies this process keeps of pages and fragments.
    from portal.cache import _copies

    cache.clear()
    _copies.forget()
    yield
    cache.clear()
    _copies.forget()


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
