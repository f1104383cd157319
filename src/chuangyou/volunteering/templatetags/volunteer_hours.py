"""`{{ value|hours }}`: 2.50 → "2.5", 8.00 → "8", as people write hours."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def hours(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}"
