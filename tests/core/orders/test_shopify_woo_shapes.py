"""Shopify and WooCommerce exports as shops really write them give the true orders and only
the true problems (fixtures: tests/core/shopwoo_shapes.py)."""

from __future__ import annotations

from pathlib import Path

from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument
from northbeam_desktop.core.orders.issues import IssueCode, Severity
from northbeam_desktop.core.orders.mapping import auto_map
from northbeam_desktop.core.orders.packed import find_packed_products
from northbeam_desktop.core.orders.readers import read_file
from northbeam_desktop.core.orders.rules.identity import phone_customer_id
from tests.core import orderfiles, realshapes, shopwoo_shapes

# Northbeam's own column names, the few a test needs.
HEADER = orderfiles.REQUIRED_HEADER


def load(path: Path) -> OrderDocument:
    return OrderDocument(read_file(path), LoadOptions(timezone="UTC"))


def codes(doc: OrderDocument, severity: Severity) -> list[str]:
    return [i.code for i in doc.all_issues() if i.severity is severity]


def missing(doc: OrderDocument) -> dict[str, str]:
    return {
        i.field.removeprefix("mapping."): i.message
        for i in doc.mapping_issues
        if i.code == IssueCode.UNMAPPED_REQUIRED_FIELD
    }


# ---- Shopify -------------------------------------------------------------------------------


def test_shopify_orders_without_email_take_the_phone_their_channel_filled(tmp_path: Path) -> None:
    doc = load(shopwoo_shapes.shopify_phones_and_lines(tmp_path))
    assert len(doc.orders) == shopwoo_shapes.SHOPIFY_PHONE_ORDERS
    by_name = {doc.payload(r)["order_id"]: doc.payload(r) for r in doc.orders if doc.is_sendable(r)}
    phones = {
        order_id: payload.get("customer_phone_number") for order_id, payload in by_name.items()
    }
    assert phones == {
        "7100000000001": "+1 617 555 0101",  # Phone
        "7100000000002": "+44 7700 900123",  # Shipping Phone, apostrophe gone
        "7100000000003": "(617) 555-0103",  # Billing Phone, next to the email
        "7100000000004": None,
        "7100000000006": "+1 617 555 0106",  # repeated on the continuation row
    }
    assert by_name["7100000000001"]["customer_id"].startswith("ph-")
    assert by_name["7100000000002"]["customer_id"].startswith("ph-")
    assert by_name["7100000000003"]["customer_id"].startswith("em-")


def test_the_one_shopify_order_with_no_email_and_no_phone_is_the_only_error(
    tmp_path: Path,
) -> None:
    doc = load(shopwoo_shapes.shopify_phones_and_lines(tmp_path))
    errors = [i for i in doc.all_issues() if i.severity is Severity.ERROR]
    assert [(i.code, i.order_id) for i in errors] == [(IssueCode.NO_CUSTOMER, "7100000000005")]
    assert codes(doc, Severity.WARNING) == []


def test_a_phone_code_is_the_same_whichever_column_holds_the_phone(tmp_path: Path) -> None:
    doc = load(shopwoo_shapes.shopify_phones_and_lines(tmp_path))
    first = doc.payload(doc.order_by_id("7100000000001"))  # type: ignore[arg-type]
    assert first["customer_id"] == phone_customer_id(doc.checker.context, "+1 617 555 0101")


def test_identical_shopify_lines_go_as_one_line_with_both_quantities(tmp_path: Path) -> None:
    doc = load(shopwoo_shapes.shopify_phones_and_lines(tmp_path))
    record = doc.order_by_id("7100000000004")
    assert record is not None and doc.is_sendable(record)
    payload = doc.payload(record)
    assert [(p["id"], p["quantity"], p["price"]) for p in payload["products"]] == [
        ("001-004", 2, 87.18),
        ("Tip", 1, 10.0),
    ]
    # Northbeam takes each product once per order; the total is the file's.
    assert payload["purchase_total"] == 184.36
    notes = [i for i in record.issues if i.code == IssueCode.DUPLICATE_PRODUCT_LINE]
    assert [(i.severity, i.row) for i in notes] == [(Severity.NOTE, 6)]
    assert "sent as one with quantity 2" in notes[0].message
    assert not [i for i in record.issues if i.severity is not Severity.NOTE]


