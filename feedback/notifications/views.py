"""我的反映: a resident proves they hold a phone with an SMS code and sees all its reports.

The verified phone stays in the session for ``VERIFIED_SECONDS``; the list links each
report by its secret tracking link, so the pages send no Referer and are never stored.
"""

from django.shortcuts import redirect, render

from portal.abuse import ip_rate_key, too_many_requests
from portal.personal_data import mask_phone

from ..complaints.selectors import complaints_of_phone
from ..complaints.views import private_link_page
from . import verification
from .forms import CodeForm, PhoneForm

PENDING, VERIFIED = "feedback_mine_pending", "feedback_mine_phone"
VERIFIED_SECONDS = 1800


def mine(request):
    phone = request.session.get(VERIFIED)
    if phone:
        if request.method == "POST" and "leave" in request.POST:
            request.session.flush()
            return redirect("feedback:mine")
        context = {"masked_phone": mask_phone(phone), "complaints": complaints_of_phone(phone=phone)}
        return private_link_page(render(request, "feedback/mine_list.html", context))
    form = PhoneForm(request.POST or None)
    failed = False
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        if wait := verification.send_wait(phone=phone, ip_key=ip_rate_key(request)):
            return too_many_requests(request, retry_after=wait, reason="验证码发送次数过多，请稍后再试。")
        if verification.send_code(phone=phone):
            request.session[PENDING] = phone
            return redirect("feedback:mine_verify")
        failed = True
    return private_link_page(render(request, "feedback/mine_phone.html", {"form": form, "failed": failed}))


def mine_verify(request):
    phone = request.session.get(PENDING)
    if not phone:
        return redirect("feedback:mine")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if verification.check_code(phone=phone, code=form.cleaned_data["code"]):
            request.session.cycle_key()
            request.session.pop(PENDING, None)
            request.session[VERIFIED] = phone
            request.session.set_expiry(VERIFIED_SECONDS)
            return redirect("feedback:mine")
        form.add_error("code", "验证码不正确或已过期。错误 5 次后需重新获取。")
    context = {"form": form, "masked_phone": mask_phone(phone), "minutes": verification.CODE_SECONDS // 60}
    return private_link_page(render(request, "feedback/mine_verify.html", context))
