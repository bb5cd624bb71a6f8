"""Where residents' photos live: under ``MEDIA_ROOT/private/``, never at a public URL.

The storage has no ``base_url``; staff see photos only through the permission-checked
view ``feedback_admin:photo``. Production web servers must not serve this directory
(only ``MEDIA_ROOT`` paths outside ``private/`` may be exposed at ``/media/``).
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    # Read MEDIA_ROOT lazily (and again when a test overrides it), like the default storage.
    @cached_property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, "private")

    def url(self, name):
        raise ValueError("Private files have no public URL; use the permission-checked view.")


def private_storage() -> PrivateStorage:
    return PrivateStorage()
