"""Currencies as people type them (normalize_currency)."""

from __future__ import annotations

import json

import pycountry
import pytest

from northbeam_desktop.core.orders.values import (
    ACCEPTED_CURRENCIES,
    normalize_currency,
)
from northbeam_desktop.resources import data_path
from tests.core.orders.values.common import (
    assert_plain_message,
    problem,
)


def _openapi_currency_codes() -> list[str]:
    """The codes of the currency pattern in Northbeam's own OpenAPI file (the bundled copy)."""
    spec = json.loads(data_path("orders-v2-openapi.json").read_text(encoding="utf-8"))
    patterns: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if str(node.get("pattern", "")).startswith("^AED"):
                patterns.append(node["pattern"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(spec)
    assert patterns, "the OpenAPI file has no currency pattern"
    return patterns[0].strip("^$").split("|")


# ORDERS_API.md §2.6: the server's pattern, exactly; read from the spec, never retyped.
SPEC_CURRENCIES = _openapi_currency_codes()


def test_accepted_currencies_are_exactly_the_spec_list() -> None:
    assert len(SPEC_CURRENCIES) == 162
    assert frozenset(SPEC_CURRENCIES) == ACCEPTED_CURRENCIES
    assert isinstance(ACCEPTED_CURRENCIES, frozenset)


def test_accepted_currencies_match_the_openapi_pattern() -> None:
    codes = set(SPEC_CURRENCIES)
    assert codes == ACCEPTED_CURRENCIES


@pytest.mark.parametrize("code", sorted(SPEC_CURRENCIES))
def test_every_accepted_code_passes_unchanged(code: str) -> None:
    assert normalize_currency(code) == (code, None)
    assert normalize_currency(f"  {code} ") == (code, None)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("usd", "USD"),
        ("Eur", "EUR"),
        ("€", "EUR"),
        ("£", "GBP"),
        ("₹", "INR"),
        ("₩", "KRW"),
        ("₺", "TRY"),
        ("₽", "RUB"),
        ("₴", "UAH"),
        ("₪", "ILS"),
        ("₱", "PHP"),
        ("₫", "VND"),
        ("฿", "THB"),
        ("zł", "PLN"),
        ("US$", "USD"),
        ("US $", "USD"),
        ("C$", "CAD"),
        ("CA$", "CAD"),
        ("A$", "AUD"),
        ("AU$", "AUD"),
        ("NZ$", "NZD"),
        ("HK$", "HKD"),
        ("S$", "SGD"),
        ("R$", "BRL"),
        ("Fr.", "CHF"),
        ("US Dollar", "USD"),
        ("US dollars", "USD"),
        ("euro", "EUR"),
        ("Euros", "EUR"),
        ("Pound Sterling", "GBP"),
        ("British pounds", "GBP"),
        ("Swiss Franc", "CHF"),
        ("Yen", "JPY"),
        ("Yuan Renminbi", "CNY"),
        ("Canadian dollars", "CAD"),
        ("Złoty", "PLN"),
        ("Mexican Peso", "MXN"),
        ("Swedish Krona", "SEK"),
    ],
)
def test_currency_symbols_and_names(value: str, code: str) -> None:
    assert normalize_currency(value) == (code, f"“{value}” will be sent as “{code}”.")


@pytest.mark.parametrize(
    ("value", "options", "suggestion"),
    [
        ("$", ["USD", "CAD", "AUD"], "USD"),
        ("dollars", ["USD", "CAD"], "USD"),
        ("¥", ["JPY", "CNY"], "JPY"),
        ("kr", ["SEK", "NOK", "DKK", "ISK"], "SEK"),
        ("kr.", ["SEK", "NOK", "DKK", "ISK"], "SEK"),
        ("pesos", ["MXN", "ARS"], "MXN"),
    ],
)
def test_currency_ambiguous(value: str, options: list[str], suggestion: str) -> None:
    p = problem(normalize_currency, value)
    assert p.code == "ambiguous_currency"
    assert p.suggestion == suggestion
    assert f"“{value}”" in p.message
    for code in options:
        assert f"({code})" in p.message
    assert "3-letter code" in p.message
    assert_plain_message(p)


def test_currency_dollar_message() -> None:
    p = problem(normalize_currency, "$")
    assert p.message.startswith(
        "“$” could be US dollars (USD), Canadian dollars (CAD), Australian dollars (AUD)"
    )


@pytest.mark.parametrize(
    "code",
    ["BYN", "VES", "VED", "MRU", "STN", "SLE", "SSP", "XCG", "ZWG", "ZWL", "XAU", "XAG", "BOV",
     "CHE", "CLF", "USN", "XSU", "XUA", "XTS", "XXX"],
)  # fmt: skip
def test_currency_unsupported(code: str) -> None:
    p = problem(normalize_currency, code)
    assert p.code == "unsupported_currency"
    assert "Northbeam" in p.message
    assert_plain_message(p)
    assert problem(normalize_currency, code.lower()).code == "unsupported_currency"


@pytest.mark.parametrize(
    ("code", "old"),
    [("BYN", "BYR"), ("VES", "VEF"), ("MRU", "MRO"), ("STN", "STD"), ("SLE", "SLL")],
)
def test_currency_redenominated_explains_old_code_without_suggesting_it(code, old) -> None:
    p = problem(normalize_currency, code)
    assert f"old code {old}" in p.message
    assert p.suggestion is None  # amounts would be off by the redenomination factor


def test_currency_xcg_suggests_ang() -> None:
    p = problem(normalize_currency, "xcg")
    assert p.code == "unsupported_currency"
    assert p.suggestion == "ANG"
    assert normalize_currency(p.suggestion) == ("ANG", None)


def test_currency_unsupported_every_iso_code_not_accepted() -> None:
    for currency in pycountry.currencies:
        if currency.alpha_3 not in ACCEPTED_CURRENCIES:
            assert problem(normalize_currency, currency.alpha_3).code == "unsupported_currency"


def test_currency_unsupported_names() -> None:
    assert problem(normalize_currency, "Belarusian Ruble").code == "unsupported_currency"


@pytest.mark.parametrize("value", ["XYZ", "ABC", "US", "USDX", "XUSD", "dinero", "", "12"])
def test_currency_unknown(value: str) -> None:
    p = problem(normalize_currency, value)
    assert p.code == "unknown_currency"
    assert_plain_message(p)


def test_currency_unknown_suggests_close_name() -> None:
    p = problem(normalize_currency, "Eruo")
    assert p.suggestion == "EUR"
    assert "Did you mean" in p.message


def test_currency_spec_quirks_rejected_by_exact_match() -> None:
    # The server's unanchored pattern would let these through; we do not.
    for value in ("USDX", "XUSD", "xxEURxx"):
        assert problem(normalize_currency, value).code == "unknown_currency"
