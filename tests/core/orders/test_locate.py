"""From a JSON path of an order's payload back to its cell (core/orders/locate.py)."""

from __future__ import annotations

from pathlib import Path

from northbeam_desktop.core.orders.document import load_document
from tests.core import orderfiles
from tests.core.orders.rulecases import IDENTITY_COLUMNS, REFUND_COLUMNS, opts, template_doc


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


def test_lines_are_found_by_their_position_in_the_payload(tmp_path: Path) -> None:
    edits = {(3, "refunds_product_id"): "SKU-2", (3, "refunds_quantity"): "1"}
    edits |= {
        (3, c): v for c, v in zip(REFUND_COLUMNS[2:], ("60", "60", "2026-03-15"), strict=True)
    }
    doc = template_doc(tmp_path, edits, columns=REFUND_COLUMNS)
    record = doc.order_by_id("1001")
    assert record is not None
    assert doc.cell_of(record, "refunds[0].quantity") == (3, "refunds_quantity")
    assert doc.cell_of(record, "products[0].id") == (2, "products_id")
    assert doc.cell_of(record, "products[7].id") == (2, "products_id")  # no such line: the order


def test_hashed_paths_lead_to_the_plain_cells_they_were_made_from(tmp_path: Path) -> None:
    doc = template_doc(
        tmp_path,
        {(4, "customer_phone_number"): "+1 415 555 2671"},
        columns=IDENTITY_COLUMNS[1:2],
        hash_identifiers=True,
    )
    record = doc.order_by_id("1002")
    assert record is not None
    assert doc.cell_of(record, "hashed_customer_email") == (4, "customer_email")
    assert doc.cell_of(record, "hashed_customer_phone_number") == (4, "customer_phone_number")


def test_paths_that_name_no_cell_lead_to_the_order(tmp_path: Path) -> None:
    doc = load_document(orderfiles.template_clean(tmp_path), opts())
    record = doc.order_by_id("1002")
    assert record is not None
    assert doc.cell_of(record, "not a path") == (4, None)
    assert doc.cell_of(record, "customer_name") == (4, None)  # no such column in this file