def test_one_shopify_product_at_two_prices_stays_two_lines_worth_a_look(
    tmp_path: Path,
) -> None:
    path = shopwoo_shapes.shopify_phones_and_lines(tmp_path)
    text = path.read_text(encoding="utf-8")
    # The second jetski line at a discounted price: merging would change what was paid.
    lines = text.splitlines()
    lines[5] = lines[5].replace("87.18", "77.18", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = load(path)
    record = doc.order_by_id("7100000000004")
    assert record is not None
    assert len(doc.payload(record)["products"]) == 3
    warned = [i for i in record.issues if i.code == IssueCode.DUPLICATE_PRODUCT_LINE]
    assert [i.severity for i in warned] == [Severity.WARNING]


def test_a_repeated_line_in_a_hand_made_file_is_still_worth_a_look(tmp_path: Path) -> None:
    rows = [
        ["1001", "C1", "2026-03-08 10:00", "USD", "20", "0", "0", "A", "Apple", "1", "10"],
        ["1001", "C1", "2026-03-08 10:00", "USD", "20", "0", "0", "A", "Apple", "1", "10"],
    ]
    doc = load(orderfiles.write_csv(tmp_path / "twice.csv", HEADER, rows))
    record = doc.orders[0]
    assert [i.code for i in record.issues if i.code == IssueCode.DUPLICATE_PRODUCT_LINE] == [
        IssueCode.DUPLICATE_PRODUCT_LINE
    ]


def test_the_same_product_in_two_variants_is_not_a_duplicate(tmp_path: Path) -> None:
    header = [*HEADER, "products_variant_name"]
    rows = [
        ["1001", "C1", "2026-03-08 10:00", "USD", "30", "0", "0", "TEE", "Tee", "1", "15", "S"],
        ["1001", "C1", "2026-03-08 10:00", "USD", "30", "0", "0", "TEE", "Tee", "1", "15", "M"],
    ]
    path = orderfiles.write_csv(tmp_path / "variants.csv", header, rows)
    doc = load(path)
    assert not [i for i in doc.all_issues() if i.code == IssueCode.DUPLICATE_PRODUCT_LINE]


def test_a_trimmed_shopify_export_says_which_shopify_column_has_each_field(
    tmp_path: Path,
) -> None:
    doc = load(shopwoo_shapes.shopify_lines_without_money(tmp_path))
    assert len(doc.orders) == 2
    found = missing(doc)
    assert set(found) == {
        "customer_id",
        "tax",
        "purchase_total",
        "shipping_cost",
        "products.price",
    }
    assert "Email and Phone" in found["customer_id"]
    assert "Taxes column" in found["tax"]
    assert "Total column" in found["purchase_total"]
    assert "Shipping column" in found["shipping_cost"]
    assert "Lineitem price column" in found["products.price"]
    # Shopify's own words, never other Shopify columns that merely look alike.
    assert not [m for m in found.values() if "might hold" in m]


def test_the_ten_column_shopify_export_says_what_would_give_a_customer(tmp_path: Path) -> None:
    doc = load(realshapes.shopify_trimmed(tmp_path))
    assert doc.mapping.needs("customer_id") == (
        "Shopify's full orders export has each customer's Email and Phone; export again with "
        "all columns."
    )
    assert "Email and Phone" in missing(doc)["customer_id"]


# ---- grouping ------------------------------------------------------------------------------


def test_rows_without_a_key_never_gather_into_an_order_of_their_own(tmp_path: Path) -> None:
    rows = [
        ["1001", "C1", "2026-03-08 10:00", "USD", "30", "0", "0", "A", "Apple", "1", "10"],
        ["", "C1", "2026-03-08 10:00", "USD", "30", "0", "0", "B", "Pear", "1", "20"],
        ["", "C2", "2026-03-09 11:00", "USD", "5", "0", "0", "C", "Plum", "1", "5"],
        ["", "C2", "2026-03-09 11:00", "USD", "5", "0", "0", "D", "Fig", "1", "5"],
    ]
    path = orderfiles.write_csv(tmp_path / "blank_ids.csv", HEADER, rows)
    doc = load(path)
    assert [(r.order_id, r.row_indices) for r in doc.orders] == [
        ("1001", [0, 1]),
        (None, [2]),
        (None, [3]),
    ]


def test_a_blank_key_row_after_an_unkeyed_order_starts_its_own(tmp_path: Path) -> None:
    rows = [
        ["", "C2", "2026-03-09 11:00", "USD", "5", "0", "0", "C", "Plum", "1", "5"],
        ["", "C2", "2026-03-09 11:00", "USD", "5", "0", "0", "D", "Fig", "1", "5"],
        ["1002", "C3", "2026-03-10 12:00", "USD", "7", "0", "0", "E", "Kiwi", "1", "7"],
        ["", "C3", "2026-03-10 12:00", "USD", "7", "0", "0", "F", "Lime", "1", "0"],
    ]
    path = orderfiles.write_csv(tmp_path / "blank_first.csv", HEADER, rows)
    doc = load(path)
    assert [(r.order_id, r.row_indices) for r in doc.orders] == [
        (None, [0]),
        (None, [1]),
        ("1002", [2, 3]),
    ]


# ---- WooCommerce ---------------------------------------------------------------------------


def test_a_woocommerce_report_with_products_but_no_quantity_says_just_that(
    tmp_path: Path,
) -> None:
    doc = load(shopwoo_shapes.woocommerce_products_without_quantity(tmp_path))
    assert len(doc.orders) == 2
    found = missing(doc)
    assert set(found) == {
        "tax",
        "currency",
        "shipping_cost",
        "products.quantity",
        "products.price",
    }
    for key in ("products.quantity", "products.price"):
        assert "has one row per product but not each product's quantity and price" in found[key]
        assert "no product lines" not in found[key]
    assert "tax_total" in found["tax"]
    assert "order_currency" in found["currency"]
    assert "shipping_total" in found["shipping_cost"]


def test_woocommerce_item_total_is_the_line_so_the_price_is_divided(tmp_path: Path) -> None:
    doc = load(shopwoo_shapes.woocommerce_legacy_item_totals(tmp_path))
    assert doc.mapping.source == "woocommerce"
    assert not missing(doc)
    assert codes(doc, Severity.ERROR) == [] and codes(doc, Severity.WARNING) == []
    first = doc.payload(doc.orders[0])
    assert [(p["id"], p["quantity"], p["price"]) for p in first["products"]] == [
        ("woo-0065", 2, 216.16),
        ("woo-0034", 2, 147.13),
        ("woo-0026", 1, 128.67),
    ]
    assert first["purchase_total"] == 855.25


def test_a_woocommerce_plugins_labels_are_read_and_only_true_gaps_remain(
    tmp_path: Path,
) -> None:
    doc = load(shopwoo_shapes.woocommerce_plugin_labels(tmp_path))
    assert doc.mapping.source == "woocommerce"
    mapping = doc.mapping
    assert mapping.column_for("products.quantity") == "Quantity of items purchased"
    assert mapping.column_for("products.price") == "Item price EXCL. tax"
    assert mapping.column_for("shipping_cost") == "Order Shipping"
    assert mapping.column_for("customer_phone_number") == "Billing Phone Number"
    # Names without SKUs are sent as the IDs (a note per line), not a missing column.
    assert set(missing(doc)) == {"tax", "currency"}
    notes = [i for i in doc.all_issues() if i.code == IssueCode.PRODUCT_ID_FROM_NAME]
    assert len(notes) == 3


def test_numbered_product_columns_are_never_read_as_one_product(tmp_path: Path) -> None:
    doc = load(shopwoo_shapes.woocommerce_numbered_items(tmp_path))
    mapping = doc.mapping
    assert mapping.source == "woocommerce"
    product_columns = {
        m.column for key, m in mapping.matches.items() if key.startswith("products.")
    }
    assert product_columns == set()  # order_number is not a product number either
    found = missing(doc)
    for key in ("products.id", "products.name", "products.quantity", "products.price"):
        assert found[key].count("“Product Item 1 Name”") == 1
        assert "one row per product" in found[key]


def test_products_in_one_cell_say_so_in_one_sentence(tmp_path: Path) -> None:
    doc = load(shopwoo_shapes.products_in_one_cell(tmp_path))
    assert "Products" not in {m.column for m in doc.mapping.matches.values()}
    found = missing(doc)
    sentence = "“Products” lists all of an order's products in one cell."
    for key in ("products.id", "products.name", "products.quantity", "products.price"):
        assert sentence in found[key]
        assert "might hold" not in found[key]


def test_a_products_column_with_one_product_a_row_is_not_packed() -> None:
    headers = ["Order", "Products", "Qty", "Price"]
    rows = [["1", "Tee, blue, XL", "1", "10"], ["1", "Cap", "2", "5"]]
    assert find_packed_products(headers, rows) is None
    assert auto_map(headers, rows).packed is None


def test_tax_and_address_numbers_are_not_product_groups() -> None:
    headers = ["Name", "Tax 1 Name", "Tax 1 Value", "Billing Address1", "Street 1"]
    assert find_packed_products(headers, None) is None


def test_a_checkouts_stand_in_email_is_not_sent_and_the_phone_tells_the_customer(
    tmp_path: Path,
) -> None:
    header = ["order_id", "time_of_purchase", "customer_email", "customer_phone_number"]
    header += ["currency", "purchase_total", "tax", "shipping_cost"]
    header += ["products_id", "products_name", "products_quantity", "products_price"]
    stand_in = "noemail_ph_num_919953125242@noemail.magic-checkout.invalid"
    money = ["INR", "20", "0", "0", "T-1", "Top", "1", "20"]
    rows = [
        ["SG2421", "2026-06-17 11:31", stand_in, "+919953125242", *money],
        ["SG2422", "2026-06-17 12:00", stand_in.upper(), "", *money],
    ]
    doc = load(orderfiles.write_csv(tmp_path / "orders.csv", header, rows))
    first = doc.payload(doc.orders[0])
    assert "customer_email" not in first
    assert first["customer_id"] == phone_customer_id(doc.checker.context, "+919953125242")
    notes = [i for i in doc.note_issues if i.code == IssueCode.VALUE_CONVERTED]
    assert any("stand-in for a missing email" in i.message for i in notes)
    # Without a phone the order has nothing that tells its customer: the one true error.
    assert [i.code for i in doc.orders[1].issues if i.is_error] == [IssueCode.NO_CUSTOMER]


def test_a_woocommerce_rest_export_reads_its_own_names_and_says_what_it_lacks(
    tmp_path: Path,
) -> None:
    doc = load(shopwoo_shapes.woocommerce_rest_orders_packed(tmp_path))
    mapping = doc.mapping
    assert mapping.source == "woocommerce"
    assert mapping.column_for("order_id") == "id"  # never the payment's transaction_id
    assert mapping.column_for("purchase_total") == "total"
    assert mapping.column_for("tax") == "total_tax"
    # item_count is the order's, not a line's quantity: no product field from this file.
    assert not [key for key in mapping.matches if key.startswith("products.")]
    found = missing(doc)
    assert set(found) == {"products.id", "products.name", "products.quantity", "products.price"}
    assert all(
        "“line_items” lists all of an order's products in one cell" in m for m in found.values()
    )
    # The billing street is not sent with the recipient's (empty) shipping city and country.
    assert "customer_shipping_address.address1" not in mapping.matches
    assert mapping.column_for("customer_shipping_address.country_code") == "shipping_country"
    assert [i.code for i in doc.all_issues() if i.is_error] == [
        IssueCode.UNMAPPED_REQUIRED_FIELD
    ] * 4
