"""姓氏笔画 order: names sorted by the stroke counts of their characters, as on Chinese ballots.

Counts come from Unihan's kTotalStrokes (data/strokes.txt, built by scripts/build_stroke_table.py).
Names compare character by character on stroke count; equal counts fall back to the code point,
whose radical-stroke order within the CJK block is a fixed, published order (GB 13418's first-stroke
rule would need data Unihan doesn't carry). Ranking never enters: a list sorted this way can't steer
a voter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from typing import TypeVar

T = TypeVar("T")
UNKNOWN = 99  # characters outside the table (rare extension-block characters) sort last


@cache
def _table() -> dict[str, int]:
    text = resources.files("chuangyou.lib").joinpath("data/strokes.txt").read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            char, count = line.split("\t")
            table[char] = int(count)
    return table


def stroke_count(char: str) -> int | None:
    return _table().get(char)


def stroke_key(name: str) -> tuple[tuple[int, int], ...]:
    """A sort key: for each character, (strokes, code point)."""
    table = _table()
    return tuple((table.get(char, UNKNOWN), ord(char)) for char in name.strip())


def by_strokes(items: Iterable[T], name: Callable[[T], str]) -> list[T]:
    return sorted(items, key=lambda item: stroke_key(name(item)))
