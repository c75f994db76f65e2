"""Amounts and quantities from one cell (parse_number)."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from northbeam_desktop.core.orders.values import (
    DOT_DECIMAL,
    parse_number,
)
from tests.core.orders.values.common import (
    COMMA_DECIMAL,
    assert_plain_message,
    problem,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("-3", -3),
        ("0", 0),
        ("12.50", 12.5),
        ("12.5", 12.5),
        ("0.99", 0.99),
        (".5", 0.5),
        ("12.", 12),
        ("007", 7),
        ("1,234", 1234),
        ("1,234.50", 1234.5),
        ("1,234,567.89", 1234567.89),
        ("1'234.50", 1234.5),
        ("1’234.50", 1234.5),
        ("1 234.50", 1234.5),
        ("1\u00a0234.50", 1234.5),
        ("1\u202f234.50", 1234.5),
        ("1\u2009234.50", 1234.5),
        ("1,23,456.50", 123456.5),  # Indian lakh grouping
        ("  12.50  ", 12.5),
        ("$12.50", 12.5),
        ("$ 12.50", 12.5),
        ("12.50$", 12.5),
        ("$1,234.50", 1234.5),
        ("US$ 5", 5),
        ("US$5.00", 5.0),
        ("C$12.50", 12.5),
        ("A$12.50", 12.5),
        ("€12.50", 12.5),
        ("12.50 €", 12.5),
        ("£12.50", 12.5),
        ("¥1,200", 1200),
        ("₹1,23,456", 123456),
        ("USD 12.50", 12.5),
        ("12.50 USD", 12.5),
        ("12.50USD", 12.5),
        ("usd 12.50", 12.5),
        ("EUR 12.50", 12.5),
        ("CHF 12.50", 12.5),
        ("Fr. 12.50", 12.5),
        ("12.50 kr", 12.5),
        ("kr 12.50", 12.5),
        ("(12.50)", -12.5),
        ("($12.50)", -12.5),
        ("(12.50 €)", -12.5),
        ("-12.50", -12.5),
        ("−12.50", -12.5),  # Unicode minus sign
        ("- 12.50", -12.5),
        ("12.50-", -12.5),
        ("-$12.50", -12.5),
        ("$-12.50", -12.5),
        ("€ -12.50", -12.5),
        ("+12.50", 12.5),
        ("1.5E+3", 1500.0),
        ("1.23457E+11", 123457000000.0),
        ("-0", 0),
        ("12.-", 12),  # Swiss "Fr. 12.–": a whole amount, not a negative one
        ("Fr. 12.–", 12),
        ("1,234.–", 1234),
    ],
)
def test_parse_number_dot_decimal(text: str, expected: float) -> None:
    result = parse_number(text, DOT_DECIMAL)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("12,50", 12.5),
        ("12,5", 12.5),
        ("-12,50", -12.5),
        ("1.234", 1234),
        ("1,234", 1.234),
        ("1.234,50", 1234.5),
        ("1.234.567,89", 1234567.89),
        ("1 234,50", 1234.5),
        ("1\u00a0234,50 €", 1234.5),
        ("1'234,50", 1234.5),
        ("12,50 €", 12.5),
        ("€ 12,50", 12.5),
        ("EUR 1.234,50", 1234.5),
        ("12,50 kr.", 12.5),
        ("R$ 12,50", 12.5),
        ("zł 12,50", 12.5),
        ("12,50 zł", 12.5),
        ("(12,50)", -12.5),
        ("12,50-", -12.5),
        ("1,5E3", 1500.0),
        ("12,", 12),
        ("12,-", 12),  # German "12,- €": a whole amount
        ("12,- €", 12),
        ("12,50 -", -12.5),
    ],
)
def test_parse_number_comma_decimal(text: str, expected: float) -> None:
    result = parse_number(text, COMMA_DECIMAL)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize("value", [0, 12, -7, 10**15, 12.5, -0.25, 1e-9])
@pytest.mark.parametrize("fmt", [DOT_DECIMAL, COMMA_DECIMAL])
def test_parse_number_numbers_pass_through(value, fmt) -> None:
    result = parse_number(value, fmt)
    assert result == value and type(result) is type(value)


@pytest.mark.parametrize("value", [True, False])
def test_parse_number_bool_is_not_a_number(value: bool) -> None:
    p = problem(parse_number, value, DOT_DECIMAL)
    assert p.code == "not_a_number"
    assert "yes/no" in p.message
    assert_plain_message(p)


@pytest.mark.parametrize(
    "value", [math.nan, math.inf, -math.inf, dt.date(2026, 3, 8), dt.datetime(2026, 3, 8)]
)
def test_parse_number_rejects_non_amounts(value) -> None:
    p = problem(parse_number, value, DOT_DECIMAL)
    assert p.code == "not_a_number"
    assert_plain_message(p)


@pytest.mark.parametrize("value", [None, "", "   ", "\u00a0"])
def test_parse_number_blank(value) -> None:
    p = problem(parse_number, value, DOT_DECIMAL)
    assert p.code == "blank"
    assert_plain_message(p)


@pytest.mark.parametrize(
    "text",
    ["abc", "12 pcs", "twelve", "$", "USD", "1.2.3abc", "12..5", "N/A", "-", "()", "12 50 XYZ"],
)
def test_parse_number_not_a_number(text: str) -> None:
    p = problem(parse_number, text, DOT_DECIMAL)
    assert p.code in {"not_a_number", "bad_thousands_separator"}
    assert f"“{text.strip()}”" in p.message
    assert_plain_message(p)


def test_parse_number_message_quotes_value_and_says_how_to_fix() -> None:
    p = problem(parse_number, "12 pcs", DOT_DECIMAL)
    assert p.message == "“12 pcs” is not an amount. Type a number such as 12.50 (no letters)."
    p = problem(parse_number, "12 Stück", COMMA_DECIMAL)
    assert "12,50" in p.message


@pytest.mark.parametrize(
    "text", ["1E310", "1" * 400 + ".5", "-1e999", "9" * 5000, "1" + ",000" * 200]
)
def test_parse_number_too_large(text: str) -> None:
    p = problem(parse_number, text, DOT_DECIMAL)
    assert p.code == "not_a_number"
    assert "too large" in p.message


def test_parse_number_percent() -> None:
    p = problem(parse_number, "10%", DOT_DECIMAL)
    assert p.code == "not_a_number"
    assert "Percentages" in p.message


@pytest.mark.parametrize("text", ["--12", "(-12.50)", "-(12.50)", "-12.50-"])
def test_parse_number_double_negative(text: str) -> None:
    p = problem(parse_number, text, DOT_DECIMAL)
    assert p.code == "not_a_number"
    assert "minus" in p.message


@pytest.mark.parametrize("text", ["1,23,4.5", "12,5,0", "1,2345.50", "12,34,5", "1 23 456.50"])
def test_parse_number_malformed_grouping(text: str) -> None:
    p = problem(parse_number, text, DOT_DECIMAL)
    assert p.code == "bad_thousands_separator"
    assert f"“{text}”" in p.message
    assert "thousands" in p.message
    assert_plain_message(p)


@pytest.mark.parametrize(
    ("text", "fmt", "suggestion"),
    [
        ("12,50", DOT_DECIMAL, "12.50"),
        ("1.234,50", DOT_DECIMAL, "1234.50"),
        ("-1.234,50", DOT_DECIMAL, "-1234.50"),
        ("12.50", COMMA_DECIMAL, "12,50"),
        ("1,234.50", COMMA_DECIMAL, "1234,50"),
        ("$1,234.50", COMMA_DECIMAL, "1234,50"),
    ],
)
def test_parse_number_wrong_decimal_separator(text, fmt, suggestion) -> None:
    p = problem(parse_number, text, fmt)
    assert p.code == "wrong_decimal_separator"
    assert p.suggestion == suggestion
    assert f"“{text}”" in p.message
    assert_plain_message(p)
    # The suggestion is itself accepted by the column.
    parse_number(p.suggestion, fmt)


def test_parse_number_grouping_with_the_decimal_character() -> None:
    p = problem(parse_number, "1.234.567", DOT_DECIMAL)
    assert p.code == "bad_thousands_separator"
    assert p.suggestion == "1234567"
    p = problem(parse_number, "1,234,567", COMMA_DECIMAL)
    assert p.code == "bad_thousands_separator"
    assert p.suggestion == "1234567"


def test_parse_number_unknown_code_is_not_stripped() -> None:
    # "pcs" is three letters but not a currency: it must not silently disappear.
    assert problem(parse_number, "12 pcs", DOT_DECIMAL).code == "not_a_number"
    assert problem(parse_number, "XYZ 12", DOT_DECIMAL).code == "not_a_number"
