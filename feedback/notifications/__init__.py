"""Residents are told of each public step of their report, by SMS and e-mail.

``complaints.services`` sends ``complaints.signals.public_step``; ``receivers`` turns it
into one :class:`models.Notification` per recipient (``recipients.recipients``) and queues
``tasks.send_notification`` on commit. The message log keeps channel, step, status,
attempts, the provider's id and times, never the text or the address in clear: the
address is read from the report when the message is sent, so a report whose personal
data was erased in between is not sent. Backends (``backends``) are chosen in settings.
"""
