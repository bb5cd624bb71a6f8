"""The feedback fixtures (tests/feedback/conftest.py), for the security tests of feedback.

Import with ``from .feedback_fixtures import *`` so pytest sees them in the test module.
"""

from feedback.complaints.forms import ComplaintReportForm, RatingForm, TrackLookupForm
from tests.feedback.conftest import (  # noqa: F401
    _own_media_root,
    advance,
    category,
    community,
    complaint,
    image_upload,
    make_moderator,
    moderator_group,
    unit,
)

REPORT = "/feedback/report/"
TRACK = "/feedback/track/"
CAPTCHA = {"captcha_0": "test", "captcha_1": "PASSED"}


def report_data(category, community, **overrides) -> dict:  # noqa: F811 - objects, not fixtures
    """What a resident who took a minute over the report form sends."""
    data = {
        "kind": "complaint",
        "category": category.pk,
        "community": community.pk,
        "place": "复兴路88号小区3栋楼下",
        "description": "楼下垃圾桶三天没有清运，气味很大，夏天招蚊虫。",
        "name": "张三丰",
        "phone": "13812345678",
        "consent": "on",
        **CAPTCHA,
        **ComplaintReportForm.protection_data(),
    }
    data.update(overrides)
    return data


def lookup_data(reference: str, last4: str) -> dict:
    return {"reference": reference, "phone_last4": last4, **CAPTCHA, **TrackLookupForm.protection_data()}


def rating_data(rating: str, comment: str = "") -> dict:
    return {"rating": rating, "comment": comment, **RatingForm.protection_data()}
