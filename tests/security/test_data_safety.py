"""Data safety: concurrent moderators cannot overwrite each other; backup and restore work.

A report and its photos are saved together or not at all: see
tests/feedback/test_report_journey.py::test_failed_transaction_removes_photos_already_written
and ::test_errors_are_listed_in_chinese_keep_input_and_save_nothing.
"""

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from django.urls import reverse

from feedback.complaints import services
from feedback.complaints.concurrency import (
    STALE_MESSAGE,
    StaleComplaintError,
    act_if_unchanged,
    complaint_version,
)
from feedback.models import ComplaintEvent, State
from tests.factories.feedback import HandlingUnitFactory, dispatch_date

from .feedback_fixtures import *  # noqa: F403
from .helpers import ROOT

# --- Two moderators at once --------------------------------------------------------------


def _action(complaint, name):
    return reverse("feedback_complaint_action", args=[complaint.pk, name])


@pytest.mark.django_db
def test_second_moderator_on_a_stale_screen_changes_nothing(client, complaint, make_moderator, unit):
    first = make_moderator("first", communities=[complaint.community])
    second = make_moderator("second", communities=[complaint.community])
    other_unit = HandlingUnitFactory(name="区住建局")

    client.force_login(second)
    form = client.get(_action(complaint, "dispatch")).content.decode()
    version = re.search(r'name="version" value="([^"]+)"', form).group(1)

    services.dispatch_complaint(complaint=complaint, unit=unit, actor=first)  # meanwhile

    response = client.post(
        _action(complaint, "dispatch"),
        {"unit": other_unit.pk, "deadline": dispatch_date(), "note": "", "version": version},
    )
    assert response.status_code == 200
    assert STALE_MESSAGE in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.handling_unit == unit and complaint.state == State.DISPATCHED
    assert complaint.events.filter(to_state=State.DISPATCHED).count() == 1

    # After refreshing, the moderator acts on what is there now.
    form = client.get(_action(complaint, "hide")).content.decode()
    version = re.search(r'name="version" value="([^"]+)"', form).group(1)
    assert client.post(_action(complaint, "hide"), {"hidden": "on", "version": version}).status_code == 302
    # Same-state changes move the version too: the old hide screen is now stale.
    assert (
        STALE_MESSAGE
        in client.post(
            _action(complaint, "hide"), {"hidden": "", "public_text": "小区路灯坏了。", "version": version}
        ).content.decode()
    )
    complaint.refresh_from_db()
    assert complaint.hidden is True


