"""Limits fair to shared networks: residents behind one community Wi-Fi or carrier address
(CGNAT) get through with their own phones and devices, stepping up where the address is busy;
the abuser's phone or device is refused; floods without the cookie are bounded; a refused
form comes back with what was typed."""

import re
import time

import pytest
from django.core import signing
from django.test import Client

from feedback.models import Complaint
from feedback.trust import devices

from .feedback_fixtures import *  # noqa: F403
from .feedback_fixtures import REPORT, TRACK, lookup_data, report_data

pytestmark = pytest.mark.django_db
CENTRE = {"REMOTE_ADDR": "100.64.12.34"}  # a carrier-grade NAT address: a whole estate behind it
STEP_UP = "本次提交需要多确认一步"


class Clock:
    """time.time() under the test's control (limits, tokens and fill times all read it)."""

    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now

    def advance(self, seconds: float):
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(time, "time", fake)
    return fake


def _token(html: str) -> str:
    match = re.search(r'name="step_up" value="([^"]+)"', html)
    return match.group(1) if match else ""


def _phone(i: int) -> str:
    return f"139{i:08d}"


def _with_device() -> Client:
    resident = Client()
    resident.get(TRACK, **CENTRE)
    return resident


def _resident_opens_form() -> tuple[Client, str]:
    resident = Client()
    html = resident.get(REPORT, **CENTRE).content.decode()
    return resident, _token(html)


def test_thirty_residents_behind_one_address_all_get_through(client, site, category, community, clock):
    # A residents' meeting at the community centre: everyone opens the form, fills it in,
    # sends it. The address passes its soft limit (5 in 10 minutes) after the fifth report.
    residents = [_resident_opens_form() for _ in range(30)]
    assert all(token == "" for _, token in residents)  # nobody is asked anything up front
    clock.advance(90)
    stepped_up = 0
    for i, (resident, _) in enumerate(residents):
        data = report_data(category, community, phone=_phone(i), description=f"第{i}号楼的路灯坏了一个星期。")
        response = resident.post(REPORT, data, **CENTRE)
        if response.status_code == 200:
            html = response.content.decode()
            assert STEP_UP in html and f"第{i}号楼的路灯" in html  # the text stays
            stepped_up += 1
            clock.advance(20)  # types the new captcha
            response = resident.post(REPORT, data | {"step_up": _token(html)}, **CENTRE)
        assert response.status_code == 302, (i, response.content.decode()[:300])
    assert Complaint.objects.count() == 30
    assert stepped_up == 25

    # The next resident who opens the form sees the extra step at once, with its token.
    late, token = _resident_opens_form()
    assert token and STEP_UP in late.get(REPORT, **CENTRE).content.decode()


def test_step_up_needs_the_wait_and_the_device_it_was_given_to(site, category, community, settings, clock):
    settings.FEEDBACK_REPORT_RATE_PER_IP = "1/10m"
    first, _ = _resident_opens_form()
    assert first.post(REPORT, report_data(category, community, phone=_phone(1)), **CENTRE).status_code == 302

    second, token = _resident_opens_form()
    assert token
    # The page's token names the device only by a keyed digest: the id stays in the HttpOnly cookie.
    device_id = second.cookies[devices.COOKIE].value.split(":")[0]
    assert len(device_id) > 16 and device_id not in str(signing.loads(token, salt="feedback.step-up"))
    assert (
        second.cookies[devices.COOKIE]["httponly"] and second.cookies[devices.COOKIE]["path"] == "/feedback/"
    )
    data = report_data(category, community, phone=_phone(2)) | {"step_up": token}
    clock.advance(5)
    early = second.post(REPORT, data, **CENTRE)
    assert early.status_code == 200 and "约 10 秒后" in early.content.decode()
    # Another device cannot use this device's token.
    thief, _ = _resident_opens_form()
    clock.advance(20)
    stolen = thief.post(
        REPORT, report_data(category, community, phone=_phone(3)) | {"step_up": token}, **CENTRE
    )
    assert stolen.status_code == 200 and STEP_UP in stolen.content.decode()
    assert Complaint.objects.count() == 1
    assert second.post(REPORT, data, **CENTRE).status_code == 302


def test_one_abuser_with_one_phone_and_one_device_is_refused(client, site, category, community, settings):
    settings.FEEDBACK_REPORT_STEP_UP_SECONDS = 0
    client.get(REPORT, **CENTRE)
    codes = [client.post(REPORT, report_data(category, community), **CENTRE).status_code for _ in range(3)]
    assert codes == [302, 302, 302]
    # The phone has used up its 3 an hour: refused with the form kept.
    refused = client.post(REPORT, report_data(category, community, place="复兴路 88 号东门"), **CENTRE)
    html = refused.content.decode()
    assert refused.status_code == 429 and "这个手机号近期提交的反映较多" in html
    assert (
        re.search(r"请于 <strong>(\d+月\d+日 )?\d\d:\d\d</strong>", html) and int(refused["Retry-After"]) > 0
    )
    assert 'value="复兴路 88 号东门"' in html and "楼下垃圾桶三天没有清运" in html
    assert "照片需要重新选择" in html
    # New phone numbers from the same device: the device's 5 an hour then refuses.
    more = [
        client.post(REPORT, report_data(category, community, phone=_phone(i)), **CENTRE).status_code
        for i in range(3)
    ]
    assert more == [302, 302, 429]
    assert (
        "您在这台设备上近期提交的反映较多"
        in client.post(REPORT, report_data(category, community, phone=_phone(9)), **CENTRE).content.decode()
    )
    assert Complaint.objects.count() == 5
    # A neighbour behind the same address, with their own phone and device, gets through.
    neighbour, token = _resident_opens_form()
    data = report_data(category, community, phone=_phone(20)) | {"step_up": token}
    assert neighbour.post(REPORT, data, **CENTRE).status_code == 302


