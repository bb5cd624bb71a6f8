"""The captcha: real in production ("PASSED" is refused), readable digits for residents."""

import re
import textwrap

import pytest
from captcha.conf import settings as captcha_settings
from captcha.models import CaptchaStore
from django import forms

from portal.abuse import CAPTCHA_ALPHABET, PortalCaptchaField, captcha_challenge

from .helpers import PRODUCTION_ENV, run_django


class CaptchaForm(forms.Form):
    captcha = PortalCaptchaField()


def test_production_rejects_the_test_mode_answer_and_accepts_the_real_one():
    code = textwrap.dedent(
        """
        from django.core.exceptions import ValidationError
        from django.db import connection
        from captcha.conf import settings as captcha_settings
        from captcha.models import CaptchaStore
        from portal.abuse import PortalCaptchaField

        with connection.schema_editor() as editor:
            editor.create_model(CaptchaStore)
        field = PortalCaptchaField()

        def attempt(answer):
            key = CaptchaStore.generate_key()
            if answer is None:
                answer = CaptchaStore.objects.get(hashkey=key).response
            try:
                field.clean([key, answer])
                return "accepted"
            except ValidationError:
                return "rejected"

        print(captcha_settings.CAPTCHA_TEST_MODE, attempt("PASSED"), attempt("passed"), attempt(None))
        """
    )
    out = run_django(code, env=PRODUCTION_ENV).strip().splitlines()[-1]
    assert out == "False rejected rejected accepted"


@pytest.mark.parametrize("module", ["portal.settings.dev", "portal.settings.production"])
def test_captcha_test_mode_is_off_outside_the_test_settings(module):
    code = "from captcha.conf import settings as s\nprint(s.CAPTCHA_TEST_MODE)"
    out = run_django(code, env={**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": module}).strip().splitlines()[-1]
    assert out == "False"
    assert captcha_settings.CAPTCHA_TEST_MODE is True  # …and on here, under portal.settings.test


def test_challenge_uses_unambiguous_digits_only():
    drawn = {captcha_challenge() for _ in range(400)}
    for text, answer in drawn:
        assert text == answer and len(text) == 5
        assert set(text) <= set(CAPTCHA_ALPHABET)
    assert not set(CAPTCHA_ALPHABET) & set("01OoIilL")
    assert set("".join(text for text, _ in drawn)) == set(CAPTCHA_ALPHABET)


@pytest.mark.django_db
def test_resident_sees_chinese_captcha_with_numeric_keypad_and_real_image(client):
    html = str(CaptchaForm()["captcha"])
    assert 'alt="验证码图片：5位数字"' in html
    assert 'inputmode="numeric"' in html and 'autocomplete="off"' in html
    assert "请输入图片中的5位数字" in html
    image_url = re.search(r'src="([^"]+)"', html).group(1)
    image = client.get(image_url)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_wrong_captcha_shows_chinese_error_and_right_one_passes():
    key = CaptchaStore.generate_key()
    answer = CaptchaStore.objects.get(hashkey=key).response
    wrong = CaptchaForm({"captcha_0": key, "captcha_1": "22222" if answer != "22222" else "33333"})
    assert not wrong.is_valid()
    assert wrong.errors["captcha"] == ["验证码不正确，请按新图片中的数字重新输入。"]
    key = CaptchaStore.generate_key()
    answer = CaptchaStore.objects.get(hashkey=key).response
    assert CaptchaForm({"captcha_0": key, "captcha_1": answer}).is_valid()
    empty = CaptchaForm({"captcha_0": key, "captcha_1": ""})
    assert not empty.is_valid() and empty.errors["captcha"] == ["请输入图片中的数字验证码。"]


def _new_captcha() -> tuple[str, str]:
    key = CaptchaStore.generate_key()
    return key, CaptchaStore.objects.get(hashkey=key).response


@pytest.mark.django_db
def test_each_captcha_answers_once_and_a_wrong_try_uses_it_up():
    key, answer = _new_captcha()
    assert CaptchaForm({"captcha_0": key, "captcha_1": answer}).is_valid()
    assert not CaptchaForm({"captcha_0": key, "captcha_1": answer}).is_valid()  # replayed
    key, answer = _new_captcha()
    wrong = "22222" if answer != "22222" else "33333"
    assert not CaptchaForm({"captcha_0": key, "captcha_1": wrong}).is_valid()
    assert not CaptchaForm({"captcha_0": key, "captcha_1": answer}).is_valid()  # no second guess
    assert not CaptchaStore.objects.filter(hashkey=key).exists()


@pytest.mark.django_db
def test_expired_captcha_is_refused_and_swept_once_a_minute(monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from portal import abuse

    key, answer = _new_captcha()
    spare, _ = _new_captcha()
    CaptchaStore.objects.update(expiration=timezone.now() - timedelta(seconds=1))
    monkeypatch.setattr(abuse, "_next_sweep", 0.0)
    assert not CaptchaForm({"captcha_0": key, "captcha_1": answer}).is_valid()
    assert not CaptchaStore.objects.exists()  # the spare went with the sweep
    fresh, _ = _new_captcha()
    CaptchaStore.objects.update(expiration=timezone.now() - timedelta(seconds=1))
    abuse.sweep_expired_captchas()  # within the minute: nothing is scanned
    assert CaptchaStore.objects.filter(hashkey=fresh).exists()
    abuse.sweep_expired_captchas(now=abuse._next_sweep)
    assert not CaptchaStore.objects.exists()
