"""Which pages a staff member may edit: the page side of the staff scope.

A page belongs to a community when it, or the nearest of its ancestors that has a
``community`` field, names one (a report to residents, a station; ``home.roles``
finds those page types). The rule (``may_edit_page``):

- superusers, and whoever holds ``feedback.edit_every_community_page`` (编辑, 审核,
  管理员), are not narrowed here: Wagtail's page permissions alone decide;
- anyone else may edit, create, copy, move or delete only pages of the communities in
  their scope (``scopes.communities_for``), never a page of no community (an index,
  a notice, the home page), whatever page permissions their groups hold.

Wagtail's page permissions are per subtree, and one community's stations are siblings
of every other community's, so the narrowing is done with Wagtail's hooks
(``feedback.wagtail_hooks``: edit, create, delete… answer 403; explorer and chooser) and
a page permission policy registered for every page type (``CommunityPagePermissionPolicy``:
the admin's page search, the workflow reports and the dashboard's counts use it). A
missing scope narrows to nothing.
"""

from django.db.models import Q, QuerySet
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from home.roles import EDIT_EVERY_COMMUNITY_PAGE, community_page_models

from .scopes import communities_for


def is_page_scoped(user) -> bool:
    return not user.is_superuser and not user.has_perm(".".join(EDIT_EVERY_COMMUNITY_PAGE))


def _ancestor_paths(page: Page) -> list[str]:
    step = page.steplen
    return [page.path[:end] for end in range(step, len(page.path) + 1, step)]


def page_community_id(page: Page) -> int | None:
    """The community the page belongs to, through itself or its nearest community ancestor."""
    owners = []
    paths = _ancestor_paths(page)
    for model in community_page_models():
        owners += model.objects.filter(path__in=paths).values_list("path", "community_id")
    return max(owners)[1] if owners else None  # the longest path is the nearest


def may_edit_page(user, page: Page) -> bool:
    if not is_page_scoped(user):
        return True
    community_id = page_community_id(page)
    return community_id is not None and communities_for(user).filter(pk=community_id).exists()


def may_create_under(user, parent: Page, page_class) -> bool:
    """A new community page's form offers only the user's communities; anything else
    may be created only inside a page of theirs."""
    if not is_page_scoped(user):
        return True
    if page_class in community_page_models():
        return communities_for(user).exists()
    return may_edit_page(user, parent)


def hidden_pages(user) -> Q | None:
    """Pages a page-scoped user must not see listed: other communities' pages and what
    is under them. ``None`` when nothing is hidden."""
    if not is_page_scoped(user):
        return None
    mine = communities_for(user).values("pk")
    hidden = Q(pk__in=[])
    for model in community_page_models():
        others = model.objects.exclude(community__in=mine)
        hidden |= Q(pk__in=others.values("pk"))
        for path in others.filter(numchild__gt=0).values_list("path", flat=True):
            hidden |= Q(path__startswith=path)
    return hidden


def visible_pages(user, pages: QuerySet) -> QuerySet:
    hidden = hidden_pages(user)
    return pages if hidden is None else pages.exclude(hidden)


class CommunityPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, without other communities' pages for page-scoped staff."""

    def instances_user_has_any_permission_for(self, user, actions):
        return visible_pages(user, super().instances_user_has_any_permission_for(user, actions))

    def explorable_instances(self, user):
        return visible_pages(user, super().explorable_instances(user))
