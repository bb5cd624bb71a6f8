"""Listing context for the notice and report index pages (thin: selectors decide)."""

from django.core.paginator import Paginator

from . import selectors
from .forms import NoticeFilterForm, ReportFilterForm


def notice_index_context(request, *, index) -> dict:
    form = NoticeFilterForm(request.GET, years=selectors.notice_years())
    filters = form.filters()
    # The count is read here; the rows only when the template's fragment misses.
    page = Paginator(selectors.notice_list(index=index, **filters), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return {"filter_form": form, "filtered": bool(filters), "notices": page, "paginator": page.paginator}


def report_index_context(request, *, index) -> dict:
    form = ReportFilterForm(request.GET)
    filters = form.filters()
    page = Paginator(selectors.report_list(index=index, **filters), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return {"filter_form": form, "filtered": bool(filters), "reports": page, "paginator": page.paginator}
