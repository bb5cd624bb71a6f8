"""Points for a need the resident confirmed done, when a member's account took it."""

from django.dispatch import receiver

from .models import Need
from .points.services import award_for_need
from .signals import need_done


@receiver(need_done, sender=Need, dispatch_uid="participation-points-for-need")
def points_for_need(sender, need, **kwargs):
    if need.taker_member_id:
        award_for_need(member=need.taker_member, need_id=need.pk, title=need.get_kind_display())
