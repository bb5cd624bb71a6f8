"""Residents' photos with several app servers: a private S3-compatible bucket, or one shared folder.

The bucket tests run against moto's S3 server (``moto[server]``, pinned in
requirements-dev.txt), started once on 127.0.0.1 and spoken to over HTTP by boto3 as a
real bucket would be. moto refuses an unsigned read of a private object, but accepts any
URL that carries a signature without checking it or its expiry; ``sigv4_valid`` below
checks a signed URL as S3 and MinIO do, so "it expires" is tested on the URL itself.
"""

import hashlib
import hmac
import io
import json
import logging
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import boto3
import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer

from feedback.complaints import services
from feedback.complaints.checks import check_private_storage
from feedback.complaints.photos import clean_photo
from feedback.models import AuditEntry, Complaint, ComplaintPhoto, RejectReason
from tests.security.feedback_fixtures import REPORT, report_data

from .conftest import image_upload

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
REGION = "cn-north-1"
ACCESS_KEY = "AKIAPORTALTEST000001"
SECRET_KEY = "portal-test-secret-key"  # noqa: S105 - moto's, nothing else accepts it
S3_BACKEND = "feedback.complaints.s3.PrivateS3Storage"


@pytest.fixture(scope="session")
def s3_endpoint():
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint):
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


@pytest.fixture
def bucket(s3):
    name = f"portal-private-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


def bucket_storage(endpoint: str, bucket: str) -> dict:
    """STORAGES["private"] as production.py builds it from the environment."""
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": REGION,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "addressing_style": "path",
        },
    }


@pytest.fixture
def photos_in_bucket(settings, s3_endpoint, bucket):
    settings.STORAGES = {**settings.STORAGES, "private": bucket_storage(s3_endpoint, bucket)}
    return bucket


def files_under(folder) -> list[str]:
    return [name for _, _, names in os.walk(folder) for name in names]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server
            return response.status, response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, b""


def sigv4_valid(url: str, *, secret: str, now: datetime) -> bool:
    """Whether S3 would serve this presigned GET at ``now``: the AWS Signature Version 4
    query-string check, written from the specification (not with botocore, which made it)."""
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    signature = params.pop("X-Amz-Signature", "")
    stamp = params["X-Amz-Date"]
    signed_at = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    if not signed_at <= now <= signed_at + timedelta(seconds=int(params["X-Amz-Expires"])):
        return False

    def enc(text):
        return quote(text, safe="-_.~")

    query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
    canonical = "\n".join(["GET", parts.path, query, f"host:{parts.netloc}", "", "host", "UNSIGNED-PAYLOAD"])
    scope = params["X-Amz-Credential"].split("/", 1)[1]
    to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = f"AWS4{secret}".encode()
    for part in scope.split("/"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.compare_digest(hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest(), signature)


def with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=urlencode({**dict(parse_qsl(parts.query)), **changes})))


def report_with_photo(client, category, community) -> ComplaintPhoto:
    data = report_data(category, community, photos=[image_upload("楼道.jpg")])
    assert client.post(REPORT, data).status_code == 302
    return Complaint.objects.get().photos.get()


def photo_url(photo) -> str:
    return reverse("feedback_complaint_photo", args=[photo.pk])


# --- The private bucket -------------------------------------------------------------------


def test_photo_sent_with_the_report_form_lands_in_the_private_bucket_not_on_disk(
    client, site, category, community, photos_in_bucket, s3, settings
):
    photo = report_with_photo(client, category, community)

    stored = s3.get_object(Bucket=photos_in_bucket, Key=photo.file.name)
    assert stored["Body"].read()[:2] == b"\xff\xd8"  # the cleaned JPEG
    assert stored["ContentType"] == "image/jpeg"
    assert stored["CacheControl"] == "private, no-store"
    grants = s3.get_object_acl(Bucket=photos_in_bucket, Key=photo.file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner, nobody else
    assert "URI" not in grants[0]["Grantee"]  # not AllUsers / AuthenticatedUsers
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == []


def test_photo_object_is_refused_to_an_anonymous_get(
    client, site, category, community, photos_in_bucket, s3_endpoint
):
    photo = report_with_photo(client, category, community)
    status, body = fetch(f"{s3_endpoint}/{photos_in_bucket}/{photo.file.name}")
    assert status == 403 and body == b""


def test_moderator_is_redirected_to_a_signed_url_that_works_then_expires(
    client, site, category, community, photos_in_bucket, s3, make_moderator, settings
):
    settings.PRIVATE_MEDIA_URL_SECONDS = 90
    photo = report_with_photo(client, category, community)
    client.force_login(make_moderator("plain", communities=[community]))
    refused = client.get(photo_url(photo))
    assert refused.status_code == 403 and "Location" not in refused

    client.force_login(make_moderator("trusted", communities=[community], personal_data=True))
    before = datetime.now(UTC).replace(microsecond=0)
    response = client.get(photo_url(photo))
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]  # not even the redirect is kept
    assert AuditEntry.objects.filter(action="view_photo", actor__username="trusted").count() == 1

    signed = response["Location"]
    query = dict(parse_qsl(urlsplit(signed).query))
    assert query["X-Amz-Expires"] == "90"
    status, body = fetch(signed)
    assert status == 200
    assert body == s3.get_object(Bucket=photos_in_bucket, Key=photo.file.name)["Body"].read()

    signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert before <= signed_at <= datetime.now(UTC)
    assert sigv4_valid(signed, secret=SECRET_KEY, now=signed_at + timedelta(seconds=89))
    assert not sigv4_valid(signed, secret=SECRET_KEY, now=signed_at + timedelta(seconds=91))
    # Stretching its life breaks the signature.
    longer = with_query(signed, **{"X-Amz-Expires": "86400"})
    assert not sigv4_valid(longer, secret=SECRET_KEY, now=signed_at + timedelta(seconds=91))


