"""Demo staff, one per role, each with the scope of their work (``scopes.StaffScope``).

Runs after every page exists, so it applies the roles again (``home.roles``) to give
the community workers their page permissions on the indexes of community pages. The
password is ``DEMO_STAFF_PASSWORD`` or a new random one each run, printed like the
administrator's. Idempotent.
"""

import os
import secrets

from django.contrib.auth import get_user_model

from home import roles
from home.models import Community, Street

from .scopes import StaffScope

# (username, name, role, streets by name, communities by slug, all communities)
STAFF = [
    ("bianji", "周文", roles.EDITORS, (), (), False),
    ("shenhe", "李敏", roles.MODERATORS, ("复兴街道",), (), False),
    ("shequ_fuxing", "王芳", roles.COMMUNITY_WORKERS, (), ("fuxing",), False),
    ("chengban", "赵强", roles.HANDLING_UNITS, (), (), False),
    ("guanli", "陈刚", roles.ADMINISTRATORS, (), (), True),
]


def load_staff(stdout=None) -> str:
    groups = roles.apply_roles()
    password = os.environ.get("DEMO_STAFF_PASSWORD") or secrets.token_urlsafe(9)
    lines = []
    for username, name, role, streets, communities, everywhere in STAFF:
        user, _ = get_user_model().objects.update_or_create(
            username=username,
            defaults={
                "email": f"{username}@tongxin.example.cn",
                # The whole name in one field: Wagtail shows "first last", wrong way round in Chinese.
                "first_name": name,
                "last_name": "",
            },
        )
        user.set_password(password)
        user.save()
        user.groups.add(groups[role])
        if streets or communities or everywhere:
            scope, _ = StaffScope.objects.update_or_create(
                user=user, defaults={"all_communities": everywhere}
            )
            scope.streets.set(Street.objects.filter(name__in=streets))
            scope.communities.set(Community.objects.filter(slug__in=communities))
        where = "、".join(
            [*streets, *Community.objects.filter(slug__in=communities).values_list("name", flat=True)]
        )
        lines.append(f"{username}（{role}{'·' + where if where else ''}）")
    if stdout:
        stdout.write(f"  演示工作人员 {'、'.join(lines)}，密码均为 {password}")
    return password
