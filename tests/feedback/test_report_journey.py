"""A resident reports a problem on a phone, gets a reference number and follows it."""

import io
import os
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from feedback.complaints.forms import ComplaintReportForm
from feedback.complaints.references import ALPHABET
from feedback.models import Complaint, ComplaintPhoto, State
from home.demo import PRIVACY_NOTICE_VERSION

from .conftest import image_upload

pytestmark = pytest.mark.django_db
REPORT = "/feedback/report/"


@pytest.fixture
def form_data(site, category):
    from home.models import Community

    community = Community.objects.get(slug="fuxing")
    return {
        "kind": "complaint",
        "category": category.pk,
        "community": community.pk,
        "place": "复兴路88号小区3栋楼下",
        "description": "楼下垃圾桶三天没有清运，气味很大，夏天招蚊虫。",
        "name": "张三丰",
        "phone": "13812345678",
        "consent": "on",
        "captcha_0": "test",
        "captcha_1": "PASSED",
        **ComplaintReportForm.protection_data(),
    }


def private_files():
    root = str(settings.PRIVATE_MEDIA_ROOT)
    return sorted(os.path.join(d, f) for d, _, files in os.walk(root) for f in files)


def test_resident_reports_problem_and_sees_reference_without_personal_data(client, form_data):
    form_data["photos"] = [image_upload("楼下.jpg"), image_upload("b.png", fmt="PNG")]
    response = client.post(REPORT, form_data)
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:submitted")

    complaint = Complaint.objects.get()
    assert re.fullmatch(rf"\d{{8}}-[{ALPHABET}]{{4}}", complaint.reference)
    assert complaint.state == State.SUBMITTED
    assert complaint.privacy_notice_version == PRIVACY_NOTICE_VERSION  # the one the resident was shown
    assert complaint.consented_at is not None
    assert complaint.photos.count() == 2
    assert complaint.events.get().title == "居民提交反映"

    page = client.get(response["Location"])
    html = page.content.decode()
    assert complaint.reference in html
    assert complaint.tracking_token in html
    assert "138****5678" in html
    assert "13812345678" not in html and "张三丰" not in html
    assert "7 个工作日内办结" in html


def test_form_shows_privacy_notice_and_unticked_boxes(client, site, category):
    html = client.get(REPORT).content.decode()
    assert "个人信息保护告知" in html and "中华人民共和国个人信息保护法" in html
    assert re.search(r'<input type="checkbox" name="consent"[^>]*>', html)
    assert "checked" not in re.search(r'<input type="checkbox" name="consent"[^>]*>', html).group(0)
    assert "checked" not in re.search(r'<input type="checkbox" name="allow_public"[^>]*>', html).group(0)


def test_photo_field_works_without_javascript_and_carries_its_limits(client, site, category):
    html = client.get(REPORT).content.decode()
    native = re.search(r'<input type="file" name="photos"[^>]*>', html).group(0)
    # The native input is what a browser without JavaScript uses: any image, several at once.
    assert 'accept="image/*"' in native and "multiple" in native
    assert 'data-max-photos="3"' in native and 'data-max-bytes="8388608"' in native
    # The large button, previews and count come only with the script, which unhides them.
    assert re.search(r'<div class="photo-picker" data-photo-picker hidden>', html)
    assert "js/photo-picker" in html and "拍照/选照片" in html


def test_station_link_prefills_community_and_place(client, site, category):
    from home.models import Community

    community = Community.objects.get(slug="chunyu")
    html = client.get(REPORT, {"community": "chunyu", "place": "春雨红色驿站"}).content.decode()
    assert f'<option value="{community.pk}" selected>' in html
    assert 'value="春雨红色驿站"' in html


def test_errors_are_listed_in_chinese_keep_input_and_save_nothing(client, form_data):
    form_data.update(description="太短", phone="12345", consent="")
    del form_data["consent"]
    form_data["photos"] = [image_upload()]
    response = client.post(REPORT, form_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and 'tabindex="-1"' in html
    assert 'href="#id_description"' in html and 'href="#id_phone"' in html and 'href="#id_consent"' in html
    assert "问题描述至少 10 个字" in html
    assert "请填写 11 位手机号码" in html
    assert "请阅读并勾选同意个人信息保护告知" in html
    assert 'value="复兴路88号小区3栋楼下"' in html  # what was typed is kept
    assert Complaint.objects.count() == 0
    assert ComplaintPhoto.objects.count() == 0
    assert private_files() == []


def test_too_long_place_and_name_get_a_chinese_count_of_characters(client, form_data):
    # A browser stops at maxlength; a pasted text or a script does not.
    form_data.update(place="复兴路" * 50, name="张" * 31)
    html = client.post(REPORT, form_data).content.decode()
    assert "最多 120 个字（现在 150 个字）" in html
    assert "最多 30 个字（现在 31 个字）" in html
    assert "确保该变量" not in html
    assert Complaint.objects.count() == 0


def test_wrong_captcha_saves_nothing(client, form_data):
    form_data["captcha_1"] = "WRONG"
    form_data["photos"] = [image_upload()]
    html = client.post(REPORT, form_data).content.decode()
    assert "验证码不正确" in html
    assert Complaint.objects.count() == 0 and private_files() == []


def test_text_file_renamed_jpg_is_refused_in_chinese(client, form_data):
    form_data["photos"] = [
        SimpleUploadedFile("scan.jpg", b"this is not an image at all", content_type="image/jpeg")
    ]
    html = client.post(REPORT, form_data).content.decode()
    assert "“scan.jpg”无法识别为照片" in html
    assert Complaint.objects.count() == 0 and private_files() == []


def test_gif_and_more_than_three_photos_are_refused(client, form_data):
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    form_data["photos"] = [SimpleUploadedFile("a.gif", gif.getvalue(), content_type="image/gif")]
    assert "不是 JPG、PNG 或 WebP" in client.post(REPORT, form_data).content.decode()
    form_data["photos"] = [image_upload(f"{i}.jpg") for i in range(4)]
    assert "最多上传 3 张照片" in client.post(REPORT, form_data).content.decode()
    assert Complaint.objects.count() == 0


def test_photo_is_stored_privately_upright_and_without_gps(client, form_data):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "N", 2: (25.0, 2.0, 30.0)}  # GPS IFD
    form_data["photos"] = [image_upload("IMG_0001.jpg", size=(80, 40), exif=exif)]
    assert client.post(REPORT, form_data).status_code == 302
    photo = ComplaintPhoto.objects.get()
    assert "IMG_0001" not in photo.file.name  # server-generated name
    path = photo.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    with Image.open(path) as stored:
        assert stored.size == (40, 80)  # turned upright
        assert not stored.getexif()  # no EXIF at all, hence no GPS
    with pytest.raises(ValueError):
        photo.file.url  # noqa: B018 - private files have no public URL


