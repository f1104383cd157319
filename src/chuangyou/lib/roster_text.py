"""Cleaning the text a school office types into a roster: no Django here, only strings in and values out.

Every parser returns `None` for a value it cannot read, so the caller decides the message.
"""

from __future__ import annotations

import datetime as dt
import re

# Full-width ASCII (！ to ～) sits at a fixed offset from ASCII; the ideographic space is a space.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20
# Brackets schools type in a Chinese input method that are not full-width ASCII.
_FULL_WIDTH.update({ord("【"): ord("("), ord("】"): ord(")"), ord("〔"): ord("("), ord("〕"): ord(")")})
_SPACES = re.compile(r"\s+")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def fold_width(text: str) -> str:
    """Full-width letters, digits, brackets and spaces to their ASCII forms (ＡＢ１２（） → AB12())."""
    return text.translate(_FULL_WIDTH)


def clean_cell(value: object) -> str:
    """A cell as trimmed, half-width text. Excel stores 20240001 as a number, and 1.0 as a float."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = fold_width(str(value)).replace("\u00a0", " ").replace("\u200b", "")
    return _SPACES.sub(" ", text).strip()


def clean_name(text: str) -> str:
    """A person's name: offices pad two-character names for alignment ("王  芳"), which is not part of it."""
    return _CJK_GAP.sub("", text)


def clean_header(value: object) -> str:
    """A header as written in the template, whatever the decoration: " 学号* " and "学 号" are 学号."""
    return re.sub(r"[\s*:：]", "", clean_cell(value))


_GENDERS = {
    "男": "M", "男性": "M", "男生": "M", "M": "M", "MALE": "M", "1": "M",
    "女": "F", "女性": "F", "女生": "F", "F": "F", "FEMALE": "F", "2": "F",
}  # fmt: skip


def parse_gender(text: str) -> str | None:
    """男/女/M/F, and 1/2 as in the national student-record code (GB/T 2261.1)."""
    return _GENDERS.get(text.strip().upper())


_MOBILE = re.compile(r"^1\d{10}$")


def parse_mobile(text: str) -> str | None:
    """An 11-digit mainland mobile number starting with 1; spaces, dashes and a +86 prefix are dropped."""
    digits = re.sub(r"[\s\-()]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if _MOBILE.match(digits) else None


_YES = {"是", "Y", "YES", "1", "TRUE", "√", "✓", "党员", "中共党员", "共产党员", "预备党员", "中共预备党员"}
_NO = {
    "否", "N", "NO", "0", "FALSE", "×", "✗", "", "无", "非党员", "不是", "群众", "团员", "共青团员",
    "中共团员", "无党派", "无党派人士", "民主党派",
}  # fmt: skip


def parse_yes_no_party(text: str) -> bool | None:
    """是否党员: 是/否, Y/N, or the 政治面貌 written out (党员, 预备党员, 群众, 团员…). Empty means no."""
    value = text.strip().upper()
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def parse_small_number(text: str) -> int | None:
    """1–99 written in digits or in Chinese numerals (三, 十二, 二十一)."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    value = (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return value


_NUM = r"[0-9]{1,2}|[一二三四五六七八九十〇零两]{1,3}"
# 初一 / 初中一年级 / 高二 / 七年级 / 小学三年级 / 7年级; the level is the span 1 (小学一年级) to 12 (高三).
_GRADE = rf"(?:(?P<stage>初中|初|高中|高)(?P<stage_n>[1-3一二三])(?:年级)?|(?:小学)?(?P<year_n>{_NUM})年级)"
_CLASS_NO = rf"(?:\((?P<paren_n>{_NUM})\)|(?P<bare_n>{_NUM}))班?"
_GRADE_ONLY = re.compile(rf"^{_GRADE}$")
_CLASS_ONLY = re.compile(rf"^{_CLASS_NO}$")
_FULL_CLASS = re.compile(rf"^{_GRADE}[-·.]?{_CLASS_NO}$")
_HEAD_TEACHER = re.compile(rf"{_GRADE}[-·.]?{_CLASS_NO}班主任")


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", fold_width(text))


def _level(match: re.Match[str]) -> int | None:
    stage = match.group("stage")
    if stage is not None:
        n = parse_small_number(match.group("stage_n"))
        if n is None or not 1 <= n <= 3:
            return None
        return n + (6 if stage.startswith("初") else 9)
    n = parse_small_number(match.group("year_n"))
    return n if n is not None and 1 <= n <= 12 else None


def _class_number(match: re.Match[str]) -> int | None:
    n = parse_small_number(match.group("paren_n") or match.group("bare_n") or "")
    return n if n is not None and 1 <= n <= 99 else None


def parse_grade(text: str) -> int | None:
    """A grade on its own (初一, 七年级, 高中二年级, or a bare level 7) as its level 1–12."""
    compact = _compact(text)
    if compact.isdigit():
        level = int(compact)
        return level if 1 <= level <= 12 else None
    match = _GRADE_ONLY.match(compact)
    return _level(match) if match else None


def parse_class(text: str) -> tuple[int, int] | None:
    """A full class name (初一(3)班, 初一（3）班, 初一3班, 七年级3班, 高二·十班) as (level, number)."""
    match = _FULL_CLASS.match(_compact(text))
    if match is None:
        return None
    level, number = _level(match), _class_number(match)
    return (level, number) if level is not None and number is not None else None


def parse_class_number(text: str) -> int | None:
    """The 班级 column when the grade has its own column: 3, 3班, (3)班, 三班."""
    match = _CLASS_ONLY.match(_compact(text))
    return _class_number(match) if match else None


def head_teacher_classes(position: str) -> list[tuple[int, int]]:
    """The classes a 职务 makes someone 班主任 of: "教研组长、初一(3)班班主任" → [(7, 3)]."""
    found = []
    for match in _HEAD_TEACHER.finditer(_compact(position)):
        level, number = _level(match), _class_number(match)
        if level is not None and number is not None:
            found.append((level, number))
    return found
