"""``manage.py reset_staff_otp <username> [--reason …]``: a staff member lost their phone.

Removes the account's authenticator and recovery codes; at the next sign-in the account
enrols a new phone. The reset is written to Wagtail's audit log (站点历史) against the
account, with the reason and, when given, the administrator (``--by``).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal.accounts.otp import reset_second_factor


class Command(BaseCommand):
    help = "重置工作人员的双重验证（删除其身份验证器和恢复码），下次登录时重新绑定。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", default="", help="重置原因，记入操作日志")
        parser.add_argument("--by", default="", help="执行重置的管理员用户名，记入操作日志")

    def handle(self, *args, username, reason, by, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist as error:
            raise CommandError(f"没有用户名为 {username!r} 的账号。") from error
        actor = None
        if by:
            actor = User.objects.filter(**{User.USERNAME_FIELD: by}, is_superuser=True).first()
            if actor is None:
                raise CommandError(f"--by {by!r} 不是超级管理员账号。")
        removed = reset_second_factor(user=user, actor=actor, reason=reason)
        if removed:
            self.stdout.write(f"已重置 {username} 的双重验证；该账号下次登录时需用新手机重新绑定身份验证器。")
        else:
            self.stdout.write(f"{username} 尚未绑定身份验证器，无需重置（已记入操作日志）。")
