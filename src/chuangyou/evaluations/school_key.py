"""The school's Ed25519 key, which signs its published counts.

Like the ballot seal (sealing.py), the private key is never stored: it is derived when needed from a
secret outside the database (BALLOT_SEAL_SECRET, or SECRET_KEY when that is unset) and a label of its
own per school, so someone who can only write the database cannot sign a result. The public key's
fingerprint is shown on the school's public page; a voter compares it with what the verifier prints.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from nacl.signing import SigningKey

from chuangyou.evaluations.verify_count import canonical, fingerprint

__all__ = ["canonical", "fingerprint", "public_key_hex", "school_fingerprint", "sign"]


def _secret() -> bytes:
    secret = settings.BALLOT_SEAL_SECRET or settings.SECRET_KEY
    return hashlib.sha512(secret.encode()).digest()  # blake2b keys are at most 64 bytes


def _signing_key(school_id: int) -> SigningKey:
    seed = hashlib.blake2b(
        f"chuangyou-school-result-signing:{school_id}".encode(), key=_secret(), digest_size=32
    ).digest()
    return SigningKey(seed)


def public_key_hex(school_id: int) -> str:
    return bytes(_signing_key(school_id).verify_key).hex()


def school_fingerprint(school_id: int) -> str:
    return fingerprint(public_key_hex(school_id))


def sign(school_id: int, data: object) -> str:
    """The Ed25519 signature (hex) of the canonical JSON of `data`."""
    return _signing_key(school_id).sign(canonical(data)).signature.hex()