@pytest.mark.django_db(transaction=True)
def test_simultaneous_dispatches_on_postgresql_are_serialised(category, community, unit, django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL: run with DATABASE_URL=postgres://… (CI does)")
    from tests.factories.feedback import ComplaintFactory

    complaint = ComplaintFactory(category=category, community=community)
    version = complaint_version(complaint)
    units = [unit, HandlingUnitFactory(name="区住建局")]
    actors = [django_user_model.objects.create_user(f"m{i}", password="pw-123456") for i in range(2)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def moderator(index: int):
        def slow_dispatch(locked):
            # Hold the row while "thinking": without the lock the other thread would read
            # the old version now and both dispatches would go through.
            time.sleep(0.5)
            return services.dispatch_complaint(complaint=locked, unit=units[index], actor=actors[index])

        try:
            start.wait()
            act_if_unchanged(complaint=complaint, version=version, act=slow_dispatch)
            outcomes.append(f"done:{index}")
        except StaleComplaintError:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=moderator, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes)[1] == "stale" and sorted(outcomes)[0].startswith("done:")
    winner = int(sorted(outcomes)[0].split(":")[1])
    complaint.refresh_from_db()
    assert complaint.handling_unit == units[winner]
    assert ComplaintEvent.objects.filter(complaint=complaint, to_state=State.DISPATCHED).count() == 1


# --- Backup and restore ------------------------------------------------------------------

SEED = textwrap.dedent(
    """
    import io
    from PIL import Image
    from feedback.complaints import services
    from feedback.models import ComplaintCategory
    from feedback.complaints.photos import clean_photo
    from django.core.files.uploadedfile import SimpleUploadedFile
    from home import demo
    from home.models import Community

    demo.load_regions()
    category = ComplaintCategory.objects.create(name="环境卫生")
    community = Community.objects.order_by("pk").first()

    def photo(colour):
        buffer = io.BytesIO()
        Image.new("RGB", (40, 30), colour).save(buffer, format="JPEG")
        return clean_photo(SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg"))

    for i in range(3):
        services.submit_complaint(
            kind="complaint", category=category, community=community, phone=f"1380000000{i}",
            description=f"第{i}号楼下垃圾没人清运，已经三天了。", privacy_notice_version="2026-11",
            photos=[photo((40 * i, 90, 120)), photo((200, 40 * i, 10))],
        )
    """
)
READ_BACK = textwrap.dedent(
    """
    from feedback.models import Complaint, ComplaintPhoto
    photos = list(ComplaintPhoto.objects.all())
    assert all(p.file.open("rb").read(2) == b"\\xff\\xd8" for p in photos)
    print(Complaint.objects.count(), len(photos))
    """
)


def _env(tmp: Path, name: str) -> dict[str, str]:
    base = tmp / name
    return {
        "DATABASE_URL": f"sqlite:///{base / 'db.sqlite3'}",
        "MEDIA_ROOT": str(base / "media"),
        "PRIVATE_MEDIA_ROOT": str(base / "private"),
    }


def _run(args, env, **kwargs):
    full = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    full.update(env, DJANGO_SETTINGS_MODULE="portal.settings.dev", PORTAL_ENV_FILE="/nonexistent")
    result = subprocess.run(args, cwd=ROOT, env=full, capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _hashes(folder: str) -> dict[str, str]:
    found = {}
    for directory, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(directory, name)
            found[os.path.relpath(path, folder)] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return found


def _seed_and_back_up(source: dict, tmp_path) -> str:
    """Migrate and seed the live instance (3 reports, 6 photos, a public file), back it
    up with deploy/backup.sh and return the archive's path."""
    _run([sys.executable, "manage.py", "migrate", "--noinput"], source)
    _run([sys.executable, "-c", "import django; django.setup()\n" + SEED], source)
    Path(source["MEDIA_ROOT"]).mkdir(parents=True, exist_ok=True)
    Path(source["MEDIA_ROOT"], "notice.pdf").write_bytes(b"%PDF-1.4 public attachment")
    archive = _run(["sh", "deploy/backup.sh", str(tmp_path / "backups")], source).strip().splitlines()[-1]
    assert oct(os.stat(archive).st_mode)[-3:] == "600"  # personal data inside
    return archive


def _assert_same_files_and_readable(source: dict, target: dict) -> None:
    assert len(_hashes(source["PRIVATE_MEDIA_ROOT"])) == 6
    assert _hashes(target["PRIVATE_MEDIA_ROOT"]) == _hashes(source["PRIVATE_MEDIA_ROOT"])
    assert _hashes(target["MEDIA_ROOT"]) == _hashes(source["MEDIA_ROOT"])
    # The restored site reads its reports and photos.
    assert _run([sys.executable, "-c", "import django; django.setup()\n" + READ_BACK], target).split() == [
        "3",
        "6",
    ]


def test_backup_of_sqlite_instance_restores_reports_and_photos(tmp_path):
    source = _env(tmp_path, "live")
    (tmp_path / "live").mkdir()
    archive = _seed_and_back_up(source, tmp_path)

    target = _env(tmp_path, "restored")
    _run(["sh", "deploy/restore.sh", archive], target)

    def count(env):
        with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///")) as db:
            return db.execute("select count(*) from feedback_complaint").fetchone()[0]

    assert count(target) == count(source) == 3
    _assert_same_files_and_readable(source, target)
    # Restoring over live data needs --force; a damaged archive is refused.
    with pytest.raises(AssertionError, match="use --force"):
        _run(["sh", "deploy/restore.sh", archive], target)
    damaged = tmp_path / "damaged.tar"
    work = tmp_path / "unpacked"
    work.mkdir()
    subprocess.run(["tar", "-xf", archive, "-C", str(work)], check=True)
    (work / "db.sqlite3").write_bytes(b"garbage")
    subprocess.run(["tar", "-cf", str(damaged), "-C", str(work), "."], check=True)
    with pytest.raises(AssertionError, match="checksum mismatch"):
        _run(["sh", "deploy/restore.sh", str(damaged), "--force"], _env(tmp_path, "third"))


# --- Backup and restore on PostgreSQL ----------------------------------------------------

PG_SCHEMES = ("postgres://", "postgresql://", "pgsql://", "postgis://")
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def _postgres_server() -> str:
    """The server the suite runs on (CI's PostgreSQL pass), else a local one, if any."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(PG_SCHEMES) else LOCAL_POSTGRES


def _with_database(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def _libpq(url: str) -> str:
    """The URL as libpq reads it (what the scripts pass to pg_dump/pg_restore)."""
    parts = urlsplit(url)
    return urlunsplit(("postgresql", parts.netloc, parts.path, "", ""))


def _admin_connection(server: str):
    """Autocommit connection to the server's maintenance database, or a reason to skip."""
    missing = [tool for tool in ("pg_dump", "pg_restore") if shutil.which(tool) is None]
    if missing:
        return None, f"{' and '.join(missing)} not installed (apt-get install postgresql-client)"
    import psycopg

    try:
        return psycopg.connect(
            _libpq(_with_database(server, "postgres")), autocommit=True, connect_timeout=3
        ), ""
    except psycopg.Error as error:  # refused, unknown host, authentication, timeout
        where = f"{urlsplit(server).hostname}:{urlsplit(server).port or 5432}"
        return None, f"no PostgreSQL server at {where} ({(str(error).strip().splitlines() or [''])[0][:160]})"


def test_backup_of_postgresql_instance_restores_reports_and_photos(tmp_path):
    server = _postgres_server()
    admin, reason = _admin_connection(server)
    if admin is None:
        message = f"backup/restore on PostgreSQL needs a server and pg_dump/pg_restore: {reason}"
        if os.environ.get("CI") and os.environ.get("DATABASE_URL", "").startswith(PG_SCHEMES):
            pytest.fail(f"CI runs this on PostgreSQL and must not skip it. {message}")
        pytest.skip(f"{message} (set DATABASE_URL=postgres://… to use another server; CI does)")

    suffix = uuid.uuid4().hex[:12]
    names = {"live": f"portal_backup_{suffix}_live", "restored": f"portal_backup_{suffix}_restored"}

    def env(label):
        base = tmp_path / label
        return {
            "DATABASE_URL": _with_database(server, names[label]),
            "MEDIA_ROOT": str(base / "media"),
            "PRIVATE_MEDIA_ROOT": str(base / "private"),
        }

    def count(label):
        import psycopg

        with psycopg.connect(_libpq(env(label)["DATABASE_URL"]), connect_timeout=3) as db:
            return db.execute("select count(*) from feedback_complaint").fetchone()[0]

    try:
        for name in names.values():
            admin.execute(f'CREATE DATABASE "{name}"')
        source, target = env("live"), env("restored")
        archive = _seed_and_back_up(source, tmp_path)
        listing = subprocess.run(["tar", "-tf", archive], capture_output=True, text=True, check=True).stdout
        assert "./db.dump" in listing.split()

        # Into an empty database and empty folders, as on a new server.
        _run(["sh", "deploy/restore.sh", archive], target)
        assert count("restored") == count("live") == 3
        _assert_same_files_and_readable(source, target)

        # Again over the restored site (tables and files exist): refused without --force,
        # then replaced rather than added to.
        with pytest.raises(AssertionError, match="use --force"):
            _run(["sh", "deploy/restore.sh", archive], target)
        _run(["sh", "deploy/restore.sh", archive, "--force"], target)
        assert count("restored") == 3
        _assert_same_files_and_readable(source, target)
    finally:
        for name in names.values():
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
