"""Connects the notifications to the complaints' ``public_step`` (from ``FeedbackConfig.ready``)."""

from django.dispatch import receiver

from ..complaints.models import Complaint
from ..complaints.signals import public_step
from .tasks import queue_for_step


@receiver(public_step, sender=Complaint, dispatch_uid="feedback.notifications.queue_for_step")
def queue_notifications(sender, *, complaint, step, **kwargs):
    queue_for_step(complaint=complaint, step=step)
