"""Browser journeys: a real server process with demo data, driven by Debian's Chromium.

The server runs ``manage.py runserver`` (dev settings, the real captcha) on a free
loopback port against its own SQLite file, built once per test session. Tests read
the captcha answer straight from that file, as a person would read the picture.

Without Chromium the tests are skipped with the install command, except in CI
(``CI=true``), where a missing browser is a failure.
"""

import base64
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--lang=zh-CN",  # native controls (file picker, date input) in Chinese, as on residents' phones
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = "apt-get install -y chromium fonts-noto-cjk"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


@pytest.fixture(scope="session")
def chromium():
    if not _chromium_available():
        message = f"浏览器测试需要 Chromium：{INSTALL_HINT}"
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing in CI. {message}")
        pytest.skip(f"Chromium not found, browser journeys skipped. Install: {INSTALL_HINT}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class LiveSite:
    def __init__(self, url: str, db_path: Path, admin_password: str, env: dict | None = None):
        self.url = url
        self.db_path = db_path
        self.admin_password = admin_password
        # Authenticator secrets of the staff enrolled during this run, and the last time
        # step each one used (tests/browser: pass_second_factor).
        self.otp_secrets: dict[str, str] = {}
        self.otp_steps: dict[str, int] = {}
        self.env = env or {**os.environ, **_server_env(db_path, admin_password)}

    @property
    def staff_password(self) -> str:
        return self.env["DEMO_STAFF_PASSWORD"]

    def shell(self, code: str) -> str:
        """Run Python in ``manage.py shell`` against the live site's database; its stdout."""
        done = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def sms_outbox(self) -> list[dict]:
        """The SMS the console backend "sent" (NOTIFY_OUTBOX), oldest first."""
        path = Path(self.env.get("NOTIFY_OUTBOX", ""))
        if not path.name or not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    def query(self, sql: str, params=()):
        with sqlite3.connect(self.db_path) as conn:
            return conn.execute(sql, params).fetchall()

    def captcha_answer(self, hashkey: str) -> str:
        rows = self.query("SELECT response FROM captcha_captchastore WHERE hashkey = ?", (hashkey,))
        assert rows, f"no captcha stored for {hashkey}"
        return rows[0][0]


def _server_env(db_path, admin_password: str) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{db_path}",
        "DEMO_ADMIN_PASSWORD": admin_password,
        "DEMO_STAFF_PASSWORD": f"{admin_password}-staff",  # the demo users of each role
        # The journeys send about ten reports from one address in a few minutes; the
        # real per-IP soft limit (5 per 10 minutes, then a step-up) has its own tests in
        # tests/security/test_shared_networks.py.
        "FEEDBACK_REPORT_RATE_PER_IP": "50/10m",
    }


