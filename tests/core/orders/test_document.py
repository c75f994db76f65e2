"""The document end to end on real files: mapping, grouping, converting, checking, editing,
Northbeam's answers painted on cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from northbeam_desktop.core.orders.document import OrderDocument, load_document
from northbeam_desktop.core.orders.issues import IssueCode, Severity
from northbeam_desktop.core.orders.mapping import MatchReason, auto_map, mapping_from_preset
from northbeam_desktop.core.orders.readers import read_file
from tests.core import orderfiles
from tests.core.orders.rulecases import IssueCase, assert_case, assert_schema_valid, issue_at, opts


def test_template_planted_defects_are_reported_at_their_cells(tmp_path: Path) -> None:
    doc = load_document(orderfiles.template_defects(tmp_path), opts())
    assert issue_at(doc, 3, "currency", "order_value_conflict")
    assert issue_at(doc, 4, "tax", "required")
    assert issue_at(doc, 4, "tax")[0].suggestion == "0"
    converted = issue_at(doc, 5, "customer_shipping_address_country_code", "value_converted")
    assert converted and "USA" in converted[0].message and converted[0].severity == "note"
    assert issue_at(doc, 5, "purchase_total", "not_a_number")
    assert issue_at(doc, 6, "products_quantity", "negative_number")
    assert issue_at(doc, 7, "customer_id", "customer_id_is_order_id")
    ambiguous = issue_at(doc, 8, "currency", "ambiguous_currency")
    assert ambiguous and ambiguous[0].is_error and ambiguous[0].field == "currency"
    by_id = {r.order_id: r for r in doc.orders}
    assert by_id["1001"].has_errors and by_id["1002"].has_errors
    assert by_id["1004"].issues[0].field == "products[0].quantity"
    assert doc.summary()["valid_orders"] == 0
    for issue in doc.all_issues():
        assert "Traceback" not in issue.message and "{" not in issue.message


def test_shopify_export_maps_and_groups_first_row_layout(tmp_path: Path) -> None:
    path = orderfiles.shopify_export(tmp_path)
    sheet = read_file(path)
    mapping = auto_map(sheet.headers)
    assert mapping.source == "shopify"
    assert mapping.column_for("order_id") == "Id"
    assert mapping.matches["order_id"].reason is MatchReason.KNOWN_EXPORT
    assert "Name" in mapping.matches["order_id"].note
    assert mapping.matches["customer_id"].reason is MatchReason.DERIVED
    doc = OrderDocument(sheet, opts())
    assert [r.order_id for r in doc.orders] == ["5012345678901", "5012345678902"]
    assert [len(r.row_indices) for r in doc.orders] == [2, 2]
    errors = [i for i in doc.all_issues() if i.is_error]
    assert errors == []
    warnings = doc.all_issues()
    assert {w.code for w in warnings} == {"value_converted"}  # US → USA, GB → GBR
    payloads = doc.payloads(doc.orders)
    assert_schema_valid(payloads)
    assert payloads[0]["time_of_purchase"] == "2026-03-08T13:45:12-05:00"
    assert payloads[0]["customer_shipping_address"]["country_code"] == "USA"
    assert payloads[0]["order_tags"] == ["vip", "wholesale"]
    assert payloads[0]["customer_id"].startswith("em-")
    assert payloads[0]["customer_id"] != payloads[1]["customer_id"]
    assert len(payloads[0]["products"]) == 2


def test_shopify_name_as_order_id(tmp_path: Path) -> None:
    sheet = read_file(orderfiles.shopify_export(tmp_path))
    mapping = auto_map(sheet.headers)
    mapping.set("order_id", "Name")
    doc = OrderDocument(sheet, opts(mapping=mapping))
    assert [r.order_id for r in doc.orders] == ["#1001", "#1002"]
    assert not [i for i in doc.all_issues() if i.is_error]


def test_shopify_defects(tmp_path: Path) -> None:
    doc = load_document(orderfiles.shopify_export(tmp_path, defects=True), opts())
    assert issue_at(doc, 4, "Taxes", "required")
    assert issue_at(doc, 4, "Currency", "value_converted")
    assert issue_at(doc, 5, "Lineitem sku", "product_id_from_name")


def test_european_csv_needs_a_mapping_then_reads_decimal_commas(tmp_path: Path) -> None:
    path = orderfiles.european_csv(tmp_path)
    doc = load_document(path, opts())
    missing = [i for i in doc.file_issues if i.code == "unmapped_required_field"]
    assert [i.field for i in missing] == ["mapping.order_id"]
    assert "Beleg-Nr." in missing[0].message or "Order ID" in missing[0].message
    mapping, notes = mapping_from_preset({"fields": {"order_id": "Beleg-Nr."}}, doc.sheet.headers)
    assert notes == []
    doc = OrderDocument(doc.sheet, opts(mapping=mapping, timezone="Europe/Berlin"))
    assert not [i for i in doc.all_issues() if i.is_error], doc.all_issues()
    payloads = doc.payloads(doc.orders)
    assert_schema_valid(payloads)
    assert payloads[0]["purchase_total"] == 1234.5
    assert payloads[0]["products"][0]["price"] == 1037.4
    assert payloads[0]["time_of_purchase"] == "2026-03-08T14:05:00+01:00"
    assert payloads[0]["customer_shipping_address"]["country_code"] == "DEU"
    assert payloads[1]["currency"] == "EUR"
    assert payloads[1]["time_of_purchase"] == "2026-03-25T00:00:00+01:00"


def test_xlsx_title_row_date_cells_and_numeric_ids(tmp_path: Path) -> None:
    doc = load_document(orderfiles.xlsx_with_dates_and_title(tmp_path), opts())
    assert doc.sheet.header_row == 3
    assert not [i for i in doc.all_issues() if i.is_error], doc.all_issues()
    payloads = doc.payloads(doc.orders)
    assert_schema_valid(payloads)
    assert payloads[0]["order_id"] == "1001" and payloads[0]["customer_id"] == "2044"
    assert payloads[0]["products"][0]["id"] == "555"
    assert payloads[0]["time_of_purchase"] == "2026-03-08T13:45:00-04:00"
    assert payloads[0]["customer_shipping_address"]["zip"] == "02134"


def test_editing_a_cell_revalidates_only_that_order(tmp_path: Path) -> None:
    doc = load_document(orderfiles.template_defects(tmp_path), opts())
    tax_col = doc.sheet.headers.index("tax")
    record = doc.order_by_id("1002")
    other = doc.order_by_id("1001")
    other_issues = other.issues
    changed = doc.set_cell(2, tax_col, "0")
    assert changed == [record]
    assert not record.has_errors
    assert other.issues is other_issues  # untouched
    # Fix the conflicting currency in row 3 → order 1001 becomes valid.
    doc.set_cell(1, doc.sheet.headers.index("currency"), "USD")
    assert not doc.order_by_id("1001").has_errors


def test_editing_the_order_id_moves_the_row(tmp_path: Path) -> None:
    doc = load_document(orderfiles.template_clean(tmp_path), opts())
    id_col = doc.sheet.headers.index("order_id")
    changed = doc.set_cell(1, id_col, "1002")
    ids = sorted(r.order_id for r in changed)
    assert ids == ["1001", "1002"]
    assert doc.order_by_id("1001").row_indices == [0]
    assert doc.order_by_id("1002").row_indices == [1, 2]
    # Rows now disagree inside 1002 → a conflict error on one of them
    assert doc.order_by_id("1002").has_errors
    doc.set_cell(1, id_col, "2000")
    assert [r.order_id for r in doc.orders] == ["1001", "2000", "1002"]


def test_server_rejection_is_painted_on_the_named_cell_until_edited(tmp_path: Path) -> None:
    doc = load_document(orderfiles.template_clean(tmp_path), opts())
    record = doc.order_by_id("1001")
    doc.record_upload_result(record, "failed", "rejected", [("products[1].price", "Too expensive")])
    assert record.has_errors and record.upload_status == "failed"
    price_col = doc.sheet.headers.index("products_price")
    [issue] = doc.issues_for_cell(1, price_col)
    assert issue.code == "server_rejected" and "Too expensive" in issue.message
    assert issue.row == 3 and issue.column == "products_price"
    doc.set_cell(1, price_col, "61.00")
    assert doc.issues_for_cell(1, price_col) == [] or all(
        i.code != "server_rejected" for i in doc.issues_for_cell(1, price_col)
    )


# ---- order-level editing --------------------------------------------------------------------


def test_order_level_rows_cover_every_row_of_a_template_order(tmp_path: Path) -> None:
    doc = load_document(orderfiles.template_clean(tmp_path), opts())
    headers = doc.sheet.headers
    tax, price, order_id = (headers.index(h) for h in ("tax", "products_price", "order_id"))
    assert doc.is_order_level(tax)
    assert not doc.is_order_level(price) and not doc.is_order_level(order_id)
    assert doc.order_level_rows(1, tax) == [0, 1]  # either row of order 1001 writes both
    assert doc.order_level_rows(2, tax) == [2]
    assert doc.order_level_rows(1, price) == [1]  # a product line stays one row
    assert doc.order_level_rows(1, order_id) == [1]  # an order ID edit moves only that row


def test_order_level_rows_leave_shopify_continuation_lines_blank(tmp_path: Path) -> None:
    doc = load_document(orderfiles.shopify_export(tmp_path), opts())
    taxes = doc.sheet.headers.index("Taxes")
    record = doc.order_of_row[0]
    assert record is not None and record.row_indices == [0, 1]
    # Typed on the continuation line, the order's tax lives on its first row.
    assert doc.order_level_rows(1, taxes) == [0]
    assert doc.order_level_rows(0, taxes) == [0]


def test_editing_an_order_clears_its_upload_failed_status(tmp_path: Path) -> None:
    doc = load_document(orderfiles.template_clean(tmp_path), opts())
    record = doc.order_by_id("1002")
    assert record is not None
    doc.record_upload_result(record, "failed", "rejected", [("tax", "is required")])
    tax = doc.sheet.headers.index("tax")
    doc.set_cell(2, tax, "0")
    assert record.upload_status is None and record.upload_message is None
    assert not record.has_errors


# ---- problems with the file as a whole, and Northbeam's answers ------------------------------

CASES = [
    IssueCase(
        IssueCode.UNMAPPED_REQUIRED_FIELD,
        Severity.ERROR,
        (None, None),
        make=lambda folder: load_document(orderfiles.european_csv(folder), opts()),
        says=("No column of this file holds Order ID", "Choose it in the column mapping"),
    ),
    IssueCase(
        IssueCode.VALUE_CONVERTED,
        Severity.NOTE,
        (4, "customer_shipping_address_country_code"),
        {(4, "customer_shipping_address_country_code"): "us"},
        says=("“us” will be sent as “USA”", "(1 order)"),
    ),
    IssueCase(
        IssueCode.AMBIGUOUS_DECIMAL,
        Severity.WARNING,
        (None, "purchase_total"),
        {(r, "purchase_total"): "1,234" for r in (2, 3, 4)},
        says=("could be one thousand two hundred thirty-four or one point two three four",),
    ),
    IssueCase(
        IssueCode.GUESSED_DATE_ORDER,
        Severity.WARNING,
        (None, "time_of_purchase"),
        {(r, "time_of_purchase"): "03/08/2026" for r in (2, 3, 4)},
    ),
    IssueCase(
        IssueCode.SERVER_REJECTED,
        Severity.ERROR,
        (3, "products_price"),
        then=lambda doc: doc.record_upload_result(
            doc.orders[0], "failed", "rejected", [("products[1].price", "Too expensive")]
        ),
        says=("Northbeam rejected this value: Too expensive",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_issue_cases(tmp_path: Path, case: IssueCase) -> None:
    assert_case(tmp_path, case)
