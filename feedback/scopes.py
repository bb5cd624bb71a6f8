"""Which complaints and evaluations a staff member may see and act on (rule in ``models.scopes``)."""

from django.db.models import Q, QuerySet

from home.models import Community

from .models import Complaint, Evaluation, StaffScope


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


def evaluations_for(user) -> QuerySet[Evaluation]:
    """Evaluations of the user's communities; those without a community (a service rated
    by a resident who did not say where they live) only for staff who see every community."""
    if user.is_superuser or StaffScope.objects.filter(user=user, all_communities=True).exists():
        return Evaluation.objects.all()
    return Evaluation.objects.filter(community__in=communities_for(user).values("pk"))


def can_moderate_evaluations(user) -> bool:
    return user.is_active and user.has_perm("feedback.change_evaluation")
