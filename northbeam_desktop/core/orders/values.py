"""Understanding one cell: numbers, dates, yes/no values, currencies and countries.

Every function here is pure and cheap; the engine calls them once per distinct raw value of a
column (100k-row files are normal), so the tables and regular expressions are built once at
import time. When a value cannot be understood the function raises `ValueProblem` whose
`message` is a whole sentence for a marketer: it quotes the value, says what is wrong with it and
how to fix it. `code` is a stable snake_case name the engine and the tests rely on, and
`suggestion`, when there is one, is a replacement value (as text) that would be accepted.

Decisions that depend on a whole column (is the decimal separator a point or a comma? are
`03/08/2026` dates month/day or day/month?) are made by `infer_number_format` and
`infer_date_format` from all values of the column, never from one cell; each returns a sentence
of evidence the GUI can show next to the column.

Codes raised here:

- numbers: `blank`, `not_a_number`, `bad_thousands_separator`, `wrong_decimal_separator`
- dates: `blank`, `not_a_date`, `date_without_day`, `time_without_date`, `invalid_date`,
  `wrong_date_order`, `invalid_time`, `unknown_time_zone`
- yes/no: `not_a_yes_no`
- currencies: `ambiguous_currency`, `unknown_currency`, `unsupported_currency`
- countries: `unknown_country`
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import difflib
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import pycountry

from northbeam_desktop.core.orders.issues import IssueCode
from northbeam_desktop.core.orders.sheet import CellValue

__all__ = [
    "ACCEPTED_CURRENCIES",
    "COUNTRY_ALPHA3",
    "DOT_DECIMAL",
    "DateFormat",
    "NumberFormat",
    "ValueProblem",
    "infer_date_format",
    "infer_number_format",
    "normalize_country",
    "normalize_currency",
    "parse_bool",
    "parse_datetime",
    "parse_number",
    "to_iso",
    "to_text",
]


class ValueProblem(Exception):
    """A cell value that cannot be understood.

    `code` is a stable snake_case identifier, `message` a whole sentence for a marketer and
    `suggestion` a replacement value (as text) that would be accepted, when one exists.
    """

    def __init__(self, code: IssueCode | str, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.code = IssueCode(code)  # a code that is not an IssueCode fails right here
        self.message = message
        self.suggestion = suggestion

    def __repr__(self) -> str:
        return f"ValueProblem({self.code!r}, {self.message!r}, suggestion={self.suggestion!r})"


# --------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------

# Characters that surround values pasted from the web or other apps and that str.strip() keeps.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def _words(text: str) -> list[str]:
    """Split a whitespace-separated table written as one string (easier to read than a list)."""
    return text.split()


_STRIPPABLE = "".join(chr(i) for i in range(0x3001) if chr(i).isspace()) + _INVISIBLE


def _clean(text: str) -> str:
    """Strip whitespace (including no-break and thin spaces) and zero-width characters."""
    text = text.strip()
    if text and (text[0] in _INVISIBLE or text[-1] in _INVISIBLE):
        text = text.strip(_STRIPPABLE)
    return text


def _quote(text: str, limit: int = 40) -> str:
    """The value as shown inside a message: in curly quotes, long values shortened."""
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"“{text}”"


def _shown(value: CellValue) -> str:
    """A cell value as the user saw it, for messages."""
    if isinstance(value, str):
        return _clean(value)
    text = to_text(value)
    return "" if text is None else text


def _fold(text: str) -> str:
    """Casefold and remove accents: "Österreich" → "osterreich", "Sí" → "si"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------


