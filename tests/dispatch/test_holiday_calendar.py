"""节假日安排: a year chinesecalendar lacks, entered from the State Council's notice, and
everything that keeps working while a year is missing (start-up, the queue, the lights,
the dashboard, the bulletin and the demo)."""
# ruff: noqa: F811 - pytest fixtures imported from tests.dispatch.conftest and used by name

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from feedback.complaints import lights, services, workdays
from feedback.complaints.holiday_notice import describe, parse_notice
from feedback.complaints.models import HolidayCalendar, State
from feedback.complaints.workdays import CalendarMissing, add_working_days
from tests.dispatch.conftest import (  # noqa: F401 - shared fixtures
    category,
    community,
    complaint,
    dispatched,
    make_moderator,
    moderator,
    moderator_group,
    unit,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The State Council's notice for 2026 (国办发明电〔2025〕号, published 2025-11-04), as pasted
# from the news: header, the seven items, the closing paragraph and the signature.
NOTICE_2026 = """国务院办公厅关于2026年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
鼓励单位和个人结合落实带薪年休假等制度，实际形成较长假期，推动错峰出行。节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅
2025年11月4日"""


def _entered_is_workday(holidays, made_up, day):
    return day in made_up or (day.weekday() < 5 and day not in holidays)


def test_the_published_2026_notice_reads_as_chinesecalendar_has_it():
    holidays, made_up = parse_notice(2026, NOTICE_2026)
    assert made_up == [date(2026, m, d) for m, d in ((1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10))]
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert _entered_is_workday(holidays, made_up, day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
    assert describe(holidays).startswith("1月1日至3日、2月15日至23日、4月4日至6日、5月1日至5日")


def test_lines_of_iso_dates_and_ranges_across_months():
    holidays, made_up = parse_notice(2031, "2031-01-30 至 2031-02-05 放假\n2031-02-08 上班\n12月31日补休")
    assert (
        holidays[0] == date(2031, 1, 30)
        and holidays[6] == date(2031, 2, 5)
        and holidays[-1] == date(2031, 12, 31)
    )
    assert made_up == [date(2031, 2, 8)]
    assert describe(holidays) == "1月30日至2月5日、12月31日"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1月1日放假。1月7日上班。", "1月7日（周二）不是周末"),
        ("2月30日放假", "2月30日不是有效日期"),
        ("3月9日至3日放假", "结束日期早于开始日期"),
        ("共3天", "没有找到放假日期"),
        ("新华社北京11月4日电", "没有写明是放假还是上班"),
        ("2030年12月31日至2031年1月2日放假", "不在 2031 年"),
        ("1月4日放假上班", "同时写了放假和上班"),
        ("1月4日放假。1月4日上班。", "既写了放假又写了上班"),
        ("5日放假", "没有写月份"),
    ],
)
def test_a_notice_that_cannot_be_read_says_why(text, message):
    with pytest.raises(ValidationError, match=message):
        parse_notice(2031, text)


def test_an_entered_year_counts_deadlines_and_a_change_shows_at_once(db):
    with pytest.raises(CalendarMissing):
        add_working_days(start=date(2031, 3, 3), days=1)
    entry = HolidayCalendar.objects.create(
        year=2031, notice="…", holidays=["2031-03-04"], workdays=["2031-03-08"]
    )
    assert add_working_days(start=date(2031, 3, 3), days=1) == date(2031, 3, 5)
    assert add_working_days(start=date(2031, 3, 7), days=1) == date(2031, 3, 8)
    entry.holidays = []
    entry.save()
    assert add_working_days(start=date(2031, 3, 3), days=1) == date(2031, 3, 4)
    entry.delete()
    with pytest.raises(CalendarMissing):
        add_working_days(start=date(2031, 3, 3), days=1)


def test_a_year_the_package_knows_never_asks_the_database(db, django_assert_num_queries):
    HolidayCalendar.objects.create(year=2026, notice="…", holidays=["2026-03-03"], workdays=[])
    with django_assert_num_queries(0):
        assert workdays.is_workday(date(2026, 3, 3)) is True


