"""Which communities a staff member may see and act on, for complaints and evaluations alike.

The rule (``communities_for``):

- superusers see every community;
- a user whose ``StaffScope`` has ``all_communities`` ticked sees every community;
- otherwise a user sees the communities assigned directly plus every community of the
  streets assigned;
- a user without any ``StaffScope`` sees nothing. Forgetting to configure a scope
  therefore hides residents' reports instead of exposing them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet

from home.models import Community


class StaffScope(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="feedback_scope",
        verbose_name="工作人员",
    )
    all_communities = models.BooleanField(
        "全部社区", default=False, help_text="勾选后可查看和处理全部社区的居民反映（如区级管理员）。"
    )
    streets = models.ManyToManyField(
        "home.Street", blank=True, related_name="+", verbose_name="负责街道（含其下全部社区）"
    )
    communities = models.ManyToManyField(
        "home.Community", blank=True, related_name="+", verbose_name="负责社区"
    )

    class Meta:
        verbose_name = "工作人员负责范围"
        verbose_name_plural = "工作人员负责范围"

    def __str__(self):
        return f"{self.user.get_username()} 的负责范围"


def communities_for(user) -> QuerySet[Community]:
    if not user.is_authenticated or not user.is_active:
        return Community.objects.none()
    if user.is_superuser:
        return Community.objects.all()
    scope = StaffScope.objects.filter(user=user).first()
    if scope is None:
        return Community.objects.none()
    if scope.all_communities:
        return Community.objects.all()
    return Community.objects.filter(
        Q(pk__in=scope.communities.values("pk")) | Q(street__in=scope.streets.values("pk"))
    ).distinct()


def unit_ids_for(user) -> QuerySet:
    """The handling units a staff member belongs to (``HandlingUnit.members``), as pks.

    A unit's liaison sees only the reports dispatched to one of these, whatever their
    community; an inactive or anonymous user belongs to none."""
    if not user.is_authenticated or not user.is_active:
        return Community.objects.none().values("pk")
    return user.handling_units.values("pk")


def sees_all_communities(user) -> bool:
    """Superusers and staff whose scope ticks "all communities" (one query at most)."""
    return user.is_superuser or StaffScope.objects.filter(user=user, all_communities=True).exists()


def can_see_personal_data(user) -> bool:
    return user.is_active and user.has_perm("feedback.view_personal_data")


def unwatched_communities() -> QuerySet[Community]:
    """Communities no active moderator's scope covers: their residents' reports would wait
    in a queue nobody opens. Superusers see everything but administer the site rather than
    watch the queue, so they do not count."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    perm = Permission.objects.filter(content_type__app_label="feedback", codename="change_complaint")
    moderators = (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False)
        .filter(Q(groups__permissions__in=perm) | Q(user_permissions__in=perm))
    )
    scopes = StaffScope.objects.filter(user__in=moderators)
    if scopes.filter(all_communities=True).exists():
        return Community.objects.none()
    # Through tables, so no NULL reaches NOT IN (which would hide every community).
    watched = StaffScope.communities.through.objects.filter(staffscope__in=scopes).values("community_id")
    streets = StaffScope.streets.through.objects.filter(staffscope__in=scopes).values("street_id")
    return Community.objects.exclude(pk__in=watched).exclude(street__in=streets).select_related("street")
