"""Dates and times from one cell, for a column whose day/month order is known."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from dataclasses import KW_ONLY, dataclass

from northbeam_desktop.core.orders.issues import IssueCode
from northbeam_desktop.core.orders.sheet import CellValue
from northbeam_desktop.core.orders.values.problems import ValueProblem
from northbeam_desktop.core.orders.values.text import clean, fold, quote, shown_text, split_words


@dataclass(frozen=True, slots=True)
class DateFormat:
    """How a column writes its dates.

    `order` is "MDY", "DMY" or "YMD" and decides how `03/08/2026` is read; `guessed` is True
    when no value in the column settled it; `evidence` explains the choice in plain words.
    """

    order: str
    _: KW_ONLY  # the flag and the evidence are named at every call
    guessed: bool
    evidence: str


_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_UTC = dt.UTC

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan januar janv janvier enero ene jänner janner",
        "february feb februar fevrier fev fevr febrero",
        "march mar marz maerz mrz mars marzo",
        "april apr avril avr abril abr",
        "may mai mayo",
        "june jun juni juin junio",
        "july jul juli juillet juil julio",
        "august aug aout agosto ago",
        "september sep sept septembre septiembre setiembre set",
        "october oct oktober okt octobre octubre",
        "november nov novembre noviembre",
        "december dec dezember dez decembre diciembre dic",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

MONTH_NAMES = split_words(
    "January February March April May June July August September October November December"
)

# Fixed-offset zone abbreviations that are safe to read (others are refused, not guessed).
_ZONE_ABBREVIATIONS = {
    "Z": 0,
    "UTC": 0,
    "GMT": 0,
    "UT": 0,
    "WET": 0,
    "CET": 60,
    "CEST": 120,
    "MEZ": 60,
    "MESZ": 120,
    "EET": 120,
    "EEST": 180,
    "EST": -300,
    "EDT": -240,
    "CST": -360,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "AKST": -540,
    "AKDT": -480,
    "HST": -600,
    "JST": 540,
    "AEST": 600,
    "AEDT": 660,
}

_TIME_RE = (
    r"(?P<H>[0-9]{1,2})(?::(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2})(?:[.,](?P<F>[0-9]{1,9}))?)?)?"
    r"(?:\s*(?P<AP>[AaPp])\.?\s*[Mm]\.?)?"
)
_ZONE_RE = (
    r"(?P<Z>(?:(?:UTC|GMT|UT)\s*)?(?P<OS>[+\-−])(?P<OH>[0-9]{1,2})(?::?(?P<OM>[0-9]{2})"
    r"(?::?(?P<OSEC>[0-9]{2})(?:\.(?P<OF>[0-9]{1,6}))?)?)?|[A-Za-z]{1,5})"
)
_DATE_TIME_SEP = r"(?:\s*T\s*|\s*,\s*|\s+(?:at|um|à|a las)\s+|\s+)"
_TAIL_RE = rf"(?:{_DATE_TIME_SEP}{_TIME_RE})?(?:\s*\(?{_ZONE_RE}\)?)?"

_NUMERIC_DATE = re.compile(
    rf"(?P<a>[0-9]{{1,4}})(?P<sep>[/.\-])(?P<b>[0-9]{{1,2}})(?P=sep)(?P<c>[0-9]{{1,4}})\.?{_TAIL_RE}",
    re.IGNORECASE,
)
_COMPACT_DATE = re.compile(
    rf"(?P<a>[0-9]{{4}})(?P<b>[0-9]{{2}})(?P<c>[0-9]{{2}}){_TAIL_RE}", re.IGNORECASE
)
_WEEKDAY = r"(?:[^\W\d_]{2,12}\.?,?\s+)?"
_NAME_DMY = re.compile(
    rf"{_WEEKDAY}(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th|\.)?[\s\-/]*(?P<mon>[^\W\d_]{{3,10}})\.?"
    rf"[\s\-/,]*(?P<y>[0-9]{{4}}|[0-9]{{2}}){_TAIL_RE}",
    re.IGNORECASE,
)
_NAME_MDY = re.compile(
    rf"{_WEEKDAY}(?P<mon>[^\W\d_]{{3,10}})\.?\s*(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s*"
    rf"(?P<y>[0-9]{{4}}){_TAIL_RE}",
    re.IGNORECASE,
)
_TIME_ONLY = re.compile(rf"{_TIME_RE}(?:\s*{_ZONE_RE})?", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"[0-9]{1,2}[/.\-][0-9]{4}|[0-9]{4}[/.\-][0-9]{1,2}")
_MONTH_NAME_YEAR = re.compile(r"(?P<mon>[^\W\d_]{3,10})\.?,?\s*[0-9]{4}")
_SERIAL = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")
DATE_HEAD = re.compile(r"\s*([0-9]{1,4})([/.\-])([0-9]{1,2})\2([0-9]{1,4})(?![0-9])")

ORDER_WORDS = {"MDY": "month/day/year", "DMY": "day/month/year", "YMD": "year-month-day"}


def _not_a_date(shown: str) -> ValueProblem:
    if not shown:
        return ValueProblem(IssueCode.BLANK, "The cell is empty. Type a date such as 2026-03-08.")
    return ValueProblem(
        IssueCode.NOT_A_DATE,
        f"{quote(shown)} is not a date we can read. Type it like 2026-03-08 or "
        "2026-03-08 13:45 (year-month-day, with the time if you have it).",
    )


def parse_year(text: str) -> int:
    year = int(text)
    if len(text) <= 2:
        # Excel's rule for two-digit years: 00–29 → 2000–2029, 30–99 → 1930–1999.
        year += 2000 if year < 30 else 1900
    return year


def _month_day_problem(shown: str, year: int, month: int, day: int, reading: str) -> ValueProblem:
    if not 1 <= month <= 12:
        return ValueProblem(
            IssueCode.INVALID_DATE,
            f"{quote(shown)} is not a real date read as {reading}: there is no month {month}. "
            "Check the month.",
        )
    if day == 0:
        return ValueProblem(
            IssueCode.INVALID_DATE,
            f"{quote(shown)} is not a real date: there is no day 0. Check the day.",
        )
    last = calendar.monthrange(year, month)[1]
    return ValueProblem(
        IssueCode.INVALID_DATE,
        f"{quote(shown)} is not a real date: {MONTH_NAMES[month - 1]} {year} has only "
        f"{last} days. Check the day.",
    )


def _valid_ymd(year: int, month: int, day: int) -> bool:
    return (
        1 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]
    )


def _build(
    shown: str,
    year: int,
    month: int,
    day: int,
    m: re.Match[str],
    tz: dt.tzinfo,
    reading: str,
    swapped: tuple[int, int, int] | None = None,
) -> dt.datetime:
    if not _valid_ymd(year, month, day):
        if year < 1 or year > 9999:
            raise ValueProblem(
                IssueCode.INVALID_DATE, f"{quote(shown)} has a year we cannot use. Check the year."
            )
        if swapped is not None and not 1 <= month <= 12 and _valid_ymd(*swapped):
            other = "day/month/year" if reading == "month/day/year" else "month/day/year"
            fixed = dt.date(*swapped).isoformat()
            raise ValueProblem(
                IssueCode.WRONG_DATE_ORDER,
                f"{quote(shown)} is not a real date read as {reading} (there is no month "
                f"{month}). If the dates in this column are {other}, change the date order; or "
                f"type this date as {fixed}.",
                suggestion=fixed,
            )
        raise _month_day_problem(shown, year, month, day, reading)

    hour = minute = second = micro = 0
    extra_day = False
    if m.group("H") is not None:
        if m.group("M") is None and m.group("AP") is None:
            raise _not_a_date(shown)
        hour = int(m.group("H"))
        minute = int(m.group("M") or 0)
        second = int(m.group("S") or 0)
        fraction = m.group("F")
        if fraction:
            micro = int(fraction[:6].ljust(6, "0"))
        ampm = m.group("AP")
        if ampm:
            if not 1 <= hour <= 12:
                raise ValueProblem(
                    IssueCode.INVALID_TIME,
                    f"{quote(shown)} has a time that does not exist ({hour} {ampm.upper()}M). "
                    "With AM/PM, hours go from 1 to 12; or write the time as 13:45.",
                )
            hour = hour % 12 + (12 if ampm in "Pp" else 0)
        if hour == 24 and minute == second == micro == 0:
            hour, extra_day = 0, True
        if hour > 23 or minute > 59 or second > 59:
            raise ValueProblem(
                IssueCode.INVALID_TIME,
                f"{quote(shown)} has a time that does not exist. Hours go from 0 to 23, minutes "
                "and seconds from 0 to 59.",
            )
    tzinfo = _zone(shown, m, tz)
    try:
        value = dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tzinfo)
        if extra_day:
            value += dt.timedelta(days=1)
    except (OverflowError, ValueError):
        raise ValueProblem(
            IssueCode.INVALID_DATE,
            f"{quote(shown)} is outside the dates we can use. Check the year.",
        ) from None
    return value


def _zone(shown: str, m: re.Match[str], tz: dt.tzinfo) -> dt.tzinfo:
    zone = m.group("Z")
    if zone is None:
        return tz
    if m.group("OS") is not None:
        hours = int(m.group("OH"))
        minutes = int(m.group("OM") or 0)
        seconds = int(m.group("OSEC") or 0)
        micros = int((m.group("OF") or "0").ljust(6, "0"))
        if len(m.group("OH")) == 1 and m.group("OM") is not None and ":" not in zone:
            hours, minutes = -1, -1  # "+130" is not an offset
        if not (0 <= hours <= 23 and 0 <= minutes <= 59 and 0 <= seconds <= 59):
            raise ValueProblem(
                IssueCode.UNKNOWN_TIME_ZONE,
                f"{quote(shown)} ends with a time zone offset that does not exist. Write it like "
                "+01:00 or -05:00, or leave it out.",
            )
        offset = dt.timedelta(hours=hours, minutes=minutes, seconds=seconds, microseconds=micros)
        if m.group("OS") != "+":
            offset = -offset
        return _UTC if not offset else dt.timezone(offset)
    offset_minutes = _ZONE_ABBREVIATIONS.get(zone.upper())
    if offset_minutes is None:
        raise ValueProblem(
            IssueCode.UNKNOWN_TIME_ZONE,
            f"{quote(shown)} ends with a time zone we do not know ({quote(zone)}). Write the "
            "offset instead, like +01:00 or -05:00, or leave it out to use the store's time zone.",
        )
    return _UTC if not offset_minutes else dt.timezone(dt.timedelta(minutes=offset_minutes))


def _from_serial(serial: float, tz: dt.tzinfo) -> dt.datetime:
    """Excel's day number (days since 1899-12-30, which absorbs Excel's 1900 leap-year bug)."""
    millis = round(serial * 86_400_000)
    if millis % 1000 <= 1 or millis % 1000 >= 999:
        # Serials written with 8-10 decimals miss whole seconds by a fraction of a millisecond.
        millis = round(millis / 1000) * 1000
    naive = _EXCEL_EPOCH + dt.timedelta(milliseconds=millis)
    return naive.replace(tzinfo=tz)


def parse_datetime(value: CellValue, fmt: DateFormat, tz: dt.tzinfo) -> dt.datetime:
    """A timezone-aware date and time from one cell.

    Accepts date/datetime cells, Excel serial numbers, ISO-8601 (with or without offset or `Z`),
    Shopify's `2026-03-08 13:45:12 -0500`, `MM/DD/YYYY` / `DD/MM/YYYY` / `DD-MM-YYYY` (decided by
    `fmt.order`), `DD.MM.YYYY`, two-digit years, month names, optional `HH:MM[:SS]` with AM/PM and
    an optional trailing offset or zone abbreviation such as UTC. Values without an offset are
    read in `tz`; values with an offset keep it.
    """
    if isinstance(value, str):
        return _parse_datetime_text(value, fmt, tz)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            return value
        return value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    if isinstance(value, bool):
        raise ValueProblem(
            IssueCode.NOT_A_DATE,
            f"“{'TRUE' if value else 'FALSE'}” is a yes/no value, not a date. Type a date such as 2026-03-08.",
        )
    if isinstance(value, int | float):
        if math.isfinite(value) and 20000 <= value <= 80000:
            return _from_serial(float(value), tz)
        raise ValueProblem(
            IssueCode.NOT_A_DATE,
            f"{quote(shown_text(value))} is a number, not a date. Type a date such as 2026-03-08.",
        )
    if isinstance(value, dt.time):
        raise _time_without_date(shown_text(value))
    if value is None:
        raise _not_a_date("")
    raise _not_a_date(str(value))


def _time_without_date(shown: str) -> ValueProblem:
    return ValueProblem(
        IssueCode.TIME_WITHOUT_DATE,
        f"{quote(shown)} is only a time. Type the date too, such as 2026-03-08 {shown}.",
    )


def _parse_datetime_text(text: str, fmt: DateFormat, tz: dt.tzinfo) -> dt.datetime:
    shown = clean(text)
    if not shown:
        raise _not_a_date("")
    # Fast path for machine-written ISO-8601: "2026-03-08", "2026-03-08T13:45:12.000Z",
    # "2026-03-08 13:45:12-05:00" and Shopify's "2026-03-08 13:45:12 -0500".
    size = len(shown)
    if (
        (size == 10 or (size >= 19 and shown[13] == ":" and shown[16] == ":"))
        and shown[4] == "-"
        and shown[7] == "-"
    ):
        candidate = shown
        if size >= 24 and shown[19] == " " and shown[20] in "+-":
            candidate = shown[:19] + shown[20:]
        try:
            value = dt.datetime.fromisoformat(candidate)
        except ValueError:
            pass  # not plain ISO after all: the full reader below explains what is wrong
        else:
            return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    m = _NUMERIC_DATE.fullmatch(shown)
    if m:
        a, b, c = m.group("a"), m.group("b"), m.group("c")
        if len(a) == 4:
            if len(c) > 2:
                raise _not_a_date(shown)
            return _build(shown, int(a), int(b), int(c), m, tz, "year-month-day")
        if len(a) == 3 or len(c) == 3:
            raise _not_a_date(shown)
        year, first, second = parse_year(c), int(a), int(b)
        order = fmt.order
        if m.group("sep") == ".":
            order = "DMY"
        elif order == "YMD":
            # A day-month-year value in a column of ISO dates: read it the way it can only be read.
            order = "DMY" if first > 12 >= second else "MDY"
        if m.group("sep") == ".":
            return _build(shown, year, second, first, m, tz, "day.month.year")
        if order == "DMY":
            return _build(
                shown, year, second, first, m, tz, "day/month/year", swapped=(year, first, second)
            )
        return _build(
            shown, year, first, second, m, tz, "month/day/year", swapped=(year, second, first)
        )
    m = _COMPACT_DATE.fullmatch(shown)
    if m:
        year, month, day = int(m.group("a")), int(m.group("b")), int(m.group("c"))
        if not _valid_ymd(year, month, day):
            raise _not_a_date(shown)
        return _build(shown, year, month, day, m, tz, "year-month-day")
    if _SERIAL.fullmatch(shown):
        serial = float(shown)
        if 20000 <= serial <= 80000:
            return _from_serial(serial, tz)
        raise _not_a_date(shown)
    for pattern in (_NAME_DMY, _NAME_MDY):
        m = pattern.fullmatch(shown)
        if m:
            named_month = _MONTHS.get(fold(m.group("mon")).rstrip("."))
            if named_month is not None:
                year = parse_year(m.group("y"))
                return _build(shown, year, named_month, int(m.group("d")), m, tz, "day month year")
    named = _MONTH_NAME_YEAR.fullmatch(shown)
    if _MONTH_YEAR.fullmatch(shown) or (named and fold(named.group("mon")) in _MONTHS):
        raise ValueProblem(
            IssueCode.DATE_WITHOUT_DAY,
            f"{quote(shown)} has no day. Type the full date, such as 2026-03-08.",
        )
    if _TIME_ONLY.fullmatch(shown) and ":" in shown:
        raise _time_without_date(shown)
    raise _not_a_date(shown)
