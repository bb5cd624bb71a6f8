"""One phone normaliser everywhere a phone enters or is compared, the detector on every
surface that is not a moderator's, and no bidirectional controls in residents' text.

``138９９９９００００`` used to pass validation (``\\d`` matches full-width digits), dodge
the blocklist and the per-phone limit and be stored as typed; a number typed wholly in
full-width digits was refused. Both now become ``13899990000``.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.complaints import services
from feedback.complaints.selectors import expired_complaints
from feedback.evaluations.forms import EvaluationForm
from feedback.models import Complaint, ComplaintEvent, State
from feedback.trust.services import block_phone
from tests.factories.feedback import ComplaintFactory

from .feedback_fixtures import *  # noqa: F403
from .feedback_fixtures import REPORT, TRACK, lookup_data, report_data

pytestmark = pytest.mark.django_db
MIXED = "138９９９９００００"
FULL_WIDTH = "１３８－９９９９－００００"
ASCII = "13899990000"


@pytest.mark.parametrize("typed", [MIXED, FULL_WIDTH, "+86 138 9999 0000", "0086-138-9999-0000"])
def test_report_form_stores_the_phone_as_ascii_digits(client, site, category, community, typed):
    response = client.post(REPORT, report_data(category, community, phone=typed))
    assert response.status_code == 302
    assert Complaint.objects.get().phone == ASCII


def test_a_full_width_number_hits_the_blocklist(client, site, category, community, django_user_model):
    admin = django_user_model.objects.create_superuser("boss", password="pw-123456")
    block_phone(phone=ASCII, reason="骚扰", actor=admin)
    client.post(REPORT, report_data(category, community, phone=MIXED))
    assert Complaint.objects.get().held is True


def test_a_number_blocked_in_full_width_holds_its_ascii_twin(
    client, site, category, community, django_user_model
):
    admin = django_user_model.objects.create_superuser("boss", password="pw-123456")
    client.force_login(admin)
    response = client.post(
        reverse("feedback_blockedphone_modeladmin_create"), {"phone": FULL_WIDTH, "reason": "骚扰电话"}
    )
    assert response.status_code == 302
    client.logout()
    client.post(REPORT, report_data(category, community, phone=ASCII))
    assert Complaint.objects.get().held is True


def test_full_width_and_ascii_share_the_per_phone_limit(client, site, category, community, settings):
    settings.FEEDBACK_REPORT_RATE_PER_PHONE = "2/h"
    codes = [
        client.post(
            REPORT, report_data(category, community, phone=phone), REMOTE_ADDR=f"203.0.113.{i}"
        ).status_code
        for i, phone in enumerate([ASCII, MIXED, FULL_WIDTH])
    ]
    assert codes == [302, 302, 429]


def test_tracking_lookup_accepts_full_width_last_four(client, site, category, community):
    complaint = ComplaintFactory(category=category, community=community, phone=ASCII)
    response = client.post(TRACK, lookup_data(complaint.reference, "００００"))
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:track_token", args=[complaint.tracking_token])


def test_evaluation_form_normalises_the_phone():
    form = EvaluationForm(data={"phone": FULL_WIDTH})
    form.is_valid()
    assert "phone" not in form.errors and form.cleaned_data["phone"] == ASCII
    form = EvaluationForm(data={"phone": "138９９９９"})
    form.is_valid()
    assert "phone" in form.errors


def test_admin_search_finds_a_report_by_the_phone_in_any_form(client, make_moderator, category, community):
    mine = ComplaintFactory(category=category, community=community, phone=ASCII)
    other = ComplaintFactory(category=category, community=community, phone="13700001111")
    queue = reverse("feedback_complaint_modeladmin_index")
    client.force_login(make_moderator("trusted", communities=[community], personal_data=True))
    for typed in ("138 9999 0000", FULL_WIDTH, "+8613899990000"):
        html = client.get(queue, {"q": typed}).content.decode()
        assert mine.reference in html and other.reference not in html
    # Without the personal-data permission a phone is not a search key.
    client.force_login(make_moderator("plain", communities=[community]))
    assert mine.reference not in client.get(queue, {"q": "138 9999 0000"}).content.decode()


def test_export_without_permission_masks_personal_data_in_texts(client, make_moderator, category, community):
    ComplaintFactory(
        category=category,
        community=community,
        place="5栋302门口",
        description="邻居张建国电话138-1111-2222，身份证110101199003074514，车牌京A12345。",
    )
    export = reverse("feedback_complaint_export")
    client.force_login(make_moderator("plain", communities=[community]))
    text = client.get(export, {"format": "csv"}).content.decode("utf-8-sig")
    for secret in ("张建国", "138-1111-2222", "110101199003074514", "京A12345", "5栋302"):
        assert secret not in text
    assert "138****2222" in text and "［身份证号］" in text and "［门牌号］门口" in text
    client.force_login(make_moderator("trusted", communities=[community], personal_data=True))
    rows = list(csv.reader(io.StringIO(client.get(export).content.decode("utf-8-sig"))))
    assert "138-1111-2222" in rows[1][rows[0].index("问题描述")]  # the permission shows the original


def test_retention_purge_masks_every_kind_of_personal_data(category, community):
    complaint = ComplaintFactory(
        category=category,
        community=community,
        place="3单元201室",
        description="邻居张建国电话138 1111 2222，身份证110101199003074514，邮箱zjg@example.com。",
    )
    services.reject_complaint(complaint=complaint, reason="spam", actor=None, note="来电人留了 139-2222-3333")
    ComplaintEvent.objects.filter(complaint=complaint).update(at=timezone.now() - timedelta(days=800))
    assert expired_complaints().filter(pk=complaint.pk).exists()
    services.anonymise_complaints([complaint.pk], now=timezone.now())
    complaint.refresh_from_db()
    assert complaint.phone == "" and complaint.name == ""
    assert complaint.place == "［门牌号］"
    assert complaint.description == "邻居张**电话138****2222，身份证［身份证号］，邮箱［邮箱］。"
    notes = " ".join(complaint.events.values_list("note", flat=True))
    assert "139-2222-3333" not in notes and "139****3333" in notes
    assert complaint.state == State.REJECTED


def test_bidi_controls_are_removed_from_what_residents_type(client, site, category, community):
    data = report_data(
        category,
        community,
        name="张\u202e三丰",
        place="复兴路\u206688号\u2069",
        description="楼下垃圾桶\u202e三天没有清运\u202c，气味很大，夏天招蚊虫。",
    )
    assert client.post(REPORT, data).status_code == 302
    complaint = Complaint.objects.get()
    for value in (complaint.name, complaint.place, complaint.description):
        assert not any(
            c in value for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
        )
    assert complaint.name == "张三丰" and complaint.place == "复兴路88号"


def test_services_normalise_and_strip_for_every_caller(category, community):
    complaint = services.submit_complaint(
        kind="complaint",
        category=category,
        community=community,
        description="路灯\u202e坏了很久了，晚上很黑。",
        phone=FULL_WIDTH,
        privacy_notice_version="1",
    )
    assert complaint.phone == ASCII and "\u202e" not in complaint.description


def test_migration_normalises_stored_phones(category, community):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("feedback.migrations.0009_normalise_stored_phones")
    typed = ComplaintFactory(category=category, community=community, phone=MIXED)
    clean = ComplaintFactory(category=category, community=community, phone="13700001111")
    migration.forwards(apps, None)
    typed.refresh_from_db()
    clean.refresh_from_db()
    assert (typed.phone, clean.phone) == (ASCII, "13700001111")
    assert migration.normalise(MIXED) == ASCII
    assert migration.normalise("+86 138-9999-0000") == ASCII
    assert migration.normalise("12345") == "12345"
