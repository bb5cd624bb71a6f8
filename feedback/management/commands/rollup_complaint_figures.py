"""Roll up the figures of past days (run daily from cron, after midnight)."""

from django.core.management.base import BaseCommand

from feedback.complaints.rollup import roll_up, rolled_up_through


class Command(BaseCommand):
    help = "汇总居民反映的每日统计（收到、办结、按期办结、评价、满意），供统计数字快速读取"

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="重新汇总全部日期（批量导入历史反映之后使用）"
        )

    def handle(self, *args, rebuild=False, **options):
        rows = roll_up(rebuild=rebuild)
        self.stdout.write(f"已写入 {rows} 条日统计，汇总至 {rolled_up_through() or '（无反映）'}。")
