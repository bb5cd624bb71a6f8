"""Staff roles: the groups an office needs and what each may do, defined once.

``apply_roles()`` creates or repairs them; ``manage.py setup_roles`` and the demo loader
call it. It is idempotent: it renames a legacy group (Wagtail's stock Editors/Moderators,
our old 审核/工作人员) instead of adding a second one, adds what a role lacks and never
removes a permission or a group an office added.

Permissions are named here as ``app label → codenames`` strings, so this module needs
none of the apps it grants on (they sit above ``home``). Who sees which communities is
the person's ``StaffScope`` (feedback), not the group: a role says what kind of work,
the scope says where.

Pages: 编辑 and 审核 hold Wagtail page permissions on the root; 社区工作人员 hold add and
change (never publish) on the indexes whose children belong to a community (any page
type with a ``community`` field: reports to residents, stations), and feedback's page
scope (``feedback.common.pages``) narrows those to the communities of their scope.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from .models import Community

EDITORS = "编辑"
MODERATORS = "审核"
COMMUNITY_WORKERS = "社区工作人员"
HANDLING_UNITS = "承办单位"
ADMINISTRATORS = "管理员"

# Whoever edits pages of every community (or of none, such as notices) needs this one; the
# others may edit only their communities' pages.
EDIT_EVERY_COMMUNITY_PAGE = ("home", "edit_every_community_page")

_MEDIA = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}
_REGIONS_READ = {"home": ("view_street", "view_community", "view_grid")}
_CONTENT = {
    "wagtailadmin": ("access_admin",),
    **_MEDIA,
    "home": (
        *_REGIONS_READ["home"],
        EDIT_EVERY_COMMUNITY_PAGE[1],
        "add_searchsynonym",
        "change_searchsynonym",
        "view_searchsynonym",
        "view_pagefeedback",  # the 这个页面有用吗？ report of the pages they may edit
    ),
    "notices": ("add_noticecategory", "change_noticecategory", "view_noticecategory"),
    "servicecatalog": (
        "add_servicecategory",
        "change_servicecategory",
        "view_servicecategory",
        "add_serviceaudience",
        "change_serviceaudience",
        "view_serviceaudience",
    ),
}
# Working on residents' reports and evaluations, within the person's scope.
_CASEWORK = {
    "feedback": (
        "view_complaint",
        "change_complaint",
        "view_complaintcategory",
        "view_handlingunit",
        "view_evaluation",
        "change_evaluation",
        "view_propertycompany",
        # 议事协商: the community's party organisation moves topics through the six steps.
        "view_topic",
        "change_topic",
    ),
}


def _merge(*parts: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    merged: dict[str, tuple[str, ...]] = {}
    for part in parts:
        for app_label, codenames in part.items():
            merged[app_label] = tuple(dict.fromkeys((*merged.get(app_label, ()), *codenames)))
    return merged


@dataclass(frozen=True)
class Role:
    name: str
    description: str
    legacy: tuple[str, ...] = ()
    permissions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    root_page_actions: tuple[str, ...] = ()  # Wagtail page permissions on the whole tree
    community_page_actions: tuple[str, ...] = ()  # on the indexes of community pages
    media_collection_actions: tuple[str, ...] = ()  # on the root collection
    everything: bool = False


ROLES = (
    Role(
        EDITORS,
        "撰写和修改页面并提交审核，不能发布",
        legacy=("Editors",),
        permissions=_CONTENT,
        root_page_actions=("add", "change"),
        media_collection_actions=("add_image", "choose_image", "add_document", "choose_document"),
    ),
    Role(
        MODERATORS,
        "街道审核：处理本街道全部居民反映（派单、答复、办结），审批发布页面，可查看居民个人信息",
        legacy=("审核/工作人员", "Moderators"),
        permissions=_merge(
            _CONTENT,
            _CASEWORK,
            {
                "home": ("add_community", "change_community", "add_grid", "change_grid", "change_street"),
                "feedback": (
                    "view_personal_data",
                    "view_blockedphone",
                    "add_blockedphone",
                    # 答复模板: the street's moderators keep the replies units and staff start from.
                    "add_responsetemplate",
                    "change_responsetemplate",
                    "delete_responsetemplate",
                    "view_responsetemplate",
                    # 节假日安排: a year the holiday package lacks, entered from the State Council's notice.
                    "add_holidaycalendar",
                    "change_holidaycalendar",
                    "view_holidaycalendar",
                ),
            },
        ),
        root_page_actions=("add", "change", "publish", "lock", "unlock"),
        media_collection_actions=(
            "add_image",
            "change_image",
            "choose_image",
            "add_document",
            "change_document",
            "choose_document",
        ),
    ),
    Role(
        COMMUNITY_WORKERS,
        "社区工作人员：只处理本社区的居民反映，只编辑本社区的页面并提交审核；区域只读",
        permissions=_merge(
            {"wagtailadmin": ("access_admin",)},
            {
                "wagtailimages": ("add_image", "choose_image"),
                "wagtaildocs": ("add_document", "choose_document"),
            },
            _REGIONS_READ,
            _CASEWORK,
        ),
        community_page_actions=("add", "change"),
        media_collection_actions=("add_image", "choose_image", "add_document", "choose_document"),
    ),
    Role(
        HANDLING_UNITS,
        "承办单位联络人：在“我的待办”签收、办理、申请延期、办结或退回派给本单位的居民反映（须在承办单位中添加为单位账号）",
        permissions={"wagtailadmin": ("access_admin",), "feedback": ("handle_unit_complaint",)},
    ),
    Role(ADMINISTRATORS, "管理员：全部权限，含用户、角色和个人信息查看记录", everything=True),
)

PAGE_ACTIONS = ("add", "change", "publish", "bulk_delete", "lock", "unlock")


def role(name: str) -> Role:
    return next(r for r in ROLES if r.name == name)


def community_page_models() -> list[type[Page]]:
    """Page types that belong to one community: those with a ``community`` field."""
    found = []
    for model in apps.get_models():
        if issubclass(model, Page) and any(
            f.name == "community" and f.related_model is Community for f in model._meta.get_fields()
        ):
            found.append(model)
    return found


def community_page_indexes() -> list[Page]:
    """The pages under which community pages are made (their allowed parents that exist)."""
    parents = {
        parent
        for model in community_page_models()
        for parent in model.allowed_parent_page_models()
        if parent is not Page
    }
    return list(Page.objects.type(*parents).order_by("path")) if parents else []


def _group(role_: Role) -> tuple[Group, bool]:
    group = Group.objects.filter(name=role_.name).first()
    if group is not None:
        return group, False
    group = Group.objects.filter(name__in=role_.legacy).order_by("pk").first()
    if group is not None:  # keep its members and what an office gave it
        group.name = role_.name
        group.save(update_fields=["name"])
        return group, False
    return Group.objects.create(name=role_.name), True


def _permissions(spec: dict[str, tuple[str, ...]]) -> list[Permission]:
    wanted = [(app, codename) for app, codenames in spec.items() for codename in codenames]
    found = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.filter(
            content_type__app_label__in=spec.keys(), codename__in=[c for _, c in wanted]
        ).select_related("content_type")
    }
    missing = [f"{app}.{codename}" for app, codename in wanted if (app, codename) not in found]
    if missing:  # a typo here must not pass silently as a role without that right
        raise LookupError(f"未找到权限：{', '.join(missing)}（请先运行 migrate）")
    return [found[key] for key in wanted]


def _page_permissions(group: Group, pages, actions) -> int:
    added = 0
    for page in pages:
        for action in actions:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=f"{action}_page"
            )
            _, created = GroupPagePermission.objects.get_or_create(
                group=group, page=page, permission=permission
            )
            added += created
    return added


def _collection_permissions(group: Group, codenames) -> int:
    root = Collection.get_first_root_node()
    added = 0
    for codename in codenames:
        app_label = "wagtailimages" if codename.endswith("_image") else "wagtaildocs"
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        _, created = GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission
        )
        added += created
    return added


@transaction.atomic
def apply_roles(stdout=None) -> dict[str, Group]:
    """Create or repair every role's group; returns them by name."""
    groups = {}
    root = Page.get_first_root_node()
    indexes = community_page_indexes()
    for role_ in ROLES:
        group, created = _group(role_)
        permissions = list(Permission.objects.all()) if role_.everything else _permissions(role_.permissions)
        before = group.permissions.count()
        group.permissions.add(*permissions)
        added = group.permissions.count() - before
        page_actions = PAGE_ACTIONS if role_.everything else role_.root_page_actions
        added += _page_permissions(group, [root], page_actions)
        added += _page_permissions(group, indexes, role_.community_page_actions)
        collection_actions = (
            Permission.objects.filter(
                content_type__app_label__in=("wagtailimages", "wagtaildocs"),
                codename__regex=r"_(image|document)$",
            ).values_list("codename", flat=True)
            if role_.everything
            else role_.media_collection_actions
        )
        added += _collection_permissions(group, collection_actions)
        groups[role_.name] = group
        if stdout:
            stdout.write(
                f"  角色「{role_.name}」{'已创建' if created else '已存在'}，补齐 {added} 项权限：{role_.description}"
            )
    return groups
