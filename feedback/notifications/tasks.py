"""Queue a report's notifications and send each as a Django task (django_tasks).

``queue_for_step`` runs inside the transaction of the change (from the ``public_step``
receiver): the log rows are stored with the change, and each sending task is queued on
commit (``complaints.tasks.enqueue_on_commit``), so a change that rolls back sends nothing.
"""

from datetime import datetime

from django_tasks import task

from ..complaints.models import Complaint
from ..complaints.tasks import enqueue_on_commit
from . import services
from .models import Notification
from .recipients import recipients


def queue_for_step(*, complaint: Complaint, step: str) -> list[Notification]:
    queued = []
    for recipient in recipients(complaint):
        notification = Notification.objects.create(
            complaint=complaint,
            step=step,
            channel=recipient.channel,
            recipient=recipient.role,
            masked_address=recipient.masked,
        )
        enqueue_on_commit(send_notification, notification_id=notification.pk)
        queued.append(notification)
    return queued


@task()
def send_notification(notification_id: int) -> str:
    def defer(when: datetime) -> None:
        send_notification.using(run_after=when).enqueue(notification_id=notification_id)

    can_defer = send_notification.get_backend().supports_defer
    return services.deliver(notification_id, defer=defer if can_defer else None)
