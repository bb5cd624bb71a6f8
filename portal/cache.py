"""Full-page cache for anonymous visitors, shared by every app process.

Rules (each one is tested in ``tests/performance``):

- Only anonymous GET/HEAD requests are answered from the cache. A request that
  carries a session cookie (a logged-in editor, a password-protected page) or a
  pending flash message always goes to the view.
- Only a plain ``200`` HTML answer is stored, and only if it sets no cookie, does
  not vary on ``Cookie``, does not say ``private``/``no-store`` and holds no form
  with a CSRF token. Paths with forms or per-visitor answers (``/admin/``,
  ``/feedback/``, ``/search/``, ``/captcha/``…) are never stored.
- Elder mode (the ``care`` cookie) changes the HTML, so it is part of the key.
  ``Vary: Cookie`` would make every shared cache useless (each visitor has other
  cookies), so the care-less variant is sent as ``public, max-age=0, s-maxage=N``
  — a shared cache (nginx, a CDN) may keep it if it puts the ``care`` cookie in
  its key (``deploy/nginx.conf.sample`` does) — while the care variant is
  ``private``. Browsers always revalidate (``max-age=0``, cheap with the ETag),
  so switching elder mode on shows the new variant at once.
- Invalidation is by generation: every entry records a number kept in the cache,
  and :func:`purge_pages` bumps it, so a purge is one atomic ``INCR`` seen by every
  process at once; an entry from an older generation counts as a miss. The page
  and the generation are read in one round trip. Wagtail signals (publish, unpublish, move, delete, snippet and
  site-setting changes) call it; code that changes other data shown on public
  pages (figures, ratings) calls it too. The TTL (``PAGE_CACHE_SECONDS``) is the
  backstop for anything that changes without a purge.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

from portal.care import CARE_COOKIE

GENERATION_KEY = "pagecache:generation"
# Fragment entries are (generation, value, expires_at); "fragment:" held the older pairs.
FRAGMENT_PREFIX = "frag:"
# Visitors on these paths fill in forms or see answers made for them alone.
NEVER_CACHED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/feedback/",
    "/search/",
    "/captcha/",
    "/care-mode/",
    "/documents/",
    "/static/",
    "/media/",
)
# Response headers that must not be replayed to another visitor.
_DROPPED_HEADERS = {"set-cookie", "x-page-cache"}
_MAX_QUERY_LENGTH = 256  # longer query strings are not worth a cache slot


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _ttl() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 300))


def _shared_max_age() -> int:
    return int(getattr(settings, "PAGE_CACHE_SHARED_MAX_AGE", 60))


def current_generation() -> int:
    cache = _cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Start from the clock, never from 0: if Redis lost the key, an old
        # generation's pages (still within their TTL) must not come back.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return int(generation)


def _bump() -> None:
    _copies.forget_generation()  # this process sees its own purge at once
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key is missing: any new value starts a new generation
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def purge_pages() -> None:
    """Forget every cached public page, in every app process.

    Call it after changing data that public pages show but that is not a Wagtail
    page, snippet or site setting (those purge by themselves). Inside a
    transaction it bumps now and again on commit, so no request can cache what
    it read before the commit under the new generation.
    """
    _bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump)


def shared_fragment(name: str, build: Callable[[], Any], *, seconds: int | None = None) -> Any:
    """A piece of a page that every visitor sees alike, built once per generation.

    For parts that cost queries on every request even when the page cache cannot
    serve the page (logged-in editors, query strings, the cache switched off): the
    home page's sections, for instance. ``build()`` must return something picklable
    that does not depend on the visitor. It is dropped with the cached pages by
    :func:`purge_pages`, and kept at most ``FRAGMENT_CACHE_SECONDS`` (0 turns it off)
    or ``seconds`` if shorter: statistics that change with every report, which no
    purge follows, pass a short one.

    Each process also keeps the value itself (see :class:`_ProcessCopies`), so most
    reads cost neither a round trip nor unpickling. Callers get that same object on
    every request: treat it as read-only.
    """
    ttl = int(getattr(settings, "FRAGMENT_CACHE_SECONDS", 300))
    if seconds is not None:
        ttl = min(ttl, seconds)
    if ttl <= 0:
        return build()
    key = _fragment_key(name)
    generation, entry = _find(key)
    if entry is not None and entry[2] > time.time():
        return entry[1]
    value = build()
    if value is not None:  # "not found" is not kept: any path may be asked for
        entry = (generation, value, time.time() + ttl)  # the deadline is checked above
        _cache().set(key, entry, timeout=ttl)
        _copies.put(key, entry)
    return value


def page_part(page, request, part: str, build: Callable[[], Any]) -> Any:
    """What one page shows beside its own fields (materials, photos, linked pages),
    shared like :func:`shared_fragment`, except in a preview, where the draft's parts
    differ from the live page's and are built every time."""
    if getattr(request, "is_preview", False):
        return build()
    return shared_fragment(f"part:{page.pk}:{part}", build)


