"""Shared by the tests of core/orders/values: formats, zones and message checks."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from northbeam_desktop.core.orders.values import (
    DateFormat,
    NumberFormat,
    ValueProblem,
)

COMMA_DECIMAL = NumberFormat(",", ambiguous=False, evidence="")
MDY = DateFormat("MDY", guessed=False, evidence="")
DMY = DateFormat("DMY", guessed=False, evidence="")
YMD = DateFormat("YMD", guessed=False, evidence="")
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC


def problem(func, *args) -> ValueProblem:
    with pytest.raises(ValueProblem) as info:
        func(*args)
    return info.value


def assert_plain_message(p: ValueProblem) -> None:
    """Messages are sentences for a marketer: no Python reprs, no regexes, end with a period."""
    assert p.message[0].isupper() or p.message[0] == "“"
    assert p.message.endswith((".", "?"))
    assert "\\" not in p.message and "None" not in p.message
    assert not re.search(r"(^|\s)'\S", p.message), "looks like a Python repr"
    assert re.fullmatch(r"[a-z]+(_[a-z]+)*", p.code)


def fixed(hours: float) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours))
