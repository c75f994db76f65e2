"""Currencies: codes, symbols and names as people type them, to the codes Northbeam accepts."""

from __future__ import annotations

import difflib

import pycountry

from northbeam_desktop.core.orders.issues import IssueCode
from northbeam_desktop.core.orders.sheet import CellValue
from northbeam_desktop.core.orders.values.problems import ValueProblem
from northbeam_desktop.core.orders.values.text import fold, quote, shown_text, split_words

# The 162 codes of the server's currency pattern, exactly (ORDERS_API.md §2.6).
ACCEPTED_CURRENCIES: frozenset[str] = frozenset(
    split_words(
        """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND
    BOB BRL BSD BTN BWP BYR BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK
    DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GGP GHS GIP GMD GNF GTQ
    GYD HKD HNL HRK HTG HUF IDR ILS IMP INR IQD IRR ISK JEP JMD JOD JPY KES
    KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD
    MMK MNT MOP MRO MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB
    PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP
    SLL SOS SPL SRD STD SVC SYP SZL THB TJS TMT TND TOP TRY TTD TVD TWD TZS
    UAH UGX USD UYU UZS VEF VND VUV WST XAF XCD XDR XOF XPF YER ZAR ZMW ZWD
    """
    )
)

# Names for the codes pycountry no longer lists (withdrawn or not ISO at all).
_EXTRA_CURRENCY_NAMES = {
    "ANG": "Netherlands Antillean Guilder",
    "BGN": "Bulgarian Lev",
    "BYR": "Belarusian Ruble (old)",
    "CUC": "Cuban Convertible Peso",
    "GGP": "Guernsey Pound",
    "HRK": "Croatian Kuna",
    "IMP": "Manx Pound",
    "JEP": "Jersey Pound",
    "MRO": "Ouguiya (old)",
    "SLL": "Leone (old)",
    "SPL": "Seborga Luigino",
    "STD": "Dobra (old)",
    "TVD": "Tuvalu Dollar",
    "VEF": "Bolívar Fuerte",
    "ZWD": "Zimbabwe Dollar (old)",
    "ZWL": "Zimbabwe Dollar",
}

_CURRENCY_NAMES: dict[str, str] = {c.alpha_3: c.name for c in pycountry.currencies}
for _code, _label in _EXTRA_CURRENCY_NAMES.items():
    _CURRENCY_NAMES.setdefault(_code, _label)
ALL_CURRENCY_CODES = frozenset(_CURRENCY_NAMES) | ACCEPTED_CURRENCIES

# How a currency is named in a sentence ("US dollars (USD)").
_CURRENCY_PLURALS = {
    "USD": "US dollars",
    "CAD": "Canadian dollars",
    "AUD": "Australian dollars",
    "NZD": "New Zealand dollars",
    "HKD": "Hong Kong dollars",
    "SGD": "Singapore dollars",
    "TWD": "Taiwan dollars",
    "MXN": "Mexican pesos",
    "ARS": "Argentine pesos",
    "CLP": "Chilean pesos",
    "COP": "Colombian pesos",
    "PHP": "Philippine pesos",
    "UYU": "Uruguayan pesos",
    "DOP": "Dominican pesos",
    "JPY": "Japanese yen",
    "CNY": "Chinese yuan",
    "SEK": "Swedish kronor",
    "NOK": "Norwegian kroner",
    "DKK": "Danish kroner",
    "ISK": "Icelandic krónur",
    "INR": "Indian rupees",
    "PKR": "Pakistani rupees",
    "LKR": "Sri Lankan rupees",
    "NPR": "Nepalese rupees",
    "CHF": "Swiss francs",
    "XOF": "West African CFA francs",
    "XAF": "Central African CFA francs",
    "KWD": "Kuwaiti dinars",
    "BHD": "Bahraini dinars",
    "JOD": "Jordanian dinars",
    "RSD": "Serbian dinars",
    "DZD": "Algerian dinars",
    "TND": "Tunisian dinars",
    "IQD": "Iraqi dinars",
    "SAR": "Saudi riyals",
    "QAR": "Qatari riyals",
    "OMR": "Omani rials",
    "IRR": "Iranian rials",
    "YER": "Yemeni rials",
    "AED": "UAE dirhams",
    "MAD": "Moroccan dirhams",
    "GBP": "British pounds",
    "EGP": "Egyptian pounds",
    "EUR": "euros",
    "BYN": "Belarusian roubles",
    "VES": "Venezuelan bolívares",
    "VED": "Venezuelan digital bolívares",
    "MRU": "Mauritanian ouguiyas",
    "STN": "São Tomé and Príncipe dobras",
    "SLE": "Sierra Leonean leones",
    "SSP": "South Sudanese pounds",
    "XCG": "Caribbean guilders",
    "ZWG": "Zimbabwe Gold",
    "ZWL": "Zimbabwe dollars",
}


