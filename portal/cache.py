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
  ``private``. Browsers always revalidate (``max-age=0``, cheap with the ETag).
- Invalidation is by generation: every entry records a number kept in the cache,
  and :func:`purge_pages` bumps it, so a purge is one atomic ``INCR`` seen by every
  process at once; an entry from an older generation counts as a miss. The page
  and the generation are read in one round trip. Receivers connected per sender
  (:func:`purge_when_saved`) purge on a publish, a move, a live page saved or
  deleted, and any change to a snippet, site setting, site or privacy setting;
  code that changes other data shown on public pages calls :func:`purge_pages`.
  The TTL (``PAGE_CACHE_SECONDS``) is the backstop.
- Template fragments (``{% wagtailcache %}``) put the same generation in their key
  (the ``fragments`` context variable, :func:`fragments`), and so do low-level entries
  (:func:`generation_key`: an index's children, search answers), so one purge drops
  them all. A page's context values that only a fragment reads are built on a miss
  (:func:`built_when_read`).
- Each process keeps its latest pages for ``PAGE_CACHE_LOCAL_SECONDS`` (1 s), trusting
  the generation it read that long (:class:`_LocalPages`); fragments and low-level
  entries trust it as long, so a page built again reads it once, not once per part.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.functional import SimpleLazyObject

from portal.care import CARE_COOKIE

GENERATION_KEY = "pagecache:generation"
# Response headers that must not be replayed to another visitor.
_DROPPED_HEADERS = {"set-cookie", "x-page-cache"}
_MAX_QUERY_LENGTH = 256  # longer query strings are not worth a cache slot


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _ttl() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 300))


def current_generation() -> int:
    """The generation now. Read from the shared cache, or trusted for
    ``PAGE_CACHE_LOCAL_SECONDS`` after this process last read it, as its pages are
    (:class:`_LocalPages`): a page's fragments and kept parts ask for it five or six
    times, one round trip each."""
    generation = _local.trusted_generation()
    if generation is not None:
        return generation
    cache = _cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Start from the clock, never from 0: if Redis lost the key, an old
        # generation's pages (still within their TTL) must not come back.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    _local.read(int(generation))
    return int(generation)


def _bump() -> None:
    _local.generation = None  # this process sees its own purge at once
    try:
        _cache().incr(GENERATION_KEY)
    except ValueError:  # the key is missing: any new value starts a new generation
        _cache().set(GENERATION_KEY, time.time_ns(), timeout=None)


def purge_pages() -> None:
    """Forget every cached public page and template fragment, in every app process.

    Inside a transaction it bumps now and again on commit, so no request can cache
    what it read before the commit under the new generation.
    """
    _bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump)


def generation_key(name: str) -> str:
    """A low-level cache key that a purge retires: ``name`` in the current generation.
    Names may hold what a visitor typed (a slug, a query), so they are hashed."""
    digest = hashlib.sha256(name.encode()).hexdigest()
    return f"gen:{current_generation()}:{digest}"


def built_when_read(build: Callable[[], dict], names: Iterable[str]) -> dict:
    """Context values that ``build()`` makes only when a template first reads one of
    them: inside a ``{% wagtailcache %}`` fragment, that is only on a miss. ``build``
    runs at most once and returns a dict with every name."""
    parts = SimpleLazyObject(build)
    return {name: SimpleLazyObject(lambda name=name: parts[name]) for name in names}


def fragments(request) -> dict:
    """Context processor: ``fragments.generation`` and ``fragments.seconds`` for
    ``{% wagtailcache fragments.seconds "name" fragments.generation … %}``. The
    generation is read only by a template that uses it."""
    return {
        "fragments": {
            "generation": SimpleLazyObject(current_generation),
            "seconds": int(getattr(settings, "FRAGMENT_CACHE_SECONDS", 300)),
        }
    }


def page_cache_key(request) -> str:
    """One slot per page variant; the entry records the generation it was made in."""
    care = "1" if request.COOKIES.get(CARE_COOKIE) == "1" else "0"
    path = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    return f"page:{care}:{request.scheme}:{request.get_host()}:{path}"


def request_is_cacheable(request) -> bool:
    if _ttl() <= 0 or request.method not in ("GET", "HEAD"):
        return False
    # Visitors on these paths fill in forms or see answers made for them alone.
    if request.path.startswith(tuple(settings.PAGE_CACHE_NEVER_PATHS)):
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
        shared = int(getattr(settings, "PAGE_CACHE_SHARED_MAX_AGE", 60))
        patch_cache_control(response, public=True, max_age=0, s_maxage=shared)


def _thaw(request, frozen) -> HttpResponse:
    _, content, headers = frozen
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    if "HTTP_IF_NONE_MATCH" not in request.META:
        return response
    # The middleware that answers 304 for other pages sits inside this one.
    return get_conditional_response(request, etag=response.get("ETag"), response=response) or response


