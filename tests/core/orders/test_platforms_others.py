"""Squarespace, Wix, BigCommerce and Amazon exports as shops really have them
(core/orders/platforms, derive, rules/order_info)."""

from __future__ import annotations

from pathlib import Path

from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument
from northbeam_desktop.core.orders.issues import IssueCode
from northbeam_desktop.core.orders.readers import read_file
from tests.core import realshapes


def _document(path: Path, **options: object) -> OrderDocument:
    return OrderDocument(read_file(path), LoadOptions(timezone="UTC", **options))  # type: ignore[arg-type]


def test_squarespace_lines_join_their_order_and_totals_add_up(tmp_path: Path) -> None:
    doc = _document(realshapes.squarespace_orders(tmp_path))
    assert doc.mapping.source == "squarespace"
    assert [(r.order_id, r.row_indices) for r in doc.orders] == [
        ("1", [0, 1]),
        ("4", [2, 3]),
        ("2", [4]),
    ]
    sent = {r.order_id: doc.payload(r) for r in doc.orders if not r.held_back}
    assert {k: p["purchase_total"] for k, p in sent.items()} == {"1": 30, "4": 50}
    assert [len(p["products"]) for p in sent.values()] == [2, 2]
    assert not [i for r in doc.orders for i in r.issues if i.severity != "note"]


def test_a_cancelled_order_s_refund_is_no_warning_while_it_is_held_back(tmp_path: Path) -> None:
    path = realshapes.squarespace_orders(tmp_path)
    held = _document(path).order_by_id("2")
    assert held is not None and held.held_back
    assert [i.code for i in held.issues] == [IssueCode.ORDER_CANCELLED]
    sent = _document(path, include_cancelled=True).order_by_id("2")
    assert sent is not None and not sent.held_back
    assert [i.code for i in sent.issues] == [IssueCode.ORDER_CANCELLED, IssueCode.REFUND_NOT_SENT]


def test_wix_s_date_and_time_columns_make_the_time_of_purchase(tmp_path: Path) -> None:
    doc = _document(realshapes.wix_orders(tmp_path))
    assert doc.mapping.source == "wix"
    assert doc.mapping.derived["time_of_purchase"].columns == ("Date created", "Time")
    first, second = (doc.payload(r) for r in doc.orders)
    assert first["time_of_purchase"] == "2024-12-08T21:15:51+00:00"
    assert second["time_of_purchase"] == "2025-01-13T11:02:03+00:00"
    assert (first["purchase_total"], len(first["products"])) == (38.9, 2)
    assert not [i for r in doc.orders for i in r.issues if i.severity != "note"]


def test_editing_wix_s_time_cell_changes_the_time_of_purchase(tmp_path: Path) -> None:
    doc = _document(realshapes.wix_orders(tmp_path))
    doc.set_cell(2, doc.sheet.headers.index("Time"), "11:30:00 PM")
    assert doc.payload(doc.orders[1])["time_of_purchase"] == "2025-01-13T23:30:00+00:00"
    doc.set_cell(2, doc.sheet.headers.index("Time"), "not a time")
    errors = [i for i in doc.orders[1].issues if i.is_error]
    assert [i.column for i in errors] == ["Date created"]


def test_amazon_lines_money_and_blank_tax_or_shipping(tmp_path: Path) -> None:
    sheet = read_file(realshapes.amazon_orders(tmp_path))
    tax, shipping = sheet.headers.index("item-tax"), sheet.headers.index("shipping-price")
    sheet.rows[2][tax] = None  # Amazon leaves item-tax and shipping-price empty for none
    sheet.rows[2][shipping] = None
    doc = OrderDocument(sheet, LoadOptions(timezone="Europe/Berlin"))
    first, second = (doc.payload(r) for r in doc.orders)
    # item-price is the whole line: 2 mugs for 40.00 are 20.00 each.
    assert [(p["id"], p["quantity"], p["price"]) for p in first["products"]] == [
        ("MUG-1", 2, 20.0),
        ("PLATE-1", 1, 15.0),
    ]
    assert (first["tax"], first["shipping_cost"], first["purchase_total"]) == (4.95, 5, 64.95)
    assert (second["tax"], second["shipping_cost"], second["purchase_total"]) == (0, 0, 20)
    # The report's own zone wins over the one chosen for files without one.
    assert first["time_of_purchase"] == "2026-03-08T08:04:21+00:00"
    assert not [i for r in doc.orders for i in r.issues if i.severity != "note"]


def test_an_amazon_line_cancelled_before_payment_costs_nothing(tmp_path: Path) -> None:
    sheet = read_file(realshapes.amazon_orders(tmp_path))
    headers = sheet.headers
    plate = sheet.rows[1]  # the order's second line, cancelled: quantity 0, no price or tax
    plate[headers.index("item-status")] = "Cancelled"
    plate[headers.index("quantity")] = "0"
    plate[headers.index("item-price")] = None
    plate[headers.index("item-tax")] = None
    doc = OrderDocument(sheet, LoadOptions(timezone="UTC"))
    order = doc.orders[0]
    assert not order.has_errors
    payload = doc.payload(order)
    assert [(p["id"], p["quantity"], p["price"]) for p in payload["products"]] == [
        ("MUG-1", 2, 20.0),
        ("PLATE-1", 0, 0),
    ]
    assert payload["purchase_total"] == 48.6
