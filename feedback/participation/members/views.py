"""Participation accounts: sign in with an SMS code, register (报到), sign out, and the
member's own pages 我的报到 / 我的服务时长. Every page here is private (no-store)."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from portal.abuse import ip_rate_key, too_many_requests
from portal.personal_data import mask_phone

from ...complaints.views import private_link_page
from ...notifications import verification
from ..points import selectors as point_selectors
from . import selectors, services, session
from .forms import CodeForm, HoursForm, RegisterForm, SignInForm

PURPOSE = "participation"


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def signin(request):
    next_url = session.safe_next(request, reverse("participation:me"))
    if session.current_member(request):
        return private_link_page(redirect(next_url))
    form = SignInForm(request.POST or None)
    failed = False
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        if wait := verification.send_wait(phone=phone, ip_key=ip_rate_key(request), purpose=PURPOSE):
            return too_many_requests(request, retry_after=wait, reason="验证码发送次数过多，请稍后再试。")
        if verification.send_code(phone=phone, purpose=PURPOSE):
            request.session[session.PENDING] = phone
            request.session["participation_next"] = next_url
            return private_link_page(redirect("participation:signin_verify"))
        failed = True
    context = {"form": form, "failed": failed, "next": next_url}
    return private_link_page(render(request, "feedback/participation/me/signin.html", context))


def signin_verify(request):
    phone = request.session.get(session.PENDING)
    if not phone:
        return private_link_page(redirect("participation:signin"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if verification.check_code(phone=phone, code=form.cleaned_data["code"], purpose=PURPOSE):
            next_url = request.session.get("participation_next") or reverse("participation:me")
            member = services.member_for_phone(phone=phone)
            if member is None:
                request.session.cycle_key()
                request.session.pop(session.PENDING, None)
                request.session[session.PHONE] = phone
                return private_link_page(redirect("participation:register"))
            session.sign_in(request, member)
            services.record_signed_in(member=member)
            return private_link_page(redirect(next_url))
        form.add_error("code", "验证码不正确或已过期。错误 5 次后需重新获取。")
    context = {"form": form, "masked_phone": mask_phone(phone), "minutes": verification.CODE_SECONDS // 60}
    return private_link_page(render(request, "feedback/participation/me/verify.html", context))


def register(request):
    phone = request.session.get(session.PHONE)
    if not phone:
        return private_link_page(redirect("participation:signin"))
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.register_member(phone=phone, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            next_url = request.session.get("participation_next") or reverse("participation:me")
            session.sign_in(request, member)
            return private_link_page(redirect(next_url))
    context = {"form": form, "masked_phone": mask_phone(phone)}
    return private_link_page(render(request, "feedback/participation/me/register.html", context))


def signout(request):
    if request.method == "POST":
        request.session.flush()
    return private_link_page(redirect("participation:signin"))


@session.member_required
def me(request, member):
    context = {
        "member": member,
        "masked_phone": mask_phone(member.phone),
        "progress": selectors.progress_of(member=member),
        "balance": point_selectors.balance_of(member=member),
        "taken_needs": member.taken_needs.order_by("-taken_at")[:20],
        "taken": request.GET.get("taken") == "1",
        "tab": "me",
    }
    return render(request, "feedback/participation/me/home.html", context)


@session.member_required
def my_hours(request, member):
    form = HoursForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_hours(member=member, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect(reverse("participation:my_hours") + "?logged=1")
    context = {
        "member": member,
        "form": form,
        "hours": selectors.hours_of(member=member),
        "progress": selectors.progress_of(member=member),
        "logged": request.GET.get("logged") == "1",
        "tab": "hours",
    }
    return render(request, "feedback/participation/me/hours.html", context)


@session.member_required
def my_points(request, member):
    context = {
        "member": member,
        "balance": point_selectors.balance_of(member=member),
        "entries": point_selectors.ledger_of(member=member),
        "redemptions": point_selectors.redemptions_of(member=member),
        "requested": request.GET.get("requested") == "1",
        "tab": "points",
    }
    return render(request, "feedback/participation/me/points.html", context)
