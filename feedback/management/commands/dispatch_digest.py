"""Mail each handling unit its red/yellow tickets and escalate red ones (run daily from cron)."""

from django.core.management.base import BaseCommand

from feedback.complaints.digest import run_digest


class Command(BaseCommand):
    help = (
        "向各承办单位发送红黄灯工单提醒，并将红灯工单提请街道审核人员督办（每日运行，同日重复运行不重复督办）"
    )

    def handle(self, *args, **options):
        result = run_digest()
        self.stdout.write(
            f"已发送单位提醒 {result.unit_mails} 封；新督办 {result.escalated} 件，督办邮件 {result.escalation_mails} 封。"
        )
