"""The resident's device, as the feedback limits see it: a random id in a signed cookie.

Many honest residents can share one address (a community centre's Wi-Fi, a carrier's
shared address), so the limits that refuse count per phone and per device, and the
address only steps up the challenge until a much higher bound (``throttle``). The id is
random (no fingerprinting), signed so it cannot be forged or chosen, HttpOnly, and sent
only to ``/feedback/``, so every other page stays cacheable. It says nothing about the
person; the limiter stores it only hashed (``portal.abuse.check_rate``).

A request without a valid cookie gets a new id at once (``device_of``), so its first
hits already count against that device; the response sets the cookie (``remembered``).
Because anyone can drop the cookie, requests that came without one also count together
per address (``Device.new``): a missing cookie counts as a new device only up to the
address's limit.
"""

import functools
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

COOKIE = "feedback_device"
SALT = "feedback.device"
COOKIE_PATH = "/feedback/"
MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class Device:
    id: str
    new: bool  # the request came without a valid cookie


def device_of(request: HttpRequest) -> Device:
    """The device of this request; the same object for the whole request."""
    device = getattr(request, "_feedback_device", None)
    if device is None:
        known = request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=MAX_AGE)
        device = Device(id=known, new=False) if known else Device(id=secrets.token_urlsafe(16), new=True)
        request._feedback_device = device
    return device


def remembered(view=None, *, path: str = COOKIE_PATH):
    """View decorator: give a request that came without the cookie its new device id.

    ``path`` for forms outside ``/feedback/`` (议事协商 under ``/deliberation/``): the
    paths must not overlap, so a request never carries two cookies of this name.
    """
    if view is None:
        return functools.partial(remembered, path=path)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        device = device_of(request)
        if device.new:
            response.set_signed_cookie(
                COOKIE,
                device.id,
                salt=SALT,
                max_age=MAX_AGE,
                path=path,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    return wrapper
