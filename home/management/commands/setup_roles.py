"""Create or repair the staff roles of an office: ``python manage.py setup_roles``.

Idempotent. Renames the legacy groups (Editors, Moderators, 审核/工作人员) to the new
names, adds every permission a role lacks (page permissions included, so run it again
after adding an index of community pages), and never removes a permission, a member or
a group. The roles are defined in ``home/roles.py``; who sees which communities is set
per person in 居民反映 → 工作人员负责范围.
"""

from django.core.management.base import BaseCommand

from home.roles import apply_roles


class Command(BaseCommand):
    help = "创建或修复工作人员角色（编辑、审核、社区工作人员、承办单位、管理员），可重复运行"

    def handle(self, *args, **options):
        apply_roles(self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                "角色已就绪。请在「居民反映 → 工作人员负责范围」为每位工作人员设置负责的街道或社区。"
            )
        )
