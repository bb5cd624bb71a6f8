"""接单 by a signed-in member (双报到): the need list links here; the member confirms and the
need is taken in their name through ``services.take_need`` with their account, so the
points for it follow when the resident confirms it done (``receivers``)."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from .members import session
from .members.models import MemberKind
from .models import Need, NeedState, TakerKind
from .services import TransitionError, take_need

TAKER_KIND = {
    MemberKind.UNIT_CONTACT: TakerKind.UNIT,
    MemberKind.PARTY_MEMBER: TakerKind.MEMBER,
    MemberKind.VOLUNTEER: TakerKind.VOLUNTEER,
}


@session.member_required
def take(request, member, pk: int):
    need = get_object_or_404(Need.objects.select_related("community"), pk=pk, state=NeedState.LISTED)
    error = "" if member.is_verified else "社区确认报到后才能接单。"
    if request.method == "POST" and not error:
        name = (
            member.unit.name
            if member.kind == MemberKind.UNIT_CONTACT and member.unit
            else member.display_name
        )
        try:
            take_need(need=need, taker_name=name, taker_kind=TAKER_KIND[member.kind], member=member)
        except TransitionError as failure:
            error = str(failure)
        else:
            return redirect(reverse("participation:me") + "?taken=1")
    context = {"need": need, "member": member, "error": error}
    return render(
        request,
        "feedback/participation/me/take.html",
        context,
        status=409 if error and request.method == "POST" else 200,
    )
