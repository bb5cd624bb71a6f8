"""API clients of the Open311 interface and the reports they filed.

A client is an integrator staff let in (a hotline, a street's grid system): its key is
shown once and stored only as a SHA-256 digest (``keys``), with a short visible prefix
to find the row. Its communities bound what it may read and file.
"""

from django.db import models
from django.utils import timezone

from ..complaints.models import Complaint


class Access(models.TextChoices):
    READ = "read", "只读（查询）"
    READ_WRITE = "read_write", "读写（查询和提交）"


class ApiClient(models.Model):
    name = models.CharField("接入方名称", max_length=60, unique=True)
    contact = models.CharField("联系人及电话", max_length=120, blank=True, help_text="出现问题时联系谁。")
    access = models.CharField("权限", max_length=12, choices=Access.choices, default=Access.READ)
    communities = models.ManyToManyField(
        "home.Community",
        related_name="+",
        verbose_name="可访问的社区",
        help_text="只能查询和提交这些社区的反映。",
    )
    key_prefix = models.CharField("密钥前缀", max_length=12, unique=True, editable=False)
    key_digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    revoked_at = models.DateTimeField("停用时间", null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "接口接入方"
        verbose_name_plural = "接口接入方"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def can_write(self) -> bool:
        return self.access == Access.READ_WRITE

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class ApiRequest(models.Model):
    """A report filed through the API: by which client, and its Open311 ``token``."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="requests")
    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="open311_request")
    token = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "接口提交记录"
        verbose_name_plural = "接口提交记录"

    def __str__(self):
        return f"{self.client_id} {self.complaint_id}"
