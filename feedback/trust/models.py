"""Trust records: blocked phone numbers and the audit log of personal-data handling.

Neither model stores a resident's name or phone in clear. A blocked number is kept as a
keyed hash (HMAC with ``SECRET_KEY``) plus its masked form for display; the audit log
records who did what to which report, when and how many rows, never the data itself.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac


def phone_digest(phone: str) -> str:
    """Keyed hash of a mobile number: comparable, not reversible without ``SECRET_KEY``."""
    normalised = "".join((phone or "").split())
    return salted_hmac("feedback.blocked-phone", normalised).hexdigest()


class BlockedPhone(models.Model):
    wagtail_reference_index_ignore = True  # as Complaint: no usage index of residents' records

    phone_hash = models.CharField(max_length=64, unique=True, editable=False)
    phone_masked = models.CharField("手机号", max_length=11, editable=False)
    reason = models.CharField("屏蔽原因", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
        editable=False,
    )
    created_at = models.DateTimeField("屏蔽时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "屏蔽手机号"
        verbose_name_plural = "屏蔽手机号"
        ordering = ["-created_at"]

    def __str__(self):
        return self.phone_masked


class AuditAction(models.TextChoices):
    VIEW_CONTACT = "view_contact", "查看居民联系方式"
    VIEW_PHOTO = "view_photo", "查看居民照片"
    EXPORT_PERSONAL = "export_personal", "导出含个人信息的表格"
    PURGE = "purge", "保存期满匿名化"
    ERASE = "erase", "应居民申请删除个人信息"
    BLOCK_PHONE = "block_phone", "屏蔽手机号"
    UNBLOCK_PHONE = "unblock_phone", "解除屏蔽手机号"
    RELEASE_HELD = "release_held", "解除暂缓"
    EXPORT_AUDIT = "export_audit", "导出个人信息操作记录"


class AuditEntry(models.Model):
    """One access to or change of residents' personal data. Append-only."""

    wagtail_reference_index_ignore = True  # as Complaint: no usage index of residents' records

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    # Null for scheduled jobs (cron) acting as the system.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    action = models.CharField("操作", max_length=20, choices=AuditAction.choices)
    reference = models.CharField("反映编号", max_length=40, blank=True, db_index=True)
    count = models.PositiveIntegerField("涉及条数", default=1)
    detail = models.CharField("说明", max_length=120, blank=True)

    class Meta:
        verbose_name = "个人信息操作记录"
        verbose_name_plural = "个人信息操作记录"
        ordering = ["-at", "-pk"]
        permissions = [("erase_personal_data", "可应居民申请删除其个人信息")]

    def __str__(self):
        return f"{self.get_action_display()} {self.reference}".strip()
