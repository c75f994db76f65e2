"""Product lines (rules/products.py): at least one, complete, in range, not repeated."""

from __future__ import annotations

from pathlib import Path

import pytest

from northbeam_desktop.core.orders.document import load_document
from northbeam_desktop.core.orders.issues import IssueCode, Severity
from northbeam_desktop.core.orders.rules import products
from tests.core import orderfiles
from tests.core.orders.rulecases import (
    Agreement,
    IssueCase,
    assert_case,
    assert_screen_agrees,
    damaged_doc,
    issues_at,
    opts,
    template_doc,
)

E, W = Severity.ERROR, Severity.WARNING

CASES = [
    IssueCase(
        IssueCode.NO_PRODUCTS,
        E,
        (4, "products_id"),
        {
            (4, "products_id"): "",
            (4, "products_name"): "",
            (4, "products_quantity"): "",
            (4, "products_price"): "",
        },
        says=("has no products",),
    ),
    IssueCase(
        IssueCode.PRODUCT_ID_FROM_NAME,
        Severity.NOTE,
        (4, "products_id"),
        {(4, "products_id"): ""},
        says=("“Canvas tote” is sent as the ID",),
    ),
    IssueCase(
        IssueCode.DUPLICATE_PRODUCT_LINE,
        W,
        (3, "products_id"),
        {(3, "products_id"): "SKU-1"},
        says=("appears twice in this order (rows 2 and 3)",),
    ),
    IssueCase(
        IssueCode.NEGATIVE_NUMBER,
        E,
        (4, "products_quantity"),
        {(4, "products_quantity"): "-1"},
    ),
    IssueCase(
        IssueCode.NUMBER_TOO_LARGE,
        E,
        (4, "products_price"),
        {(4, "products_price"): "1e15"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_issue_cases(tmp_path: Path, case: IssueCase) -> None:
    assert_case(tmp_path, case)


def test_empty_required_value_says_where_it_is_needed(tmp_path: Path) -> None:
    rows = [list(r) for r in orderfiles.TEMPLATE_CLEAN]
    rows[2][orderfiles.TEMPLATE_HEADER.index("products_name")] = ""
    doc = load_document(
        orderfiles.write_csv(tmp_path / "no_name.csv", orderfiles.TEMPLATE_HEADER, rows), opts()
    )
    [issue] = [i for i in doc.all_issues() if i.code == "required"]
    assert issue.message == (
        "Product name is empty. Northbeam needs it on every product line; type it in."
    )


def test_a_bad_product_cell_names_its_line(tmp_path: Path) -> None:
    doc = template_doc(tmp_path, {(3, "products_price"): "x"})
    [issue] = issues_at(doc, 3, "products_price", "not_a_number")
    assert issue.field == "products[1].price"


DAMAGE = {
    "products_id": ["", "SKU-1", "SKU-2"],
    "products_name": ["", "Thing"],
    "products_quantity": ["", "-1", "two", "3"],
    "products_price": ["", "-2", "x", "60.00", "1e15"],
}


def test_screen_agrees_with_the_check(tmp_path: Path) -> None:
    tally = Agreement()
    for seed in range(40):
        doc = damaged_doc(tmp_path, seed, DAMAGE)
        assert_screen_agrees(doc, products.NAME, tally)
    assert tally.passed and tally.held
