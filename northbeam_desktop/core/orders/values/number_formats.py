"""Deciding a column's decimal separator from all its values, with the evidence in words."""

from __future__ import annotations

import re
from collections.abc import Iterable

from northbeam_desktop.core.orders.sheet import CellValue
from northbeam_desktop.core.orders.values.numbers import (
    APOSTROPHES,
    DOT_DECIMAL,
    SPACES,
    NumberFormat,
    grouping_ok,
)
from northbeam_desktop.core.orders.values.text import clean, quote, split_words

_INFER_DROP = str.maketrans("", "", SPACES + APOSTROPHES)
_INFER_CORE = re.compile(r"[.,]?[0-9][0-9.,]*")

_ONES = split_words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_TENS = split_words("_ _ twenty thirty forty fifty sixty seventy eighty ninety")
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
        return f"{theirs}_grouping" if grouping_ok(groups, sep) else None
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


def _tally(values: Iterable[CellValue]) -> tuple[dict[str, int], dict[str, str], dict[str, str]]:
    """How many distinct values say each thing about the decimal separator, the first example
    of each, and the first whose evidence is thousands grouping."""
    counts = {"comma": 0, "dot": 0, "maybe_comma": 0, "maybe_dot": 0}
    examples: dict[str, str] = {}
    grouped: dict[str, str] = {}  # first example whose evidence is thousands grouping
    seen: set[str] = set()
    for value in values:
        if type(value) is not str or value in seen:
            continue
        seen.add(value)
        # Fast paths for the overwhelmingly common plain forms ("12.50", "3").
        kind: str | None
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
            if kind not in grouped:  # clean only for the first example
                grouped[kind] = clean(value)
        counts[kind] += 1
        if kind not in examples:  # clean only for the first example
            examples[kind] = clean(value)

    return counts, examples, grouped


def infer_number_format(values: Iterable[CellValue]) -> NumberFormat:
    """Decide from all values of a column whether "." or "," is its decimal separator."""
    counts, examples, grouped = _tally(values)

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
        return f"Values like {quote(maybe)} could be {thousands} or {decimals}; read as {reading}"

    def style(kind: str) -> tuple[str, str]:
        """(example, what it uses): ("“12,50”", "a comma for decimals")."""
        example = examples[kind]
        if grouped.get(kind) == example:
            return quote(example), f"{'points' if kind == 'comma' else 'commas'} for thousands"
        return quote(example), f"a {'comma' if kind == 'comma' else 'point'} for decimals"

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
        return NumberFormat(decimal, ambiguous=True, evidence=evidence)
    for kind, decimal in (("comma", ","), ("dot", ".")):
        if not counts[kind]:
            continue
        example, used = style(kind)
        if maybe:
            return NumberFormat(
                decimal,
                ambiguous=False,
                evidence=f"{ambiguity_clause(decimal)} because other values in this column, like "
                f"{example}, use {used}.",
            )
        if used.endswith("thousands"):
            word = "comma" if decimal == "," else "point"
            return NumberFormat(
                decimal,
                ambiguous=False,
                evidence=f"Values like {example} use {used}, so the {word} is the decimal separator.",
            )
        return NumberFormat(decimal, ambiguous=False, evidence=f"Values like {example} use {used}.")
    if maybe:
        return NumberFormat(
            ".",
            ambiguous=True,
            evidence=f"{ambiguity_clause('.')}, with a point for decimals and a comma for thousands, "
            "because no value in this column settles it. If your amounts use a comma for "
            "decimals, change the decimal separator to comma.",
        )
    return DOT_DECIMAL