def _fragment_key(name: str) -> str:
    # Names may hold what a visitor typed into a URL (a slug): hash anything that is
    # not short plain ASCII, so every key is valid for every cache backend.
    if name.isascii() and name.isprintable() and " " not in name and len(name) <= 200:
        return f"{FRAGMENT_PREFIX}{name}"
    return FRAGMENT_PREFIX + hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()


def _read_with_generation(key: str) -> tuple[int, tuple | None]:
    """The current generation and the entry at ``key`` if it was made in it, in one
    round trip to the cache. Entries are ``(generation, ...)`` tuples."""
    found = _cache().get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        return current_generation(), None
    entry = found.get(key)
    return int(generation), entry if entry is not None and entry[0] == int(generation) else None


def page_cache_key(request) -> str:
    """One slot per page variant; the entry records the generation it was made in."""
    care = "1" if request.COOKIES.get(CARE_COOKIE) == "1" else "0"
    path = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    return f"page:{care}:{request.scheme}:{request.get_host()}:{path}"


def request_is_cacheable(request) -> bool:
    if _ttl() <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(NEVER_CACHED_PREFIXES):
        return False
    if len(request.META.get("QUERY_STRING", "")) > _MAX_QUERY_LENGTH:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    try:
        request.get_host()
    except DisallowedHost:  # the inner middleware answers 400, with every header
        return False
    return True


def response_is_cacheable(request, response) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    if "cookie" in response.get("Vary", "").lower():
        return False
    # Belt and braces: a form with a CSRF token is personal to one visitor.
    return b"csrfmiddlewaretoken" not in response.content


def _drop_single_language_vary(response) -> None:
    # LocaleMiddleware adds "Vary: Accept-Language"; with one language the answer
    # never varies on it, and shared caches store fewer copies without it.
    if len(settings.LANGUAGES) != 1 or not response.has_header("Vary"):
        return
    kept = [v.strip() for v in response["Vary"].split(",") if v.strip().lower() != "accept-language"]
    if kept:
        response["Vary"] = ", ".join(kept)
    else:
        del response["Vary"]


def _public_headers(request, response) -> None:
    if request.COOKIES.get(CARE_COOKIE) == "1":
        patch_cache_control(response, private=True, max_age=0)
    else:
        patch_cache_control(response, public=True, max_age=0, s_maxage=_shared_max_age())


def _freeze(response, generation: int) -> tuple[int, bytes, list[tuple[str, str]]]:
    headers = [(k, v) for k, v in response.items() if k.lower() not in _DROPPED_HEADERS]
    return generation, response.content, headers


def _thaw(request, frozen) -> HttpResponse:
    _, content, headers = frozen
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    if "HTTP_IF_NONE_MATCH" not in request.META:
        return response
    # The middleware that answers 304 for other pages sits inside this one.
    return get_conditional_response(request, etag=response.get("ETag"), response=response) or response


class _ProcessCopies:
    """The pages and fragments this process used lately, and the generation it last read.

    A hit needs the current generation, which lives in Redis: one round trip per
    request, most of a hit's cost. Within ``PAGE_CACHE_LOCAL_SECONDS`` (1 s) of
    reading it, this process trusts the generation it read and answers from its own
    copy, so a purge made by another process is seen here at most that much later
    (a proxy may keep a page ``PAGE_CACHE_SHARED_MAX_AGE`` = 60 s anyway). A purge in
    this process is seen at once. 0 switches the copies off.
    """

    def __init__(self, size: int = 600):
        self.size = size
        self.entries: OrderedDict[str, tuple] = OrderedDict()
        self.generation: int | None = None
        self.read_at = 0.0
        self.lock = threading.Lock()

    @staticmethod
    def window() -> float:
        return float(getattr(settings, "PAGE_CACHE_LOCAL_SECONDS", 1.0))

    def trusted_generation(self, now: float) -> int | None:
        if self.generation is None or now - self.read_at >= self.window():
            return None
        return self.generation

    def note_generation(self, generation: int, now: float) -> None:
        self.generation, self.read_at = generation, now

    def forget_generation(self) -> None:
        self.generation = None

    def forget(self) -> None:
        with self.lock:
            self.entries.clear()
        self.generation = None

    def get(self, key: str, generation: int) -> tuple | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] != generation:
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple) -> None:
        """Keep ``entry`` (``(generation, ...)``) until its generation is over."""
        if self.window() <= 0:
            return
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_copies = _ProcessCopies()


