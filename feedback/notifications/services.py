"""Send one notification with bounded retries (queued by ``tasks.queue_for_step``).

``deliver`` makes the attempts: a failure worth retrying is tried again after
``NOTIFY_RETRY_SECONDS`` × 2^(attempt-1), up to ``NOTIFY_MAX_ATTEMPTS`` attempts; on a
queue that can defer (the database queue) the retry is a new task run later, otherwise
it follows at once (at most a second's pause). Logs name the notification's id, step,
channel and error code, never an address, a link or a text.
"""

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..complaints.models import Complaint
from .backends import DeliveryError, backend_for
from .messages import Message
from .models import Notification, Status
from .recipients import address_now, is_follower, merged_report

logger = logging.getLogger(__name__)
INLINE_PAUSE_CAP = 1.0


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=settings.NOTIFY_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def attempt(notification: Notification) -> bool:
    """One try; True when another try is due. Updates the log row."""
    now = timezone.now()
    notification.attempts += 1
    notification.last_attempt_at = now
    notification.next_attempt_at = None
    address = address_now(
        complaint=notification.complaint, role=notification.recipient, channel=notification.channel
    )
    retry = False
    if address is None:  # consent withdrawn or personal data erased since it was queued
        notification.status, notification.error = Status.FAILED, "no_address"
    else:
        merged_pk = merged_report(notification.recipient)
        message = Message.for_step(
            # A merged duplicate's resident hears of the main report's step under their own report.
            complaint=Complaint.objects.get(pk=merged_pk) if merged_pk else notification.complaint,
            step=notification.step,
            follower=is_follower(notification.recipient),
        )
        try:
            notification.provider_message_id = backend_for(notification.channel).send(
                address=address, message=message
            )[:80]
        except DeliveryError as error:
            notification.error = error.code
            retry = error.retryable and notification.attempts < settings.NOTIFY_MAX_ATTEMPTS
            notification.status = Status.QUEUED if retry else Status.FAILED
            if retry:
                notification.next_attempt_at = now + retry_delay(notification.attempts)
        else:
            notification.status, notification.error, notification.sent_at = Status.SENT, "", timezone.now()
    notification.save()
    logger.info(
        "notification %s %s/%s attempt %s: %s %s",
        notification.pk,
        notification.step,
        notification.channel,
        notification.attempts,
        notification.status,
        notification.error,
    )
    return retry


def deliver(notification_id: int, *, defer: Callable[[datetime], None] | None) -> str:
    """Send one queued notification; returns its status. ``defer(when)`` queues the next
    try (None: the queue cannot defer, try again here). A notification already sent or
    given up is left alone, so a task run twice never sends twice."""
    while True:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update()
                .select_related("complaint")
                .filter(pk=notification_id, status=Status.QUEUED)
                .first()
            )
            if notification is None:
                return (
                    Notification.objects.filter(pk=notification_id).values_list("status", flat=True).first()
                )
            retry = attempt(notification)
        if not retry:
            return notification.status
        if defer is not None:
            defer(notification.next_attempt_at)
            return notification.status
        time.sleep(min(retry_delay(notification.attempts).total_seconds(), INLINE_PAUSE_CAP))