def test_floods_without_the_cookie_are_bounded(client, site, category, community, settings):
    settings.FEEDBACK_REPORT_STEP_UP_SECONDS = 0
    codes = []
    for i in range(8):
        client.cookies.clear()  # a script that never keeps cookies
        codes.append(
            client.post(REPORT, report_data(category, community, phone=_phone(i)), **CENTRE).status_code
        )
    assert codes == [302] * 5 + [429] * 3
    client.cookies.clear()
    refused = client.post(REPORT, report_data(category, community, phone=_phone(9)), **CENTRE)
    # The refusal gives the browser a device cookie, so a real browser can just send again.
    assert devices.COOKIE in refused.cookies
    assert Complaint.objects.count() == 5


def test_fresh_devices_for_every_report_stop_at_the_hard_bound(site, category, community, settings):
    settings.FEEDBACK_REPORT_HARD_RATE_PER_IP = "12/10m"
    settings.FEEDBACK_REPORT_STEP_UP_SECONDS = 0
    codes = []
    for i in range(14):
        bot, token = _resident_opens_form()  # a new device (cookie) each time
        data = report_data(category, community, phone=_phone(i)) | {"step_up": token}
        codes.append(bot.post(REPORT, data, **CENTRE).status_code)
    assert codes == [302] * 12 + [429] * 2
    refused = bot.post(REPORT, report_data(category, community, phone=_phone(99)), **CENTRE)
    assert "您所在的网络（如社区、单位的 Wi-Fi）近期提交的反映过多" in refused.content.decode()
    # Another address is not affected.
    assert Client().post(REPORT, report_data(category, community, phone=_phone(50))).status_code == 302


def test_the_refused_form_keeps_every_field_typed(client, site, category, community, settings):
    settings.FEEDBACK_REPORT_HARD_RATE_PER_IP = "1/10m"
    client.post(REPORT, report_data(category, community, phone=_phone(1)), **CENTRE)
    data = report_data(
        category, community, phone=_phone(2), name="李阿姨", place="幸福里 6 号", allow_public="on"
    )
    refused = client.post(REPORT, data, **CENTRE)
    html = refused.content.decode()
    assert refused.status_code == 429 and refused["Cache-Control"].startswith("max-age=0")
    assert 'value="李阿姨"' in html and 'value="幸福里 6 号"' in html and f'value="{_phone(2)}"' in html
    assert "楼下垃圾桶三天没有清运" in html
    assert re.search(r'name="allow_public"[^>]*checked', html) and re.search(
        r'name="consent"[^>]*checked', html
    )
    assert f'value="{category.pk}" selected' in html
    assert 'name="captcha_1"' in html  # a fresh captcha to send it again later
    assert Complaint.objects.count() == 1


# --- Tracking look-ups ---------------------------------------------------------------------


def test_one_person_guessing_does_not_lock_out_others_behind_the_address(site, complaint, settings):
    guesser = Client()
    misses = [
        guesser.post(
            TRACK, lookup_data(complaint.reference.replace("-", "-9"), f"{i:04d}"), **CENTRE
        ).status_code
        for i in range(11)
    ]
    assert misses == [200] * 10 + [429]
    refused = guesser.post(TRACK, lookup_data("20260101-ABCD", "1234"), **CENTRE)
    html = refused.content.decode()
    assert refused.status_code == 429 and "您在这台设备上查询错误的次数过多" in html
    assert 'value="20260101-ABCD"' in html  # what was typed stays
    # The resident next to them, same address, own phone: finds their report.
    neighbour = Client()
    assert neighbour.post(TRACK, lookup_data(complaint.reference, "5678"), **CENTRE).status_code == 302


def test_tracking_misses_without_the_cookie_and_in_all_are_bounded_per_address(site, complaint, settings):
    settings.FEEDBACK_TRACK_MISS_RATE = "3/h"
    settings.FEEDBACK_TRACK_MISS_HARD_RATE_PER_IP = "6/h"
    dropper = Client()
    codes = []
    for i in range(4):
        dropper.cookies.clear()
        codes.append(dropper.post(TRACK, lookup_data(f"20260101-ZZZ{i}", "0000"), **CENTRE).status_code)
    assert codes == [200, 200, 200, 429]
    # Guessers minting a device each: the address's hard bound (6 in all) stops them.
    minted = [
        _with_device().post(TRACK, lookup_data(f"20260101-YYY{i}", "0000"), **CENTRE).status_code
        for i in range(5)
    ]
    assert minted == [200, 200, 200, 429, 429]
    right = _with_device().post(TRACK, lookup_data(complaint.reference, "5678"), **CENTRE)
    assert right.status_code == 429 and "您所在的网络近期查询错误的次数过多" in right.content.decode()
