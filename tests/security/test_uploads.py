"""Hostile report photos: each gets a clear Chinese error next to the field, the text the
resident typed stays, and nothing is saved — no report row, no file."""

import io
import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from feedback.models import Complaint, ComplaintPhoto

from .feedback_fixtures import *  # noqa: F403
from .feedback_fixtures import REPORT, _own_media_root, report_data  # noqa: F401 - autouse: empty media folders

pytestmark = pytest.mark.django_db
DESCRIPTION = "楼下垃圾桶三天没有清运，气味很大，夏天招蚊虫。"


@pytest.fixture
def form_data(site, category, community):
    return report_data(category, community, description=DESCRIPTION)


def _bomb() -> bytes:
    """A 12,000 × 12,000 PNG (144 million pixels) of a few kilobytes."""
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


HOSTILE = {
    "svg": (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        "无法识别为照片",
    ),
    "html": (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "无法识别为照片"),
    "pdf": (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "无法识别为照片"),
    "20 MB": (b"\xff\xd8\xff\xe0" + os.urandom(20 * 1024 * 1024), "超过 8 MB"),
}


def _private_files() -> list[str]:
    root = str(settings.PRIVATE_MEDIA_ROOT)
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files]


@pytest.mark.parametrize("kind", [*HOSTILE, "decompression bomb"])
def test_hostile_photo_is_refused_in_chinese_and_leaves_nothing(client, form_data, kind):
    content, message = HOSTILE.get(kind) or (_bomb(), "像素过大")
    form_data["photos"] = [SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg")]
    response = client.post(REPORT, form_data)
    html = response.content.decode()
    assert response.status_code == 200  # the form again, not a redirect
    assert message in html and "photo.jpg" in html
    assert DESCRIPTION in html  # what the resident typed is kept
    assert Complaint.objects.count() == 0 and ComplaintPhoto.objects.count() == 0
    assert _private_files() == []