def to_text(value: CellValue) -> str | None:
    """A cell as text, for IDs, ZIP codes, names and phone numbers.

    Whole numbers never get a ".0" (1001.0 → "1001", 1.23457E+11 → "123457000000"), strings are
    stripped, blank cells and empty strings are None, TRUE/FALSE cells become "TRUE"/"FALSE" and
    dates become ISO-8601 text.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = _clean(value)
        return text or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            return to_iso(value)
        return value.isoformat(timespec="milliseconds" if value.microsecond // 1000 else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds")
    text = str(value).strip()
    return text or None


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NumberFormat:
    """How a column writes its numbers.

    `decimal` is "." or ","; `ambiguous` is True when the column gave no decisive evidence (or
    contradicting evidence) and the user should check; `evidence` explains the choice in plain
    words ("" when there was nothing to decide).
    """

    decimal: str
    ambiguous: bool
    evidence: str


DOT_DECIMAL = NumberFormat(".", False, "")

_FAST_DOT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_FAST_INT = re.compile(r"-?[0-9]+")
_FAST_COMMA = re.compile(r"-?[0-9]+,[0-9]+")

_SPACES = " \u00a0\u2007\u2009\u202f"
_APOSTROPHES = "'’"
_MINUS_SIGNS = "-−–"

# Currency markers that may stand before or after an amount. Three-letter codes are matched by
# the generic group and then checked against the ISO list, so "12 pcs" is not taken as money.
_CURRENCY_MARKERS = (
    r"U\.?S\.?\s?\$|CA\s?\$|CAN\s?\$|C\s?\$|AU\s?\$|A\s?\$|NZ\s?\$|HK\s?\$|S\s?\$|R\s?\$"
    r"|MX\s?\$|NT\s?\$|\$|€|£|¥|₹|₩|₺|₽|₴|₪|₱|₫|฿|₦|₵|₸|₼|₾|₡|₮|₭|₲|₨|¢|zł|Kč|kr\.?|Fr\."
    r"|SFr\.?|Rs\.?|Rp|RM|Ft|lei"
)
_CURRENCY_MARKER = re.compile(
    rf"(?P<sym>{_CURRENCY_MARKERS})|(?P<code>[A-Za-z]{{3}})(?![A-Za-z])", re.IGNORECASE
)
_FIRST_DIGIT = re.compile(r"[.,]?[0-9]")
_GROUPED_COMMAS = re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+)(?:\.([0-9]*))?")
_GROUPED_POINTS = re.compile(r"([0-9]{1,3}(?:\.[0-9]{3})+)(?:,([0-9]*))?")
_NUMBER_BODY = re.compile(rf"[0-9.,{_SPACES}{_APOSTROPHES}]*[0-9][0-9.,{_SPACES}{_APOSTROPHES}]*")
_SCIENTIFIC = re.compile(r"([0-9]+)(?:[.,]([0-9]+))?[eE]([+-]?[0-9]{1,3})")
_GROUP_SPLIT = re.compile(rf"[{_SPACES}{_APOSTROPHES},.]")


def _example_amount(fmt_decimal: str) -> str:
    return "12,50" if fmt_decimal == "," else "12.50"


def _not_a_number(shown: str, decimal: str, *, why: str = "") -> ValueProblem:
    if not shown:
        return ValueProblem(
            "blank", f"The cell is empty. Type a number such as {_example_amount(decimal)}."
        )
    reason = f" {why}" if why else ""
    return ValueProblem(
        "not_a_number",
        f"{_quote(shown)} is not an amount.{reason} Type a number such as {_example_amount(decimal)} (no letters).",
    )


def _too_large(shown: str, decimal: str) -> ValueProblem:
    return ValueProblem(
        "not_a_number",
        f"{_quote(shown)} is too large to be an amount. Type a number such as "
        f"{_example_amount(decimal)}.",
    )


def parse_number(value: CellValue, fmt: NumberFormat) -> int | float:
    """A money amount or quantity from one cell.

    Numbers pass through; text is read with the column's decimal separator (`fmt.decimal`):
    "1,234.50" / "1.234,50" / "1'234.50" / "1 234,50", currency symbols and codes before or after
    ("$12.50", "12,50 €", "USD 12.50") are ignored, and "(12.50)", "-12.50" and "12.50-" are
    negative. Text without a fractional part gives an `int` ("12" → 12, "12.50" → 12.5).
    """
    if type(value) is str and len(value) < 300:
        text = value
        decimal = fmt.decimal
        # Fast paths: plain "12", "12.50", "-3" (and "12,50" in comma columns) are most cells.
        if decimal == "." and _FAST_DOT.fullmatch(text):
            return float(text) if "." in text else int(text)
        if _FAST_INT.fullmatch(text):
            return int(text)
        if decimal == "," and _FAST_COMMA.fullmatch(text):
            return float(text.replace(",", "."))
        return _parse_number_text(text, decimal)
    if isinstance(value, str):
        return _parse_number_text(value, fmt.decimal)
    if isinstance(value, bool):
        raise ValueProblem(
            "not_a_number",
            f"“{'TRUE' if value else 'FALSE'}” is a yes/no value, not an amount. Type a number such as {_example_amount(fmt.decimal)}.",
        )
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _not_a_number(str(value), fmt.decimal)
        return value
    if value is None:
        raise _not_a_number("", fmt.decimal)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        raise ValueProblem(
            "not_a_number",
            f"{_quote(_shown(value))} is a date or time, not an amount. Type a number such as {_example_amount(fmt.decimal)}.",
        )
    raise _not_a_number(str(value), fmt.decimal)


def _decorations(part: str, closing: bool) -> tuple[int, int] | None:
    """Read what stands before (or after) an amount: spaces, signs, brackets, currency markers.

    Returns (minus signs, brackets), or None when `part` holds anything else ("pcs", "%").
    """
    signs = brackets = markers = 0
    bracket = ")" if closing else "("
    i, n = 0, len(part)
    while i < n:
        ch = part[i]
        if ch.isspace():
            i += 1
        elif ch in _MINUS_SIGNS:
            signs += 1
            i += 1
        elif ch == bracket:
            brackets += 1
            i += 1
        elif ch == "+" and not closing:
            i += 1
        else:
            m = _CURRENCY_MARKER.match(part, i)
            if m is None or (
                m.group("code") and m.group("code").upper() not in _ALL_CURRENCY_CODES
            ):
                return None
            markers += 1
            if markers > 2:
                return None
            i = m.end()
    return signs, brackets


def _split_amount(text: str, decimal: str) -> tuple[str, bool] | None:
    """Split "($1,234.50)" into the number body "1,234.50" and whether it is negative.

    Returns None when the text around the number is not signs, brackets or currency markers.
    """
    m = _FIRST_DIGIT.search(text)
    if m is None:
        return None
    first = m.start()
    last = len(text) - 1
    while not "0" <= text[last] <= "9":
        last -= 1
    end = last + 1
    if end < len(text) and text[end] in ".,":
        end += 1  # "12." is twelve
        if end < len(text) and text[end] in "-–—":
            end += 1  # "12.–" / "12,-": a whole amount, not a negative one
            body = text[first : end - 1]
        else:
            body = text[first:end]
    else:
        body = text[first:end]
    head = _decorations(text[:first], closing=False)
    tail = _decorations(text[end:], closing=True)
    if head is None or tail is None or head[1] != tail[1]:
        return None
    negatives = head[0] + tail[0] + head[1]
    if negatives > 1:
        raise ValueProblem(
            "not_a_number",
            f"{_quote(text)} is not an amount: it has more than one minus sign or bracket. "
            f"Type a number such as -{_example_amount(decimal)} or ({_example_amount(decimal)}).",
        )
    return body, negatives == 1


def _grouping_ok(groups: list[str], sep: str) -> bool:
    """True when digit groups look like thousands grouping (or Indian lakh grouping with commas)."""
    if not groups[0] or len(groups[0]) > 3:
        return False
    if all(len(g) == 3 for g in groups[1:]):
        return True
    # Indian grouping: 1,23,45,678
    return (
        sep == ","
        and len(groups) >= 3
        and len(groups[0]) <= 2
        and len(groups[-1]) == 3
        and all(len(g) == 2 for g in groups[1:-1])
    )


def _split_groups(int_part: str) -> tuple[list[str], set[str]]:
    groups = _GROUP_SPLIT.split(int_part)
    kinds: set[str] = set()
    for ch in int_part:
        if not ch.isdigit():
            kinds.add(" " if ch in _SPACES else "'" if ch in _APOSTROPHES else ch)
    return groups, kinds


def _read_body(body: str, decimal: str) -> tuple[str, str] | None:
    """Split a number body into (integer digits, fraction digits) under `decimal`, or None."""
    other = "," if decimal == "." else "."
    grouped = (_GROUPED_COMMAS if decimal == "." else _GROUPED_POINTS).fullmatch(body)
    if grouped:  # the usual "1,234.50" / "1.234,50"
        return grouped.group(1).replace(other, ""), grouped.group(2) or ""
    if body.count(decimal) > 1:
        return None
    int_part, _, frac = body.partition(decimal)
    if frac and not frac.isdigit():
        return None
    if not int_part:
        return ("0", frac) if frac else None
    if int_part.isdigit():
        return int_part, frac
    if int_part[0] in _SPACES or int_part[-1] in _SPACES:
        return None
    groups, kinds = _split_groups(int_part)
    if len(kinds) != 1 or not all(g.isdigit() for g in groups):
        return None
    sep = kinds.pop()
    if sep == decimal:  # pragma: no cover - partition removed it
        return None
    if sep not in (other, " ", "'"):
        return None
    if not _grouping_ok(groups, sep):
        return None
    return "".join(groups), frac


def _as_number(int_digits: str, frac: str, negative: bool) -> int | float:
    if len(int_digits) > 300:  # beyond any amount (and beyond what float() can hold)
        return math.inf
    if frac:
        number: int | float = float(f"{int_digits}.{frac}")
    else:
        number = int(int_digits)
    if negative:
        number = -number
    if number == 0:
        return type(number)(0)
    return number


def _render(int_digits: str, frac: str, decimal: str, negative: bool) -> str:
    int_digits = int_digits.lstrip("0") or "0"
    text = f"{int_digits}{decimal}{frac}" if frac else int_digits
    return f"-{text}" if negative else text


def _parse_number_text(text: str, decimal: str) -> int | float:
    shown = _clean(text)
    if not shown:
        raise _not_a_number("", decimal)
    split = _split_amount(shown, decimal)
    body, negative = split if split is not None else ("", False)
    if not body or not _NUMBER_BODY.fullmatch(body):
        sci = _SCIENTIFIC.fullmatch(body) if body else None
        if sci and (sci.group(2) is None or body[len(sci.group(1))] == decimal):
            mantissa = sci.group(1) + ("." + sci.group(2) if sci.group(2) else "")
            number = float(f"{mantissa}e{sci.group(3)}")
            if not math.isfinite(number):
                raise _too_large(shown, decimal)
            return -number if negative and number else number
        if "%" in shown:
            raise _not_a_number(shown, decimal, why="Percentages cannot be used here.")
        raise _not_a_number(shown, decimal)
    parts = _read_body(body, decimal)
    if parts is not None:
        number = _as_number(parts[0], parts[1], negative)
        if not math.isfinite(number):
            raise _too_large(shown, decimal)
        return number

    other = "," if decimal == "." else "."
    alternative = _read_body(body, other)
    decimal_word = "point" if decimal == "." else "comma"
    other_word = "comma" if decimal == "." else "point"
    if alternative is not None and alternative[1]:
        fixed = _render(alternative[0], alternative[1], decimal, negative)
        raise ValueProblem(
            "wrong_decimal_separator",
            f"{_quote(shown)} uses a {other_word} for decimals, but the other amounts in this column "
            f"use a {decimal_word} (like {_example_amount(decimal)}). Type {fixed}, or change the "
            f"column's decimal separator to a {other_word} if most amounts use one.",
            suggestion=fixed,
        )
    if alternative is not None:
        # "1.234.567" in a column with a decimal point: grouped thousands in the other style.
        fixed = _render(alternative[0], "", decimal, negative)
        raise ValueProblem(
            "bad_thousands_separator",
            f"{_quote(shown)} separates thousands with {decimal_word}s, but this column uses a "
            f"{decimal_word} for decimals. Type {fixed} (without the {decimal_word}s).",
            suggestion=fixed,
        )
    raise ValueProblem(
        "bad_thousands_separator",
        f"{_quote(shown)} is not an amount we can read: its thousands separators are in the wrong "
        f"places. Type it without thousands separators, such as 1234{decimal}50.",
    )


# ---- deciding a column's decimal separator -------------------------------------------------

_INFER_DROP = str.maketrans("", "", _SPACES + _APOSTROPHES)
_INFER_CORE = re.compile(r"[.,]?[0-9][0-9.,]*")

_ONES = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_TENS = _words("_ _ twenty thirty forty fifty sixty seventy eighty ninety")
_SCALES = ((10**9, "billion"), (10**6, "million"), (1000, "thousand"))


def _words_below_1000(n: int) -> str:
    parts: list[str] = []
    if n >= 100:
        parts.append(f"{_ONES[n // 100]} hundred")
        n %= 100
    if n >= 20:
        parts.append(_TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else ""))
    elif n or not parts:
        parts.append(_ONES[n])
    return " ".join(parts)


def _number_words(n: int) -> str:
    """English words for 0 ≤ n < 10**12: 1234 → "one thousand two hundred thirty-four"."""
    if n >= 10**12:
        return str(n)
    parts: list[str] = []
    for scale, name in _SCALES:
        if n >= scale:
            parts.append(f"{_words_below_1000(n // scale)} {name}")
            n %= scale
    if n or not parts:
        parts.append(_words_below_1000(n))
    return " ".join(parts)


def _decimal_words(int_digits: str, frac: str) -> str:
    return f"{_number_words(int(int_digits))} point {' '.join(_ONES[int(d)] for d in frac)}"


def _classify_number(text: str) -> str | None:
    """What one text value says about the decimal separator.

    Returns "comma" / "dot" (decisive), "maybe_comma" / "maybe_dot" (a single separator followed by
    exactly three digits: thousands or decimals), or None (nothing to learn).
    """
    m = _INFER_CORE.search(text.translate(_INFER_DROP))
    if not m:
        return None
    core = m.group().rstrip(".,")
    has_dot = "." in core
    has_comma = "," in core
    if has_dot and has_comma:
        return "comma" if core.rfind(",") > core.rfind(".") else "dot"
    if not has_dot and not has_comma:
        return None
    sep = "," if has_comma else "."
    mine, theirs = ("comma", "dot") if sep == "," else ("dot", "comma")
    groups = core.split(sep)
    if len(groups) > 2:
        # "1,234,567" or "1.234.567": the separator groups thousands, so it is not the decimal.
        return f"{theirs}_grouping" if _grouping_ok(groups, sep) else None
    head, tail = groups
    if len(tail) == 3 and 1 <= len(head) <= 3 and head != "0":
        return f"maybe_{mine}"
    return mine


def _core_text(text: str) -> str:
    m = _INFER_CORE.search(text.translate(_INFER_DROP))
    return m.group().rstrip(".,") if m else text


def _ambiguous_readings(example: str) -> tuple[str, str]:
    """("one thousand two hundred thirty-four", "one point two three four") for "1,234"."""
    core = _core_text(example)
    head, _, tail = core.replace(",", ".").partition(".")
    return _number_words(int(head + tail)), _decimal_words(head, tail)


_PLAIN_DOT_DECIMAL = re.compile(r"-?[0-9]+\.[0-9]{1,2}")
_PLAIN_INTEGER = re.compile(r"-?[0-9]+")


def infer_number_format(values: Iterable[CellValue]) -> NumberFormat:
    """Decide from all values of a column whether "." or "," is its decimal separator."""
    counts = {"comma": 0, "dot": 0, "maybe_comma": 0, "maybe_dot": 0}
    examples: dict[str, str] = {}
    grouped: dict[str, str] = {}  # first example whose evidence is thousands grouping
    seen: set[str] = set()
    for value in values:
        if type(value) is not str or value in seen:
            continue
        seen.add(value)
        # Fast paths for the overwhelmingly common plain forms ("12.50", "3").
        if _PLAIN_DOT_DECIMAL.fullmatch(value):
            kind = "dot"
        elif _PLAIN_INTEGER.fullmatch(value):
            continue
        else:
            kind = _classify_number(value)
        if kind is None:
            continue
        if kind.endswith("_grouping"):
            kind = kind[: -len("_grouping")]
            if kind not in grouped:  # _clean only for the first example
                grouped[kind] = _clean(value)
        counts[kind] += 1
        if kind not in examples:  # _clean only for the first example
            examples[kind] = _clean(value)

    comma, dot = counts["comma"], counts["dot"]
    maybe = examples.get("maybe_dot") or examples.get("maybe_comma")

    def ambiguity_clause(decimal: str) -> str:
        if maybe is None:
            return ""
        thousands, decimals = _ambiguous_readings(maybe)
        core = _core_text(maybe)
        uses_comma = "," in core
        # Under `decimal`, a lone comma/point followed by three digits is read as:
        as_thousands = (decimal == ".") == uses_comma
        if as_thousands:
            reading = core.replace(",", "").replace(".", "")
        else:
            reading = core.replace(",", decimal).replace(".", decimal)
        return f"Values like {_quote(maybe)} could be {thousands} or {decimals}; read as {reading}"

    def style(kind: str) -> tuple[str, str]:
        """(example, what it uses): ("“12,50”", "a comma for decimals")."""
        example = examples[kind]
        if grouped.get(kind) == example:
            return _quote(example), f"{'points' if kind == 'comma' else 'commas'} for thousands"
        return _quote(example), f"a {'comma' if kind == 'comma' else 'point'} for decimals"

    if comma and dot:
        decimal = "," if comma > dot else "."
        winner, loser = ("comma", "dot") if decimal == "," else ("dot", "comma")
        (comma_example, comma_style), (dot_example, dot_style) = style("comma"), style("dot")
        if counts[winner] > counts[loser]:
            why = f"most values do ({counts[winner]} against {counts[loser]})"
        else:
            why = "both styles are equally common and the point is the usual choice"
        evidence = (
            f"This column mixes two styles: {comma_example} uses {comma_style} but {dot_example} "
            f"uses {dot_style}. Read with a {'comma' if decimal == ',' else 'point'} for decimals "
            f"because {why}; values written the other way are flagged."
        )
        return NumberFormat(decimal, True, evidence)
    for kind, decimal in (("comma", ","), ("dot", ".")):
        if not counts[kind]:
            continue
        example, used = style(kind)
        if maybe:
            return NumberFormat(
                decimal,
                False,
                f"{ambiguity_clause(decimal)} because other values in this column, like "
                f"{example}, use {used}.",
            )
        if used.endswith("thousands"):
            word = "comma" if decimal == "," else "point"
            return NumberFormat(
                decimal,
                False,
                f"Values like {example} use {used}, so the {word} is the decimal separator.",
            )
        return NumberFormat(decimal, False, f"Values like {example} use {used}.")
    if maybe:
        return NumberFormat(
            ".",
            True,
            f"{ambiguity_clause('.')}, with a point for decimals and a comma for thousands, "
            "because no value in this column settles it. If your amounts use a comma for "
            "decimals, change the decimal separator to comma.",
        )
    return DOT_DECIMAL


# --------------------------------------------------------------------------------------------
# Dates and times
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DateFormat:
    """How a column writes its dates.

    `order` is "MDY", "DMY" or "YMD" and decides how `03/08/2026` is read; `guessed` is True
    when no value in the column settled it; `evidence` explains the choice in plain words.
    """

    order: str
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

_MONTH_NAMES = _words(
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
_DATE_HEAD = re.compile(r"\s*([0-9]{1,4})([/.\-])([0-9]{1,2})\2([0-9]{1,4})(?![0-9])")

_ORDER_WORDS = {"MDY": "month/day/year", "DMY": "day/month/year", "YMD": "year-month-day"}


def _not_a_date(shown: str) -> ValueProblem:
    if not shown:
        return ValueProblem("blank", "The cell is empty. Type a date such as 2026-03-08.")
    return ValueProblem(
        "not_a_date",
        f"{_quote(shown)} is not a date we can read. Type it like 2026-03-08 or "
        "2026-03-08 13:45 (year-month-day, with the time if you have it).",
    )


def _year(text: str) -> int:
    year = int(text)
    if len(text) <= 2:
        # Excel's rule for two-digit years: 00–29 → 2000–2029, 30–99 → 1930–1999.
        year += 2000 if year < 30 else 1900
    return year


def _month_day_problem(shown: str, year: int, month: int, day: int, reading: str) -> ValueProblem:
    if not 1 <= month <= 12:
        return ValueProblem(
            "invalid_date",
            f"{_quote(shown)} is not a real date read as {reading}: there is no month {month}. "
            "Check the month.",
        )
    if day == 0:
        return ValueProblem(
            "invalid_date", f"{_quote(shown)} is not a real date: there is no day 0. Check the day."
        )
    last = calendar.monthrange(year, month)[1]
    return ValueProblem(
        "invalid_date",
        f"{_quote(shown)} is not a real date: {_MONTH_NAMES[month - 1]} {year} has only "
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
                "invalid_date", f"{_quote(shown)} has a year we cannot use. Check the year."
            )
        if swapped is not None and not 1 <= month <= 12 and _valid_ymd(*swapped):
            other = "day/month/year" if reading == "month/day/year" else "month/day/year"
            fixed = dt.date(*swapped).isoformat()
            raise ValueProblem(
                "wrong_date_order",
                f"{_quote(shown)} is not a real date read as {reading} (there is no month "
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
                    "invalid_time",
                    f"{_quote(shown)} has a time that does not exist ({hour} {ampm.upper()}M). "
                    "With AM/PM, hours go from 1 to 12; or write the time as 13:45.",
                )
            hour = hour % 12 + (12 if ampm in "Pp" else 0)
        if hour == 24 and minute == second == micro == 0:
            hour, extra_day = 0, True
        if hour > 23 or minute > 59 or second > 59:
            raise ValueProblem(
                "invalid_time",
                f"{_quote(shown)} has a time that does not exist. Hours go from 0 to 23, minutes "
                "and seconds from 0 to 59.",
            )
    tzinfo = _zone(shown, m, tz)
    try:
        value = dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tzinfo)
        if extra_day:
            value += dt.timedelta(days=1)
    except (OverflowError, ValueError):
        raise ValueProblem(
            "invalid_date", f"{_quote(shown)} is outside the dates we can use. Check the year."
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
                "unknown_time_zone",
                f"{_quote(shown)} ends with a time zone offset that does not exist. Write it like "
                "+01:00 or -05:00, or leave it out.",
            )
        offset = dt.timedelta(hours=hours, minutes=minutes, seconds=seconds, microseconds=micros)
        if m.group("OS") != "+":
            offset = -offset
        return _UTC if not offset else dt.timezone(offset)
    minutes = _ZONE_ABBREVIATIONS.get(zone.upper())
    if minutes is None:
        raise ValueProblem(
            "unknown_time_zone",
            f"{_quote(shown)} ends with a time zone we do not know ({_quote(zone)}). Write the "
            "offset instead, like +01:00 or -05:00, or leave it out to use the store's time zone.",
        )
    return _UTC if not minutes else dt.timezone(dt.timedelta(minutes=minutes))


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
            "not_a_date",
            f"“{'TRUE' if value else 'FALSE'}” is a yes/no value, not a date. Type a date such as 2026-03-08.",
        )
    if isinstance(value, int | float):
        if math.isfinite(value) and 20000 <= value <= 80000:
            return _from_serial(float(value), tz)
        raise ValueProblem(
            "not_a_date",
            f"{_quote(_shown(value))} is a number, not a date. Type a date such as 2026-03-08.",
        )
    if isinstance(value, dt.time):
        raise _time_without_date(_shown(value))
    if value is None:
        raise _not_a_date("")
    raise _not_a_date(str(value))


def _time_without_date(shown: str) -> ValueProblem:
    return ValueProblem(
        "time_without_date",
        f"{_quote(shown)} is only a time. Type the date too, such as 2026-03-08 {shown}.",
    )


def _parse_datetime_text(text: str, fmt: DateFormat, tz: dt.tzinfo) -> dt.datetime:
    shown = _clean(text)
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
        year, first, second = _year(c), int(a), int(b)
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
            month = _MONTHS.get(_fold(m.group("mon")).rstrip("."))
            if month is not None:
                year = _year(m.group("y"))
                return _build(shown, year, month, int(m.group("d")), m, tz, "day month year")
    named = _MONTH_NAME_YEAR.fullmatch(shown)
    if _MONTH_YEAR.fullmatch(shown) or (named and _fold(named.group("mon")) in _MONTHS):
        raise ValueProblem(
            "date_without_day",
            f"{_quote(shown)} has no day. Type the full date, such as 2026-03-08.",
        )
    if _TIME_ONLY.fullmatch(shown) and ":" in shown:
        raise _time_without_date(shown)
    raise _not_a_date(shown)


def to_iso(value: dt.datetime) -> str:
    """The exact ISO-8601 text sent to Northbeam: `2026-03-08T13:45:12-05:00`.

    Seconds are always present; milliseconds only when there are any (`.123`); UTC is written
    `+00:00`. Offsets with seconds (historic local mean times) are converted to UTC first.
    """
    offset = value.utcoffset() if value.tzinfo is not None else None
    if offset is None:
        raise ValueError("to_iso needs a timezone-aware datetime")
    if offset.seconds % 60 or offset.microseconds:
        with contextlib.suppress(OverflowError):  # only at datetime.min/max
            value = value.astimezone(_UTC)
    return value.isoformat(timespec="milliseconds" if value.microsecond // 1000 else "seconds")


def infer_date_format(values: Iterable[CellValue]) -> DateFormat:
    """Decide from all values of a column how `03/08/2026`-style dates are ordered."""
    dmy = mdy = ambiguous = dots = iso = 0
    examples: dict[str, str] = {}
    seen: set[str] = set()
    for value in values:
        if type(value) is not str or value in seen:
            continue
        seen.add(value)
        m = _DATE_HEAD.match(value)
        if not m:
            continue
        a, sep, b, c = m.groups()
        if len(a) == 4:
            iso += 1
            if "iso" not in examples:  # _clean only for the first example
                examples["iso"] = _clean(value)
            continue
        if len(a) == 3 or len(c) == 3:
            continue
        if sep == ".":
            dots += 1
            if "dots" not in examples:  # _clean only for the first example
                examples["dots"] = _clean(value)
            continue
        first, second = int(a), int(b)
        if first > 12 and 1 <= second <= 12:
            dmy += 1
            if "dmy" not in examples:  # _clean only for the first example
                examples["dmy"] = _clean(value)
        elif second > 12 and 1 <= first <= 12:
            mdy += 1
            if "mdy" not in examples:  # _clean only for the first example
                examples["mdy"] = _clean(value)
        elif 1 <= first <= 12 and 1 <= second <= 12 and first != second:
            ambiguous += 1
            if "ambiguous" not in examples:  # _clean only for the first example
                examples["ambiguous"] = _clean(value)

    amb = examples.get("ambiguous")

    def reading_of(example: str, order: str) -> str:
        m = _DATE_HEAD.match(example)
        assert m is not None
        first, second, year = int(m.group(1)), int(m.group(3)), _year(m.group(4))
        month, day = (first, second) if order == "MDY" else (second, first)
        return (
            f"{_MONTH_NAMES[month - 1]} {day}, {year}"
            if order == "MDY"
            else f"{day} {_MONTH_NAMES[month - 1]} {year}"
        )

    def also(order: str) -> str:
        if amb is None:
            return ""
        return f", so dates like {_quote(amb)} are read as {reading_of(amb, order)}"

    if dmy and mdy:
        order = "DMY" if dmy > mdy else "MDY"
        return DateFormat(
            order,
            True,
            f"This column mixes two date orders: {_quote(examples['dmy'])} can only be day/month "
            f"but {_quote(examples['mdy'])} can only be month/day. Read as "
            f"{_ORDER_WORDS[order]} because most dates are ({max(dmy, mdy)} against "
            f"{min(dmy, mdy)}); dates that do not fit are flagged.",
        )
    if dmy:
        return DateFormat(
            "DMY", False, f"{_quote(examples['dmy'])} can only be day/month{also('DMY')}."
        )
    if mdy:
        return DateFormat(
            "MDY", False, f"{_quote(examples['mdy'])} can only be month/day{also('MDY')}."
        )
    if amb is not None:
        if dots:
            return DateFormat(
                "DMY",
                True,
                f"Dates like {_quote(amb)} could be {reading_of(amb, 'MDY')} or "
                f"{reading_of(amb, 'DMY')}; read as day/month because other dates in this column, "
                f"like {_quote(examples['dots'])}, are day.month.year. If your dates are "
                "month/day, change the date order.",
            )
        return DateFormat(
            "MDY",
            True,
            f"All dates like {_quote(amb)} could be {reading_of(amb, 'MDY')} or "
            f"{reading_of(amb, 'DMY')}; read as month/day (US style). If your dates are "
            "day/month, change the date order.",
        )
    if dots:
        return DateFormat(
            "DMY", False, f"Dates like {_quote(examples['dots'])} are day.month.year."
        )
    if iso:
        return DateFormat("YMD", False, f"Dates like {_quote(examples['iso'])} are year-month-day.")
    return DateFormat("MDY", False, "")


# --------------------------------------------------------------------------------------------
# Yes / no
# --------------------------------------------------------------------------------------------

_TRUE_WORDS = frozenset(
    _words("true t yes y 1 1.0 x ✓ ✔ ☑ on wahr ja j oui si sí vrai verdadero sim waar")
)
_FALSE_WORDS = frozenset(
    _words("false f no n 0 0.0 ✗ ✘ off falsch nein non faux falso não nao onwaar nee")
)


def parse_bool(value: CellValue) -> bool:
    """A yes/no value: TRUE/FALSE, yes/no, y/n, 1/0, x, ✓, and German/French/Spanish words."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        key = _clean(value).casefold()
        if key in _TRUE_WORDS:
            return True
        if key in _FALSE_WORDS:
            return False
    elif isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    shown = _shown(value)
    if not shown:
        raise ValueProblem("not_a_yes_no", "The cell is empty. Type TRUE or FALSE.")
    raise ValueProblem(
        "not_a_yes_no",
        f"{_quote(shown)} is not a yes/no value. Type TRUE or FALSE.",
    )