def _currency_label(code: str) -> str:
    return f"{_CURRENCY_PLURALS.get(code) or _CURRENCY_NAMES.get(code, code)} ({code})"


def _ckey(text: str) -> str:
    """Lookup key for currency symbols and names: no accents, spaces or dots, case-folded."""
    return "".join(ch for ch in fold(text) if not ch.isspace() and ch != ".")


_AMBIGUOUS_CURRENCIES: dict[str, tuple[str, ...]] = {}
for _keys, _codes in (
    ("$ dollar dollars dólar dolar dólares dolares", ("USD", "CAD", "AUD", "NZD", "MXN")),
    ("¥", ("JPY", "CNY")),
    ("kr kr. krone kroner kronen", ("SEK", "NOK", "DKK", "ISK")),
    ("₨ rs rs. rupee rupees", ("INR", "PKR", "LKR", "NPR")),
    ("peso pesos", ("MXN", "ARS", "CLP", "COP", "PHP", "UYU")),
    ("franc francs", ("CHF", "XOF", "XAF")),
    ("dinar dinars", ("KWD", "BHD", "JOD", "RSD", "DZD", "TND", "IQD")),
    ("riyal riyals rial rials", ("SAR", "QAR", "OMR", "IRR", "YER")),
    ("dirham dirhams", ("AED", "MAD")),
):
    for _key in _keys.split():
        _AMBIGUOUS_CURRENCIES[_ckey(_key)] = _codes

_CURRENCY_SYNONYMS: dict[str, str] = {}
for _code, _keys in (
    (
        "USD",
        "us$ u.s.$ usdollar usdollars u.s.dollar u.s.dollars americandollar americandollars",
    ),
    ("EUR", "€ euro euros eur€"),
    ("GBP", "£ pound pounds poundsterling sterling britishpound britishpounds gbp£ quid"),
    ("JPY", "yen jp¥ 円 japaneseyen"),
    ("CNY", "yuan renminbi rmb cn¥ 元 chineseyuan"),
    ("INR", "₹ indianrupee indianrupees"),
    ("KRW", "₩ won southkoreanwon"),
    ("TRY", "₺ turkishlira lira"),
    ("RUB", "₽ ruble rubles rouble roubles russianruble"),
    ("UAH", "₴ hryvnia hryvnias"),
    ("ILS", "₪ shekel shekels nis newshekel"),
    ("PHP", "₱ philippinepeso"),
    ("VND", "₫ dong"),
    ("THB", "฿ baht"),
    ("PLN", "zł zl zloty złoty zlotys"),
    ("CAD", "c$ ca$ can$ cdn$ canadiandollar canadiandollars"),
    ("AUD", "a$ au$ aud$ australiandollar australiandollars"),
    ("NZD", "nz$ newzealanddollar newzealanddollars"),
    ("HKD", "hk$ hongkongdollar hongkongdollars"),
    ("SGD", "s$ sg$ singaporedollar singaporedollars"),
    ("BRL", "r$ real reais brazilianreal"),
    ("MXN", "mx$ mex$ mexicanpeso mexicanpesos"),
    ("TWD", "nt$ taiwandollar"),
    ("CHF", "fr. fr sfr sfr. chf swissfranc swissfrancs franken"),
    ("CZK", "kč czechkoruna koruna"),
    ("HUF", "ft forint"),
    ("RON", "lei leu"),
    ("NGN", "₦ naira"),
    ("GHS", "₵ cedi"),
    ("KZT", "₸ tenge"),
    ("AZN", "₼ manat"),
    ("GEL", "₾ lari"),
    ("CRC", "₡ colon colón"),
    ("MNT", "₮ tugrik"),
    ("LAK", "₭ kip"),
    ("PYG", "₲ guarani guaraní"),
    ("IDR", "rp rupiah"),
    ("MYR", "rm ringgit"),
    ("ZAR", "rand"),
    ("SEK", "krona kronor swedishkrona swedishkronor"),
    ("NOK", "norwegiankrone norwegiankroner"),
    ("DKK", "danishkrone danishkroner"),
):
    for _key in _keys.split():
        _CURRENCY_SYNONYMS[_ckey(_key)] = _code

# pycountry's official names ("US Dollar", "Pound Sterling", "Yuan Renminbi", ...).
_name_codes: dict[str, set[str]] = {}
for _code, _label in _CURRENCY_NAMES.items():
    _name_codes.setdefault(_ckey(_label), set()).add(_code)
