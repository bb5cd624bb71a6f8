"""Staff create, rotate and revoke API clients; the key is shown once and stored hashed."""

import re

import pytest
from django.contrib.auth.models import Group, Permission

from feedback.open311 import keys
from feedback.open311.models import ApiClient

INDEX = "/admin/feedback/apiclient/"


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-Long-enough-1")
    client.force_login(user)
    return client


def _key(response) -> str:
    return re.search(r'id="open311-key"[^>]*>(o311_[A-Za-z0-9_-]+)<', response.content.decode()).group(1)


def test_staff_create_a_client_and_see_its_key_once(admin_client, community):
    assert admin_client.get(f"{INDEX}create/").status_code == 200
    response = admin_client.post(
        f"{INDEX}create/",
        {"name": "12345热线", "contact": "李工", "access": "read_write", "communities": [community.pk]},
    )
    assert response.status_code == 200
    assert "密钥只显示这一次" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    key = _key(response)
    client = ApiClient.objects.get(name="12345热线")
    assert keys.client_for_key(key) == client and client.can_write
    assert list(client.communities.all()) == [community]
    listing = admin_client.get(INDEX).content.decode()
    assert "12345热线" in listing and client.key_prefix[5:] in listing and key not in listing


def test_client_needs_a_community(admin_client, community):
    response = admin_client.post(f"{INDEX}create/", {"name": "某系统", "access": "read"})
    assert response.status_code == 200
    assert "请至少选择一个社区。" in response.content.decode()
    assert not ApiClient.objects.exists()


def test_staff_revoke_and_rotate_a_key(admin_client, reader):
    url = f"/admin/open311/client/{reader.pk}/revoke/"
    assert "停用后" in admin_client.get(url).content.decode()
    admin_client.post(url)
    assert keys.client_for_key(reader.key) is None
    assert "已停用" in admin_client.get(INDEX).content.decode()
    response = admin_client.post(f"/admin/open311/client/{reader.pk}/rotate/")
    new_key = _key(response)
    assert new_key != reader.key and keys.client_for_key(new_key) == reader


def test_editor_without_permission_cannot_rotate(client, django_user_model, reader):
    user = django_user_model.objects.create_user("editor", password="pw-Long-enough-1")
    group = Group.objects.create(name="编辑")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client.force_login(user)
    response = client.post(f"/admin/open311/client/{reader.pk}/rotate/")
    # Wagtail's admin turns the refusal into a redirect to its dashboard with a message.
    assert response.status_code in (302, 403) and "o311_" not in response.content.decode()
    assert client.get(INDEX).status_code in (302, 403)
    assert keys.client_for_key(reader.key) == reader
