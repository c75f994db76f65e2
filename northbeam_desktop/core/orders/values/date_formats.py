"""Deciding a column's day/month order from all its values, with the evidence in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from northbeam_desktop.core.orders.sheet import CellValue
from northbeam_desktop.core.orders.values.dates import (
    DATE_HEAD,
    MONTH_NAMES,
    ORDER_WORDS,
    DateFormat,
    parse_datetime,
    parse_year,
)
from northbeam_desktop.core.orders.values.problems import ValueProblem
from northbeam_desktop.core.orders.values.text import clean, quote


def _kind_of(a: str, sep: str, b: str, c: str) -> str | None:
    """What one date says about the column's order (None: nothing)."""
    if len(a) == 4:
        return "iso"
    if len(a) == 3 or len(c) == 3:
        return None
    if sep == ".":
        return "dots"
    first, second = int(a), int(b)
    if first > 12 and 1 <= second <= 12:
        return "dmy"
    if second > 12 and 1 <= first <= 12:
        return "mdy"
    if 1 <= first <= 12 and 1 <= second <= 12 and first != second:
        return "ambiguous"
    return None


def _tally(values: Iterable[CellValue]) -> tuple[dict[str, int], dict[str, str]]:
    """How many distinct dates of each kind, and the first of each (as shown)."""
    counts = {"dmy": 0, "mdy": 0, "ambiguous": 0, "dots": 0, "iso": 0}
    examples: dict[str, str] = {}
    seen: set[str] = set()
    for value in values:
        if type(value) is not str or value in seen:
            continue
        seen.add(value)
        m = DATE_HEAD.match(value)
        kind = _kind_of(*m.groups()) if m else None
        if kind is None:
            continue
        counts[kind] += 1
        if kind not in examples:  # clean only for the first example
            examples[kind] = clean(value)
    return counts, examples


def _reading(example: str, order: str) -> str:
    """How a date such as 03/08/2026 reads in `order`: "March 8, 2026" or "3 August 2026"."""
    m = DATE_HEAD.match(example)
    assert m is not None
    first, second, year = int(m.group(1)), int(m.group(3)), parse_year(m.group(4))
    month, day = (first, second) if order == "MDY" else (second, first)
    return (
        f"{MONTH_NAMES[month - 1]} {day}, {year}"
        if order == "MDY"
        else f"{day} {MONTH_NAMES[month - 1]} {year}"
    )


def infer_date_format(values: Iterable[CellValue]) -> DateFormat:
    """Decide from all values of a column how `03/08/2026`-style dates are ordered."""
    counts, examples = _tally(values)
    dmy, mdy, dots, iso = counts["dmy"], counts["mdy"], counts["dots"], counts["iso"]
    amb = examples.get("ambiguous")

    def also(order: str) -> str:
        if amb is None:
            return ""
        return f", so dates like {quote(amb)} are read as {_reading(amb, order)}"

    if dmy and mdy:
        order = "DMY" if dmy > mdy else "MDY"
        return DateFormat(
            order,
            guessed=True,
            evidence=f"This column mixes two date orders: {quote(examples['dmy'])} can only be day/month "
            f"but {quote(examples['mdy'])} can only be month/day. Read as "
            f"{ORDER_WORDS[order]} because most dates are ({max(dmy, mdy)} against "
            f"{min(dmy, mdy)}); dates that do not fit are flagged.",
        )
    if dmy:
        return DateFormat(
            "DMY",
            guessed=False,
            evidence=f"{quote(examples['dmy'])} can only be day/month{also('DMY')}.",
        )
    if mdy:
        return DateFormat(
            "MDY",
            guessed=False,
            evidence=f"{quote(examples['mdy'])} can only be month/day{also('MDY')}.",
        )
    if amb is not None:
        if dots:
            return DateFormat(
                "DMY",
                guessed=True,
                evidence=f"Dates like {quote(amb)} could be {_reading(amb, 'MDY')} or "
                f"{_reading(amb, 'DMY')}; read as day/month because other dates in this column, "
                f"like {quote(examples['dots'])}, are day.month.year. If your dates are "
                "month/day, change the date order.",
            )
        return DateFormat(
            "MDY",
            guessed=True,
            evidence=f"All dates like {quote(amb)} could be {_reading(amb, 'MDY')} or "
            f"{_reading(amb, 'DMY')}; read as month/day (US style). If your dates are "
            "day/month, change the date order.",
        )
    if dots:
        return DateFormat(
            "DMY",
            guessed=False,
            evidence=f"Dates like {quote(examples['dots'])} are day.month.year.",
        )
    if iso:
        return DateFormat(
            "YMD",
            guessed=False,
            evidence=f"Dates like {quote(examples['iso'])} are year-month-day.",
        )
    return DateFormat("MDY", guessed=False, evidence="")


_PROBE_ZONE = dt.timezone(dt.timedelta(hours=5, minutes=30))


def times_without_zone(values: Iterable[CellValue], limit: int = 2000) -> int:
    """How many of (at most `limit` of) the distinct date-time cells do not say their time zone
    (no offset, no Z, no zone name), so they are read in the zone the app is given. Dates and
    times Excel stores as cells never carry a zone."""
    distinct: list[CellValue] = []
    seen: set[CellValue] = set()
    for value in values:
        if value is None or value in seen:
            continue
        seen.add(value)
        distinct.append(value)
        if len(distinct) >= limit:
            break
    fmt = infer_date_format(distinct)
    count = 0
    for value in distinct:
        try:
            # A value that states its zone is the same instant whatever zone it is read in.
            if parse_datetime(value, fmt, dt.UTC) != parse_datetime(value, fmt, _PROBE_ZONE):
                count += 1
        except ValueProblem:
            continue
    return count
