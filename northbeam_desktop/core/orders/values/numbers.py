"""Amounts and quantities from one cell, for a column whose decimal separator is known."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import KW_ONLY, dataclass

from northbeam_desktop.core.orders.issues import IssueCode
from northbeam_desktop.core.orders.sheet import CellValue
from northbeam_desktop.core.orders.values.currency import ALL_CURRENCY_CODES
from northbeam_desktop.core.orders.values.problems import ValueProblem
from northbeam_desktop.core.orders.values.text import clean, quote, shown_text


@dataclass(frozen=True, slots=True)
class NumberFormat:
    """How a column writes its numbers.

    `decimal` is "." or ","; `ambiguous` is True when the column gave no decisive evidence (or
    contradicting evidence) and the user should check; `evidence` explains the choice in plain
    words ("" when there was nothing to decide).
    """

    decimal: str
    _: KW_ONLY  # the flag and the evidence are named at every call
    ambiguous: bool
    evidence: str


DOT_DECIMAL = NumberFormat(".", ambiguous=False, evidence="")

_FAST_DOT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_FAST_INT = re.compile(r"-?[0-9]+")
_FAST_COMMA = re.compile(r"-?[0-9]+,[0-9]+")

SPACES = " \u00a0\u2007\u2009\u202f"
APOSTROPHES = "'’"
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
_NUMBER_BODY = re.compile(rf"[0-9.,{SPACES}{APOSTROPHES}]*[0-9][0-9.,{SPACES}{APOSTROPHES}]*")
_SCIENTIFIC = re.compile(r"([0-9]+)(?:[.,]([0-9]+))?[eE]([+-]?[0-9]{1,3})")
_GROUP_SPLIT = re.compile(rf"[{SPACES}{APOSTROPHES},.]")


def _example_amount(fmt_decimal: str) -> str:
    return "12,50" if fmt_decimal == "," else "12.50"


def _not_a_number(shown: str, decimal: str, *, why: str = "") -> ValueProblem:
    if not shown:
        return ValueProblem(
            IssueCode.BLANK, f"The cell is empty. Type a number such as {_example_amount(decimal)}."
        )
    reason = f" {why}" if why else ""
    return ValueProblem(
        IssueCode.NOT_A_NUMBER,
        f"{quote(shown)} is not an amount.{reason} Type a number such as {_example_amount(decimal)} (no letters).",
    )


def _too_large(shown: str, decimal: str) -> ValueProblem:
    return ValueProblem(
        IssueCode.NOT_A_NUMBER,
        f"{quote(shown)} is too large to be an amount. Type a number such as "
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
            IssueCode.NOT_A_NUMBER,
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
            IssueCode.NOT_A_NUMBER,
            f"{quote(shown_text(value))} is a date or time, not an amount. Type a number such as {_example_amount(fmt.decimal)}.",
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
            if m is None or (m.group("code") and m.group("code").upper() not in ALL_CURRENCY_CODES):
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
            IssueCode.NOT_A_NUMBER,
            f"{quote(text)} is not an amount: it has more than one minus sign or bracket. "
            f"Type a number such as -{_example_amount(decimal)} or ({_example_amount(decimal)}).",
        )
    return body, negatives == 1


def grouping_ok(groups: list[str], sep: str) -> bool:
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
            kinds.add(" " if ch in SPACES else "'" if ch in APOSTROPHES else ch)
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
    if int_part[0] in SPACES or int_part[-1] in SPACES:
        return None
    groups, kinds = _split_groups(int_part)
    if len(kinds) != 1 or not all(g.isdigit() for g in groups):
        return None
    sep = kinds.pop()
    if sep == decimal:  # pragma: no cover - partition removed it
        return None
    if sep not in (other, " ", "'"):
        return None
    if not grouping_ok(groups, sep):
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
    shown = clean(text)
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
            IssueCode.WRONG_DECIMAL_SEPARATOR,
            f"{quote(shown)} uses a {other_word} for decimals, but the other amounts in this column "
            f"use a {decimal_word} (like {_example_amount(decimal)}). Type {fixed}, or change the "
            f"column's decimal separator to a {other_word} if most amounts use one.",
            suggestion=fixed,
        )
    if alternative is not None:
        # "1.234.567" in a column with a decimal point: grouped thousands in the other style.
        fixed = _render(alternative[0], "", decimal, negative)
        raise ValueProblem(
            IssueCode.BAD_THOUSANDS_SEPARATOR,
            f"{quote(shown)} separates thousands with {decimal_word}s, but this column uses a "
            f"{decimal_word} for decimals. Type {fixed} (without the {decimal_word}s).",
            suggestion=fixed,
        )
    raise ValueProblem(
        IssueCode.BAD_THOUSANDS_SEPARATOR,
        f"{quote(shown)} is not an amount we can read: its thousands separators are in the wrong "
        f"places. Type it without thousands separators, such as 1234{decimal}50.",
    )