for _key, _codes_set in _name_codes.items():
    if len(_codes_set) == 1:
        _CURRENCY_SYNONYMS.setdefault(_key, next(iter(_codes_set)))
    else:  # e.g. "Bolívar Soberano" is both VES and VED: both are refused anyway
        _CURRENCY_SYNONYMS.setdefault(_key, sorted(_codes_set)[-1])
del _name_codes

_CURRENCY_GUESS_KEYS = sorted(k for k in _CURRENCY_SYNONYMS if len(k) >= 4)

# Current ISO codes the server refuses, with what to tell the user.
_REDENOMINATED = {
    "BYN": ("BYR", "2016", "10,000 old roubles to 1 new rouble"),
    "VES": ("VEF", "2018", "100,000 old bolívares to 1 new bolívar"),
    "VED": ("VEF", "2021", "a million to one, after a 100,000-to-one change in 2018"),
    "MRU": ("MRO", "2018", "10 old ouguiyas to 1 new ouguiya"),
    "STN": ("STD", "2018", "1,000 old dobras to 1 new dobra"),
    "SLE": ("SLL", "2022", "1,000 old leones to 1 new leone"),
    "ZWL": ("ZWD", "2009", "after redenominations that removed 25 zeros in total"),
    "ZWG": (
        "ZWD",
        "2024",
        "at a market exchange rate, not one to one",
    ),
}
_FUND_OR_METAL = {
    "XAU": "gold",
    "XAG": "silver",
    "XPT": "platinum",
    "XPD": "palladium",
    "XTS": "testing",
    "XXX": "“no currency”",
    **dict.fromkeys(
        split_words("BOV CHE CHW CLF COU MXV USN UYI UYW XSU XUA XBA XBB XBC XBD XAD"),
        "a fund or an accounting unit",
    ),
}


# Withdrawn codes of currencies that another one replaced at a fixed rate (the euro's
# predecessors, and redenominations): code → (old name, old short name, new code, new singular,
# new plural, old units per new unit).
_WITHDRAWN: dict[str, tuple[str, str, str, str, str, str]] = {
    code: (old, short, "EUR", "euro", "euros", rate)
    for code, old, short, rate in (
        ("ATS", "Austrian schillings", "schillings", "13.7603"),
        ("BEF", "Belgian francs", "francs", "40.3399"),
        ("CYP", "Cypriot pounds", "pounds", "0.585274"),
        ("DEM", "German marks", "marks", "1.95583"),
        ("EEK", "Estonian kroons", "kroons", "15.6466"),
        ("ESP", "Spanish pesetas", "pesetas", "166.386"),
        ("FIM", "Finnish markkas", "markkas", "5.94573"),
        ("FRF", "French francs", "francs", "6.55957"),
        ("GRD", "Greek drachmas", "drachmas", "340.750"),
        ("IEP", "Irish pounds", "pounds", "0.787564"),
        ("ITL", "Italian lire", "lire", "1,936.27"),
        ("LTL", "Lithuanian litai", "litai", "3.45280"),
        ("LUF", "Luxembourg francs", "francs", "40.3399"),
        ("LVL", "Latvian lats", "lats", "0.702804"),
        ("MTL", "Maltese lire", "lire", "0.429300"),
        ("NLG", "Dutch guilders", "guilders", "2.20371"),
        ("PTE", "Portuguese escudos", "escudos", "200.482"),
        ("SIT", "Slovenian tolars", "tolars", "239.640"),
        ("SKK", "Slovak korunas", "korunas", "30.1260"),
    )
}
_WITHDRAWN.update(
    {
        "MXP": ("old Mexican pesos", "old pesos", "MXN", "new peso", "new pesos", "1,000"),
        "PLZ": ("old Polish złoty", "old złoty", "PLN", "new złoty", "new złoty", "10,000"),
        "ROL": ("old Romanian lei", "old lei", "RON", "new leu", "new lei", "10,000"),
        "RUR": ("old Russian roubles", "old roubles", "RUB", "new rouble", "new roubles", "1,000"),
        "TRL": ("old Turkish lira", "old lira", "TRY", "new lira", "new lira", "1,000,000"),
    }
)


def _withdrawn(code: str, shown: str) -> ValueProblem:
    old, short, new, singular, plural, rate = _WITHDRAWN[code]
    return ValueProblem(
        IssueCode.UNSUPPORTED_CURRENCY,
        f"{quote(shown)} is the code of {old}, which the {singular} replaced at {rate} {short} "
        f"to 1 {singular}; Northbeam does not accept it. If these amounts are in {short}, divide "
        f"them by {rate} and type {new}; if they are already in {plural}, just type {new}.",
    )


