"""Choices the notices app shares between its models, forms and rules."""

from django.db import models


class Validity(models.TextChoices):
    CURRENT = "current", "现行有效"
    REVISED = "revised", "已修订"
    REPEALED = "repealed", "已废止"


class PromiseStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "进行中"
    DONE = "done", "已完成"
