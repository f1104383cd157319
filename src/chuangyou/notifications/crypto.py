"""Channel secrets at rest: a libsodium secret box (XSalsa20-Poly1305) under a key derived from a secret
outside the database (the CHANNEL_SECRET_KEY setting, or SECRET_KEY when that is unset), so a copied
database or backup holds no usable SMS or 企业微信 credentials. The ballots' sealing (evaluations/sealing.py)
keeps its key outside the database the same way."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from nacl.exceptions import CryptoError
from nacl.secret import SecretBox


class SecretUnreadable(Exception):
    """The stored secrets were sealed under another key (CHANNEL_SECRET_KEY or SECRET_KEY changed)."""


def _box() -> SecretBox:
    secret = settings.CHANNEL_SECRET_KEY or settings.SECRET_KEY
    key = hashlib.blake2b(
        b"chuangyou-channel-secrets", key=hashlib.sha512(secret.encode()).digest(), digest_size=32
    ).digest()
    return SecretBox(key)


def seal(values: dict[str, str]) -> bytes:
    """Encrypt a dict of secrets; an empty dict stores nothing."""
    if not values:
        return b""
    plain = json.dumps(values, ensure_ascii=False, sort_keys=True).encode()
    return bytes(_box().encrypt(plain))


def unseal(sealed: bytes | memoryview) -> dict[str, str]:
    data = bytes(sealed)
    if not data:
        return {}
    try:
        plain = _box().decrypt(data)
    except CryptoError as exc:
        raise SecretUnreadable from exc
    values = json.loads(plain.decode())
    return {str(k): str(v) for k, v in values.items()}
