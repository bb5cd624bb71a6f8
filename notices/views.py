"""Listing context for the notice and report index pages (thin: selectors decide)."""

from django.utils.http import urlencode

from home.listing import shared_page

from . import selectors
from .forms import NoticeFilterForm, ReportFilterForm


def notice_index_context(request, *, index) -> dict:
    form = NoticeFilterForm(request.GET, years=selectors.notice_years())
    filters = form.filters()
    page = shared_page(
        f"notices:{index.pk}:{urlencode(sorted(filters.items()))}",
        lambda: selectors.notice_list(index=index, **filters),
        number=request.GET.get("page"),
        per_page=selectors.PAGE_SIZE,
    )
    return {"filter_form": form, "filtered": bool(filters), "notices": page, "paginator": page.paginator}


def report_index_context(request, *, index) -> dict:
    form = ReportFilterForm(request.GET)
    filters = form.filters()
    page = shared_page(
        f"reports:{index.pk}:{urlencode(sorted(filters.items()))}",
        lambda: selectors.report_list(index=index, **filters),
        number=request.GET.get("page"),
        per_page=selectors.PAGE_SIZE,
    )
    return {"filter_form": form, "filtered": bool(filters), "reports": page, "paginator": page.paginator}