def test_a_missing_year_is_a_warning_that_lets_the_site_start(monkeypatch, db):
    monkeypatch.setattr(workdays.timezone, "localdate", lambda: date(2031, 5, 1))
    issues = {issue.id: issue for issue in run_checks() if issue.id.startswith("dispatch.W02")}
    assert set(issues) == {"dispatch.W021", "dispatch.W020"}
    assert all(not issue.is_serious() for issue in issues.values())
    HolidayCalendar.objects.create(year=2031, notice="…", holidays=["2031-01-01"], workdays=[])
    assert {issue.id for issue in run_checks() if issue.id.startswith("dispatch.W02")} == {"dispatch.W020"}


@pytest.fixture
def calendar_keeper(make_moderator, community):
    user = make_moderator("calendar", communities=[community])
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_holidaycalendar", "change_holidaycalendar", "view_holidaycalendar"]
        )
    )
    return user


def test_staff_enter_a_year_from_the_notice_and_see_what_was_read(client, calendar_keeper):
    client.force_login(calendar_keeper)
    url = reverse("feedback_holidaycalendar_modeladmin_create")
    wrong = NOTICE_2026.replace("2026", "2031").replace("1月4日（周日）上班", "1月6日（周一）上班")
    page = client.post(url, {"year": "2031", "notice": wrong, "source_url": ""}).content.decode()
    errors = BeautifulSoup(page, "html.parser").select(
        "[data-field-wrapper] .error-message, .w-field__errors"
    )
    assert any("1月6日（周一）不是周末" in e.get_text() for e in errors), page
    assert "二、春节：2月15日" in page  # what was typed stays
    assert not HolidayCalendar.objects.exists()
    page = client.post(url, {"year": "2026", "notice": NOTICE_2026, "source_url": ""}).content.decode()
    assert "已包含 2026 年的官方安排" in page and not HolidayCalendar.objects.exists()
    notice_2031 = "一、元旦：1月1日（周三）放假，共1天。\n二、春节：1月22日（周三）至28日（周二）放假调休，共7天。1月18日（周六）上班。"
    response = client.post(url, {"year": "2031", "notice": notice_2031, "source_url": "https://www.gov.cn/"})
    assert response.status_code == 302
    saved = HolidayCalendar.objects.get()
    assert saved.holidays[:2] == ["2031-01-01", "2031-01-22"] and saved.workdays == ["2031-01-18"]
    listing = client.get(reverse("feedback_holidaycalendar_modeladmin_index")).content.decode()
    assert "1月1日、1月22日至28日（其中工作日 6 天）" in listing and "1月18日" in listing
    assert add_working_days(start=date(2031, 1, 17), days=1) == date(2031, 1, 18)
    assert add_working_days(start=date(2031, 1, 21), days=1) == date(2031, 1, 29)


def test_residents_staff_without_the_permission_cannot_enter_a_year(client, moderator):
    client.force_login(moderator)
    response = client.get(reverse("feedback_holidaycalendar_modeladmin_create"))
    assert response.status_code in (302, 403)


