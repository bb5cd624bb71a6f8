"""One answer to 这个页面有用吗？ for one page."""

from django.db import models
from django.utils import timezone


class PageFeedback(models.Model):
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name="页面"
    )
    useful = models.BooleanField("有帮助")
    # Masked before it is stored (services.record_answer): no phone, ID or name survives.
    comment = models.CharField("意见（已隐去个人信息）", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        app_label = "home"
        verbose_name = "页面有用吗反馈"
        verbose_name_plural = "页面有用吗反馈"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["page", "useful"])]

    def __str__(self):
        return f"{self.page_id} {'有用' if self.useful else '没有帮助'}"
