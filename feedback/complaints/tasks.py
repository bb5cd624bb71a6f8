"""Background jobs: e-mail the moderators of a community about a new or reopened report.

Queued with :func:`enqueue_on_commit`, so a slow mail server never slows the resident's
request and a report that was not stored is never announced. Bodies carry the reference
and a link to the admin, never the resident's name, phone or description (the
description may hold personal details).
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django_tasks import task

from ..common.scopes import StaffScope
from .models import Complaint


def queues_in_database(backend) -> bool:
    """True for the production queue (django_tasks_db), whose tasks are table rows."""
    if not apps.is_installed("django_tasks_db"):
        return False
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(backend, DatabaseBackend)


def enqueue_on_commit(task, **kwargs) -> None:
    """Queue ``task`` to run only if the current transaction commits.

    The database queue gets the task row inside the transaction: stored with the
    report in one commit, or rolled back with it (no second commit per report). A
    backend that runs tasks at once (development, tests) is called after the commit,
    and a failure there never undoes what the resident submitted.
    """
    if queues_in_database(task.get_backend()):
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(**kwargs), robust=True)


def moderator_emails(complaint: Complaint) -> list[str]:
    """Active users who may act on complaints and whose scope covers the community."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    perm = Q(
        groups__permissions__codename="change_complaint",
        groups__permissions__content_type__app_label="feedback",
    )
    perm |= Q(
        user_permissions__codename="change_complaint", user_permissions__content_type__app_label="feedback"
    )
    scopes = StaffScope.objects.filter(
        Q(all_communities=True)
        | Q(communities=complaint.community_id)
        | Q(streets=complaint.community.street_id)
    ).values("user_id")
    moderators = users.filter(perm, pk__in=scopes)
    return sorted(set(moderators.values_list("email", flat=True)))


def _send(complaint_id: int, *, subject: str, lead: str) -> int:
    complaint = Complaint.objects.select_related("community", "category").get(pk=complaint_id)
    recipients = moderator_emails(complaint)
    if not recipients:
        return 0
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "feedback_complaint_modeladmin_inspect", args=[complaint.pk]
    )
    body = (
        f"{lead}\n\n"
        f"编号：{complaint.reference}\n"
        f"类型：{complaint.get_kind_display()}\n"
        f"分类：{complaint.category.name}\n"
        f"社区：{complaint.community.name}\n\n"
        f"请登录管理后台查看详情并处理：\n{link}\n\n"
        "（为保护居民个人信息，本邮件不含居民姓名、电话和问题描述。）"
    )
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in recipients]
    return send_mass_mail(messages, fail_silently=False)


@task()
def notify_new_complaint(complaint_id: int) -> int:
    complaint = Complaint.objects.only("reference").get(pk=complaint_id)
    return _send(
        complaint_id,
        subject=f"【居民反映】新反映 {complaint.reference} 待受理",
        lead="您负责的社区收到一条新的居民反映，请及时受理、派单。",
    )


@task()
def notify_reopened_complaint(complaint_id: int) -> int:
    complaint = Complaint.objects.only("reference").get(pk=complaint_id)
    return _send(
        complaint_id,
        subject=f"【居民反映】{complaint.reference} 居民不满意，需重新办理",
        lead="居民对办理结果不满意，该反映已重新打开，请重新派单办理。",
    )
