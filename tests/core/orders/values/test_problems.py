"""ValueProblem: the reason a cell cannot be understood."""

from __future__ import annotations

from northbeam_desktop.core.orders.values import (
    ValueProblem,
)


def test_value_problem_attributes() -> None:
    p = ValueProblem("not_a_number", "“x” is not an amount.", "12")
    assert (p.code, p.message, p.suggestion) == ("not_a_number", "“x” is not an amount.", "12")
    assert str(p) == "“x” is not an amount."
    assert isinstance(p, Exception)
    assert ValueProblem("blank", "m").suggestion is None
