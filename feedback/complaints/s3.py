"""Residents' photos in a private S3-compatible bucket, for several app servers.

Its own module so that boto3 (half a second to import) is loaded only by a deployment that
configures the bucket (``PRIVATE_MEDIA_BUCKET``); ``storage`` explains the two backends.
"""

from django.conf import settings
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """A private bucket. Class attributes win over the ``AWS_*`` settings (django-storages
    only fills in what a class leaves unset), so a public-media setting such as
    ``AWS_S3_CUSTOM_DOMAIN`` (unsigned URLs), ``AWS_DEFAULT_ACL="public-read"`` or a
    long ``AWS_QUERYSTRING_EXPIRE`` never reaches residents' photos."""

    default_acl = None  # no ACL header: private, and valid on buckets with ACLs disabled
    querystring_auth = True
    custom_domain = None
    cloudfront_key_id = cloudfront_key = None
    location = ""
    # File names are 128 random bits chosen by the server (photos.clean_photo), so there
    # is nothing to overwrite; not asking "does it exist?" first spares a HEAD per photo,
    # and lets the app's key go without s3:ListBucket (S3 answers 403, not 404, to a HEAD
    # on a missing key without it).
    file_overwrite = True
    # Neither the browser nor a proxy keeps a copy of a resident's photo.
    object_parameters = {"CacheControl": "private, no-store"}

    @property
    def querystring_expire(self):
        return settings.PRIVATE_MEDIA_URL_SECONDS