def _unsupported(code: str, shown: str) -> ValueProblem:
    label = _currency_label(code)
    if code == "XCG":
        return ValueProblem(
            IssueCode.UNSUPPORTED_CURRENCY,
            f"Northbeam does not accept {label} yet. It still uses the old code ANG (Netherlands "
            "Antillean guilders), which the Caribbean guilder replaced one to one, so you can type "
            "ANG instead.",
            suggestion="ANG",
        )
    if code in _REDENOMINATED:
        old, year, rate = _REDENOMINATED[code]
        return ValueProblem(
            IssueCode.UNSUPPORTED_CURRENCY,
            f"Northbeam does not accept {label} yet; it still uses the old code {old}. The new "
            f"currency replaced the old one in {year} ({rate}), so the amounts cannot simply be "
            f"labelled {old}. Convert these orders to a currency Northbeam accepts, such as USD, "
            "or ask Northbeam support.",
        )
    if code in _FUND_OR_METAL:
        return ValueProblem(
            IssueCode.UNSUPPORTED_CURRENCY,
            f"{quote(shown)} is the code for {_FUND_OR_METAL[code]}, not a currency customers "
            "pay in, and Northbeam does not accept it. Type the currency of the order, "
            "such as USD or EUR.",
        )
    return ValueProblem(
        IssueCode.UNSUPPORTED_CURRENCY,
        f"Northbeam does not accept {label} yet. Convert these orders to a currency Northbeam "
        "accepts, such as USD, or ask Northbeam support.",
    )


def ambiguous_currency_codes(value: CellValue) -> tuple[str, ...]:
    """The codes an ambiguous currency cell can mean ("$" → USD, CAD, …), most common first;
    empty when the value is not one of those symbols or words."""
    return _AMBIGUOUS_CURRENCIES.get(_ckey(shown_text(value)), ())


def normalize_currency(value: CellValue) -> tuple[str, str | None]:
    """The 3-letter code Northbeam accepts for a currency cell, and a note when it was changed.

    "USD" → ("USD", None); "usd", "€", "US$", "euros" → the code with a note; "$", "¥", "kr" →
    `ambiguous_currency`; valid ISO codes Northbeam refuses (BYN, VES, XAU…) →
    `unsupported_currency`; anything else → `unknown_currency`.
    """
    shown = shown_text(value)
    if isinstance(value, str) and shown in ACCEPTED_CURRENCIES:
        return shown, None
    upper = shown.upper()
    if upper in ACCEPTED_CURRENCIES:
        return upper, f"{quote(shown)} will be sent as “{upper}”."
    if len(upper) == 3 and upper in ALL_CURRENCY_CODES:
        raise _unsupported(upper, shown)
    if upper in _WITHDRAWN:
        raise _withdrawn(upper, shown)
    if not shown:
        raise ValueProblem(
            IssueCode.UNKNOWN_CURRENCY,
            "The currency is empty. Type a 3-letter code such as USD or EUR.",
        )
    key = _ckey(shown)
    code = _CURRENCY_SYNONYMS.get(key)
    if code is None and key not in _AMBIGUOUS_CURRENCIES and key.endswith("s"):
        code = _CURRENCY_SYNONYMS.get(key[:-1])
    if code is not None:
        if code not in ACCEPTED_CURRENCIES:
            raise _unsupported(code, shown)
        return code, f"{quote(shown)} will be sent as “{code}”."
    options = _AMBIGUOUS_CURRENCIES.get(key)
    if options is not None:
        listed = ", ".join(_currency_label(c) for c in options)
        raise ValueProblem(
            IssueCode.AMBIGUOUS_CURRENCY,
            f"{quote(shown)} could be {listed} or another currency. Type the 3-letter code, "
            f"such as {options[0]}.",
            suggestion=options[0],
        )
    suggestion: str | None = None
    hint = ""
    if len(key) >= 4:
        close = difflib.get_close_matches(key, _CURRENCY_GUESS_KEYS, n=1, cutoff=0.75)
        if close:
            guess = _CURRENCY_SYNONYMS[close[0]]
            if guess in ACCEPTED_CURRENCIES:
                suggestion = guess
                hint = f" Did you mean {_currency_label(guess)}?"
    raise ValueProblem(
        IssueCode.UNKNOWN_CURRENCY,
        f"{quote(shown)} is not a currency Northbeam knows.{hint} Type a 3-letter code such as "
        "USD, EUR or GBP.",
        suggestion=suggestion,
    )
