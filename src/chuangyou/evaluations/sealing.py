"""Sealed ballots: while voting is open a ballot's content is stored encrypted to the evaluation's
public key (a libsodium sealed box), so no one who can only read the database, a backup or a replica
can put a vote next to a voter, however the rows are joined (transaction ids, insert order, the day).

The private key is never stored. It is derived when voting closes from a secret outside the database
(the BALLOT_SEAL_SECRET setting, or SECRET_KEY when that is unset) and a random salt kept with the
evaluation; at close the ballots are opened, shuffled and written in plain, and the ciphertexts go.

A passphrase lock (optional, set by whoever opens the vote, for the supervision group) adds a third
input: a random 32-byte unlock value U, so that the server's secret and the database together still
open nothing. The database keeps U only encrypted, twice (`Lock`): under a key stretched from the
passphrase (argon2id, its own salt) and under a key from a random recovery code, shown once when
voting opens. Closing takes either one.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from nacl import pwhash
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

SALT_BYTES = 16
UNLOCK_BYTES = 32
# Read off paper: no 0/O, 1/I. 24 symbols of 32 are 120 bits, too many to guess, so no stretching.
RECOVERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RECOVERY_LENGTH = 24


def new_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def _secret() -> bytes:
    secret = settings.BALLOT_SEAL_SECRET or settings.SECRET_KEY
    # blake2b takes a key of at most 64 bytes: hash a longer secret down first.
    return hashlib.sha512(secret.encode()).digest()


def private_key(evaluation_id: int, salt: str, unlock: bytes = b"") -> PrivateKey:
    """The seal's private key; with a passphrase lock, `unlock` is its U (empty: no lock)."""
    label = f"chuangyou-ballot-seal:{evaluation_id}:{salt}"
    if unlock:
        label = f"chuangyou-ballot-seal-locked:{evaluation_id}:{salt}:{unlock.hex()}"
    seed = hashlib.blake2b(label.encode(), key=_secret(), digest_size=32).digest()
    return PrivateKey.from_seed(seed)


def public_key_hex(evaluation_id: int, salt: str, unlock: bytes = b"") -> str:
    return bytes(private_key(evaluation_id, salt, unlock).public_key).hex()


def seal(public_key: str, content: dict[str, Any], verdict: str) -> bytes:
    """The content and the verdict together: even whether a ballot is void stays hidden until close."""
    plain = json.dumps({"content": content, "verdict": verdict}, ensure_ascii=False, sort_keys=True)
    return SealedBox(PublicKey(bytes.fromhex(public_key))).encrypt(plain.encode())


def opener(evaluation_id: int, salt: str, public_key: str, unlock: bytes = b"") -> SealedBox[PrivateKey]:
    """The box that opens this evaluation's ballots. Refuses when the secret changed since voting
    opened (the derived key would not match the stored public key), rather than fail ballot by ballot."""
    key = private_key(evaluation_id, salt, unlock)
    if bytes(key.public_key).hex() != public_key:
        raise SealSecretChanged
    return SealedBox(key)


def unseal(box: SealedBox[PrivateKey], sealed: bytes) -> tuple[dict[str, Any], str]:
    data = json.loads(box.decrypt(bytes(sealed)).decode())
    return data["content"], data["verdict"]


class SealSecretChanged(Exception):
    """BALLOT_SEAL_SECRET (or SECRET_KEY) is not the one voting opened with."""


# --- the passphrase lock ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Lock:
    """What the database keeps of a passphrase lock (Evaluation.seal_lock): U encrypted under the
    passphrase's key and under the recovery code's, and how the passphrase's key was stretched (the
    cost it was made with, so a later change of BALLOT_PASSPHRASE_KDF still opens it). No plain secret."""

    opslimit: int
    memlimit: int
    salt: str  # argon2id's salt, hex
    by_passphrase: str  # SecretBox(nonce + ciphertext of U), hex
    by_recovery_code: str

    def to_json(self) -> dict[str, Any]:
        return {"kdf": "argon2id", **asdict(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Lock:
        return cls(
            opslimit=int(data["opslimit"]),
            memlimit=int(data["memlimit"]),
            salt=str(data["salt"]),
            by_passphrase=str(data["by_passphrase"]),
            by_recovery_code=str(data["by_recovery_code"]),
        )


class WrongKey(Exception):
    """The passphrase or recovery code does not open the lock."""


def _passphrase_key(passphrase: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    # NFC: the same words typed with another input method are the same passphrase
    text = unicodedata.normalize("NFC", passphrase).encode()
    return pwhash.argon2id.kdf(SecretBox.KEY_SIZE, text, salt, opslimit=opslimit, memlimit=memlimit)


def normalize_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_recovery_code(code: str) -> str:
    """In groups of four, to be written down or printed: ABCD-EFGH-…"""
    plain = normalize_recovery_code(code)
    return "-".join(plain[i : i + 4] for i in range(0, len(plain), 4))


def _recovery_key(evaluation_id: int, salt: str, code: str) -> bytes:
    text = f"chuangyou-seal-recovery:{evaluation_id}:{salt}:{normalize_recovery_code(code)}"
    return hashlib.blake2b(text.encode(), digest_size=SecretBox.KEY_SIZE).digest()


def new_lock(evaluation_id: int, salt: str, passphrase: str) -> tuple[bytes, Lock, str]:
    """A fresh U, the lock to store, and the recovery code (formatted) to show once."""
    unlock = secrets.token_bytes(UNLOCK_BYTES)
    code = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    opslimit, memlimit = settings.BALLOT_PASSPHRASE_KDF
    kdf_salt = secrets.token_bytes(pwhash.argon2id.SALTBYTES)
    lock = Lock(
        opslimit=opslimit,
        memlimit=memlimit,
        salt=kdf_salt.hex(),
        by_passphrase=bytes(
            SecretBox(_passphrase_key(passphrase, kdf_salt, opslimit, memlimit)).encrypt(unlock)
        ).hex(),
        by_recovery_code=bytes(SecretBox(_recovery_key(evaluation_id, salt, code)).encrypt(unlock)).hex(),
    )
    return unlock, lock, format_recovery_code(code)


def unlock_with_passphrase(lock: Lock, passphrase: str) -> bytes:
    key = _passphrase_key(passphrase, bytes.fromhex(lock.salt), lock.opslimit, lock.memlimit)
    return _open(key, lock.by_passphrase)


def unlock_with_recovery_code(lock: Lock, evaluation_id: int, salt: str, code: str) -> bytes:
    return _open(_recovery_key(evaluation_id, salt, code), lock.by_recovery_code)


def _open(key: bytes, boxed: str) -> bytes:
    try:
        return SecretBox(key).decrypt(bytes.fromhex(boxed))
    except CryptoError:
        raise WrongKey from None
