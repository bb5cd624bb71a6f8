"""Delivery backends, one per channel, chosen in ``settings.NOTIFY_BACKENDS``.

A backend has ``send(*, address, message) -> str`` returning the provider's message id,
or raises :class:`DeliveryError` with a short code and whether trying again may help
(a timeout, HTTP 5xx, the provider's flow control) or not (an invalid number, a template
the provider does not know, a wrong key).
"""

from django.conf import settings
from django.utils.module_loading import import_string


class DeliveryError(Exception):
    def __init__(self, code: str, *, retryable: bool):
        super().__init__(code)
        self.code = code[:60]
        self.retryable = retryable


def backend_for(channel: str):
    return import_string(settings.NOTIFY_BACKENDS[channel])()
