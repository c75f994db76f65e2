"""The engine end to end on real files: mapping, grouping, coercion, validation, payloads."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import jsonschema

from devtools.standin import SPEC_PATH, build_order_schema
from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument, load_document
from northbeam_desktop.core.orders.fields import order_schema
from northbeam_desktop.core.orders.mapping import MatchReason, auto_map, mapping_from_preset
from northbeam_desktop.core.orders.readers import read_file
from tests.core import orderfiles

NOW = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)


def opts(**kwargs: Any) -> LoadOptions:
    kwargs.setdefault("timezone", "America/New_York")
    kwargs.setdefault("now", NOW)
    return LoadOptions(**kwargs)


def fixed_schema() -> dict[str, Any]:
    """Northbeam's Order batch schema with its quirks fixed (numeric maximum, patterns matched
    against the whole value), as the local stand-in enforces it."""
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return build_order_schema(spec)


def assert_schema_valid(payloads: list[dict[str, Any]]) -> None:
    validator = jsonschema.Draft202012Validator(
        fixed_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(payloads), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def issue_at(doc: OrderDocument, row: int, column: str, code: str | None = None) -> list:
    return [
        i
        for i in doc.all_issues()
        if i.row == row and i.column == column and (code is None or i.code == code)
    ]


def test_template_clean_file_is_clean_and_matches_official_schema(tmp_path: Path) -> None:
    doc = load_document(orderfiles.template_clean(tmp_path), opts())
    assert doc.all_issues() == []
    assert doc.summary() == {"rows": 3, "orders": 2, "valid_orders": 2}
    payloads = doc.payloads(doc.orders)
    assert_schema_valid(payloads)
    first = payloads[0]
    assert first["order_id"] == "1001"
    assert first["time_of_purchase"] == "2026-03-08T09:23:45+00:00"
    assert first["purchase_total"] == 118.25 and first["tax"] == 8.25
    assert [p["id"] for p in first["products"]] == ["SKU-1", "SKU-2"]
    assert first["products"][0] == {
        "id": "SKU-1",
        "name": "Cotton T-shirt",
        "quantity": 2,
        "price": 25,
    }
    assert first["discount_codes"] == ["SPRING10"]
    assert first["customer_shipping_address"] == {"zip": "02134", "country_code": "USA"}
    assert first["is_recurring_order"] is False
    assert payloads[1]["time_of_purchase"] == "2026-03-09T14:05:00-05:00"
    assert "discount_codes" not in payloads[1]  # optional empty fields are omitted


def test_template_planted_defects_are_reported_at_their_cells(tmp_path: Path) -> None:
    doc = load_document(orderfiles.template_defects(tmp_path), opts())
    assert issue_at(doc, 3, "currency", "order_value_conflict")
    assert issue_at(doc, 4, "tax", "required")
    assert issue_at(doc, 4, "tax")[0].suggestion == "0"
    converted = issue_at(doc, 5, "customer_shipping_address_country_code", "value_converted")
    assert converted and "USA" in converted[0].message and converted[0].severity == "warning"
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


def test_every_payload_key_is_in_the_schema(tmp_path: Path) -> None:
    schema = order_schema()
    doc = load_document(orderfiles.template_clean(tmp_path), opts())
    for payload in doc.payloads(doc.orders):
        assert set(payload) <= set(schema["properties"])
        for product in payload["products"]:
            assert set(product) <= set(schema["properties"]["products"]["items"]["properties"])


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


def test_duplicate_order_id_far_apart_with_different_customers(tmp_path: Path) -> None:
    rows = [list(r) for r in orderfiles.TEMPLATE_CLEAN]
    stray = list(rows[2])
    stray[0] = "1001"
    stray[1] = "C-99"
    stray[2] = "2026-04-01T10:00:00Z"
    rows.append(stray)
    path = orderfiles.write_csv(tmp_path / "dups.csv", orderfiles.TEMPLATE_HEADER, rows)
    doc = load_document(path, opts())
    assert issue_at(doc, 5, "customer_id", "duplicate_order_id")


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


def test_hashing_option_sends_hashes_only(tmp_path: Path) -> None:
    header = [*orderfiles.TEMPLATE_HEADER, "customer_phone_number"]
    rows = [[*r, "(415) 555-2671"] for r in orderfiles.TEMPLATE_CLEAN]
    path = orderfiles.write_csv(tmp_path / "hash.csv", header, rows)
    doc = load_document(path, opts(hash_identifiers=True))
    payload = doc.payload(doc.orders[0])
    assert "customer_email" not in payload and "customer_phone_number" not in payload
    assert re.fullmatch(r"[0-9a-f]{64}", payload["hashed_customer_email"])
    assert payload["hashed_customer_phone_number"] == (
        "cb6880e416769253645cb9c6b8989154bf66a56a77fc14c81fb1019663cbb928"
    )
    assert_schema_valid([payload])


def test_locate_maps_server_paths_to_cells(tmp_path: Path) -> None:
    doc = load_document(orderfiles.template_clean(tmp_path), opts())
    record = doc.order_by_id("1001")
    assert doc.cell_of(record, "products[1].price") == (3, "products_price")
    assert doc.cell_of(record, "currency") == (2, "currency")
    assert doc.cell_of(record, "customer_shipping_address.country_code") == (
        2,
        "customer_shipping_address_country_code",
    )
    assert doc.cell_of(record, "$.tax") == (2, "tax")


def test_json_report_shape_is_serializable(tmp_path: Path) -> None:
    doc = load_document(orderfiles.template_defects(tmp_path), opts())
    text = json.dumps([i.to_json() for i in doc.all_issues()])
    assert '"severity": "error"' in text


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


def test_exported_problem_file_finds_the_same_preset() -> None:
    from northbeam_desktop.core.orders.mapping import header_signature

    headers = ["Bestellnummer", "Kunde", "Total"]
    assert header_signature(headers) == header_signature(["Excel row", "Problems", *headers])


def test_german_french_spanish_headers_map_automatically() -> None:
    mapping = auto_map(
        [
            "Bestellnummer",
            "Kundennummer",
            "Bestelldatum",
            "Währung",
            "Gesamtbetrag",
            "MwSt",
            "Versandkosten",
            "Artikelnummer",
            "Artikel",
            "Menge",
            "Preis",
        ]
    )
    assert mapping.missing_required() == []
    assert mapping.column_for("order_id") == "Bestellnummer"
    assert mapping.column_for("products.price") == "Preis"
    assert auto_map(["Commande", "Prix unitaire"]).column_for("products.price") == "Prix unitaire"


def test_plain_and_hashed_identity_cannot_both_be_sent(tmp_path: Path) -> None:
    digest = "a" * 64
    header = [
        *orderfiles.TEMPLATE_HEADER,
        "hashed_customer_email",
        "customer_phone_number",
        "hashed_customer_phone_number",
    ]
    rows = [[*r, digest, "+1 415 555 2671", digest] for r in orderfiles.TEMPLATE_CLEAN]
    doc = load_document(orderfiles.write_csv(tmp_path / "both.csv", header, rows), opts())
    assert issue_at(doc, 2, "hashed_customer_email", "email_and_hash")
    assert issue_at(doc, 2, "hashed_customer_phone_number", "phone_and_hash")


def test_hashing_reports_a_phone_that_cannot_be_made_international(tmp_path: Path) -> None:
    header = [*orderfiles.TEMPLATE_HEADER, "customer_phone_number"]
    rows = [[*r, "12"] for r in orderfiles.TEMPLATE_CLEAN]
    doc = load_document(
        orderfiles.write_csv(tmp_path / "phone.csv", header, rows), opts(hash_identifiers=True)
    )
    [issue] = issue_at(doc, 2, "customer_phone_number")
    assert issue.is_error and issue.message.startswith("Customer phone:")
    payload = doc.payload(doc.order_by_id("1002"))
    assert "customer_phone_number" not in payload and "hashed_customer_email" in payload


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


def test_empty_required_value_says_where_it_is_needed(tmp_path: Path) -> None:
    rows = [list(r) for r in orderfiles.TEMPLATE_CLEAN]
    rows[2][orderfiles.TEMPLATE_HEADER.index("products_name")] = ""
    path = orderfiles.write_csv(tmp_path / "no_name.csv", orderfiles.TEMPLATE_HEADER, rows)
    doc = load_document(path, opts())
    [issue] = [i for i in doc.all_issues() if i.code == "required"]
    assert issue.message == (
        "Product name is empty. Northbeam needs it on every product line; type it in."
    )
