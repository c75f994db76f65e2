"""Countries as people type them (normalize_country)."""

from __future__ import annotations

import pycountry
import pytest

from northbeam_desktop.core.orders.values import (
    COUNTRY_ALPHA3,
    normalize_country,
)
from tests.core.orders.values.common import (
    assert_plain_message,
    problem,
)


def test_country_alpha3_set() -> None:
    assert len(COUNTRY_ALPHA3) == 249
    assert {c.alpha_3 for c in pycountry.countries} == COUNTRY_ALPHA3
    assert "XKX" not in COUNTRY_ALPHA3 and "ANT" not in COUNTRY_ALPHA3


def test_every_alpha3_passes_and_every_alpha2_converts() -> None:
    for country in pycountry.countries:
        assert normalize_country(country.alpha_3) == (country.alpha_3, None)
        code, note = normalize_country(country.alpha_2)
        assert code == country.alpha_3
        assert note == f"“{country.alpha_2}” will be sent as “{country.alpha_3}”."
        assert normalize_country(country.name)[0] == country.alpha_3


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("usa", "USA"),
        ("US", "USA"),
        ("us", "USA"),
        ("gb", "GBR"),
        ("UK", "GBR"),
        ("U.K.", "GBR"),
        ("United States", "USA"),
        ("United States of America", "USA"),
        ("U.S.", "USA"),
        ("U.S.A.", "USA"),
        ("America", "USA"),
        ("Germany", "DEU"),
        ("germany", "DEU"),
        ("Deutschland", "DEU"),
        ("Great Britain", "GBR"),
        ("England", "GBR"),
        ("Scotland", "GBR"),
        ("Wales", "GBR"),
        ("Northern Ireland", "GBR"),
        ("United Kingdom", "GBR"),
        ("The Netherlands", "NLD"),
        ("Holland", "NLD"),
        ("Österreich", "AUT"),
        ("Schweiz", "CHE"),
        ("España", "ESP"),
        ("Korea, Republic of", "KOR"),
        ("South Korea", "KOR"),
        ("Russia", "RUS"),
        ("Vietnam", "VNM"),
        ("Czech Republic", "CZE"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Bosnia & Herzegovina", "BIH"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("Taiwan", "TWN"),
        ("Hong Kong", "HKG"),
        ("Federal Republic of Germany", "DEU"),
    ],
)
def test_country_conversions_with_note(value: str, code: str) -> None:
    assert normalize_country(value) == (code, f"“{value}” will be sent as “{code}”.")


def test_country_exact_code_no_note() -> None:
    assert normalize_country("USA") == ("USA", None)
    assert normalize_country("  DEU ") == ("DEU", None)


def test_country_unknown() -> None:
    p = problem(normalize_country, "Atlantis")
    assert p.code == "unknown_country"
    assert p.message == (
        "“Atlantis” is not a country Northbeam knows. Use a 3-letter country code such as USA, "
        "GBR or DEU."
    )
    assert p.suggestion is None


@pytest.mark.parametrize(
    ("value", "suggestion"), [("Germny", "DEU"), ("Frnace", "FRA"), ("Untied States", "USA")]
)
def test_country_close_match(value: str, suggestion: str) -> None:
    p = problem(normalize_country, value)
    assert p.code == "unknown_country"
    assert p.suggestion == suggestion
    assert "Did you mean" in p.message
    assert_plain_message(p)


@pytest.mark.parametrize("value", ["XKX", "Kosovo", "ANT", "Netherlands Antilles", "ZZZ", "", "12"])
def test_country_without_iso_code(value: str) -> None:
    p = problem(normalize_country, value)
    assert p.code == "unknown_country"
    assert_plain_message(p)
