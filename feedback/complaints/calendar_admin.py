"""节假日安排: staff enter a year's official holidays from the State Council's notice while
``chinesecalendar`` does not know it, and the dashboard says when a year is missing.

The notice is read by ``holiday_notice``; ``workdays`` uses what was saved.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList

from ..common.admin import PortalModelAdmin
from . import workdays
from .holiday_notice import describe, parse_notice
from .models import HolidayCalendar


class HolidayCalendarForm(WagtailAdminModelForm):
    """Reads the notice into dates on save; every problem is an error on the notice field."""

    def clean(self):
        cleaned = super().clean()
        year, notice = cleaned.get("year"), cleaned.get("notice")
        if year and workdays.published_in_package(year):
            self.add_error("year", f"系统自带的节假日数据已包含 {year} 年的官方安排，无需录入。")
        elif year and notice:
            try:
                holidays, made_up = parse_notice(year, notice)
            except ValidationError as error:
                self.add_error("notice", error)
            else:
                self.instance.holidays = [day.isoformat() for day in holidays]
                self.instance.workdays = [day.isoformat() for day in made_up]
        return cleaned


class HolidayCalendarAdmin(PortalModelAdmin):
    model = HolidayCalendar
    menu_label = "节假日安排"
    menu_icon = "date"
    list_display = ("year", "holidays_cell", "workdays_cell", "updated_at")
    edit_handler = ObjectList(
        [FieldPanel("year"), FieldPanel("notice"), FieldPanel("source_url")],
        base_form_class=HolidayCalendarForm,
    )

    def holidays_cell(self, obj):
        weekdays = [day for day in map(date.fromisoformat, obj.holidays) if day.weekday() < 5]
        return f"{describe(list(map(date.fromisoformat, obj.holidays)))}（其中工作日 {len(weekdays)} 天）"

    holidays_cell.short_description = "放假"

    def workdays_cell(self, obj):
        return describe(list(map(date.fromisoformat, obj.workdays)))

    workdays_cell.short_description = "调休上班"


def missing_calendar(user) -> dict | None:
    """What the dashboard says while this year's (or next year's) calendar is missing, with
    the link to enter it for those who may."""
    years = workdays.missing_years()
    if not years:
        return None
    url = None
    if user.has_perm("feedback.add_holidaycalendar"):
        url = reverse("feedback_holidaycalendar_modeladmin_create")
    return {"years": years, "this_year": years[0] == timezone.localdate().year, "url": url}
