"""Quick fixes keep an order whole, reuse what the file knows and never lower a total."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from northbeam_desktop.core.orders.document import (
    LoadOptions,
    OrderDocument,
    OrderRecord,
    load_document,
)
from northbeam_desktop.core.orders.issues import Issue
from northbeam_desktop.core.orders.quick_fixes import QuickFix, QuickFixer
from northbeam_desktop.core.orders.sheet import SheetData, SourceFormat
from tests.core import orderfiles

NOW = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)


def load(path: Path) -> OrderDocument:
    return load_document(path, LoadOptions(timezone="America/New_York", now=NOW))


@pytest.fixture
def doc(tmp_path: Path) -> OrderDocument:
    return load(orderfiles.fixing_defects(tmp_path))


def order(doc: OrderDocument, order_id: str) -> OrderRecord:
    record = doc.order_by_id(order_id)
    assert record is not None
    return record


def issue_of(doc: OrderDocument, order_id: str, code: str) -> Issue:
    record = order(doc, order_id)
    # Values changed for you are noted once for the file, at the first cell they occur in.
    return next(
        i
        for i in [*record.issues, *doc.note_issues]
        if i.code == code and (i.order_id == order_id or i.row_index in record.row_indices)
    )


def apply(doc: OrderDocument, fix: QuickFix) -> None:
    for row, col, value in fix.changes:
        doc.set_cell(row, col, value)


def sent(doc: OrderDocument, order_id: str) -> dict[str, Any]:
    return doc.payload(order(doc, order_id))


def column(doc: OrderDocument, header: str) -> int:
    return doc.sheet.headers.index(header)


# ---- the revenue trap -----------------------------------------------------------------------


def test_empty_tax_gets_the_tax_the_total_leaves(doc: OrderDocument) -> None:
    fixes = QuickFixer(doc).fixes_for(issue_of(doc, "3003", "required"))
    best = fixes[0]
    assert (best.label, best.kind) == ("Use 20.32", "derived_tax")
    assert "234.95" in best.explanation and "194.63" in best.explanation
    # Written on both rows of the order, so the order stays whole.
    assert best.rows == order(doc, "3003").row_indices
    apply(doc, best)
    assert sent(doc, "3003")["tax"] == 20.32
    assert sent(doc, "3003")["purchase_total"] == 234.95
    assert order(doc, "3003").issues == []


def test_after_a_zero_tax_the_fix_goes_to_the_parts_never_to_the_total(
    doc: OrderDocument,
) -> None:
    """The trap: "Use 0" for the tax, then "Use 214.63" for the total loses 20.32 of revenue."""
    fixer = QuickFixer(doc)
    zero = next(f for f in fixer.fixes_for(issue_of(doc, "3003", "required")) if f.kind == "zero")
    apply(doc, zero)
    mismatch = issue_of(doc, "3003", "totals_mismatch")
    fixes = QuickFixer(doc).fixes_for(mismatch)
    assert fixes[0].label == "Set tax to 20.32"
    assert "20.32 more than" in fixes[0].explanation
    total_col = column(doc, "purchase_total")
    assert all(c != total_col for f in fixes for _, c, _ in f.changes)
    apply(doc, fixes[0])
    assert sent(doc, "3003")["purchase_total"] == 234.95
    assert order(doc, "3003").issues == []


def test_a_total_below_its_parts_may_go_up_but_the_discount_comes_first(
    doc: OrderDocument,
) -> None:
    doc.set_cell(0, column(doc, "purchase_total"), "50.00")  # parts make 57.92
    doc.set_cell(1, column(doc, "purchase_total"), "50.00")
    fixes = QuickFixer(doc).fixes_for(issue_of(doc, "3001", "totals_mismatch"))
    assert [f.label for f in fixes] == ["Set discount to 7.92", "Set total to 57.92"]


def test_no_fix_anywhere_lowers_a_purchase_total(tmp_path: Path) -> None:
    """Every fix of every problem of the fixture (and of the trap's second step), applied to a
    fresh copy of the file: no order's total goes down."""
    fresh = load(orderfiles.fixing_defects(tmp_path))
    trap = QuickFixer(fresh).fixes_for(issue_of(fresh, "3003", "required"))
    apply(fresh, trap[-1])  # "Use 0": the mismatch warning now has fixes of its own
    path = tmp_path / "after_zero.csv"
    _write(fresh, path)
    for source in (orderfiles.fixing_defects(tmp_path), path):
        base = load(source)
        for index, issue in enumerate(base.all_issues()):
            for number, fix in enumerate(QuickFixer(base).fixes_for(issue)):
                copy = load(source)
                before = {r.order_id: _total(copy, r) for r in copy.orders}
                apply(copy, fix)
                for record in copy.orders:
                    old, new = before.get(record.order_id), _total(copy, record)
                    if old is not None and new is not None:
                        assert new >= old, (index, number, fix.label, record.order_id)


def _total(doc: OrderDocument, record: OrderRecord) -> float | None:
    value = doc.columns["purchase_total"].values[record.row_indices[0]]
    return float(value) if value.__class__ in (int, float) else None


def _write(doc: OrderDocument, path: Path) -> None:
    rows = [[("" if v is None else str(v)) for v in row] for row in doc.sheet.rows]
    orderfiles.write_csv(path, doc.sheet.headers, rows)


def test_missing_shipping_and_unreadable_total_come_from_the_rest(doc: OrderDocument) -> None:
    fixer = QuickFixer(doc)
    shipping = fixer.fixes_for(issue_of(doc, "3013", "required"))[0]
    assert (shipping.label, shipping.kind) == ("Use 5.00", "derived_shipping_cost")
    total = fixer.fixes_for(issue_of(doc, "3012", "not_a_number"))[0]
    assert (total.label, total.kind) == ("Use 32.00", "derived_total")
    apply(doc, shipping)
    apply(doc, total)
    assert sent(doc, "3013")["shipping_cost"] == 5.0 and order(doc, "3013").issues == []
    assert sent(doc, "3012")["purchase_total"] == 32.0 and order(doc, "3012").issues == []


def test_no_total_to_derive_from_offers_zero_and_says_why(doc: OrderDocument) -> None:
    doc.set_cell(15, column(doc, "tax"), None)  # order 3012: total "n/a", now no tax either
    [fix] = QuickFixer(doc).fixes_for(issue_of(doc, "3012", "required"))
    assert fix.label == "Use 0"
    assert "no total" in fix.explanation


# ---- what the file knows --------------------------------------------------------------------


def test_customer_id_comes_from_the_same_email_elsewhere(doc: OrderDocument) -> None:
    fixer = QuickFixer(doc)
    email = fixer.fixes_for(issue_of(doc, "3005", "customer_id_is_email"))
    assert email[0].label == "Use 49990"
    assert "bob@example.com" in email[0].explanation
    assert email[1].value.startswith("em-")  # the made-up code stays a second choice
    same_as_order = fixer.fixes_for(issue_of(doc, "3010", "customer_id_is_order_id"))
    assert same_as_order[0].label == "Use C-1100"
    apply(doc, email[0])
    assert sent(doc, "3005")["customer_id"] == "49990"


def test_product_name_price_and_sku_come_from_the_same_product(doc: OrderDocument) -> None:
    fixer = QuickFixer(doc)
    name = fixer.fixes_for(issue_of(doc, "3006", "required"))[0]
    price = fixer.fixes_for(issue_of(doc, "3007", "not_a_number"))[0]
    sku = fixer.fixes_for(issue_of(doc, "3016", "product_id_from_name"))[0]
    assert (name.label, name.kind) == ("Use Coffee mug", "same_product_name")
    assert "SKU-MUG" in name.explanation
    assert (price.label, price.kind) == ("Use 25.00", "same_product_price")
    assert (sku.label, sku.kind) == ("Use SKU-SOCK", "same_product_id")
    for fix in (name, price, sku):
        apply(doc, fix)
    assert sent(doc, "3006")["products"][0]["name"] == "Coffee mug"
    assert sent(doc, "3007")["products"][0]["price"] == 25.0
    assert sent(doc, "3016")["products"][0]["id"] == "SKU-SOCK"


def test_a_price_no_other_row_knows_is_what_the_total_leaves(doc: OrderDocument) -> None:
    sku = column(doc, "products_id")
    doc.set_cell(10, sku, "SKU-NEW")  # order 3007: price "abc", a product seen nowhere else
    [fix] = QuickFixer(doc).fixes_for(issue_of(doc, "3007", "not_a_number"))
    assert (fix.label, fix.kind) == ("Use 25.00", "derived_price")
    assert "2 units" in fix.explanation


def test_an_ambiguous_currency_becomes_the_files_and_every_row_changes(
    doc: OrderDocument,
) -> None:
    [fix] = QuickFixer(doc).fixes_for(issue_of(doc, "3004", "ambiguous_currency"))
    assert (fix.label, fix.kind) == ("Use USD", "file_currency")
    assert fix.rows == order(doc, "3004").row_indices  # all three rows
    apply(doc, fix)
    assert order(doc, "3004").issues == []


def test_rows_that_disagree_get_one_value_on_every_row(doc: OrderDocument) -> None:
    fixes = QuickFixer(doc).fixes_for(issue_of(doc, "3014", "order_value_conflict"))
    assert [f.label for f in fixes] == ["Use USD", "Use EUR"]  # the first row's value first
    assert fixes[0].rows == order(doc, "3014").row_indices
    apply(doc, fixes[0])
    assert order(doc, "3014").issues == []


def test_a_conflicting_total_never_offers_the_lower_value(doc: OrderDocument) -> None:
    doc.set_cell(1, column(doc, "purchase_total"), "50.00")  # 3001: 57.92 on row 2, 50 on row 3
    fixes = QuickFixer(doc).fixes_for(issue_of(doc, "3001", "order_value_conflict"))
    assert [f.label for f in fixes] == ["Use 57.92"]


def test_text_values_keep_their_own_form(doc: OrderDocument) -> None:
    fixer = QuickFixer(doc)
    quantity = fixer.fixes_for(issue_of(doc, "3008", "negative_number"))[0]
    assert quantity.changes == ((11, column(doc, "products_quantity"), "1"),)
    country = fixer.fixes_for(issue_of(doc, "3009", "value_converted"))[0]
    assert country.label == "Use USA"


def test_a_workbook_gets_numbers_not_text() -> None:
    header = orderfiles.TEMPLATE_HEADER
    rows: list[list[Any]] = [list(r) for r in orderfiles.TEMPLATE_CLEAN]
    for row in rows:
        for name in ("purchase_total", "tax", "shipping_cost", "products_price"):
            i = header.index(name)
            row[i] = float(row[i]) if row[i] else None
    rows[2][header.index("tax")] = None  # order 1002: total 45 = 40 + 5 shipping, tax empty
    sheet = SheetData(
        "orders.xlsx", "Orders", ["Orders"], list(header), 1, rows, [2, 3, 4], SourceFormat("xlsx")
    )
    doc = OrderDocument(sheet, LoadOptions(timezone="UTC", now=NOW))
    [issue] = [i for i in doc.all_issues() if i.code == "required"]
    fix = QuickFixer(doc).fixes_for(issue)[0]
    assert fix.changes == ((2, header.index("tax"), 0),)


# ---- many at once, and the preview ----------------------------------------------------------


def test_group_fix_applies_each_orders_own_value_with_a_preview(tmp_path: Path) -> None:
    rows = [list(r) for r in orderfiles.TEMPLATE_CLEAN]
    tax = orderfiles.TEMPLATE_HEADER.index("tax")
    for row in rows:
        row[tax] = ""
    doc = load(orderfiles.write_csv(tmp_path / "no_tax.csv", orderfiles.TEMPLATE_HEADER, rows))
    issues = [i for i in doc.all_issues() if i.code == "required"]
    fixer = QuickFixer(doc)
    group = fixer.group_fix(issues)
    assert group is not None
    assert (group.orders, group.fixed, group.total) == (2, 2, 2)
    assert group.label == "Use the tax each order's total leaves (2 orders)"
    assert sorted(group.changes) == [(0, tax, "8.25"), (1, tax, "8.25"), (2, tax, "0.00")]
    lines = [line.text() for line in fixer.preview_lines(group.changes)]
    assert lines[0] == "Row 2 · order 1001 · tax: empty → “8.25”"
    assert len(lines) == 3


def test_group_fix_with_one_value_says_so(doc: OrderDocument) -> None:
    conflicts = [doc.order_by_id("3014")]
    issues = [i for r in conflicts if r for i in r.issues]
    group = QuickFixer(doc).group_fix(issues)
    assert group is not None and group.label == "Use USD"  # one order: just the fix


def test_every_planted_defect_but_the_email_is_fixed_by_its_first_fix(
    doc: OrderDocument,
) -> None:
    """One click per defect: the first fix of each problem gives the right value."""
    for _round in range(3):
        fixer = QuickFixer(doc)
        pending = [(i, fixer.fixes_for(i)) for i in doc.all_issues()]
        pending = [(i, f) for i, f in pending if f]
        if not pending:
            break
        apply(doc, pending[0][1][0])
    for _round in range(20):
        fixer = QuickFixer(doc)
        todo = [(i, fixer.fixes_for(i)) for i in doc.all_issues()]
        todo = [(i, f) for i, f in todo if f]
        if not todo:
            break
        apply(doc, todo[0][1][0])
    left = [(i.order_id, i.code) for i in doc.all_issues() if i.severity.is_problem]
    assert left == [("3015", "invalid_email")]
    assert [i.code for i in doc.note_issues] == []  # "us" was typed as "USA" by its fix
    for (order_id, path), expected in orderfiles.FIXING_EXPECTED.items():
        if order_id == "3015":
            continue
        payload = sent(doc, order_id)
        value: Any = payload
        for part in path.replace("[0]", ".0").split("."):
            value = value[int(part)] if part.isdigit() else value[part]
        assert value == expected, (order_id, path)
