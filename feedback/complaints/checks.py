"""System checks on where residents' photos are kept (``manage.py check``, every start).

Several app servers need one place for the photos: a private bucket of their own
(``PRIVATE_MEDIA_BUCKET``) or one folder they all mount (``PRIVATE_MEDIA_ROOT``). A
configuration left half done would keep each photo on the server that received it, or
hand out URLs that are not short-lived signed ones, so these are errors, not warnings.
"""

from django.conf import settings
from django.core.checks import Error, Warning, register

PRIVATE_BACKENDS = {"feedback.complaints.storage.PrivateStorage", "feedback.complaints.s3.PrivateS3Storage"}
S3_CONNECTION = (
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_S3_ADDRESSING_STYLE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
)
ADDRESSING_STYLES = {"auto", "path", "virtual"}
URL_SECONDS = range(30, 601)


@register()
def check_private_storage(app_configs=None, **kwargs):
    found = []
    backend = settings.STORAGES.get("private", {}).get("BACKEND")
    if backend not in PRIVATE_BACKENDS:
        found.append(
            Error(
                f"STORAGES['private'] uses {backend!r}, which may give residents' photos public URLs.",
                hint="Use feedback.complaints.storage.PrivateStorage or feedback.complaints.s3.PrivateS3Storage.",
                id="private_media.E001",
            )
        )
    bucket = getattr(settings, "PRIVATE_MEDIA_BUCKET", "")
    public_bucket = getattr(settings, "AWS_STORAGE_BUCKET_NAME", "")
    given = [name for name in S3_CONNECTION if getattr(settings, name, None)]
    if given and not (bucket or public_bucket):
        found.append(
            Error(
                f"Object storage is half configured: {', '.join(given)} set, but no bucket; "
                "residents' photos would stay on the disk of the server that received them.",
                hint="Set PRIVATE_MEDIA_BUCKET (a private bucket for the photos), or unset these.",
                id="private_media.E002",
            )
        )
    if bool(getattr(settings, "AWS_ACCESS_KEY_ID", None)) != bool(
        getattr(settings, "AWS_SECRET_ACCESS_KEY", None)
    ):
        found.append(
            Error(
                "Only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set.",
                hint="Set both, or neither to use the machine's role.",
                id="private_media.E003",
            )
        )
    if bucket and bucket == public_bucket:
        found.append(
            Error(
                "PRIVATE_MEDIA_BUCKET is the public media bucket (AWS_STORAGE_BUCKET_NAME).",
                hint="Give residents' photos a bucket of their own, with no public access.",
                id="private_media.E004",
            )
        )
    style = getattr(settings, "AWS_S3_ADDRESSING_STYLE", None)
    if style and style not in ADDRESSING_STYLES:
        found.append(
            Error(
                f"AWS_S3_ADDRESSING_STYLE is {style!r}.",
                hint="Use auto, path (MinIO and most self-hosted services) or virtual.",
                id="private_media.E005",
            )
        )
    if settings.PRIVATE_MEDIA_URL_SECONDS not in URL_SECONDS:
        found.append(
            Error(
                f"PRIVATE_MEDIA_URL_SECONDS is {settings.PRIVATE_MEDIA_URL_SECONDS}.",
                hint="A signed photo URL should work for 30 to 600 seconds (120 by default).",
                id="private_media.E006",
            )
        )
    endpoint = getattr(settings, "AWS_S3_ENDPOINT_URL", None) or ""
    if bucket and endpoint.startswith("http://"):
        found.append(
            Warning(
                "AWS_S3_ENDPOINT_URL is plain http: signed photo URLs travel in clear, and browsers "
                "refuse http images on the https admin.",
                hint="Serve the object storage over https, at an address moderators' browsers can reach.",
                id="private_media.W002",
            )
        )
    if public_bucket and not bucket:
        found.append(
            Warning(
                "Public media are in a bucket but residents' photos stay in PRIVATE_MEDIA_ROOT.",
                hint="With several app servers set PRIVATE_MEDIA_BUCKET, or mount one shared folder there.",
                id="private_media.W001",
            )
        )
    return found
