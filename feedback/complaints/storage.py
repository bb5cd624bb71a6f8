"""Where residents' photos live: ``PRIVATE_MEDIA_ROOT``, never at a public URL.

The folder is outside ``MEDIA_ROOT`` so neither the dev server's ``/media/`` route
nor a production web server serving ``MEDIA_ROOT`` can expose it. The storage has
no URL; staff see photos only through the permission-checked view
``feedback_admin:photo``. With object storage configured (production settings),
``STORAGES["private"]`` points at a private bucket prefix instead.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import cached_property


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


def private_storage():
    return storages["private"]
