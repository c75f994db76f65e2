"""ValueProblem: the reason a cell cannot be understood."""

from __future__ import annotations

import pytest

from northbeam_desktop.core.orders.issues import IssueCode
from northbeam_desktop.core.orders.values import (
    DOT_DECIMAL,
    ValueProblem,
    parse_datetime,
    parse_number,
)
from tests.core.orders.values.common import MDY, UTC


def test_value_problem_attributes() -> None:
    p = ValueProblem("not_a_number", "“x” is not an amount.", "12")
    assert (p.code, p.message, p.suggestion) == ("not_a_number", "“x” is not an amount.", "12")
    assert str(p) == "“x” is not an amount."
    assert isinstance(p, Exception)
    assert ValueProblem("blank", "m").suggestion is None


# A blank cell never reaches the value readers in a file (blanks are simply empty); called on
# one directly, each says what to type.
VALUE_CASES = [
    (IssueCode.BLANK, lambda: parse_number("  ", DOT_DECIMAL), "Type a number such as 12.50"),
    (IssueCode.BLANK, lambda: parse_datetime("", MDY, UTC), "Type a date such as 2026-03-08"),
]


@pytest.mark.parametrize(("code", "call", "says"), VALUE_CASES)
def test_value_cases(code: IssueCode, call, says: str) -> None:
    with pytest.raises(ValueProblem) as info:
        call()
    assert info.value.code is code and says in info.value.message
