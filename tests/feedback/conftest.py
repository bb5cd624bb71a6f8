"""Helpers for the feedback tests: images, staff users, complaints in a given state."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from feedback.complaints import services
from tests.factories.feedback import ComplaintCategoryFactory, ComplaintFactory, HandlingUnitFactory
from tests.factories.home import CommunityFactory


def image_upload(name="photo.jpg", fmt="JPEG", size=(64, 48), exif=None) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt, **kwargs)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


@pytest.fixture
def unit(db):
    return HandlingUnitFactory(name="街道城管办")


@pytest.fixture
def category(unit):
    return ComplaintCategoryFactory(name="环境卫生", default_unit=unit, default_days=7)


@pytest.fixture
def community(db):
    return CommunityFactory(name="复兴社区", slug="fuxing")


@pytest.fixture
def complaint(category, community):
    return ComplaintFactory(category=category, community=community)


@pytest.fixture
def moderator_group(db):
    group, _ = Group.objects.get_or_create(name="反映处理人员")
    perms = Permission.objects.filter(
        content_type__app_label="feedback", codename__in=["view_complaint", "change_complaint"]
    )
    admin_access = Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    group.permissions.add(*perms, admin_access)
    return group


@pytest.fixture
def make_moderator(moderator_group, django_user_model):
    def make(
        username="worker", *, communities=(), streets=(), all_communities=False, personal_data=False, email=""
    ):
        from tests.factories.feedback import StaffScopeFactory

        user = django_user_model.objects.create_user(username=username, password="pw-123456", email=email)
        user.groups.add(moderator_group)
        if personal_data:
            user.user_permissions.add(
                Permission.objects.get(codename="view_personal_data", content_type__app_label="feedback")
            )
        StaffScopeFactory(
            user=user, communities=list(communities), streets=list(streets), all_communities=all_communities
        )
        return user

    return make


def advance(complaint, *, to: str, actor=None, unit=None):
    """Walk a complaint along the happy path with the real services."""
    order = ["dispatched", "in_progress", "resolved"]
    for step in order[: order.index(to) + 1]:
        if step == "dispatched":
            complaint = services.dispatch_complaint(
                complaint=complaint, unit=unit or complaint.category.default_unit, actor=actor
            )
        elif step == "in_progress":
            complaint = services.start_complaint(complaint=complaint, actor=actor)
        else:
            complaint = services.resolve_complaint(
                complaint=complaint, reply="已安排保洁人员清运，并增加每日清运一次。", actor=actor
            )
    return complaint


def publish(complaint, *, actor=None):
    """A moderator approves the masked description as the public text (as the form offers)."""
    from feedback.complaints.admin_forms import draft_public_text

    return services.set_public_text(complaint=complaint, text=draft_public_text(complaint), actor=actor)


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    # Each test gets empty media folders, so "no file on disk" assertions mean something.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
