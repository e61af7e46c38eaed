"""Reading what a request carries, shared by every app's views (members is the lowest app that has views)."""

import re

from django.http import QueryDict

# Plain ASCII digits, at most 18 of them: every id, seq and page number fits, and no value reaches int() that
# it cannot take. str.isdigit() lets through "²" (int() refuses it) and 5,000 digits (over Python's limit).
_DIGITS = re.compile(r"[0-9]{1,18}")


def int_param(data: QueryDict, name: str, *, default: int | None = None, minimum: int = 0) -> int | None:
    """`data[name]` (request.GET or request.POST) as an int, or `default` when it is missing or not a plain
    number of at least `minimum`. A link someone mistyped or tampered with is ignored, never a 500."""
    value = data.get(name)
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return default
    number = int(value)
    return number if number >= minimum else default
