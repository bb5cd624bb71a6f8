"""Anonymise reports (finished, unfinished or held, each after its own period) and
evaluations past the retention period (run daily from cron).

Idempotent and batch-wise: each batch is one short transaction, an interrupted run is
simply continued by the next one, and a second run the same day finds nothing to do.
The rules are in ``feedback.trust.retention``; what is expired and how a row is
stripped, in the complaints' and evaluations' own selectors and services.
"""

from django.core.management.base import BaseCommand

from feedback.complaints.selectors import expired_complaints
from feedback.complaints.services import anonymise_complaints
from feedback.evaluations.selectors import expired_evaluations
from feedback.evaluations.services import anonymise_evaluations
from feedback.trust.retention import PurgeStep, purge_expired_personal_data, retention_days, retention_summary

# Reports first, then evaluations; --limit caps both together.
STEPS = (
    PurgeStep(label="反映", expired=expired_complaints, anonymise=anonymise_complaints),
    PurgeStep(label="评议", expired=expired_evaluations, anonymise=anonymise_evaluations),
)


class Command(BaseCommand):
    help = (
        "将超过保存期限的居民反映（办结或不予受理、未办结、暂缓各有期限，自最后一次处理起算）"
        "和提交后超过保存期限的居民评议匿名化（删除姓名、手机号、位置和照片，保留统计数据）"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="办结反映和评议的保存期限（天，默认取 FEEDBACK_RETENTION_DAYS）；"
            "未办结和暂缓的反映取 FEEDBACK_RETENTION_UNFINISHED_DAYS、FEEDBACK_RETENTION_HELD_DAYS",
        )
        parser.add_argument("--batch-size", type=int, default=200, help="每批处理条数")
        parser.add_argument("--limit", type=int, default=None, help="本次最多处理条数（默认不限）")
        parser.add_argument("--dry-run", action="store_true", help="只统计，不修改")

    def handle(self, *args, days=None, batch_size=200, limit=None, dry_run=False, **options):
        days = retention_days() if days is None else days
        if dry_run:
            complaints, evaluations = (step.expired(days=days).count() for step in STEPS)
            self.stdout.write(
                f"有 {complaints} 条反映、{evaluations} 条评议已超过保存期限（{retention_summary(days=days)}），"
                "待匿名化（未修改）。"
            )
            return
        complaints, evaluations = purge_expired_personal_data(
            steps=STEPS, days=days, batch_size=batch_size, limit=limit
        )
        self.stdout.write(
            f"已将 {complaints} 条反映、{evaluations} 条评议匿名化（保存期限：{retention_summary(days=days)}）。"
        )