class _LocalPages:
    """The pages this process served lately, and the generation it last read.

    A hit needs the current generation, which lives in Redis: one round trip and an
    unpickled page per request, most of a hit's cost. Within
    ``PAGE_CACHE_LOCAL_SECONDS`` (1 s) of reading it, this process trusts the
    generation it read and answers from its own copy, so a purge made by another
    process shows here at most that much later (nginx may keep a page 60 s anyway);
    a purge in this process shows at once. 0 switches the copies off.
    """

    def __init__(self, size: int = 500):
        self.size = size
        self.pages: OrderedDict[str, tuple] = OrderedDict()
        self.generation: int | None = None
        self.read_at = 0.0
        self.lock = threading.Lock()

    @staticmethod
    def window() -> float:
        return float(getattr(settings, "PAGE_CACHE_LOCAL_SECONDS", 1.0))

    def trusted_generation(self) -> int | None:
        """The generation this process read less than the window ago, or None."""
        generation = self.generation
        if generation is not None and time.monotonic() - self.read_at < self.window():
            return generation
        return None

    def read(self, generation: int) -> None:
        self.generation, self.read_at = generation, time.monotonic()

    def find(self, key: str) -> tuple[int, tuple | None]:
        """The current generation and the page stored under ``key`` in it, if any."""
        generation = self.trusted_generation()
        if generation is not None:
            with self.lock:
                frozen = self.pages.get(key)
            if frozen is not None and frozen[0] == generation:
                return generation, frozen
        found = _cache().get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        if generation is None:  # lost: current_generation() starts one
            self.generation = None
            generation = current_generation()
        generation = int(generation)
        self.read(generation)
        frozen = found.get(key)
        if frozen is None or frozen[0] != generation:
            return generation, None
        self.keep(key, frozen)
        return generation, frozen

    def keep(self, key: str, frozen: tuple) -> None:
        if self.window() <= 0:
            return
        with self.lock:
            self.pages[key] = frozen
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def forget(self) -> None:
        with self.lock:
            self.pages.clear()
        self.generation = None


_local = _LocalPages()


class PageCacheMiddleware:
    """Serve anonymous visitors from the shared cache; see the module docstring.

    Sits at the top of the stack, so a hit costs at most one cache round trip (the
    page and the generation together; none within a second of the last, see
    :class:`_LocalPages`), no database query and no other middleware. The stored
    answer already carries the headers the inner middleware set (CSP,
    X-Frame-Options…); a matching ``If-None-Match`` gets ``304``.
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
        generation, frozen = _local.find(key)
        if frozen is not None:
            response = _thaw(request, frozen)
            response["X-Page-Cache"] = "hit"
            return response

        response = self.get_response(request)
        if response_is_cacheable(request, response):
            _drop_single_language_vary(response)
            _public_headers(request, response)
            set_response_etag(response)
            headers = [(k, v) for k, v in response.items() if k.lower() not in _DROPPED_HEADERS]
            frozen = (generation, response.content, headers)
            _cache().set(key, frozen, timeout=_ttl())
            _local.keep(key, frozen)
            response["X-Page-Cache"] = "miss"
        elif not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
        return response


# -- Purge on content changes, connected per sender -----------------------------


def _purge(**kwargs) -> None:
    purge_pages()


# What Page.save_revision() writes on the live page when a draft is saved.
_DRAFT_BOOKKEEPING = {
    "comments",
    "latest_revision_created_at",
    "draft_title",
    "latest_revision",
    "has_unpublished_changes",
}


def _purge_if_live(sender, instance, update_fields=None, **kwargs) -> None:
    # A draft saved on a page changes nothing public until it is published (a signal
    # of its own); a live page saved in code (an import, a script) does.
    if instance.live and not (update_fields and set(update_fields) <= _DRAFT_BOOKKEEPING):
        purge_pages()


def purge_when_saved(*models: type) -> None:
    """Purge on every save or delete of these models: data that public pages show.

    Snippets, site settings, sites, privacy settings and pages are connected by
    :func:`connect_signals`; an app connects what else its public pages show from its
    own ``AppConfig.ready()``. Receivers are per sender, so a delete of any other
    model keeps Django's fast path (no rows read first)."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        post_save.connect(_purge, sender=model, dispatch_uid=f"portal.cache.save.{model._meta.label}")
        post_delete.connect(_purge, sender=model, dispatch_uid=f"portal.cache.delete.{model._meta.label}")


def connect_signals() -> None:
    """Called from ``PortalConfig.ready()``, after every app is ready."""
    from django.db.models.signals import post_delete, post_save
    from wagtail import signals
    from wagtail.contrib.settings.registry import registry as settings_registry
    from wagtail.models import PageViewRestriction, Site, get_page_models
    from wagtail.snippets.models import get_snippet_models

    for signal in (
        signals.page_published,
        signals.page_unpublished,
        signals.post_page_move,
        signals.page_slug_changed,
        signals.published,  # snippets with a draft state
        signals.unpublished,
    ):
        signal.connect(_purge, dispatch_uid=f"portal.cache.{id(signal)}")
    for model in get_page_models():
        post_save.connect(_purge_if_live, sender=model, dispatch_uid=f"portal.cache.save.{model._meta.label}")
        post_delete.connect(_purge, sender=model, dispatch_uid=f"portal.cache.delete.{model._meta.label}")
    # A new privacy setting must take the public copy away at once.
    purge_when_saved(*get_snippet_models(), *settings_registry, Site, PageViewRestriction)
