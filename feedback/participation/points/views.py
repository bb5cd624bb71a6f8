"""The public catalogue of rewards (/participation/points/) and a member's redemption request."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..members import session
from . import selectors, services
from .models import RewardItem


def catalogue(request):
    context = {"items": selectors.catalogue(), "rules": selectors.active_rules()}
    return render(request, "feedback/participation/points/catalogue.html", context)


@require_POST
@session.member_required
def redeem(request, member, pk: int):
    item = get_object_or_404(RewardItem, pk=pk, active=True)
    try:
        services.request_redemption(member=member, item=item)
    except ValidationError as error:
        context = {
            "items": selectors.catalogue(),
            "rules": selectors.active_rules(),
            "error": error.messages[0],
            "error_item": item,
        }
        return render(request, "feedback/participation/points/catalogue.html", context, status=409)
    return redirect(reverse("participation:my_points") + "?requested=1")
