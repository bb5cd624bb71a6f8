import uuid

import pytest

from tests.factories.servicecatalog import ServiceIndexPageFactory, StationIndexPageFactory


@pytest.fixture
def service_index(home_page):
    return ServiceIndexPageFactory(parent=home_page)


@pytest.fixture
def station_index(home_page):
    return StationIndexPageFactory(parent=home_page)


def count_queries(client, url: str) -> int:
    """Queries the view runs for ``url``, measured past the shared page cache."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # A query string never asked before misses the full-page cache, while Wagtail's
    # site-root cache stays warm as on a running server.
    client.get(url)
    probe = f"{url}{'&' if '?' in url else '?'}probe={uuid.uuid4().hex}"
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(probe)
    assert response.status_code == 200
    return len(ctx.captured_queries)
