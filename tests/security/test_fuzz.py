"""Property tests: hostile text in the query parameters and paths that exist never causes a
500 and never comes back as live markup."""

from urllib.parse import quote, urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .strategies import markup_payload, nasty_text, query_value
from .test_headers import inline_code

# Pages are read-only here, so sharing the function-scoped demo site between examples is safe.
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SAFE_STATUSES = {200, 301, 302, 400, 404}


def assert_escaped(html: str, payload: str):
    """Parsed as a browser would, the page holds no element, handler or script the payload made."""
    assert inline_code(html) == [], payload
    assert "<script>alert(1)</script>" not in html


def expected_status(text: str) -> int:
    """A NUL byte is refused before any view runs; any other text gets the page."""
    return 400 if "\x00" in text else 200


@pytest.mark.django_db
@FUZZ
@given(payload=markup_payload())
def test_home_page_survives_and_escapes_any_query_string(client, site, payload):
    response = client.get("/", {"q": payload, payload[:50]: "1"})
    assert response.status_code == expected_status(payload)
    if response.status_code == 200:
        assert_escaped(response.content.decode(), payload)


@pytest.mark.django_db
@FUZZ
@given(payload=query_value())
def test_site_search_survives_and_escapes_any_query(client, site, payload):
    response = client.get("/search/", {"q": payload})
    assert response.status_code == expected_status(payload)
    if response.status_code == 200:
        assert_escaped(response.content.decode(), payload)


@pytest.mark.django_db
@FUZZ
@given(
    next_url=st.one_of(
        query_value(), st.sampled_from(["//evil.example", "https://evil.example/", "\\\\evil"])
    )
)
def test_elder_mode_next_only_ever_redirects_on_site(client, next_url):
    response = client.get("/care-mode/", {"on": "1", "next": next_url})
    if "\x00" in next_url:
        assert response.status_code == 400
        return
    assert response.status_code == 302
    # Resolve the way a browser does (it reads "\\" as "/"): the target stays on this site.
    target = urlsplit(urljoin("http://testserver/care-mode/", response["Location"].replace("\\", "/")))
    assert (target.scheme, target.netloc) == ("http", "testserver")


@pytest.mark.django_db
@FUZZ
@given(segment=nasty_text(max_pieces=4))
def test_any_path_is_answered_without_a_server_error(client, site, segment):
    response = client.get("/" + quote(segment[:300].encode("utf-8", "surrogatepass"), safe="") + "/")
    assert response.status_code in SAFE_STATUSES
