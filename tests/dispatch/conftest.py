"""Units, their liaisons and a dispatched report, for the dispatch tests."""
# ruff: noqa: F811 - pytest fixtures imported from tests.feedback.conftest and used by name

import pytest
from django.contrib.auth.models import Permission

from feedback.complaints import services
from tests.factories.feedback import HandlingUnitFactory
from tests.feedback.conftest import (  # noqa: F401, F811 - shared fixtures
    category,
    community,
    complaint,
    make_moderator,
    moderator_group,
    unit,
)


@pytest.fixture
def make_liaison(django_user_model):
    def make(username, unit_):
        user = django_user_model.objects.create_user(username=username, password="pw-123456")
        user.user_permissions.add(
            Permission.objects.get(codename="handle_unit_complaint", content_type__app_label="feedback"),
            Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        )
        unit_.members.add(user)
        return django_user_model.objects.get(pk=user.pk)  # fresh permission cache

    return make


@pytest.fixture
def liaison(make_liaison, unit):
    return make_liaison("liaison", unit)


@pytest.fixture
def other_liaison(make_liaison, db):
    return make_liaison("other", HandlingUnitFactory(name="自来水公司"))


@pytest.fixture
def moderator(make_moderator, community):
    return make_moderator("moderator", communities=[community])


@pytest.fixture
def dispatched(complaint, unit, moderator):
    return services.dispatch_complaint(complaint=complaint, unit=unit, actor=moderator)