@pytest.fixture
def in_2031(monkeypatch):
    """Today is 2031-03-05 (a Wednesday), a year chinesecalendar does not know."""
    now = datetime(2031, 3, 5, 10, tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


def test_without_the_years_calendar_only_overdue_tickets_are_lit(dispatched, in_2031):
    dispatched.deadline = date(2031, 3, 4)
    dispatched.dispatched_at = in_2031 - timedelta(days=10)
    dispatched.save()
    assert lights.light_for(dispatched) == (lights.RED, "红灯：已超期")
    assert lights.light_counts(type(dispatched).objects.all()) == {"red": 1, "yellow": 0}
    dispatched.deadline = date(2031, 3, 5)  # due today: yellow needs the calendar
    dispatched.save()
    assert lights.light_for(dispatched) == ("", "")
    assert lights.with_lights(type(dispatched).objects.all()).get().light == ""


def test_the_queue_and_dashboard_work_and_ask_for_the_missing_year(
    client, dispatched, calendar_keeper, in_2031
):
    client.force_login(calendar_keeper)
    queue = client.get(reverse("feedback_complaint_modeladmin_index"))
    assert queue.status_code == 200 and dispatched.reference in queue.content.decode()
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    notice = BeautifulSoup(dashboard, "html.parser").select_one(".feedback-calendar")
    assert "缺少 2031、2032 年的法定节假日和调休安排" in notice.get_text()
    assert notice.find("a")["href"] == reverse("feedback_holidaycalendar_modeladmin_create")
    HolidayCalendar.objects.create(year=2031, notice="…", holidays=["2031-01-01"], workdays=[])
    HolidayCalendar.objects.create(year=2032, notice="…", holidays=["2032-01-01"], workdays=[])
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "feedback-calendar" not in dashboard


def test_dispatching_into_a_missing_year_is_refused_with_the_way_out(
    client, complaint, moderator, unit, in_2031
):
    client.force_login(moderator)
    url = reverse("feedback_complaint_action", args=[complaint.pk, "dispatch"])
    form = BeautifulSoup(client.get(url).content, "html.parser")
    assert form.select_one("input[name=deadline]").get("value") in (None, "")
    assert "缺少 2031 年的法定节假日和调休安排" in form.get_text() and "手工填写办结日期" in form.get_text()
    version = form.select_one("input[name=version]")["value"]
    page = client.post(url, {"unit": unit.pk, "deadline": "", "version": version}).content.decode()
    assert "缺少 2031 年" in page
    complaint.refresh_from_db()
    assert complaint.state == State.SUBMITTED
    # The moderator may still name the date by hand.
    response = client.post(url, {"unit": unit.pk, "deadline": "2031-03-20", "version": version})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == State.DISPATCHED and complaint.deadline == date(2031, 3, 20)


def test_an_unsatisfied_resident_reopens_the_report_while_the_year_is_missing(dispatched, moderator, in_2031):
    services.resolve_complaint(complaint=dispatched, reply="路灯已修复，请查看。", actor=moderator)
    reopened = services.rate_complaint(complaint=dispatched, rating="dissatisfied", comment="还是不亮")
    assert reopened.state == State.REOPENED and reopened.deadline is None
    assert "办结时限由工作人员另行确定" in reopened.events.order_by("-pk").first().note


def test_the_bulletin_counts_what_is_surely_in_time_while_the_next_year_is_missing(category, community):
    from feedback.complaints import bulletin
    from tests.factories.feedback import ComplaintFactory

    day = date(2031, 12, 31)  # the next working day lies in 2032, a year nobody entered
    HolidayCalendar.objects.create(year=2031, notice="…", holidays=["2031-01-01"], workdays=[])

    def made(signed_day):
        at = datetime(2031, 12, 31, 11, tzinfo=SHANGHAI)
        signed = datetime.combine(signed_day, datetime.min.time(), tzinfo=SHANGHAI) + timedelta(hours=15)
        return ComplaintFactory(
            category=category, community=community, created_at=at, dispatched_at=at, signed_at=signed
        )

    made(day + timedelta(days=1))  # signed the next day: in time on any calendar
    made(day + timedelta(days=6))  # six days later: not counted until 2032 is known
    figures = bulletin.bulletin(queryset=type(made(day)).objects.all(), start=day, end=day)
    assert figures.total.received == 3 and figures.total.signed_in_time == 2


def test_the_demo_leaves_out_its_dispatch_examples_while_the_year_is_missing(category, community, in_2031):
    import io

    from feedback.complaints import dispatch_demo
    from feedback.complaints.models import Complaint

    out = io.StringIO()
    dispatch_demo.load(out, password="demo-pw-123456")
    assert "派单演示工单未创建：缺少 2031 年的法定节假日安排" in out.getvalue()
    assert not Complaint.objects.filter(tracking_token__startswith=dispatch_demo.DEMO_PREFIX).exists()
