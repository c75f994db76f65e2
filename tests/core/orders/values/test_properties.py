"""Property-based tests across the value readers."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from northbeam_desktop.core.orders.values import (
    DateFormat,
    NumberFormat,
    ValueProblem,
    infer_date_format,
    infer_number_format,
    normalize_country,
    normalize_currency,
    parse_bool,
    parse_datetime,
    parse_number,
    to_iso,
    to_text,
)
from tests.core.orders.values.common import (
    BERLIN,
    DMY,
    MDY,
    NEW_YORK,
    UTC,
    YMD,
)

amounts = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, allow_infinity=False
)


def render(value: Decimal, places: int, decimal: str, thousands: str) -> str:
    """Format |value| like a spreadsheet would: "1,234.50" or "1.234,50"."""
    text = f"{abs(value):,.{places}f}"  # "1,234.50"
    int_part, _, frac = text.partition(".")
    int_part = int_part.replace(",", thousands)
    return f"{int_part}{decimal}{frac}" if frac else int_part


@given(
    value=amounts,
    places=st.integers(min_value=0, max_value=4),
    style=st.sampled_from(
        [
            (".", ","),
            (".", ""),
            (".", "'"),
            (".", " "),
            (",", "."),
            (",", ""),
            (",", "\u00a0"),
            (",", "'"),
            (",", "\u202f"),
        ]
    ),
    sign=st.sampled_from(["-{}", "({})", "{}-", "−{}"]),
    currency=st.sampled_from(
        ["{}", "${}", "$ {}", "{} €", "€{}", "USD {}", "{} EUR", "£{}", "{}kr", "CHF {}", "US$ {}"]
    ),
    padding=st.sampled_from(["", " ", "  ", "\u00a0"]),
)
@example(Decimal("1234.5"), 2, (".", ","), "-{}", "${}", "")
@example(Decimal("-1234.5"), 2, (",", "."), "({})", "{} €", "")
@example(Decimal("0.01"), 2, (",", "."), "-{}", "{}", "")
def test_property_parse_number_round_trips(value, places, style, sign, currency, padding) -> None:
    decimal, thousands = style
    value = value.quantize(Decimal(1).scaleb(-places))
    body = render(value, places, decimal, thousands)
    text = currency.format(body)
    if value < 0:
        text = sign.format(text) if sign != "({})" else f"({text})"
    text = f"{padding}{text}{padding}"
    fmt = NumberFormat(decimal, ambiguous=False, evidence="")
    result = parse_number(text, fmt)
    if places == 0:
        assert type(result) is int
        assert result == int(value)
    else:
        assert type(result) is float
        assert math.isclose(result, float(value), rel_tol=1e-12, abs_tol=1e-9)


@given(
    values=st.lists(amounts, min_size=1, max_size=20),
    decimal=st.sampled_from([".", ","]),
)
def test_property_inferred_format_reads_two_decimal_columns(values, decimal) -> None:
    thousands = "," if decimal == "." else "."
    texts = [render(v.quantize(Decimal("0.01")), 2, decimal, thousands) for v in values]
    fmt = infer_number_format(texts)
    assert fmt.decimal == decimal
    assert not fmt.ambiguous
    for v, text in zip(values, texts, strict=True):
        assert math.isclose(
            parse_number(text, fmt), float(abs(v.quantize(Decimal("0.01")))), abs_tol=1e-9
        )


@settings(max_examples=300)
@given(text=st.text(), decimal=st.sampled_from([".", ","]))
def test_property_parse_number_only_raises_value_problem(text: str, decimal: str) -> None:
    try:
        result = parse_number(text, NumberFormat(decimal, ambiguous=False, evidence=""))
    except ValueProblem as p:
        assert p.message and p.code
    else:
        assert isinstance(result, int | float) and not isinstance(result, bool)


@settings(max_examples=300)
@given(
    text=st.text(alphabet="0123456789.,'- ()$€£kr%eE+\u00a0USDEUR", max_size=20),
    decimal=st.sampled_from([".", ","]),
)
def test_property_parse_number_number_like_text(text: str, decimal: str) -> None:
    try:
        result = parse_number(text, NumberFormat(decimal, ambiguous=False, evidence=""))
    except ValueProblem as p:
        assert p.message and p.code
    else:
        assert math.isfinite(result)


@given(values=st.lists(st.one_of(st.text(max_size=12), st.integers(), st.floats(), st.none())))
def test_property_infer_number_format_never_fails(values) -> None:
    fmt = infer_number_format(values)
    assert fmt.decimal in {".", ","}


timezones = st.one_of(
    st.timezones(),
    st.builds(
        lambda minutes: dt.timezone(dt.timedelta(minutes=minutes)),
        st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59),
    ),
    st.just(UTC),
)


@given(
    moment=st.datetimes(
        min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=timezones
    ),
)
@example(dt.datetime(2026, 3, 8, 13, 45, 12, tzinfo=dt.timezone(dt.timedelta(hours=-5))))
@example(dt.datetime(2026, 3, 8, 2, 30, tzinfo=NEW_YORK))  # does not exist in New York
@example(dt.datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NEW_YORK))  # happens twice
def test_property_iso_round_trip(moment: dt.datetime) -> None:
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    text = to_iso(moment)
    parsed = parse_datetime(text, MDY, BERLIN)
    assert parsed.tzinfo is not None
    assert parsed - moment == dt.timedelta(0)  # the same instant
    offset = moment.utcoffset()
    assert offset is not None
    if not offset % dt.timedelta(minutes=1):
        # Same wall time and offset, i.e. nothing was converted.
        assert parsed.replace(tzinfo=None) == moment.replace(tzinfo=None, fold=0)
        assert parsed.utcoffset() == offset
        if isinstance(moment.tzinfo, dt.timezone):
            assert parsed == moment
    assert to_iso(parsed) == text


@given(day=st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_property_local_date_formats_round_trip(day: dt.date) -> None:
    expected = dt.datetime(day.year, day.month, day.day, tzinfo=BERLIN)
    d, m, y = day.day, day.month, day.year
    cases = [
        (f"{d:02d}.{m:02d}.{y:04d}", MDY),
        (f"{d:02d}.{m:02d}.{y:04d}", DMY),
        (f"{d}.{m}.{y}", DMY),
        (f"{m:02d}/{d:02d}/{y:04d}", MDY),
        (f"{m}/{d}/{y}", MDY),
        (f"{d:02d}/{m:02d}/{y:04d}", DMY),
        (f"{d:02d}-{m:02d}-{y:04d}", DMY),
        (f"{m:02d}-{d:02d}-{y:04d}", MDY),
        (f"{y:04d}-{m:02d}-{d:02d}", MDY),
        (f"{y:04d}-{m:02d}-{d:02d}", DMY),
        (f"{y:04d}/{m:02d}/{d:02d}", DMY),
        (day.isoformat(), YMD),
    ]
    for text, fmt in cases:
        assert parse_datetime(text, fmt, BERLIN) == expected, text
    if 1930 <= y <= 2029:
        short = f"{m:02d}/{d:02d}/{y % 100:02d}"
        assert parse_datetime(short, MDY, BERLIN) == expected


@given(
    day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    second=st.integers(0, 59),
)
def test_property_times_round_trip(day: dt.date, hour: int, minute: int, second: int) -> None:
    expected = dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=UTC)
    twelve = hour % 12 or 12
    ampm = "AM" if hour < 12 else "PM"
    cases = [
        f"{day.month}/{day.day}/{day.year} {hour}:{minute:02d}:{second:02d}",
        f"{day.month}/{day.day}/{day.year} {twelve}:{minute:02d}:{second:02d} {ampm}",
        f"{day.isoformat()} {hour:02d}:{minute:02d}:{second:02d} +0000",
        f"{day.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}Z",
    ]
    for text in cases:
        assert parse_datetime(text, MDY, UTC) == expected, text


@given(
    days=st.lists(
        st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)),
        min_size=1,
        max_size=30,
    )
)
def test_property_infer_date_format_day_first(days: list[dt.date]) -> None:
    assume(any(d.day > 12 for d in days))
    texts = [f"{d.day:02d}/{d.month:02d}/{d.year}" for d in days]
    fmt = infer_date_format(texts)
    assert fmt.order == "DMY" and not fmt.guessed
    assert [parse_datetime(t, fmt, UTC).date() for t in texts] == days


@settings(max_examples=300)
@given(text=st.text(), order=st.sampled_from(["MDY", "DMY", "YMD"]))
def test_property_parse_datetime_only_raises_value_problem(text: str, order: str) -> None:
    try:
        result = parse_datetime(text, DateFormat(order, guessed=False, evidence=""), NEW_YORK)
    except ValueProblem as p:
        assert p.message and p.code
    else:
        assert result.tzinfo is not None


@settings(max_examples=300)
@given(
    text=st.text(alphabet="0123456789/.-: TZAPMapm+UTCGMxyz,", max_size=30),
    order=st.sampled_from(["MDY", "DMY", "YMD"]),
)
def test_property_parse_datetime_date_like_text(text: str, order: str) -> None:
    try:
        result = parse_datetime(text, DateFormat(order, guessed=False, evidence=""), NEW_YORK)
    except ValueProblem as p:
        assert p.message and p.code
    else:
        assert result.tzinfo is not None
        assert to_iso(result)


@given(values=st.lists(st.one_of(st.text(max_size=20), st.integers(), st.none())))
def test_property_infer_date_format_never_fails(values) -> None:
    assert infer_date_format(values).order in {"MDY", "DMY", "YMD"}


@given(
    value=st.one_of(
        st.text(), st.integers(), st.floats(), st.booleans(), st.none(), st.datetimes(), st.dates()
    )
)
def test_property_cell_helpers_only_raise_value_problem(value) -> None:
    for func in (parse_bool, normalize_currency, normalize_country):
        try:
            func(value)
        except ValueProblem as p:
            assert p.message and p.code
    text = to_text(value)
    assert text is None or (text == text.strip() and text)
