"""Honeypot and minimum fill time: bots are turned away, residents keep what they typed."""

import time

import pytest
from django import forms
from django.core import signing

from home.models import Street
from portal import abuse
from portal.abuse import AbuseProtectedForm, sign_form_start


class ReportForm(AbuseProtectedForm):
    content = forms.CharField(label="反映内容", widget=forms.Textarea)


class StreetForm(AbuseProtectedForm, forms.ModelForm):
    class Meta:
        model = Street
        fields = ["name"]


def test_blank_form_hides_the_honeypot_from_people_and_screen_readers():
    form = ReportForm()
    html = form.as_div()
    honeypot = str(form["website"])
    assert '<div class="visually-hidden" aria-hidden="true">' in honeypot
    assert "请勿填写" in honeypot
    assert 'tabindex="-1"' in honeypot and 'autocomplete="off"' in honeypot
    assert [f.name for f in form.visible_fields()] == ["content"]
    assert 'type="hidden" name="form_started"' in html
    assert honeypot in html


def test_resident_who_took_a_minute_gets_through():
    form = ReportForm({"content": "3号楼楼道灯坏了", **ReportForm.protection_data(seconds_ago=60)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["content"] == "3号楼楼道灯坏了"


def test_bot_filling_the_honeypot_is_refused_and_text_is_kept():
    data = {
        "content": "买药加微信",
        **ReportForm.protection_data(seconds_ago=60),
        "website": "http://spam.example",
    }
    form = ReportForm(data)
    assert not form.is_valid()
    assert form.non_field_errors() == [abuse.REJECTED_MESSAGE]
    assert 'name="content"' in form.as_div() and "买药加微信" in form.as_div()


def test_submitting_faster_than_a_human_is_refused_then_accepted_after_waiting(settings, monkeypatch):
    settings.ABUSE_FORM_MIN_SECONDS = 3
    data = {"content": "噪音扰民", "form_started": sign_form_start()}
    form = ReportForm(data)
    assert not form.is_valid()
    assert form.non_field_errors() == [abuse.TOO_FAST_MESSAGE]
    assert "噪音扰民" in form.as_div()
    # The re-rendered form keeps the original start time, so resubmitting later passes.
    resubmitted = dict(data, form_started=form["form_started"].value())
    later = time.time() + 5
    monkeypatch.setattr(abuse.time, "time", lambda: later)
    assert ReportForm(resubmitted).is_valid()


@pytest.mark.parametrize("token", ["", "forged", sign_form_start().replace(":", ";")])
def test_missing_or_forged_timestamp_is_refused_and_replaced(token, monkeypatch):
    form = ReportForm({"content": "路灯不亮", "form_started": token})
    assert not form.is_valid()
    assert form.non_field_errors() == [abuse.REJECTED_MESSAGE]
    fresh = form["form_started"].value()
    assert fresh and fresh != token
    later = time.time() + 60
    monkeypatch.setattr(abuse.time, "time", lambda: later)
    assert ReportForm({"content": "路灯不亮", "form_started": fresh}).is_valid()


def test_form_left_open_for_days_asks_to_resubmit(settings, monkeypatch):
    settings.ABUSE_FORM_MAX_AGE = 3600
    two_days_ago = time.time() - 2 * 24 * 3600
    # TimestampSigner dates its signature with the clock, so sign while it reads two days ago.
    monkeypatch.setattr(signing.time, "time", lambda: two_days_ago)
    token = sign_form_start(issued_at=two_days_ago)
    monkeypatch.undo()
    form = ReportForm({"content": "井盖缺失", "form_started": token})
    assert not form.is_valid()
    assert form.non_field_errors() == [abuse.EXPIRED_MESSAGE]
    assert form["form_started"].value() != token


def test_prefixed_forms_are_protected_too():
    data = {"r-content": "积水", **ReportForm.protection_data(prefix="r")}
    assert ReportForm(data, prefix="r").is_valid()
    assert not ReportForm({**data, "r-website": "x"}, prefix="r").is_valid()


@pytest.mark.django_db
def test_model_forms_adopt_the_mixin_and_save():
    form = StreetForm({"name": "滨江街道", **StreetForm.protection_data()})
    assert form.is_valid(), form.errors
    assert form.save().name == "滨江街道"
    assert not StreetForm({"name": "滨海街道", "form_started": sign_form_start()}).is_valid()
    assert not Street.objects.filter(name="滨海街道").exists()
