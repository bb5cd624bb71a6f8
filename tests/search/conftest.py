import pytest

from .corpus import build_site


@pytest.fixture
def search_site(home_page, django_capture_on_commit_callbacks):
    """The relevance test site, published and indexed (key → page)."""
    # The index is updated by a task enqueued on commit, as after a real publish.
    with django_capture_on_commit_callbacks(execute=True):
        return build_site(home_page)
