"""Build the demo site, idempotently: ``python manage.py load_initial_data``.

``home`` loads the ground (regions, settings, home page, groups); then every
installed app that has a ``demo`` module with a ``load(stdout)`` function adds its
own content, in ``INSTALLED_APPS`` order. Running it twice leaves the same content.
Search is indexed here, before the command ends, whatever the task backend, and
PostgreSQL's statistics are refreshed (``portal.bulk``).
"""

import os
import secrets

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string, module_has_submodule

from portal.bulk import bulk_load


class Command(BaseCommand):
    help = "载入演示数据（可重复运行）"

    def add_arguments(self, parser):
        # Only for the admin link printed at the end: ``make run HOST=… PORT=…`` passes them.
        parser.add_argument("--host", default=os.environ.get("HOST") or "127.0.0.1")
        parser.add_argument("--port", default=os.environ.get("PORT") or "8000")

    def handle(self, *args, **options):
        with bulk_load(), transaction.atomic():
            for config in apps.get_app_configs():
                if config.module and module_has_submodule(config.module, "demo"):
                    loader = import_string(f"{config.name}.demo.load")
                    self.stdout.write(f"载入 {config.verbose_name} …")
                    loader(stdout=self.stdout)
            password = self._admin()
        self.stdout.write("已建立搜索索引。")
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
        address = f"http://{options['host']}:{options['port']}"
        self.stdout.write(f"管理后台 {address}/admin/  用户名 admin  密码 {password}")
        self.stdout.write(
            "admin 为超级管理员，须开启双重验证：首次登录后按页面提示用手机身份验证器扫码绑定；"
            "换了手机可运行 manage.py reset_staff_otp admin 重新绑定。"
        )

    def _admin(self) -> str:
        password = os.environ.get("DEMO_ADMIN_PASSWORD") or secrets.token_urlsafe(9)
        user, _ = get_user_model().objects.get_or_create(
            username="admin", defaults={"email": "admin@tongxin.example.cn"}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        return password
