"""ISBN check digits: ISBN-10 (mod 11, X for 10) and ISBN-13 (weights 1 and 3, mod 10)."""

from __future__ import annotations


def _isbn10_ok(code: str) -> bool:
    if len(code) != 10 or not code[:9].isdigit() or not (code[9].isdigit() or code[9] == "X"):
        return False
    values = [int(c) for c in code[:9]] + [10 if code[9] == "X" else int(code[9])]
    return sum((10 - i) * v for i, v in enumerate(values)) % 11 == 0


def _isbn13_check(first12: str) -> int:
    return (10 - sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(first12)) % 10) % 10


def normalize_isbn(text: str) -> str | None:
    """The ISBN-13 for a valid ISBN-10 or ISBN-13 (hyphens and spaces ignored), else None."""
    code = text.replace("-", "").replace(" ", "").upper()
    if len(code) == 10:
        return "978" + code[:9] + str(_isbn13_check("978" + code[:9])) if _isbn10_ok(code) else None
    if len(code) == 13 and code.isdigit() and _isbn13_check(code[:12]) == int(code[12]):
        return code
    return None
