"""Sealed ballots: while voting is open a ballot's content is stored encrypted to the evaluation's
public key (a libsodium sealed box), so no one who can only read the database, a backup or a replica
can put a vote next to a voter, however the rows are joined (transaction ids, insert order, the day).

The private key is never stored. It is derived when voting closes from a secret outside the database
(the BALLOT_SEAL_SECRET setting, or SECRET_KEY when that is unset) and a random salt kept with the
evaluation; at close the ballots are opened, shuffled and written in plain, and the ciphertexts go.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from django.conf import settings
from nacl.public import PrivateKey, PublicKey, SealedBox

SALT_BYTES = 16


def new_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def _secret() -> bytes:
    secret = settings.BALLOT_SEAL_SECRET or settings.SECRET_KEY
    # blake2b takes a key of at most 64 bytes: hash a longer secret down first.
    return hashlib.sha512(secret.encode()).digest()


def private_key(evaluation_id: int, salt: str) -> PrivateKey:
    seed = hashlib.blake2b(
        f"chuangyou-ballot-seal:{evaluation_id}:{salt}".encode(), key=_secret(), digest_size=32
    ).digest()
    return PrivateKey.from_seed(seed)


def public_key_hex(evaluation_id: int, salt: str) -> str:
    return bytes(private_key(evaluation_id, salt).public_key).hex()


def seal(public_key: str, content: dict[str, Any], verdict: str) -> bytes:
    """The content and the verdict together: even whether a ballot is void stays hidden until close."""
    plain = json.dumps({"content": content, "verdict": verdict}, ensure_ascii=False, sort_keys=True)
    return SealedBox(PublicKey(bytes.fromhex(public_key))).encrypt(plain.encode())


def opener(evaluation_id: int, salt: str, public_key: str) -> SealedBox[PrivateKey]:
    """The box that opens this evaluation's ballots. Refuses when the secret changed since voting
    opened (the derived key would not match the stored public key), rather than fail ballot by ballot."""
    key = private_key(evaluation_id, salt)
    if bytes(key.public_key).hex() != public_key:
        raise SealSecretChanged
    return SealedBox(key)


def unseal(box: SealedBox[PrivateKey], sealed: bytes) -> tuple[dict[str, Any], str]:
    data = json.loads(box.decrypt(bytes(sealed)).decode())
    return data["content"], data["verdict"]


class SealSecretChanged(Exception):
    """BALLOT_SEAL_SECRET (or SECRET_KEY) is not the one voting opened with."""