def test_app_never_lists_the_bucket_nor_sets_an_acl(
    client, site, category, community, photos_in_bucket, make_moderator, django_capture_on_commit_callbacks
):
    calls = []

    def record(model, params, **kwargs):
        calls.append((model.name, {k.lower() for k in params.get("headers", {})}))

    storages["private"].connection.meta.client.meta.events.register("before-call.s3", record)
    photo = report_with_photo(client, category, community)
    client.force_login(make_moderator("trusted", communities=[community], personal_data=True))
    assert client.get(photo_url(photo)).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_personal_data(complaint=photo.complaint, actor=None)

    assert [name for name, _ in calls] == ["PutObject", "DeleteObject"]
    assert all("x-amz-acl" not in headers for _, headers in calls)
    # The README's bucket policy is enough for that, and grants nothing more.
    policy = json.loads((ROOT / "deploy" / "private-bucket-policy.json.sample").read_text())
    allowed = [statement for statement in policy["Statement"] if statement["Effect"] == "Allow"]
    assert {f"s3:{name}" for name, _ in calls} <= {action for s in allowed for action in s["Action"]}
    assert all(s["Principal"] != "*" and "s3:ListBucket" not in s["Action"] for s in allowed)


def _submit_with_photo(category, community):
    return services.submit_complaint(
        kind="help",
        category=category,
        community=community,
        description="楼道灯坏了好几天了，晚上很黑。",
        phone="13912345678",
        name="李四",
        privacy_notice_version="1",
        photos=[clean_photo(image_upload())],
    )


def test_erasure_and_the_retention_purge_delete_photos_from_the_bucket(
    category, community, photos_in_bucket, s3, django_capture_on_commit_callbacks
):
    def keys():
        return {item["Key"] for item in s3.list_objects_v2(Bucket=photos_in_bucket).get("Contents", [])}

    erased = _submit_with_photo(category, community)
    expired = services.reject_complaint(
        complaint=_submit_with_photo(category, community), reason=RejectReason.SPAM, actor=None
    )
    expired.events.update(at=timezone.now() - timedelta(days=800))
    kept = _submit_with_photo(category, community)
    assert len(keys()) == 3

    with django_capture_on_commit_callbacks(execute=True):
        services.erase_personal_data(complaint=erased, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_personal_data", stdout=io.StringIO())
    assert keys() == {kept.photos.get().file.name}
    assert not erased.photos.exists() and not expired.photos.exists()


def test_two_app_servers_serve_each_others_photos_from_the_bucket(
    site, category, community, s3_endpoint, bucket, make_moderator, settings, tmp_path
):
    # Server A takes the report: its own storage instance and its own (unused) disk.
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "server-a")
    settings.STORAGES = {**settings.STORAGES, "private": bucket_storage(s3_endpoint, bucket)}
    server_a = storages["private"]
    photo = report_with_photo(Client(), category, community)
    sent = photo.file.read()
    photo.file.close()

    # Server B: a fresh storage (new boto3 session and connection), another disk.
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "server-b")
    settings.STORAGES = {**settings.STORAGES, "private": bucket_storage(s3_endpoint, bucket)}
    assert storages["private"] is not server_a
    moderator = Client()
    moderator.force_login(make_moderator("trusted", communities=[community], personal_data=True))
    response = moderator.get(photo_url(ComplaintPhoto.objects.get(pk=photo.pk)))
    assert response.status_code == 302
    assert fetch(response["Location"]) == (200, sent)
    assert files_under(tmp_path) == []


# --- One shared folder, and the filesystem default -----------------------------------------

# Another process with production settings stores a photo through STORAGES["private"] and
# says what it configured; the test process is the other app server.
PROBE = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
storage = storages["private"]
name = storage.save("complaints/2026/12/" + sys.argv[1], ContentFile(bytes.fromhex(sys.argv[2])))
try:
    url = storage.url(name)
except ValueError:
    url = None
