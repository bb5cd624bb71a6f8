"""Where residents' photos live, and how a moderator's browser gets one: never at a public URL.

Two backends for ``STORAGES["private"]``:

- ``PrivateStorage`` (the default, one server): the folder ``PRIVATE_MEDIA_ROOT``, outside
  ``MEDIA_ROOT`` so neither the dev server's ``/media/`` route nor a web server serving
  ``MEDIA_ROOT`` can expose it. It has no URL: the access-checked view streams the file.
  Several app servers may share it only as one mounted folder (NFS…).
- ``s3.PrivateS3Storage`` (several servers): a private S3-compatible bucket. Objects are
  written without an ACL (private, whatever the public-media settings say), and the only
  URLs are signed and live ``PRIVATE_MEDIA_URL_SECONDS``; the view redirects to one after
  checking access and writing the audit entry. Nothing here lists the bucket.

``private_storage()`` is what the model field names: a lazy handle on
``storages["private"]`` that follows a change of ``STORAGES`` (as ``default_storage`` does),
so the field is not tied to the backend configured when models were imported.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, cached_property, empty


class PrivateStorage(FileSystemStorage):
    # Read the setting lazily (and again when a test overrides it), like the default storage.
    @cached_property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private files have no public URL; use the permission-checked view.")


def signed_url(file) -> str | None:
    """A short-lived signed URL for a private file in object storage; ``None`` on the
    filesystem, where the caller streams the file itself."""
    if isinstance(file.storage, FileSystemStorage):
        return None
    return file.storage.url(file.name)


class _PrivateStorageHandle(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


_private = _PrivateStorageHandle()


@receiver(setting_changed)
def _follow_storages(*, setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty


def private_storage():
    return _private
