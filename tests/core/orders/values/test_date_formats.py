"""A column's day/month order decided from all its values (infer_date_format)."""

from __future__ import annotations

import datetime as dt

from northbeam_desktop.core.orders.values import (
    DateFormat,
    infer_date_format,
    parse_datetime,
)
from tests.core.orders.values.common import (
    UTC,
)


def test_infer_date_format_day_first_decided() -> None:
    fmt = infer_date_format(["03/08/2026", "25/03/2026", "04/08/2026"])
    assert fmt.order == "DMY" and not fmt.guessed
    assert "“25/03/2026” can only be day/month" in fmt.evidence
    assert "3 August 2026" in fmt.evidence


def test_infer_date_format_month_first_decided() -> None:
    fmt = infer_date_format(["03/08/2026", "12/25/2026 1:45 PM"])
    assert fmt.order == "MDY" and not fmt.guessed
    assert "“12/25/2026 1:45 PM” can only be month/day" in fmt.evidence
    assert "March 8, 2026" in fmt.evidence


def test_infer_date_format_only_ambiguous_defaults_to_us() -> None:
    fmt = infer_date_format(["03/08/2026", "04/05/2026"])
    assert fmt == DateFormat(
        "MDY",
        guessed=True,
        evidence="All dates like “03/08/2026” could be March 8, 2026 or 3 August 2026; read as month/day "
        "(US style). If your dates are day/month, change the date order.",
    )


def test_infer_date_format_conflict_majority() -> None:
    fmt = infer_date_format(["25/03/2026", "26/03/2026", "12/25/2026"])
    assert fmt.order == "DMY" and fmt.guessed
    assert "“25/03/2026”" in fmt.evidence and "“12/25/2026”" in fmt.evidence
    fmt = infer_date_format(["25/03/2026", "12/25/2026", "12/26/2026"])
    assert fmt.order == "MDY" and fmt.guessed


def test_infer_date_format_dots_and_iso() -> None:
    fmt = infer_date_format(["08.03.2026", "09.03.2026 14:05"])
    assert fmt.order == "DMY" and not fmt.guessed
    assert "“08.03.2026”" in fmt.evidence
    fmt = infer_date_format(["2026-03-08T13:45:12Z", "2026-03-09"])
    assert fmt.order == "YMD" and not fmt.guessed
    assert "“2026-03-08T13:45:12Z”" in fmt.evidence
    # Dots hint at day-first for ambiguous slash dates, but it is still a guess.
    fmt = infer_date_format(["08.03.2026", "03/08/2026"])
    assert fmt.order == "DMY" and fmt.guessed


def test_infer_date_format_neutral_values() -> None:
    fmt = infer_date_format([dt.datetime(2026, 3, 8), 46089, None, "", "03/03/2026", "hello"])
    assert fmt.order == "MDY" and not fmt.guessed and fmt.evidence == ""


def test_infer_date_format_result_parses_the_column() -> None:
    values = ["01/02/2026", "13/02/2026", "28/02/2026 10:00"]
    fmt = infer_date_format(values)
    parsed = [parse_datetime(v, fmt, UTC) for v in values]
    assert [(d.month, d.day) for d in parsed] == [(2, 1), (2, 13), (2, 28)]


def test_times_without_zone_counts_the_cells_read_in_the_given_zone() -> None:
    from northbeam_desktop.core.orders.values import times_without_zone

    with_zone = ["2026-03-08 13:45:12 -0500", "2026-03-08T09:23:45.000Z", "2026-03-10 10:00 UTC"]
    assert times_without_zone(with_zone) == 0
    naive = ["2026-03-10 10:00:00", "08.03.2026 14:05", dt.datetime(2026, 1, 1, 5), 45000.5]
    assert times_without_zone([*with_zone, *naive, None, "not a date", naive[0]]) == 4
    assert times_without_zone(naive, limit=2) == 2