print(json.dumps({
    "backend": f"{type(storage).__module__}.{type(storage).__qualname__}",
    "name": name,
    "url": url,
    "admin_img_src": settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]["img-src"],
}))
"""


def other_server(content: bytes, **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PRIVATE_MEDIA_"))}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, f"{uuid.uuid4().hex}.jpg", content.hex()],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "portal.example.cn",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _photo_row(complaint, name) -> ComplaintPhoto:
    photo = ComplaintPhoto(complaint=complaint, width=64, height=48)
    photo.file.name = name
    photo.save()
    return photo


def test_production_environment_puts_photos_in_the_bucket_for_every_server(
    complaint, s3_endpoint, bucket, make_moderator, client, photos_in_bucket
):
    content = clean_photo(image_upload()).content
    found = other_server(
        content,
        PRIVATE_MEDIA_BUCKET=bucket,
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        AWS_S3_REGION_NAME=REGION,
        AWS_S3_ADDRESSING_STYLE="path",
        AWS_ACCESS_KEY_ID=ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=SECRET_KEY,
        PRIVATE_MEDIA_URL_SECONDS="60",
    )
    assert found["backend"] == S3_BACKEND
    assert dict(parse_qsl(urlsplit(found["url"]).query))["X-Amz-Expires"] == "60"
    # The admin's <img> may follow the redirect to the bucket.
    assert f"{urlsplit(found['url']).scheme}://{urlsplit(found['url']).netloc}" in found["admin_img_src"]

    photo = _photo_row(complaint, found["name"])
    client.force_login(make_moderator("trusted", communities=[complaint.community], personal_data=True))
    response = client.get(photo_url(photo))
    assert response.status_code == 302 and fetch(response["Location"]) == (200, content)


def test_two_servers_sharing_one_folder_serve_each_others_photos(
    complaint, make_moderator, client, settings, tmp_path
):
    shared = tmp_path / "nfs-private"
    content = clean_photo(image_upload()).content
    found = other_server(content, PRIVATE_MEDIA_ROOT=str(shared))
    assert found["backend"] == "feedback.complaints.storage.PrivateStorage" and found["url"] is None
    photo = _photo_row(complaint, found["name"])
    client.force_login(make_moderator("trusted", communities=[complaint.community], personal_data=True))

    settings.PRIVATE_MEDIA_ROOT = str(shared)
    response = client.get(photo_url(photo))
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    assert "no-store" in response["Cache-Control"]

    # Each server with a folder of its own (the default inside each checkout): a photo
    # taken by one is missing on the other, which answers 404 rather than failing.
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "this-server-only")
    assert client.get(photo_url(photo)).status_code == 404


def test_filesystem_stays_the_default_and_streams_the_photo(
    client, site, category, community, make_moderator, settings
):
    photo = report_with_photo(client, category, community)
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == [os.path.basename(photo.file.name)]
    client.force_login(make_moderator("trusted", communities=[community], personal_data=True))
    response = client.get(photo_url(photo))
    assert response.status_code == 200 and "Location" not in response
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


# --- Half a configuration is refused ---------------------------------------------------------


def _check_ids(settings, **values) -> set[str]:
    for name, value in values.items():
        setattr(settings, name, value)
    return {message.id for message in check_private_storage()}


def test_storage_checks_pass_on_the_default_and_on_a_complete_bucket(settings):
    assert _check_ids(settings) == set()
    settings.STORAGES = {**settings.STORAGES, "private": {"BACKEND": S3_BACKEND}}
    complete = {
        "PRIVATE_MEDIA_BUCKET": "portal-private",
        "AWS_S3_ENDPOINT_URL": "https://oss-cn-hangzhou.aliyuncs.com",
        "AWS_S3_ADDRESSING_STYLE": "virtual",
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
    }
    assert _check_ids(settings, **complete) == set()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"AWS_S3_ENDPOINT_URL": "https://minio.internal:9000"}, "private_media.E002"),
        ({"PRIVATE_MEDIA_BUCKET": "p", "AWS_ACCESS_KEY_ID": ACCESS_KEY}, "private_media.E003"),
        ({"PRIVATE_MEDIA_BUCKET": "media", "AWS_STORAGE_BUCKET_NAME": "media"}, "private_media.E004"),
        ({"PRIVATE_MEDIA_BUCKET": "p", "AWS_S3_ADDRESSING_STYLE": "host"}, "private_media.E005"),
        ({"PRIVATE_MEDIA_URL_SECONDS": 3600}, "private_media.E006"),
        ({"AWS_STORAGE_BUCKET_NAME": "media"}, "private_media.W001"),
        ({"PRIVATE_MEDIA_BUCKET": "p", "AWS_S3_ENDPOINT_URL": "http://10.0.0.30:9000"}, "private_media.W002"),
        ({"STORAGES": {"private": {"BACKEND": "storages.backends.s3.S3Storage"}}}, "private_media.E001"),
    ],
)
def test_half_configured_object_storage_is_reported(settings, values, expected):
    assert expected in _check_ids(settings, **values)


def test_production_refuses_to_start_with_an_endpoint_but_no_bucket():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PRIVATE_MEDIA_"))}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "portal.example.cn",
            "AWS_S3_ENDPOINT_URL": "https://minio.internal:9000",
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "private_media.E002" in done.stderr
