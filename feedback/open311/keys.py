"""Issuing, hashing and checking API keys.

A key is ``o311_`` plus 32 random URL-safe characters (192 bits). Only its SHA-256 digest
is kept, with its first 12 characters in clear to find the row; the check compares
digests in constant time. A fast hash is enough: the key is random, not a password.
"""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from .models import Access, ApiClient

PREFIX = "o311_"
PREFIX_LENGTH = 12


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key() -> str:
    return PREFIX + secrets.token_urlsafe(24)


def issue_key(*, client: ApiClient) -> str:
    """Give ``client`` a new key (any old one stops working) and return it: the only time
    it is seen in clear."""
    while True:
        key = _new_key()
        if not ApiClient.objects.filter(key_prefix=key[:PREFIX_LENGTH]).exclude(pk=client.pk).exists():
            break
    client.key_prefix, client.key_digest = key[:PREFIX_LENGTH], digest(key)
    client.revoked_at = None
    client.save(update_fields=["key_prefix", "key_digest", "revoked_at"])
    return key


@transaction.atomic
def create_client(
    *, name: str, contact: str = "", access: str = Access.READ, communities=()
) -> tuple[ApiClient, str]:
    client = ApiClient(
        name=name, contact=contact, access=access, key_prefix=secrets.token_hex(6), key_digest=""
    )
    client.save()
    client.communities.set(communities)
    return client, issue_key(client=client)


def revoke_key(*, client: ApiClient) -> None:
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])


def client_for_key(key: str) -> ApiClient | None:
    """The active client whose key this is, or None (unknown, wrong or revoked)."""
    if not key or not key.startswith(PREFIX) or len(key) > 100:
        return None
    client = ApiClient.objects.filter(key_prefix=key[:PREFIX_LENGTH]).first()
    # Compared even for a revoked client, so the answer takes as long either way.
    if client is None or not secrets.compare_digest(client.key_digest, digest(key)):
        return None
    return client if client.active else None
