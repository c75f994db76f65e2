"""Cells as text (to_text) and date-times as ISO 8601 text (to_iso)."""

from __future__ import annotations

import datetime as dt

import pytest

from northbeam_desktop.core.orders.values import (
    parse_datetime,
    to_iso,
    to_text,
)
from tests.core.orders.values.common import (
    BERLIN,
    MDY,
    UTC,
    fixed,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("\u00a0 x \u00a0", "x"),
        ("\ufeffABC", "ABC"),
        ("  02134 ", "02134"),
        (1001, "1001"),
        (-5, "-5"),
        (0, "0"),
        (1001.0, "1001"),
        (123457000000.0, "123457000000"),
        (1e20, "100000000000000000000"),
        (12.5, "12.5"),
        (0.1, "0.1"),
        (-0.25, "-0.25"),
        (True, "TRUE"),
        (False, "FALSE"),
        (dt.date(2026, 3, 8), "2026-03-08"),
        (dt.datetime(2026, 3, 8, 13, 45, 12), "2026-03-08T13:45:12"),
        (dt.datetime(2026, 3, 8, 13, 45, 12, tzinfo=UTC), "2026-03-08T13:45:12+00:00"),
        (dt.time(13, 45), "13:45:00"),
    ],
)
def test_to_text(value, expected) -> None:
    assert to_text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2026, 3, 8, 13, 45, 12, tzinfo=fixed(-5)), "2026-03-08T13:45:12-05:00"),
        (dt.datetime(2026, 3, 8, 13, 45, tzinfo=fixed(-5)), "2026-03-08T13:45:00-05:00"),
        (dt.datetime(2026, 3, 8, tzinfo=UTC), "2026-03-08T00:00:00+00:00"),
        (dt.datetime(2026, 3, 8, 13, 45, 12, 123456, tzinfo=UTC), "2026-03-08T13:45:12.123+00:00"),
        (dt.datetime(2026, 3, 8, 13, 45, 12, 500, tzinfo=UTC), "2026-03-08T13:45:12+00:00"),
        (dt.datetime(2026, 7, 1, 9, tzinfo=BERLIN), "2026-07-01T09:00:00+02:00"),
        (dt.datetime(2026, 3, 8, 9, tzinfo=fixed(5.75)), "2026-03-08T09:00:00+05:45"),
    ],
)
def test_to_iso(value: dt.datetime, expected: str) -> None:
    assert to_iso(value) == expected


def test_to_iso_converts_offsets_with_seconds_to_utc() -> None:
    lmt = dt.timezone(dt.timedelta(minutes=19, seconds=32))
    value = dt.datetime(1900, 1, 1, 12, 0, tzinfo=lmt)
    text = to_iso(value)
    assert text == "1900-01-01T11:40:28+00:00"
    assert parse_datetime(text, MDY, UTC) == value


def test_to_iso_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError):
        to_iso(dt.datetime(2026, 3, 8))
