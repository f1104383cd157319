"""Input types the routers share, so a schema says what the database can hold and the published OpenAPI
says it too (issue 9): a text as long as its column, a number with as many digits as its column, a moment
that some clock on earth shows. A value past them is a 422 from the schema, before any service runs.

NUL characters and lone surrogates are refused for every string at once, by the API's parser
(`chuangyou.lib.readable`), so these types need not repeat it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.utils.translation import gettext
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError


def Omitted() -> Any:
    """A PATCH field's default: left out, the value stays as it is. An explicit null is still a 422,
    because the field's own type does not admit None (pydantic does not validate the default)."""
    return Field(None)


def Text(max_length: int) -> Any:
    """At most `max_length` characters: the model field's `max_length`."""
    return Field(max_length=max_length)


def Digits(max_digits: int, decimal_places: int) -> Any:
    """A number a `DecimalField(max_digits, decimal_places)` holds once rounded to its places."""
    limit = Decimal(10) ** (max_digits - decimal_places)
    return Field(gt=-limit, lt=limit, allow_inf_nan=False)


# Offsets in use run from -12:00 to +14:00, in quarter hours (Nepal's +05:45, the Chathams' +12:45).
_LARGEST_OFFSET = dt.timedelta(hours=14)
_QUARTER_HOUR = dt.timedelta(minutes=15)
_FIRST_YEAR, _LAST_YEAR = 1900, 2999


def _on_a_clock(value: dt.datetime) -> dt.datetime:
    offset = value.utcoffset()
    if offset is not None and (abs(offset) > _LARGEST_OFFSET or offset % _QUARTER_HOUR):
        raise PydanticCustomError(
            "time_zone", gettext("时区偏移不正确：应在 -12:00 到 +14:00 之间，以一刻钟为单位。")
        )
    if not _FIRST_YEAR <= value.year <= _LAST_YEAR:
        raise PydanticCustomError("year", gettext("年份超出了可用的范围（1900—2999 年）。"))
    return value


Moment = Annotated[dt.datetime, AfterValidator(_on_a_clock)]
"""A date and time with a real time-zone offset, in a year the calendar and the database can both hold."""
