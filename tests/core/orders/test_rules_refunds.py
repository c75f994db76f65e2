"""Refunds (rules/refunds.py): complete, of the order's products, not more than sold."""

from __future__ import annotations

from pathlib import Path

import pytest

from northbeam_desktop.core.orders.document import load_document
from northbeam_desktop.core.orders.issues import IssueCode, Severity
from northbeam_desktop.core.orders.rules import refunds
from tests.core import orderfiles
from tests.core.orders.rulecases import (
    REFUND_COLUMNS,
    Agreement,
    IssueCase,
    assert_case,
    assert_schema_valid,
    assert_screen_agrees,
    damaged_doc,
    issue_at,
    opts,
)

E, W = Severity.ERROR, Severity.WARNING

REFUND = ("SKU-1", "1", "25", "30", "2026-03-15")


def refund_edits(row: int, values: tuple[str, ...] = REFUND) -> dict[tuple[int, str], str]:
    return {(row, column): text for column, text in zip(REFUND_COLUMNS, values, strict=True)}


CASES = [
    IssueCase(
        IssueCode.REFUND_INCOMPLETE,
        E,
        (2, "refunds_refund_made_at"),
        refund_edits(2, ("SKU-1", "1", "25", "30", "")),
        columns=REFUND_COLUMNS,
        says=("Refund date is empty, but this row has a refund",),
    ),
    IssueCase(
        IssueCode.REFUND_UNKNOWN_PRODUCT,
        E,
        (2, "refunds_product_id"),
        refund_edits(2, ("SKU-9", "1", "25", "30", "2026-03-15")),
        columns=REFUND_COLUMNS,
    ),
    IssueCase(
        IssueCode.REFUND_EXCEEDS_SOLD,
        E,
        (2, "refunds_quantity"),
        refund_edits(2, ("SKU-1", "3", "25", "30", "2026-03-15")),
        columns=REFUND_COLUMNS,
        says=("refunded (3) than were sold (2)",),
    ),
    IssueCase(
        IssueCode.DUPLICATE_REFUND,
        W,
        (3, "refunds_product_id"),
        {**refund_edits(2), **refund_edits(3)},
        columns=REFUND_COLUMNS,
        says=("repeats the one in row 2",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_issue_cases(tmp_path: Path, case: IssueCase) -> None:
    assert_case(tmp_path, case)


def test_refund_rules(tmp_path: Path) -> None:
    header = [
        *orderfiles.TEMPLATE_HEADER,
        "refunds_product_id",
        "refunds_quantity",
        "refunds_refund_amount",
        "refunds_refund_cost",
        "refunds_refund_made_at",
    ]
    rows = [[*r, "", "", "", "", ""] for r in orderfiles.TEMPLATE_CLEAN]
    rows[0][-5:] = ["SKU-1", "1", "25", "30", "2026-03-15"]  # fine
    rows[1][-5:] = ["SKU-9", "1", "25", "30", "2026-03-15"]  # not a product of the order
    rows[2][-5:] = ["SKU-3", "3", "40", "40", "2026-03-15"]  # more than sold
    path = orderfiles.write_csv(tmp_path / "refunds.csv", header, rows)
    doc = load_document(path, opts())
    assert issue_at(doc, 3, "refunds_product_id", "refund_unknown_product")
    assert issue_at(doc, 4, "refunds_quantity", "refund_exceeds_sold")
    first = doc.order_by_id("1001")
    doc.set_cell(1, header.index("refunds_product_id"), "SKU-2")
    assert not first.has_errors
    payload = doc.payload(first)
    assert payload["refunds"][0] == {
        "product_id": "SKU-1",
        "quantity": 1,
        "refund_amount": 25,
        "refund_cost": 30,
        "refund_made_at": "2026-03-15T00:00:00-04:00",
    }
    assert_schema_valid([payload])


DAMAGE = {
    "refunds_product_id": ["", "SKU-1", "SKU-9"],
    "refunds_quantity": ["", "1", "9", "-1"],
    "refunds_refund_amount": ["", "25"],
    "refunds_refund_made_at": ["", "2026-03-15", "soon"],
}


def test_screen_agrees_with_the_check(tmp_path: Path) -> None:
    tally = Agreement()
    for seed in range(40):
        doc = damaged_doc(
            tmp_path,
            seed,
            DAMAGE,
            columns=REFUND_COLUMNS,
            fill=dict(zip(REFUND_COLUMNS, ("SKU-1", "1", "25", "30", "2026-03-15"), strict=True)),
        )
        assert_screen_agrees(doc, refunds.NAME, tally)
    assert tally.passed and tally.held