# --------------------------------------------------------------------------------------------
# Currencies
# --------------------------------------------------------------------------------------------

# The 162 codes of the server's currency pattern, exactly (ORDERS_API.md §2.6).
ACCEPTED_CURRENCIES: frozenset[str] = frozenset(
    _words(
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
_ALL_CURRENCY_CODES = frozenset(_CURRENCY_NAMES) | ACCEPTED_CURRENCIES

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
    return "".join(ch for ch in _fold(text) if not ch.isspace() and ch != ".")


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
        _words("BOV CHE CHW CLF COU MXV USN UYI UYW XSU XUA XBA XBB XBC XBD XAD"),
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
        "unsupported_currency",
        f"{_quote(shown)} is the code of {old}, which the {singular} replaced at {rate} {short} "
        f"to 1 {singular}; Northbeam does not accept it. If these amounts are in {short}, divide "
        f"them by {rate} and type {new}; if they are already in {plural}, just type {new}.",
    )


def _unsupported(code: str, shown: str) -> ValueProblem:
    label = _currency_label(code)
    if code == "XCG":
        return ValueProblem(
            "unsupported_currency",
            f"Northbeam does not accept {label} yet. It still uses the old code ANG (Netherlands "
            "Antillean guilders), which the Caribbean guilder replaced one to one, so you can type "
            "ANG instead.",
            suggestion="ANG",
        )
    if code in _REDENOMINATED:
        old, year, rate = _REDENOMINATED[code]
        return ValueProblem(
            "unsupported_currency",
            f"Northbeam does not accept {label} yet; it still uses the old code {old}. The new "
            f"currency replaced the old one in {year} ({rate}), so the amounts cannot simply be "
            f"labelled {old}. Convert these orders to a currency Northbeam accepts, such as USD, "
            "or ask Northbeam support.",
        )
    if code in _FUND_OR_METAL:
        return ValueProblem(
            "unsupported_currency",
            f"{_quote(shown)} is the code for {_FUND_OR_METAL[code]}, not a currency customers "
            "pay in, and Northbeam does not accept it. Type the currency of the order, "
            "such as USD or EUR.",
        )
    return ValueProblem(
        "unsupported_currency",
        f"Northbeam does not accept {label} yet. Convert these orders to a currency Northbeam "
        "accepts, such as USD, or ask Northbeam support.",
    )


def normalize_currency(value: CellValue) -> tuple[str, str | None]:
    """The 3-letter code Northbeam accepts for a currency cell, and a note when it was changed.

    "USD" → ("USD", None); "usd", "€", "US$", "euros" → the code with a note; "$", "¥", "kr" →
    `ambiguous_currency`; valid ISO codes Northbeam refuses (BYN, VES, XAU…) →
    `unsupported_currency`; anything else → `unknown_currency`.
    """
    shown = _shown(value)
    if isinstance(value, str) and shown in ACCEPTED_CURRENCIES:
        return shown, None
    upper = shown.upper()
    if upper in ACCEPTED_CURRENCIES:
        return upper, f"{_quote(shown)} will be sent as “{upper}”."
    if len(upper) == 3 and upper in _ALL_CURRENCY_CODES:
        raise _unsupported(upper, shown)
    if upper in _WITHDRAWN:
        raise _withdrawn(upper, shown)
    if not shown:
        raise ValueProblem(
            "unknown_currency", "The currency is empty. Type a 3-letter code such as USD or EUR."
        )
    key = _ckey(shown)
    code = _CURRENCY_SYNONYMS.get(key)
    if code is None and key not in _AMBIGUOUS_CURRENCIES and key.endswith("s"):
        code = _CURRENCY_SYNONYMS.get(key[:-1])
    if code is not None:
        if code not in ACCEPTED_CURRENCIES:
            raise _unsupported(code, shown)
        return code, f"{_quote(shown)} will be sent as “{code}”."
    options = _AMBIGUOUS_CURRENCIES.get(key)
    if options is not None:
        listed = ", ".join(_currency_label(c) for c in options)
        raise ValueProblem(
            "ambiguous_currency",
            f"{_quote(shown)} could be {listed} or another currency. Type the 3-letter code, "
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
        "unknown_currency",
        f"{_quote(shown)} is not a currency Northbeam knows.{hint} Type a 3-letter code such as "
        "USD, EUR or GBP.",
        suggestion=suggestion,
    )


# --------------------------------------------------------------------------------------------
# Countries
# --------------------------------------------------------------------------------------------

COUNTRY_ALPHA3: frozenset[str] = frozenset(c.alpha_3 for c in pycountry.countries)

_COUNTRY_DROP = re.compile(r"[^0-9a-z]+")
_LEADING_THE = re.compile(r"^\s*the\s+")


def _gkey(text: str) -> str:
    """Lookup key for country names: no accents, punctuation, spaces or leading "the"."""
    folded = _LEADING_THE.sub("", _fold(text).replace("&", " and "))
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
    shown = _shown(value)
    if shown in COUNTRY_ALPHA3:
        return shown, None
    key = _gkey(shown)
    code = _COUNTRY_LOOKUP.get(key)
    if code is not None:
        return code, f"{_quote(shown)} will be sent as “{code}”."
    if not shown:
        raise ValueProblem(
            "unknown_country",
            "The country is empty. Use a 3-letter country code such as USA, GBR or DEU.",
        )
    special = _NO_ISO_CODE.get(key)
    if special == "kosovo":
        which = "" if key == "kosovo" else " (Kosovo)"
        raise ValueProblem(
            "unknown_country",
            f"{_quote(shown)}{which} has no official 3-letter ISO country code yet, so Northbeam "
            "cannot accept it. Leave the country out of the shipping address for these orders.",
        )
    if special == "antilles":
        raise ValueProblem(
            "unknown_country",
            f"{_quote(shown)} (Netherlands Antilles) no longer exists as a country code. Use CUW "
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
        "unknown_country",
        f"{_quote(shown)} is not a country Northbeam knows.{hint} Use a 3-letter country code "
        "such as USA, GBR or DEU.",
        suggestion=suggestion,
    )
