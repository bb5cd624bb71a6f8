"""What the complaint services announce: a public step of a report, once it is stored.

``public_step`` is sent by ``services`` inside the transaction that made the change,
with ``sender=Complaint``, ``complaint`` and ``step`` (a :class:`PublicStep`). Receivers
that talk to the outside world (SMS, e-mail: ``feedback.notifications``) queue their work
on commit, so a change that rolls back announces nothing. Complaints know nothing of who
listens.
"""

from django.db import models
from django.dispatch import Signal


class PublicStep(models.TextChoices):
    DISPATCHED = "dispatched", "已受理并派单"
    IN_PROGRESS = "in_progress", "承办单位已回复处理"
    EXTENDED = "extended", "办结时限延期"
    RESOLVED = "resolved", "已办结答复"
    REOPENED = "reopened", "重新办理"
    REJECTED = "rejected", "不予受理"


public_step = Signal()
