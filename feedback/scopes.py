"""Which complaints a staff member may see and act on (rule documented in ``models.scopes``)."""

from django.db.models import Q, QuerySet

from home.models import Community

from .models import Complaint, StaffScope


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


def complaints_for(user) -> QuerySet[Complaint]:
    if user.is_superuser:
        return Complaint.objects.all()
    return Complaint.objects.filter(community__in=communities_for(user).values("pk"))


def user_covers(user, complaint: Complaint) -> bool:
    return communities_for(user).filter(pk=complaint.community_id).exists()


def can_moderate(user) -> bool:
    return user.is_active and user.has_perm("feedback.change_complaint")


def can_see_personal_data(user) -> bool:
    return user.is_active and user.has_perm("feedback.view_personal_data")