def _find(key: str) -> tuple[int, tuple | None]:
    """The current generation and the entry stored under ``key`` in it, if any:
    this process's own copy when it may trust it, else one round trip to the cache."""
    now = time.monotonic()
    generation = _copies.trusted_generation(now)
    if generation is not None:
        entry = _copies.get(key, generation)
        if entry is not None:
            return generation, entry
    generation, entry = _read_with_generation(key)
    _copies.note_generation(generation, now)
    if entry is not None:
        _copies.put(key, entry)
    return generation, entry


class PageCacheMiddleware:
    """Serve anonymous visitors from the shared cache; see the module docstring.

    Sits near the top of the stack, outside WhiteNoise, sessions, CSRF and auth, so
    a hit costs at most one cache round trip (none within a second of the last one,
    see :class:`_ProcessCopies`), no database query and no other middleware. The stored answer already carries the headers the inner
    middleware set (CSP, X-Frame-Options…); a matching ``If-None-Match`` gets ``304``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_is_cacheable(request):
            response = self.get_response(request)
            if not response.has_header("Cache-Control"):
                # Say so, or a proxy might keep a logged-in page or a form.
                patch_cache_control(response, private=True, no_cache=True)
            return response

        key = page_cache_key(request)
        generation, frozen = _find(key)
        if frozen is not None:
            response = _thaw(request, frozen)
            response["X-Page-Cache"] = "hit"
            return response

        response = self.get_response(request)
        if response_is_cacheable(request, response):
            _drop_single_language_vary(response)
            _public_headers(request, response)
            set_response_etag(response)
            entry = _freeze(response, generation)
            _cache().set(key, entry, timeout=_ttl())
            _copies.put(key, entry)
            response["X-Page-Cache"] = "miss"
        elif not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
        return response


# -- Purge on content changes ------------------------------------------------


def _purge_on_signal(**kwargs) -> None:
    purge_pages()


_content_models: set[type] | None = None
_also_purging: set[type] = set()


def purge_when_saved(*models: type) -> None:
    """Purge on every save or delete of these models too: data shown on public pages
    that is edited outside snippets and settings (an app calls it from ``ready()``)."""
    _also_purging.update(models)


def _is_content_model(model: type) -> bool:
    """Snippets, site settings, sites and view restrictions decide public pages."""
    global _content_models
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

    if _content_models is None:
        from wagtail.models import PageViewRestriction, Site
        from wagtail.snippets.models import get_snippet_models

        # A new privacy setting must take the public copy away at once.
        _content_models = {*get_snippet_models(), Site, PageViewRestriction}
    return (
        model in _content_models
        or model in _also_purging
        or issubclass(model, BaseSiteSetting | BaseGenericSetting)
    )


def _purge_on_model_change(sender, **kwargs) -> None:
    from wagtail.models import Page

    if issubclass(sender, Page) or _is_content_model(sender):
        purge_pages()


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail import signals

    for signal in (
        signals.page_published,
        signals.page_unpublished,
        signals.post_page_move,
        signals.page_slug_changed,
        signals.published,  # snippets with a draft state
        signals.unpublished,
    ):
        signal.connect(_purge_on_signal, dispatch_uid=f"portal.cache.{id(signal)}")
    post_delete.connect(_purge_on_model_change, dispatch_uid="portal.cache.post_delete")
    # Page saves without a publish (drafts) do not change the live site; snippet
    # and setting saves do, so post_save purges only for those.
    post_save.connect(_purge_on_model_change_not_page, dispatch_uid="portal.cache.post_save")


def _purge_on_model_change_not_page(sender, **kwargs) -> None:
    if _is_content_model(sender):
        purge_pages()
