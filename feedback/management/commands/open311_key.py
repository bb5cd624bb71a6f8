"""``manage.py open311_key NAME``: create an Open311 API client and print its key once.

Only the key's digest is stored; a lost key is replaced with ``--rotate``, a client
stopped with ``--revoke``.
"""

from django.core.management.base import BaseCommand, CommandError

from feedback.open311 import keys
from feedback.open311.models import Access, ApiClient
from home.models import Community


class Command(BaseCommand):
    help = "Create an Open311 API client (or rotate/revoke its key) and print the new key once."

    def add_arguments(self, parser):
        parser.add_argument("name", help="接入方名称")
        parser.add_argument("--contact", default="", help="联系人及电话")
        parser.add_argument("--write", action="store_true", help="允许提交反映（默认只读）")
        parser.add_argument(
            "--community", action="append", default=[], metavar="SLUG", help="可访问的社区（可多次给出）"
        )
        parser.add_argument("--all-communities", action="store_true", help="可访问所有社区")
        parser.add_argument("--rotate", action="store_true", help="给已有接入方换一个新密钥")
        parser.add_argument("--revoke", action="store_true", help="停用已有接入方的密钥")

    def handle(self, *args, name, contact, write, community, all_communities, rotate, revoke, **options):
        if rotate or revoke:
            client = ApiClient.objects.filter(name=name).first()
            if client is None:
                raise CommandError(f"没有名为“{name}”的接入方。")
            if revoke:
                keys.revoke_key(client=client)
                self.stdout.write(f"已停用“{name}”的密钥。")
                return
            self._print_key(client, keys.issue_key(client=client))
            return
        if ApiClient.objects.filter(name=name).exists():
            raise CommandError(f"已有名为“{name}”的接入方；换密钥请加 --rotate。")
        communities = Community.objects.all()
        if not all_communities:
            communities = communities.filter(slug__in=community)
            missing = set(community) - set(communities.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"没有这些社区：{'、'.join(sorted(missing))}。")
            if not community:
                raise CommandError("请用 --community SLUG 给出可访问的社区，或加 --all-communities。")
        client, key = keys.create_client(
            name=name,
            contact=contact,
            access=Access.READ_WRITE if write else Access.READ,
            communities=list(communities),
        )
        self._print_key(client, key)

    def _print_key(self, client, key):
        self.stdout.write(f"接入方：{client.name}（{client.get_access_display()}）")
        self.stdout.write("密钥（只显示这一次，请妥善保存）：")
        self.stdout.write(key)
