"""How a person signs in: the login name of a roster account, a mobile number, a first password.

Pure functions, shared by org (which creates people's accounts), accounts (which signs them in) and the
roster import.
"""

from __future__ import annotations

import re
import secrets

MOBILE_RE = re.compile(r"^1\d{10}$")


def account_key(*, school_code: str, login: str) -> str:
    """The unique username of a roster account: 学号 and 工号 are unique only within one school."""
    return f"{school_code}:{login}"


_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - an alphabet, not a password


def generate_password(length: int = 10) -> str:
    while True:
        candidate = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return candidate
