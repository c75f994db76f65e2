"""Totals (rules/totals.py): the order total against its products, tax, shipping and discount."""

from __future__ import annotations

from pathlib import Path

import pytest

from northbeam_desktop.core.orders.document import load_document
from northbeam_desktop.core.orders.issues import IssueCode, Severity
from northbeam_desktop.core.orders.rules import totals
from tests.core import orderfiles
from tests.core.orders.rulecases import (
    Agreement,
    IssueCase,
    assert_case,
    assert_screen_agrees,
    damaged_doc,
    issue_at,
    opts,
)

E, W = Severity.ERROR, Severity.WARNING

CASES = [
    IssueCase(
        IssueCode.TOTALS_MISMATCH,
        W,
        (4, "purchase_total"),
        {(4, "purchase_total"): "99.00"},
        says=("come to 45.00", "the order can still be sent"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_issue_cases(tmp_path: Path, case: IssueCase) -> None:
    assert_case(tmp_path, case)


def test_totals_mismatch_and_future_warnings(tmp_path: Path) -> None:
    rows = [list(r) for r in orderfiles.TEMPLATE_CLEAN]
    rows[2][5] = "99.00"  # total of 1002 does not add up
    rows[2][2] = "2027-01-01T00:00:00Z"
    path = orderfiles.write_csv(tmp_path / "totals.csv", orderfiles.TEMPLATE_HEADER, rows)
    doc = load_document(path, opts())
    mismatch = issue_at(doc, 4, "purchase_total", "totals_mismatch")
    assert mismatch and "45.00" in mismatch[0].message and mismatch[0].severity == "warning"
    assert issue_at(doc, 4, "time_of_purchase", "time_in_future")
    assert doc.summary()["valid_orders"] == 2


def test_prices_that_include_tax_add_up_too() -> None:
    assert totals.adds_up(110, 100, 10, 0, 0) == (True, 110)
    assert totals.adds_up(100, 100, 10, 0, 0) == (True, 110)  # tax already in the prices
    assert totals.adds_up(100.1, 100, 0, 0, 0)[0]  # within a cent plus 0.1%
    assert totals.adds_up(120, 100, 10, 0, 0) == (False, 110)


DAMAGE = {
    "purchase_total": ["", "abc", "-5", "999.99", "118.25", "45.00"],
    "tax": ["", "x", "0", "8.25"],
    "shipping_cost": ["", "10.00", "-3"],
    "discount_amount": ["", "10.00"],
    "products_quantity": ["", "two", "3"],
    "products_price": ["", "x", "60.00"],
}


def test_screen_agrees_with_the_check(tmp_path: Path) -> None:
    tally = Agreement()
    for seed in range(40):
        doc = damaged_doc(tmp_path, seed, DAMAGE)
        assert_screen_agrees(doc, totals.NAME, tally)
    assert tally.passed and tally.held