@pytest.fixture(scope="session")
def live_site(tmp_path_factory, chromium):
    # A developer may point the journeys at a server already running with demo data
    # (same environment as below) to iterate without rebuilding the database.
    if os.environ.get("BROWSER_LIVE_URL"):
        yield LiveSite(
            os.environ["BROWSER_LIVE_URL"],
            Path(os.environ["BROWSER_LIVE_DB"]),
            os.environ.get("BROWSER_LIVE_ADMIN_PASSWORD", ""),
        )
        return
    workdir = tmp_path_factory.mktemp("live")
    db_path = workdir / "portal.sqlite3"
    port = _free_port()
    env = {
        **os.environ,
        **_server_env(db_path, "browser-journeys-2026"),
        "MEDIA_ROOT": str(workdir / "media"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private_media"),
        # Links in residents' SMS and mails point at this server; the console SMS backend
        # also writes each message here (LiveSite.sms_outbox).
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
        "NOTIFY_OUTBOX": str(workdir / "sms-outbox.jsonl"),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    loaded = subprocess.run([*manage, "load_initial_data"], env=env, cwd=ROOT, capture_output=True, text=True)
    if loaded.returncode:
        pytest.fail("load_initial_data failed:\n" + loaded.stderr[-3000:])
    log = open(workdir / "server.log", "w")
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env, cwd=ROOT, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("portal server did not start: " + (workdir / "server.log").read_text()[-2000:])
            time.sleep(0.3)
    yield LiveSite(url, db_path, env["DEMO_ADMIN_PASSWORD"], env)
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture
def phone(chromium, live_site):
    context = chromium.new_context(base_url=live_site.url, locale="zh-CN", **PHONE)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(chromium, live_site):
    context = chromium.new_context(base_url=live_site.url, locale="zh-CN", **DESKTOP)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shot(request):
    """Save a screenshot of a journey step under artifacts/browser/<test>/."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 1000))

    def take(page, name: str):
        page.screenshot(path=str(folder / f"{next(counter):02d}-{name}.png"), full_page=True)

    return take


# --- Steps shared by the journeys ----------------------------------------------------------

# Forms refuse submissions made faster than ABUSE_FORM_MIN_SECONDS (3 s) after the page
# was shown; a person takes longer than that, so the journeys wait too.
FORM_FILL_SECONDS = 3.5


def wait_fill_time(page, shown_at: float) -> None:
    remaining = FORM_FILL_SECONDS - (time.monotonic() - shown_at)
    if remaining > 0:
        page.wait_for_timeout(remaining * 1000)


def solve_captcha(page, live_site: LiveSite, prefix: str = "captcha") -> None:
    """Type the digits of the captcha picture, read from the server's captcha store."""
    hashkey = page.locator(f"input[name='{prefix}_0']").input_value()
    page.locator(f"input[name='{prefix}_1']").fill(live_site.captcha_answer(hashkey))


def small_jpeg(folder: Path, name: str = "photo.jpg") -> Path:
    from PIL import Image

    path = folder / name
    Image.new("RGB", (320, 240), (180, 60, 40)).save(path, "JPEG", quality=80)
    return path


def authenticator_code(secret: str, *, not_before_step: int = 0) -> tuple[str, int]:
    """What a phone's authenticator shows for ``secret`` (base32), as (code, time step).

    The site refuses a time step already used, so a second sign-in within the same 30 s
    takes the next step (accepted: one step of clock drift is allowed), else waits.
    """
    from django_otp.oath import TOTP

    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    while True:
        now = totp.t()
        step = max(now, not_before_step)
        if step <= now + 1:
            totp.time = time.time() + (step - now) * totp.step
            return f"{totp.token():06d}", step
        time.sleep(1)


def pass_second_factor(page, live_site: LiveSite, username: str) -> None:
    """Staff who may see personal data enrol an authenticator at their first sign-in and
    give its code at each later one, as a person would with a phone."""
    if "/admin/2fa/verify/" in page.url and username not in live_site.otp_secrets:
        # A server started outside this run, enrolled earlier: the administrator's reset.
        live_site.shell(
            f"from django.core.management import call_command; call_command('reset_staff_otp', {username!r})"
        )
        page.goto("/admin/")
    if "/admin/2fa/setup/" in page.url:
        secret = page.locator("[data-otp-secret]").inner_text()
        live_site.otp_secrets[username] = secret
        code, live_site.otp_steps[username] = authenticator_code(secret)
        page.get_by_label("验证码").fill(code)
        page.get_by_role("button", name="确认并开启").click()
        page.get_by_role("link", name="我已保存，进入管理后台").click()
    elif "/admin/2fa/verify/" in page.url:
        last = live_site.otp_steps.get(username, 0)
        code, live_site.otp_steps[username] = authenticator_code(
            live_site.otp_secrets[username], not_before_step=last + 1
        )
        page.get_by_label("验证码或恢复码").fill(code)
        page.get_by_role("button", name="验证并进入后台").click()


def admin_login(page, live_site: LiveSite, username: str = "admin", password: str | None = None) -> None:
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(
        password or live_site.admin_password
    )  # labelled 密码 (portal.forms.LoginForm)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/($|2fa/)"))
    pass_second_factor(page, live_site, username)
    page.wait_for_url("**/admin/")