def test_failed_transaction_removes_photos_already_written(client, form_data, monkeypatch):
    from feedback.complaints import services

    def broken_event(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_event", broken_event)
    form_data["photos"] = [image_upload()]
    client.raise_request_exception = False
    response = client.post(REPORT, form_data)
    assert response.status_code == 500
    assert Complaint.objects.count() == 0
    assert private_files() == []


def test_real_captcha_is_checked(client, form_data, settings, monkeypatch):
    from captcha.conf import settings as captcha_settings
    from captcha.models import CaptchaStore

    # django-simple-captcha copies the setting at import time, so override both.
    settings.CAPTCHA_TEST_MODE = False
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)
    html = client.get(REPORT).content.decode()
    hashkey = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html).group(1)
    form_data.update(captcha_0=hashkey, captcha_1="PASSED")
    assert "验证码不正确" in client.post(REPORT, form_data).content.decode()
    assert Complaint.objects.count() == 0

    html = client.get(REPORT).content.decode()
    hashkey = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html).group(1)
    answer = CaptchaStore.objects.get(hashkey=hashkey).response
    form_data.update(captcha_0=hashkey, captcha_1=answer)
    assert client.post(REPORT, form_data).status_code == 302
    assert Complaint.objects.count() == 1


def test_confirmation_page_needs_the_submitting_browser(client, site, form_data):
    response = client.get(reverse("feedback:submitted"))
    assert response.status_code == 302 and response["Location"] == REPORT
    sent = client.post(REPORT, form_data)
    cookie = sent.cookies["feedback_submitted"]
    assert (
        cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == reverse("feedback:submitted")
    )
    assert not sent.cookies.get(settings.SESSION_COOKIE_NAME)  # no session row per report
    page = client.get(reverse("feedback:submitted"))
    assert page.status_code == 200 and "private" in page["Cache-Control"]
    # Another report's number in the cookie, without the signature: back to the form.
    client.cookies["feedback_submitted"] = str(Complaint.objects.get().pk)
    assert client.get(reverse("feedback:submitted"))["Location"] == REPORT


def test_reports_stay_out_of_wagtails_usage_index(client, form_data, django_capture_on_commit_callbacks):
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(REPORT, form_data).status_code == 302
    complaint_type = ContentType.objects.get_for_model(Complaint)
    assert not ReferenceIndex.objects.filter(base_content_type=complaint_type).exists()
    assert not ReferenceIndex.model_is_indexable(Complaint)


def test_grid_list_is_in_natural_order_and_names_each_grids_community(client, site, category):
    from home.models import Community, Grid

    fuxing = Community.objects.get(slug="fuxing")
    html = client.get(REPORT).content.decode()
    grid_select = html.split('name="grid"')[1].split("</select>")[0]
    names = re.findall(rf'data-community="{fuxing.pk}"[^>]*>复兴社区 (第.网格)<', grid_select)
    assert names == ["第一网格", "第二网格", "第三网格"]
    assert grid_select.count("data-community=") == Grid.objects.count()
    assert "/static/js/feedback.js" in html


def test_a_grid_of_another_community_is_refused_next_to_the_field(client, form_data):
    from home.models import Grid

    other = Grid.objects.exclude(community_id=form_data["community"]).first()
    response = client.post(REPORT, {**form_data, "grid": other.pk})
    assert response.status_code == 200
    assert "所选网格不属于所选社区" in response.content.decode()
    assert not Complaint.objects.exists()


def test_grid_numbers_come_from_chinese_names_in_the_migration():
    import importlib
    from pathlib import Path

    # By name, not number: migrations are renumbered when branches merge.
    (path,) = Path(settings.BASE_DIR, "home", "migrations").glob("*_grid_number_for_natural_order.py")
    migration = importlib.import_module(f"home.migrations.{path.stem}")

    class FakeGrid:
        saved = []

        def __init__(self, name):
            self.name, self.number = name, 0

        def save(self, update_fields):
            FakeGrid.saved.append((self.name, self.number))

    grids = [
        FakeGrid(n)
        for n in ["第一网格", "第三网格", "第十网格", "第十二网格", "第二十一网格", "第7网格", "东片"]
    ]

    class Manager:
        def all(self):
            return grids

    class Apps:
        def get_model(self, app, model):
            return type("Grid", (), {"objects": Manager()})

    migration.number_from_name(Apps(), None)
    assert FakeGrid.saved == [
        ("第一网格", 1), ("第三网格", 3), ("第十网格", 10), ("第十二网格", 12), ("第二十一网格", 21), ("第7网格", 7)
    ]  # fmt: skip
