"""Yes/no cells (is_recurring_order)."""

from __future__ import annotations

from northbeam_desktop.core.orders.issues import IssueCode
from northbeam_desktop.core.orders.sheet import CellValue
from northbeam_desktop.core.orders.values.problems import ValueProblem
from northbeam_desktop.core.orders.values.text import clean, quote, shown_text, split_words

_TRUE_WORDS = frozenset(
    split_words("true t yes y 1 1.0 x ✓ ✔ ☑ on wahr ja j oui si sí vrai verdadero sim waar")
)
_FALSE_WORDS = frozenset(
    split_words("false f no n 0 0.0 ✗ ✘ off falsch nein non faux falso não nao onwaar nee")
)


def parse_bool(value: CellValue) -> bool:
    """A yes/no value: TRUE/FALSE, yes/no, y/n, 1/0, x, ✓, and German/French/Spanish words."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        key = clean(value).casefold()
        if key in _TRUE_WORDS:
            return True
        if key in _FALSE_WORDS:
            return False
    elif isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    shown = shown_text(value)
    if not shown:
        raise ValueProblem(IssueCode.NOT_A_YES_NO, "The cell is empty. Type TRUE or FALSE.")
    raise ValueProblem(
        IssueCode.NOT_A_YES_NO,
        f"{quote(shown)} is not a yes/no value. Type TRUE or FALSE.",
    )
