"""Checks on what a person typed, shared by every app's services so each refusal reads the same."""

from __future__ import annotations

from django.utils.translation import gettext

from chuangyou.lib.errors import Invalid


def clean_text(
    value: str | None,
    *,
    field: str,
    label: str,
    max_length: int | None = None,
    required: bool = True,
    collapse_spaces: bool = False,
) -> str:
    """`value` trimmed (with `collapse_spaces`, every run of white space made one space). Refused, on
    `field` and naming `label`, when it is empty and `required`, or longer than `max_length`."""
    text = " ".join((value or "").split()) if collapse_spaces else (value or "").strip()
    if required and not text:
        message = gettext("请填写%(label)s。") % {"label": label}
        raise Invalid(message, {field: [message]})
    if max_length is not None and len(text) > max_length:
        message = gettext("%(label)s不能超过 %(max_length)s 个字。") % {
            "label": label,
            "max_length": max_length,
        }
        raise Invalid(message, {field: [message]})
    return text
