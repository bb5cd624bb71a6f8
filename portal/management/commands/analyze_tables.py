"""``python manage.py analyze_tables``: refresh PostgreSQL's planner statistics.

Run it after a bulk import (an archive of notices, a year of reports) and before the
first visitors: until autovacuum gets there, PostgreSQL plans from guesses. Does nothing
on SQLite. ``load_initial_data`` runs it itself.
"""

from django.core.management.base import BaseCommand

from portal.bulk import analyze


class Command(BaseCommand):
    help = "刷新 PostgreSQL 查询统计信息（批量导入后运行）"

    def handle(self, *args, **options):
        analyze()
        self.stdout.write(self.style.SUCCESS("统计信息已更新。"))
