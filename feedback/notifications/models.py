"""The message log: one row per message to one recipient on one channel."""

from django.db import models
from django.utils import timezone

from ..complaints.models import Complaint
from ..complaints.signals import PublicStep


class Channel(models.TextChoices):
    SMS = "sms", "短信"
    EMAIL = "email", "电子邮件"


class Status(models.TextChoices):
    QUEUED = "queued", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class Notification(models.Model):
    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="notifications", verbose_name="反映"
    )
    step = models.CharField("事项", max_length=12, choices=PublicStep.choices)
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    # Who, by role ("reporter"; followers get their own role): the address is looked up
    # when sending and never stored here, only its masked form for staff.
    recipient = models.CharField("接收人", max_length=30, default="reporter")
    masked_address = models.CharField("接收地址（已隐藏）", max_length=60, blank=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    provider_message_id = models.CharField("服务商消息编号", max_length=80, blank=True)
    # A provider's code or our own (timeout, http_500, no_address): never the provider's text,
    # which may quote the number.
    error = models.CharField("失败原因", max_length=60, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    last_attempt_at = models.DateTimeField("最近尝试", null=True, blank=True)
    next_attempt_at = models.DateTimeField("下次重试", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "进展通知"
        verbose_name_plural = "进展通知"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.complaint_id} {self.step} {self.channel}"
