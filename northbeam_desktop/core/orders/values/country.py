"""Countries: names and codes as people type them, to the 3-letter codes Northbeam accepts."""

from __future__ import annotations

import difflib
import re

import pycountry

from northbeam_desktop.core.orders.issues import IssueCode
from northbeam_desktop.core.orders.sheet import CellValue
from northbeam_desktop.core.orders.values.problems import ValueProblem
from northbeam_desktop.core.orders.values.text import fold, quote, shown_text

COUNTRY_ALPHA3: frozenset[str] = frozenset(c.alpha_3 for c in pycountry.countries)

_COUNTRY_DROP = re.compile(r"[^0-9a-z]+")
_LEADING_THE = re.compile(r"^\s*the\s+")


def _gkey(text: str) -> str:
    """Lookup key for country names: no accents, punctuation, spaces or leading "the"."""
    folded = _LEADING_THE.sub("", fold(text).replace("&", " and "))
    return _COUNTRY_DROP.sub("", folded)


_COUNTRY_EXTRA = {
    "USA": "united states, united states of america, america, us of a, estados unidos, "
    "vereinigte staaten, etats unis, etats-unis",
    "GBR": "uk, united kingdom, great britain, britain, england, scotland, wales, "
    "northern ireland, grossbritannien, großbritannien, royaume uni, reino unido, "
    "vereinigtes königreich, regno unito",
    "DEU": "deutschland, allemagne, alemania, germania, brd",
    "AUT": "österreich, oesterreich, autriche",
    "CHE": "schweiz, suisse, svizzera, switzerland",
    "NLD": "nederland, holland, niederlande, pays bas, paesi bassi, países bajos",
    "BEL": "belgie, belgië, belgique, belgien",
    "FRA": "frankreich, francia",
    "ESP": "españa, spanien, espagne",
    "ITA": "italia, italien, italie",
    "SWE": "sverige, schweden, suède",
    "NOR": "norge, norwegen",
    "DNK": "danmark, dänemark",
    "FIN": "suomi, finnland",
    "POL": "polska, polen, pologne",
    "CZE": "czech republic, česko, česká republika, tschechien",
    "IRL": "eire, éire, republic of ireland, irland",
    "RUS": "russia, russland",
    "KOR": "korea, south korea, republic of korea",
    "PRK": "north korea",
    "VNM": "vietnam, viet nam",
    "CIV": "ivory coast, cote divoire",
    "CPV": "cape verde",
    "SWZ": "swaziland",
    "MMR": "burma",
    "TLS": "east timor",
    "VAT": "vatican, vatican city, holy see",
    "PSE": "palestine",
    "TUR": "turkey, türkiye, turkei, türkei",
    "MKD": "macedonia",
    "FSM": "micronesia",
    "BRA": "brasil",
    "ARE": "uae, emirates, united arab emirates",
    "SAU": "ksa",
    "HKG": "hongkong",
    "MAC": "macau",
    "CHN": "prc, peoples republic of china",
    "JPN": "nippon",
    "BIH": "bosnia, bosnia herzegovina",
    "COD": "dr congo, drc, democratic republic of the congo, congo kinshasa",
    "COG": "republic of the congo, congo brazzaville",
    "LAO": "laos",
    "SYR": "syria",
    "IRN": "iran",
    "BOL": "bolivia",
    "VEN": "venezuela",
    "TZA": "tanzania",
    "MDA": "moldova",
    "TWN": "taiwan",
    "GRC": "griechenland, grece",
    "MEX": "mexiko, mexique",
}

_COUNTRY_LOOKUP: dict[str, str] = {}
_COUNTRY_DISPLAY: dict[str, str] = {}
for _country in pycountry.countries:
    _COUNTRY_LOOKUP[_country.alpha_3.lower()] = _country.alpha_3
for _country in pycountry.countries:
    _COUNTRY_LOOKUP.setdefault(_country.alpha_2.lower(), _country.alpha_3)
    _COUNTRY_DISPLAY[_country.alpha_3] = getattr(_country, "common_name", None) or _country.name
_NAME_KEYS: dict[str, str] = {}
for _country in pycountry.countries:
    for _attr in ("name", "official_name", "common_name"):
        _label = getattr(_country, _attr, None)
        if _label:
            _NAME_KEYS.setdefault(_gkey(_label), _country.alpha_3)
for _code, _names in _COUNTRY_EXTRA.items():
    for _label in _names.split(","):
        _NAME_KEYS.setdefault(_gkey(_label), _code)
for _key, _code in _NAME_KEYS.items():
    _COUNTRY_LOOKUP.setdefault(_key, _code)
_COUNTRY_DISPLAY["GBR"] = "the United Kingdom"
_COUNTRY_DISPLAY["USA"] = "the United States"
_COUNTRY_GUESS_KEYS = sorted(k for k in _NAME_KEYS if len(k) >= 4)

# Places people type that have no ISO 3166-1 code Northbeam accepts.
_NO_ISO_CODE = {
    "xk": "kosovo",
    "xkx": "kosovo",
    "kosovo": "kosovo",
    "an": "antilles",
    "ant": "antilles",
    "netherlandsantilles": "antilles",
}


def normalize_country(value: CellValue) -> tuple[str, str | None]:
    """The ISO 3166-1 alpha-3 code for a country cell, and a note when it was changed.

    "USA" → ("USA", None); "usa", "US", "UK", "Germany", "Deutschland", "England" → the code with a
    note ("“US” will be sent as “USA”."); anything else → `unknown_country`, with a close match as
    the suggestion when there is one.
    """
    shown = shown_text(value)
    if shown in COUNTRY_ALPHA3:
        return shown, None
    key = _gkey(shown)
    code = _COUNTRY_LOOKUP.get(key)
    if code is not None:
        return code, f"{quote(shown)} will be sent as “{code}”."
    if not shown:
        raise ValueProblem(
            IssueCode.UNKNOWN_COUNTRY,
            "The country is empty. Use a 3-letter country code such as USA, GBR or DEU.",
        )
    special = _NO_ISO_CODE.get(key)
    if special == "kosovo":
        which = "" if key == "kosovo" else " (Kosovo)"
        raise ValueProblem(
            IssueCode.UNKNOWN_COUNTRY,
            f"{quote(shown)}{which} has no official 3-letter ISO country code yet, so Northbeam "
            "cannot accept it. Leave the country out of the shipping address for these orders.",
        )
    if special == "antilles":
        raise ValueProblem(
            IssueCode.UNKNOWN_COUNTRY,
            f"{quote(shown)} (Netherlands Antilles) no longer exists as a country code. Use CUW "
            "for Curaçao, SXM for Sint Maarten or BES for Bonaire, Sint Eustatius and Saba.",
        )
    suggestion: str | None = None
    hint = ""
    if len(key) >= 4:
        close = difflib.get_close_matches(key, _COUNTRY_GUESS_KEYS, n=1, cutoff=0.8)
        if close:
            suggestion = _NAME_KEYS[close[0]]
            hint = f" Did you mean {_COUNTRY_DISPLAY[suggestion]} ({suggestion})?"
    raise ValueProblem(
        IssueCode.UNKNOWN_COUNTRY,
        f"{quote(shown)} is not a country Northbeam knows.{hint} Use a 3-letter country code "
        "such as USA, GBR or DEU.",
        suggestion=suggestion,
    )
