"""Dates and times from one cell (parse_datetime)."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from northbeam_desktop.core.orders.values import (
    DateFormat,
    parse_datetime,
    to_iso,
)
from tests.core.orders.values.common import (
    BERLIN,
    DMY,
    MDY,
    NEW_YORK,
    UTC,
    YMD,
    assert_plain_message,
    fixed,
    problem,
)


def ny(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NEW_YORK)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-08", ny(2026, 3, 8)),
        ("2026-3-8", ny(2026, 3, 8)),
        ("2026-03-08T13:45:12", ny(2026, 3, 8, 13, 45, 12)),
        ("2026-03-08 13:45:12", ny(2026, 3, 8, 13, 45, 12)),
        ("2026-03-08T13:45", ny(2026, 3, 8, 13, 45)),
        ("2026-03-08T13:45:12Z", dt.datetime(2026, 3, 8, 13, 45, 12, tzinfo=UTC)),
        ("2026-03-08T13:45:12z", dt.datetime(2026, 3, 8, 13, 45, 12, tzinfo=UTC)),
        ("2026-03-08T09:23:45.000Z", dt.datetime(2026, 3, 8, 9, 23, 45, tzinfo=UTC)),
        ("2026-03-08T09:23:45.123Z", dt.datetime(2026, 3, 8, 9, 23, 45, 123000, tzinfo=UTC)),
        ("2026-03-08T09:23:45.123456789Z", dt.datetime(2026, 3, 8, 9, 23, 45, 123456, tzinfo=UTC)),
        ("2026-03-08T13:45:12+01:00", dt.datetime(2026, 3, 8, 13, 45, 12, tzinfo=fixed(1))),
        ("2026-03-08T13:45:12-0500", dt.datetime(2026, 3, 8, 13, 45, 12, tzinfo=fixed(-5))),
        ("2026-03-08T13:45:12+05:30", dt.datetime(2026, 3, 8, 13, 45, 12, tzinfo=fixed(5.5))),
        ("2026-03-08T13:45:12+01", dt.datetime(2026, 3, 8, 13, 45, 12, tzinfo=fixed(1))),
        ("2026-03-08 13:45:12 -0500", dt.datetime(2026, 3, 8, 13, 45, 12, tzinfo=fixed(-5))),
        ("2026-03-08 13:45:12 +0000", dt.datetime(2026, 3, 8, 13, 45, 12, tzinfo=UTC)),
        ("2026/03/08", ny(2026, 3, 8)),
        ("20260308", ny(2026, 3, 8)),
        ("03/08/2026", ny(2026, 3, 8)),
        ("3/8/2026", ny(2026, 3, 8)),
        ("03-08-2026", ny(2026, 3, 8)),
        ("03/08/26", ny(2026, 3, 8)),
        ("03/08/99", ny(1999, 3, 8)),
        ("03/08/2026 13:45", ny(2026, 3, 8, 13, 45)),
        ("03/08/2026 13:45:12", ny(2026, 3, 8, 13, 45, 12)),
        ("03/08/2026 1:45 PM", ny(2026, 3, 8, 13, 45)),
        ("03/08/2026 1:45 pm", ny(2026, 3, 8, 13, 45)),
        ("03/08/2026 1:45p.m.", ny(2026, 3, 8, 13, 45)),
        ("03/08/2026 12:05 AM", ny(2026, 3, 8, 0, 5)),
        ("03/08/2026 12:05 PM", ny(2026, 3, 8, 12, 5)),
        ("03/08/2026 1 PM", ny(2026, 3, 8, 13)),
        ("03/08/2026, 13:45", ny(2026, 3, 8, 13, 45)),
        ("03/08/2026 13:45 UTC", dt.datetime(2026, 3, 8, 13, 45, tzinfo=UTC)),
        ("03/08/2026 13:45 GMT", dt.datetime(2026, 3, 8, 13, 45, tzinfo=UTC)),
        ("03/08/2026 13:45 EST", dt.datetime(2026, 3, 8, 13, 45, tzinfo=fixed(-5))),
        ("03/08/2026 13:45 GMT+2", dt.datetime(2026, 3, 8, 13, 45, tzinfo=fixed(2))),
        ("08.03.2026", ny(2026, 3, 8)),
        ("8.3.2026", ny(2026, 3, 8)),
        ("08.03.2026 14:05", ny(2026, 3, 8, 14, 5)),
        ("08.03.26", ny(2026, 3, 8)),
        ("March 8, 2026", ny(2026, 3, 8)),
        ("Mar 8 2026 1:45 PM", ny(2026, 3, 8, 13, 45)),
        ("8 March 2026", ny(2026, 3, 8)),
        ("08-Mar-2026", ny(2026, 3, 8)),
        ("8. März 2026", ny(2026, 3, 8)),
        ("Sun, 08 Mar 2026 13:45:12 GMT", dt.datetime(2026, 3, 8, 13, 45, 12, tzinfo=UTC)),
        ("  2026-03-08  ", ny(2026, 3, 8)),
        ("2026-03-08T24:00:00", ny(2026, 3, 9)),
    ],
)
def test_parse_datetime_text(text: str, expected: dt.datetime) -> None:
    result = parse_datetime(text, MDY, NEW_YORK)
    assert result == expected
    assert result.utcoffset() == expected.utcoffset()
    assert result.tzinfo is not None


def test_parse_datetime_order_decides_slash_dates() -> None:
    assert parse_datetime("03/08/2026", MDY, UTC) == dt.datetime(2026, 3, 8, tzinfo=UTC)
    assert parse_datetime("03/08/2026", DMY, UTC) == dt.datetime(2026, 8, 3, tzinfo=UTC)
    assert parse_datetime("03-08-2026", DMY, UTC) == dt.datetime(2026, 8, 3, tzinfo=UTC)
    # Dots always mean day.month.year, ISO always year-month-day.
    assert parse_datetime("08.03.2026", MDY, UTC) == dt.datetime(2026, 3, 8, tzinfo=UTC)
    assert parse_datetime("2026-03-08", DMY, UTC) == dt.datetime(2026, 3, 8, tzinfo=UTC)
    # A YMD column meeting a slash date reads it the only way it can be read, else month/day.
    assert parse_datetime("25/03/2026", YMD, UTC) == dt.datetime(2026, 3, 25, tzinfo=UTC)
    assert parse_datetime("03/08/2026", YMD, UTC) == dt.datetime(2026, 3, 8, tzinfo=UTC)


def test_parse_datetime_naive_values_are_read_in_tz() -> None:
    winter = parse_datetime("2026-01-15 10:00", MDY, BERLIN)
    summer = parse_datetime("2026-07-15 10:00", MDY, BERLIN)
    assert to_iso(winter) == "2026-01-15T10:00:00+01:00"
    assert to_iso(summer) == "2026-07-15T10:00:00+02:00"


def test_parse_datetime_offsets_are_kept_not_converted() -> None:
    result = parse_datetime("2026-03-08 13:45:12 -0500", MDY, BERLIN)
    assert to_iso(result) == "2026-03-08T13:45:12-05:00"


def test_parse_datetime_dst_gap_and_fold_use_fold_0() -> None:
    gap = parse_datetime("2026-03-08 02:30", MDY, NEW_YORK)  # does not exist in New York
    assert gap.fold == 0
    assert to_iso(gap) == "2026-03-08T02:30:00-05:00"
    fold = parse_datetime("2026-11-01 01:30", MDY, NEW_YORK)  # happens twice
    assert fold.fold == 0
    assert to_iso(fold) == "2026-11-01T01:30:00-04:00"


def test_parse_datetime_cells() -> None:
    naive = dt.datetime(2026, 3, 8, 13, 45)
    assert parse_datetime(naive, MDY, BERLIN) == naive.replace(tzinfo=BERLIN)
    aware = dt.datetime(2026, 3, 8, 13, 45, tzinfo=fixed(-5))
    assert parse_datetime(aware, MDY, BERLIN) is aware
    assert parse_datetime(dt.date(2026, 3, 8), MDY, BERLIN) == dt.datetime(
        2026, 3, 8, tzinfo=BERLIN
    )


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (46089, dt.datetime(2026, 3, 8)),
        (46089.0, dt.datetime(2026, 3, 8)),
        (46089.5729166667, dt.datetime(2026, 3, 8, 13, 45)),
        (46089.25, dt.datetime(2026, 3, 8, 6)),
        (46089.57291666, dt.datetime(2026, 3, 8, 13, 45)),  # 8 decimals: 0.6 ms short
        (46089.5729166898, dt.datetime(2026, 3, 8, 13, 45, 0, 2000)),  # real milliseconds
        (46089.000011574, dt.datetime(2026, 3, 8, 0, 0, 1)),
        ("46089", dt.datetime(2026, 3, 8)),
        ("46089.5", dt.datetime(2026, 3, 8, 12)),
        (25569, dt.datetime(1970, 1, 1)),
        (36526, dt.datetime(2000, 1, 1)),
    ],
)
def test_parse_datetime_excel_serials(serial, expected: dt.datetime) -> None:
    assert parse_datetime(serial, MDY, BERLIN) == expected.replace(tzinfo=BERLIN)


@pytest.mark.parametrize("value", [12345, 19999, 80001, -1, 0, 1.5, math.nan, "12345", "99999"])
def test_parse_datetime_numbers_out_of_serial_range(value) -> None:
    p = problem(parse_datetime, value, MDY, UTC)
    assert p.code == "not_a_date"
    assert_plain_message(p)


@pytest.mark.parametrize(
    ("text", "fmt", "code", "fragment"),
    [
        ("31/02/2026", DMY, "invalid_date", "February 2026 has only 28 days"),
        ("02/31/2026", MDY, "invalid_date", "February 2026 has only 28 days"),
        ("29.02.2026", MDY, "invalid_date", "February 2026 has only 28 days"),
        ("2026-04-31", MDY, "invalid_date", "April 2026 has only 30 days"),
        ("2026-13-01", MDY, "invalid_date", "no month 13"),
        ("2026-00-10", MDY, "invalid_date", "no month 0"),
        ("2026-01-00", MDY, "invalid_date", "no day 0"),
        ("0000-01-01", MDY, "invalid_date", "year"),
        ("25/03/2026", MDY, "wrong_date_order", "change the date order"),
        ("12/13/2026", DMY, "wrong_date_order", "change the date order"),
        ("13/13/2026", MDY, "invalid_date", "no month 13"),
        ("03/2026", MDY, "date_without_day", "has no day"),
        ("2026-03", MDY, "date_without_day", "has no day"),
        ("March 2026", MDY, "date_without_day", "has no day"),
        ("13:45", MDY, "time_without_date", "only a time"),
        ("1:45 PM", MDY, "time_without_date", "only a time"),
        ("2026-03-08 25:00", MDY, "invalid_time", "Hours go from 0 to 23"),
        ("2026-03-08 13:60", MDY, "invalid_time", "minutes"),
        ("2026-03-08 23:59:60", MDY, "invalid_time", "seconds"),
        ("03/08/2026 13:45 PM", MDY, "invalid_time", "AM/PM"),
        ("03/08/2026 0:45 AM", MDY, "invalid_time", "AM/PM"),
        ("2026-03-08 13:45 XYZ", MDY, "unknown_time_zone", "“XYZ”"),
        ("2026-03-08 13:45 +25:00", MDY, "unknown_time_zone", "offset"),
        ("2026-03-08 13:45 +130", MDY, "unknown_time_zone", "offset"),
        ("hello", MDY, "not_a_date", "not a date"),
        ("hello 2026", MDY, "not_a_date", "not a date"),
        ("2026-03-08 13", MDY, "not_a_date", "not a date"),
        ("03/08/202", MDY, "not_a_date", "not a date"),
        ("20261308", MDY, "not_a_date", "not a date"),
        ("Foo 8, 2026", MDY, "not_a_date", "not a date"),
        ("", MDY, "blank", "empty"),
    ],
)
def test_parse_datetime_problems(text: str, fmt: DateFormat, code: str, fragment: str) -> None:
    p = problem(parse_datetime, text, fmt, UTC)
    assert p.code == code, p.message
    assert fragment in p.message
    if text:
        assert f"“{text}”" in p.message
    assert_plain_message(p)


def test_parse_datetime_wrong_order_suggests_iso() -> None:
    p = problem(parse_datetime, "25/03/2026", MDY, UTC)
    assert p.suggestion == "2026-03-25"
    assert parse_datetime(p.suggestion, MDY, UTC) == dt.datetime(2026, 3, 25, tzinfo=UTC)


@pytest.mark.parametrize("value", [True, False, None, dt.time(13, 45)])
def test_parse_datetime_other_cells(value) -> None:
    p = problem(parse_datetime, value, MDY, UTC)
    assert p.code in {"not_a_date", "blank", "time_without_date"}
    assert_plain_message(p)
