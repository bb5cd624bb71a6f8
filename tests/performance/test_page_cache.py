"""Anonymous visitors get public pages from the shared cache; nobody ever gets a stale,
personal or form page from it."""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from home.models import Community, HomePage, PortalSettings
from portal.cache import purge_pages

pytestmark = pytest.mark.django_db


def _get(client, path="/", **extra):
    return client.get(path, **extra)


def test_second_anonymous_visit_is_served_from_cache_with_shared_cache_headers(client, site):
    first = _get(client)
    second = _get(client)
    assert first.status_code == second.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    cache_control = {part.strip() for part in second["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=0", "s-maxage=60"}
    assert second["ETag"] == first["ETag"]
    # One language only, no per-visitor cookie: nothing for a proxy to vary on.
    assert "cookie" not in second.get("Vary", "").lower()
    assert "accept-language" not in second.get("Vary", "").lower()
    assert not second.cookies


def test_cached_answer_keeps_every_security_header(client, site):
    first, second = _get(client), _get(client)
    assert second["X-Page-Cache"] == "hit"
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert second.get(header), header
        assert second[header] == first[header], header


def test_browser_revalidating_with_etag_gets_304(client, site):
    etag = _get(client)["ETag"]
    revalidated = _get(client, HTTP_IF_NONE_MATCH=etag)
    assert revalidated.status_code == 304
    assert revalidated.content == b""


def test_publishing_a_page_purges_the_cache(client, home_page, django_capture_on_commit_callbacks):
    assert "疫苗接种" not in _get(client).content.decode()
    assert _get(client)["X-Page-Cache"] == "hit"
    home_page.quick_entries = [("entry", {"label": "疫苗接种", "hint": "", "icon": "link", "url": "/x/"})]
    with django_capture_on_commit_callbacks(execute=True):
        home_page.save_revision().publish()
    response = _get(client)
    assert response["X-Page-Cache"] == "miss"
    assert "疫苗接种" in response.content.decode()


def test_saving_a_draft_keeps_the_cache(client, home_page):
    _get(client)
    home_page.title = "草稿标题"
    home_page.save_revision()  # not published: residents still see the live page
    assert _get(client)["X-Page-Cache"] == "hit"


def _child(home_page, slug="guide"):
    child = home_page.add_child(instance=HomePage(title="临时页面", slug=slug))
    child.save_revision().publish()
    return child


def test_unpublished_page_disappears_at_once(client, home_page):
    child = _child(home_page)
    assert _get(client, "/guide/").status_code == 200
    assert _get(client, "/guide/")["X-Page-Cache"] == "hit"
    child.unpublish()
    assert _get(client, "/guide/").status_code == 404


def test_deleted_page_disappears_at_once(client, home_page):
    child = _child(home_page)
    assert _get(client, "/guide/")["X-Page-Cache"] == "miss"
    child.delete()
    assert _get(client, "/guide/").status_code == 404


def test_moved_page_leaves_its_old_address(client, home_page):
    parent = _child(home_page, slug="parent")
    child = _child(home_page, slug="guide")
    assert _get(client, "/guide/").status_code == 200
    child.move(parent, pos="last-child")
    moved = _get(client, "/guide/")  # Wagtail leaves a redirect at the old address
    assert moved.status_code == 301 and moved["Location"] == "/parent/guide/"
    assert _get(client, "/parent/guide/").status_code == 200


def test_renamed_community_snippet_shows_at_once(client, site):
    community = Community.objects.first()
    assert community.name in _get(client).content.decode()
    community.name = "新改名社区"
    community.save()
    assert "新改名社区" in _get(client).content.decode()


def test_changed_hotline_setting_shows_at_once(client, site):
    _get(client)
    portal = PortalSettings.for_site(site)
    portal.hotline = "0871-99998888"
    portal.save()
    assert "0871-99998888" in _get(client).content.decode()


def test_purge_pages_is_there_for_other_data(client, site):
    _get(client)
    assert _get(client)["X-Page-Cache"] == "hit"
    purge_pages()
    assert _get(client)["X-Page-Cache"] == "miss"


def test_logged_in_editor_never_gets_or_fills_the_cache(client, site):
    editor = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    client.force_login(editor)
    for _ in range(2):
        response = _get(client)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert "private" in response["Cache-Control"]
    client.logout()
    client.cookies.pop("sessionid", None)
    assert _get(client)["X-Page-Cache"] == "miss"


def test_anonymous_copy_is_not_served_to_a_logged_in_editor(client, site):
    _get(client)
    editor = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    client.force_login(editor)
    assert "X-Page-Cache" not in _get(client)


def test_elder_mode_gets_its_own_private_variant(client, site):
    plain = _get(client)
    client.cookies["care"] = "1"
    care = _get(client)
    assert care["X-Page-Cache"] == "miss"
    assert '<html lang="zh-hans" class="care">' in care.content.decode()
    assert _get(client)["X-Page-Cache"] == "hit"
    cache_control = {part.strip() for part in care["Cache-Control"].split(",")}
    assert cache_control == {"private", "max-age=0"}
    assert care["ETag"] != plain["ETag"]
    del client.cookies["care"]
    assert 'class="care"' not in _get(client).content.decode()


@override_settings(ROOT_URLCONF="tests.performance.urls")
def test_page_with_a_form_is_never_cached(client, site):
    for _ in range(2):
        response = _get(client, "/contact/")
        assert b"csrfmiddlewaretoken" in response.content
        assert "X-Page-Cache" not in response
        assert "public" not in response.get("Cache-Control", "")


@override_settings(ROOT_URLCONF="tests.performance.urls")
def test_response_that_sets_a_cookie_is_never_cached(client, site):
    for _ in range(2):
        response = _get(client, "/remember/")
        assert response.cookies["choice"].value == "1"
        assert "X-Page-Cache" not in response


@pytest.mark.parametrize(
    "path", ["/feedback/report/", "/feedback/track/", "/search/?q=驿站", "/admin/login/"]
)
def test_form_and_personal_paths_are_never_cached(client, site, path):
    client.raise_request_exception = False  # the rule holds whatever those apps answer
    for _ in range(2):
        response = _get(client, path)
        assert "X-Page-Cache" not in response
        assert "public" not in response.get("Cache-Control", "")


def test_post_and_not_found_are_never_cached(client, site):
    assert "X-Page-Cache" not in client.post("/")
    for _ in range(2):
        response = _get(client, "/no-such-page/")
        assert response.status_code == 404
        assert "X-Page-Cache" not in response


@override_settings(PAGE_CACHE_SECONDS=0)
def test_cache_can_be_switched_off(client, site):
    _get(client)
    assert "X-Page-Cache" not in _get(client)


@pytest.fixture
def local_copies(settings):
    from portal import cache as page_cache

    settings.PAGE_CACHE_LOCAL_SECONDS = 5
    page_cache._local.forget()
    yield page_cache
    page_cache._local.forget()


def _bump_elsewhere():
    """What purge_pages() in another app process does to the shared cache."""
    from django.core.cache import cache

    from portal.cache import GENERATION_KEY

    cache.incr(GENERATION_KEY)


def test_process_copy_answers_without_the_shared_cache_and_sees_own_purge_at_once(
    client, site, local_copies, monkeypatch
):
    _get(client)  # miss: stored in the shared cache and in this process
    calls = []
    shared = local_copies._cache()
    original = shared.get_many
    monkeypatch.setattr(shared, "get_many", lambda keys: calls.append(keys) or original(keys))
    assert _get(client)["X-Page-Cache"] == "hit"
    assert calls == []  # answered from this process's copy
    purge_pages()
    assert _get(client)["X-Page-Cache"] == "miss"  # this process's own purge: at once


def test_purge_in_another_process_is_seen_once_the_local_window_ends(client, site, local_copies, settings):
    import time

    settings.PAGE_CACHE_LOCAL_SECONDS = 0.3
    _get(client)
    assert _get(client)["X-Page-Cache"] == "hit"
    _bump_elsewhere()
    time.sleep(0.35)
    assert _get(client)["X-Page-Cache"] == "miss"


def test_process_copies_switched_off_ask_the_shared_cache_every_time(client, site, settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 0
    _get(client)
    assert _get(client)["X-Page-Cache"] == "hit"
    _bump_elsewhere()
    assert _get(client)["X-Page-Cache"] == "miss"


def _generation_reads(monkeypatch, shared):
    """Count the shared cache's reads of the generation (alone or with a page)."""
    from portal.cache import GENERATION_KEY

    reads = []
    get, get_many = shared.get, shared.get_many
    monkeypatch.setattr(
        shared, "get", lambda key, *a, **k: (key == GENERATION_KEY and reads.append(key)) or get(key, *a, **k)
    )
    monkeypatch.setattr(
        shared, "get_many", lambda keys: (GENERATION_KEY in keys and reads.append(keys)) or get_many(keys)
    )
    return reads


def test_a_page_built_again_reads_the_generation_once(client, site, local_copies, settings, monkeypatch):
    # The page cache off (a logged-in editor's view); its fragments and kept parts
    # each need the generation: within the window one read serves them all.
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 300
    _get(client)
    local_copies._local.forget()
    reads = _generation_reads(monkeypatch, local_copies._cache())
    assert _get(client).status_code == 200
    assert len(reads) == 1
    settings.PAGE_CACHE_LOCAL_SECONDS = 0  # switched off: every use asks the shared cache
    assert _get(client).status_code == 200
    assert len(reads) > 2


def test_kept_parts_see_another_process_purge_once_the_local_window_ends(site, local_copies, monkeypatch):
    from portal.cache import generation_key

    clock = [1000.0]  # this process's monotonic clock, moved by hand: no sleep, no race
    monkeypatch.setattr(local_copies.time, "monotonic", lambda: clock[0])
    before = generation_key("child:1:notices")
    _bump_elsewhere()
    clock[0] += 4.9
    assert generation_key("child:1:notices") == before  # trusted for the 5 s window
    clock[0] += 0.2
    after = generation_key("child:1:notices")
    assert after != before
    purge_pages()  # this process's own purge: at once
    assert generation_key("child:1:notices") != after
