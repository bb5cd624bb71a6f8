"""The staff report: pages residents found least useful, among those the user may edit."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .selectors import MIN_ANSWERS, worst_pages

PERMISSION = "home.view_pagefeedback"


def report(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    return render(
        request,
        "home/page_feedback/admin_report.html",
        {"rows": worst_pages(user=request.user), "min_answers": MIN_ANSWERS},
    )
