"""Etsy's two downloads as shops really have them: who the buyer is, guest checkouts, the
order's money on its first row, variations of one listing (core/orders/platforms, derive)."""

from __future__ import annotations

from pathlib import Path

from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument
from northbeam_desktop.core.orders.issues import IssueCode
from northbeam_desktop.core.orders.mapping import auto_map
from northbeam_desktop.core.orders.platforms import Derivation
from northbeam_desktop.core.orders.readers import read_file
from tests.core import realshapes
from tests.core.orderfiles import write_csv


def _document(path: Path) -> OrderDocument:
    return OrderDocument(read_file(path), LoadOptions(timezone="UTC"))


def test_the_buyer_s_username_is_the_customer_id(tmp_path: Path) -> None:
    sheet = read_file(realshapes.etsy_items_quirks(tmp_path))
    mapping = auto_map(sheet.headers, sheet.rows)
    assert mapping.source == "etsy_items"
    assert mapping.derived["customer_id"].how is Derivation.USERNAME
    assert mapping.derived["customer_id"].columns == ("Buyer",)
    assert "customer_id" not in mapping.matches


def test_items_orders_have_the_money_the_buyer_paid(tmp_path: Path) -> None:
    doc = _document(realshapes.etsy_items_quirks(tmp_path))
    sent = {r.order_id: doc.payload(r) for r in doc.orders if not r.has_errors}
    assert set(sent) == set(realshapes.ETSY_ITEMS_QUIRKS_TOTALS)
    for order_id, (
        total,
        shipping,
        tax,
        discount,
        customer,
    ) in realshapes.ETSY_ITEMS_QUIRKS_TOTALS.items():
        payload = sent[order_id]
        # A delivery discount is already taken off Order Delivery: it is not taken off again.
        assert payload["purchase_total"] == total
        assert payload["shipping_cost"] == shipping
        assert payload["tax"] == tax
        assert payload["discount_amount"] == discount
        assert payload["customer_id"] == customer
        assert payload["currency"] == "GBP"


def test_two_variations_of_one_listing_are_two_products(tmp_path: Path) -> None:
    doc = _document(realshapes.etsy_items_quirks(tmp_path))
    order = next(r for r in doc.orders if r.order_id == "2155472128")
    assert not [i for i in order.issues if i.code == IssueCode.DUPLICATE_PRODUCT_LINE]
    products = doc.payload(order)["products"]
    assert [(p["id"], p["variant_name"]) for p in products] == [
        ("874127272", "Size:Large"),
        ("874127272", "Size:Small"),
    ]


def test_the_same_variation_twice_is_still_a_repeated_line(tmp_path: Path) -> None:
    path = realshapes.etsy_items_quirks(tmp_path)
    doc = _document(path)
    variations = doc.sheet.headers.index("Variations")
    doc.set_cell(3, variations, "Size:Large")
    order = next(r for r in doc.orders if r.order_id == "2155472128")
    assert [i.code for i in order.issues] == [IssueCode.DUPLICATE_PRODUCT_LINE]


def test_a_guest_checkout_says_what_it_is_and_what_to_do(tmp_path: Path) -> None:
    for make, column in (
        (realshapes.etsy_items_quirks, "Buyer"),
        (realshapes.etsy_orders_guest, "Buyer User ID"),
    ):
        folder = tmp_path / column.replace(" ", "_")
        folder.mkdir()
        doc = _document(make(folder))
        errors = [i for r in doc.orders for i in r.issues if i.is_error]
        assert len(errors) == 1, errors
        message = errors[0].message
        assert message.startswith("Etsy guest checkout")
        assert f"“{column}”" in message and "email" in message
        assert errors[0].column == column


def test_a_guest_s_email_typed_in_gives_the_suggested_customer_code(tmp_path: Path) -> None:
    doc = _document(realshapes.etsy_items_quirks(tmp_path))
    guest = next(r for r in doc.orders if r.order_id == "1871386301")
    doc.set_cell(guest.row_indices[0], doc.sheet.headers.index("Buyer"), "kasia@example.com")
    issue = next(i for i in guest.issues if i.is_error)
    assert issue.code == IssueCode.CUSTOMER_ID_IS_EMAIL
    assert issue.suggestion is not None and issue.suggestion.startswith("em-")
    doc.set_cell(guest.row_indices[0], doc.sheet.headers.index("Buyer"), issue.suggestion)
    assert not guest.has_errors
    assert doc.payload(guest)["customer_id"] == issue.suggestion


def test_a_file_whose_order_ids_were_emptied_is_checked_without_failing(tmp_path: Path) -> None:
    sheet = read_file(realshapes.etsy_items(tmp_path))
    order_id = sheet.headers.index("Order ID")
    for row in sheet.rows:
        row[order_id] = None
    doc = OrderDocument(sheet, LoadOptions(timezone="UTC"))
    assert doc.orders and all(r.has_errors for r in doc.orders)
    assert {i.field for r in doc.orders for i in r.issues if i.is_error} == {"order_id"}


def test_british_english_orders_files_have_their_address_and_shipping(tmp_path: Path) -> None:
    sheet = read_file(realshapes.etsy_orders_british(tmp_path))
    mapping = auto_map(sheet.headers, sheet.rows)
    assert mapping.source == "etsy_orders"
    assert mapping.column_for("shipping_cost") == "Delivery"
    assert mapping.column_for("purchase_total") == "Order total"
    assert mapping.column_for("customer_shipping_address.country_code") == "Delivery Country"
    assert mapping.column_for("customer_shipping_address.zip") == "Delivery Zipcode"
    doc = OrderDocument(sheet, LoadOptions(timezone="UTC"))
    order_errors = {i.code for r in doc.orders for i in r.issues if i.is_error}
    assert order_errors == set()  # only the file's missing products remain
    assert {i.field for i in doc.file_issues if i.is_error} == {
        "mapping.products.id",
        "mapping.products.name",
        "mapping.products.quantity",
        "mapping.products.price",
    }


def test_an_orders_file_without_its_buyer_column_says_how_to_get_it(tmp_path: Path) -> None:
    path = realshapes.etsy_orders(tmp_path)
    sheet = read_file(path)
    drop = {sheet.headers.index(h) for h in ("Buyer User ID", "Full Name", "Buyer")}
    headers = [h for i, h in enumerate(sheet.headers) if i not in drop]
    rows = [[v for i, v in enumerate(row) if i not in drop] for row in sheet.rows]
    stripped = write_csv(tmp_path / "stripped.csv", headers, [[v or "" for v in r] for r in rows])
    doc = _document(stripped)
    assert "customer_id" not in doc.mapping.matches
    message = next(i.message for i in doc.file_issues if i.field == "mapping.customer_id")
    assert "Buyer User ID" in message and "Number of Items" not in message


def test_a_buyer_column_empty_on_every_row_is_no_guest_checkout(tmp_path: Path) -> None:
    sheet = read_file(realshapes.etsy_items(tmp_path))
    buyer = sheet.headers.index("Buyer")
    for row in sheet.rows:
        row[buyer] = None
    doc = OrderDocument(sheet, LoadOptions(timezone="UTC"))
    messages = {i.message for r in doc.orders for i in r.issues if i.is_error}
    assert messages == {
        "“Buyer” is empty on every row: this copy of the file has no customers in it. Export "
        "the file again with that column filled, or choose a column with customer IDs, emails "
        "or phone numbers in the column mapping."
    }
