"""Archive resolved reports the resident did not rate in time (run daily from cron)."""

from django.core.management.base import BaseCommand

from feedback.complaints.services import close_unrated_complaints
from feedback.complaints.workflow import close_unrated_after_days


class Command(BaseCommand):
    help = "将办结后超过规定天数仍未评价的居民反映自动归档"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="办结后多少天未评价即归档（默认取设置）")

    def handle(self, *args, days=None, **options):
        days = close_unrated_after_days() if days is None else days
        closed = close_unrated_complaints(days=days)
        self.stdout.write(f"已自动归档 {closed} 条办结后 {days} 天未评价的反映。")
