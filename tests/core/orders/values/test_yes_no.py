"""Yes/no cells (parse_bool)."""

from __future__ import annotations

import datetime as dt

import pytest

from northbeam_desktop.core.orders.values import (
    parse_bool,
)
from tests.core.orders.values.common import (
    assert_plain_message,
    problem,
)


@pytest.mark.parametrize(
    "value",
    ["TRUE", "true", "True", "yes", "Yes", "y", "Y", "1", "x", "X", "✓", "wahr", "ja", "oui",
     "si", "sí", "Sí", " TRUE ", True, 1, 1.0],
)  # fmt: skip
def test_parse_bool_true(value) -> None:
    assert parse_bool(value) is True


@pytest.mark.parametrize(
    "value",
    ["FALSE", "false", "False", "no", "No", "n", "N", "0", "falsch", "nein", "non", " no ",
     False, 0, 0.0],
)  # fmt: skip
def test_parse_bool_false(value) -> None:
    assert parse_bool(value) is False


@pytest.mark.parametrize("value", ["maybe", "2", 2, 0.5, "yess", dt.date(2026, 3, 8), None, ""])
def test_parse_bool_problem(value) -> None:
    p = problem(parse_bool, value)
    assert p.code == "not_a_yes_no"
    assert "TRUE or FALSE" in p.message
    assert_plain_message(p)


def test_parse_bool_message() -> None:
    assert problem(parse_bool, "maybe").message == (
        "“maybe” is not a yes/no value. Type TRUE or FALSE."
    )
