"""Shared fixtures. Build data with the factories in ``tests/factories``.

Tests that read the whole demo site ask for ``demo_site``: it is built once per run
(``demo_db``) and rolled back after the last of those tests, which run together after the
other non-transactional tests, so no other test sees it. The demo ground of ``site``
(regions, settings, home page, groups) is shared the same way by the tests that ask for it.
"""

import io

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters, cached pages and fragments must not leak between tests.
    cache.clear()
    from feedback.complaints import workdays

    workdays.forget_entered_years()  # an entered holiday year rolled back with its test
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_includes_second_factor(request, monkeypatch):
    """``client.force_login(user)`` stands for a complete sign-in: for an account that must
    use a second factor (portal/accounts/otp.py), that includes it. The session is marked
    verified exactly as ``django_otp.login`` does after a code, with a confirmed test device.

    This lives here only, so production has no way round the second factor; tests of the
    second factor itself are marked ``@pytest.mark.second_factor`` and get the plain
    ``force_login``.
    """
    if request.node.get_closest_marker("second_factor"):
        return
    from django.test.client import ClientMixin

    plain_force_login = ClientMixin.force_login

    def force_login(self, user, backend=None):
        plain_force_login(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from portal.accounts.otp import otp_required

        if otp_required(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            device = device or TOTPDevice.objects.create(user=user, name="tests", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


@pytest.fixture
def site(request, ground_db, db):
    """The demo ground: regions, settings, home page and groups (``home.demo.load``).

    Built once per run (``ground_db``) for the tests that use it, which run together, each in
    its own savepoint, like the tests of the whole demo site; a transactional test or a browser
    journey builds it itself. On PostgreSQL building it takes 1.9 s and some 900 queries: it
    was built again for each of 463 tests.
    """
    from wagtail.models import Site

    if _uses_ground(request.node):
        assert _ground.atomic is not None, "the demo ground is gone: tests using it must run together"
    elif not _uses_demo(request.node):  # the whole demo site holds the ground already
        from home import demo

        demo.load()
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def home_page(site):
    return site.root_page.specific


class _SharedTransaction:
    """An outer transaction holding shared data; rolled back once its last test is done."""

    def __init__(self, load):
        self.load = load
        self.atomic = None

    def open(self, blocker):
        from django.db import transaction

        self.atomic = transaction.atomic()
        with blocker.unblock():
            self.atomic.__enter__()
            self.load()
        self.blocker = blocker

    def close(self):
        from django.db import transaction

        if self.atomic is not None:
            with self.blocker.unblock():
                transaction.set_rollback(True)
                self.atomic.__exit__(None, None, None)
            self.atomic = None


def _load_ground():
    from home import demo

    demo.load()


def _load_demo():
    from django.core.management import call_command

    call_command("load_initial_data", stdout=io.StringIO())  # indexes search itself


_ground = _SharedTransaction(_load_ground)
_demo = _SharedTransaction(_load_demo)


@pytest.fixture(scope="session")
def ground_db(django_db_setup, django_db_blocker):
    """The demo ground of ``site``, built once per run like ``demo_db`` (read its note).

    A session fixture, so that it is set up before any test's own transaction; it is built
    only when the first test needing it starts (not for a transactional test or a journey).
    """
    if _uses_ground(_starting.item):
        _ground.open(django_db_blocker)
    yield
    _ground.close()


class _Starting:
    item = None


_starting = _Starting()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _starting.item = item  # the test whose fixtures are about to be set up


@pytest.fixture(scope="session")
def demo_db(django_db_setup, django_db_blocker):
    """The whole demo site (``load_initial_data``, indexed for search), built once per run.

    It lives in an outer transaction. Each test using it also has ``db``, so it runs in its own
    savepoint inside that transaction and what it writes is undone after it; pytest-django
    supports this nesting for non-transactional tests. The tests using it run together after
    every other non-transactional test, and the transaction is rolled back as soon as the last
    of them is done: transactional tests (which commit, then flush) come after, on the
    database as migrations left it.
    """
    _demo.open(django_db_blocker)
    yield
    _demo.close()


@pytest.fixture
def demo_site(demo_db, db):
    """The default site of the demo content, for a test that reads (or briefly changes) it."""
    from wagtail.models import Site

    assert _demo.atomic is not None, "the demo site is gone: tests using it must run together"
    return Site.objects.get(is_default_site=True)


def _uses_demo(item) -> bool:
    return item is not None and "demo_db" in getattr(item, "fixturenames", ())


def _uses_ground(item) -> bool:
    """Whether ``item`` runs on the shared demo ground (``site`` without the whole demo)."""
    if item is None or _uses_demo(item) or _transactional(item) or item.get_closest_marker("browser"):
        return False
    return "site" in getattr(item, "fixturenames", ())


def _transactional(item) -> bool:
    """Whether pytest-django runs ``item`` as a TransactionTestCase (it commits, then flushes)."""
    from django.test import TestCase, TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return not issubclass(cls, TestCase)
    if {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    options = dict(zip(("transaction", "reset_sequences"), marker.args, strict=False)) | marker.kwargs
    return bool(options.get("transaction") or options.get("reset_sequences"))


@pytest.hookimpl(trylast=True)  # after pytest-django's ordering and any plugin that shuffles
def pytest_collection_modifyitems(config, items):
    """Other tests first, then the tests of the shared demo ground together, then those of the
    shared demo site, then transactional ones, then the browser journeys (Playwright's event loop makes the main thread look async
    to Django, so no database fixture may be set up after them)."""
    for item in items:
        if _uses_demo(item) and _transactional(item):
            raise pytest.UsageError(f"{item.nodeid}: a transactional test cannot use the shared demo site")
    items.sort(key=_run_group)


def _run_group(item) -> int:
    if item.get_closest_marker("browser"):
        return 4
    if _transactional(item):
        return 3
    if _uses_demo(item):
        return 2
    return 1 if _uses_ground(item) else 0


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if _uses_ground(item) and not _uses_ground(nextitem):
        _ground.close()  # the last test of the demo ground is done; nothing after it may see it
    if _uses_demo(item) and not _uses_demo(nextitem):
        _demo.close()  # the last test of the demo site is done; nothing after it may see it
    return result
