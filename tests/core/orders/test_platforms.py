"""Which platform a file comes from, and which of its columns mean what (core/orders/platforms)."""

from __future__ import annotations

from pathlib import Path

import pytest

from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument
from northbeam_desktop.core.orders.fields import DERIVED_CUSTOMER_ID, FIELDS_BY_KEY
from northbeam_desktop.core.orders.mapping import (
    MatchReason,
    auto_map,
    column_hints,
    mapping_from_preset,
)
from northbeam_desktop.core.orders.platforms import (
    Derivation,
    detect_platform,
    recognition_sentence,
)
from northbeam_desktop.core.orders.readers import read_file
from tests.core import orderfiles, realshapes


def sheet_of(path: Path):
    return read_file(path)


@pytest.mark.parametrize(
    ("make", "platform"),
    [
        (realshapes.shopify_real_shape, "shopify"),
        (realshapes.shopify_trimmed, "shopify"),
        (realshapes.etsy_items, "etsy_items"),
        (realshapes.etsy_orders, "etsy_orders"),
        (realshapes.woocommerce_rest, "woocommerce"),
        (realshapes.amazon_orders, "amazon"),
        (orderfiles.template_clean, "northbeam"),
        (orderfiles.shopify_export, "shopify"),
    ],
)
def test_each_export_is_recognised(tmp_path: Path, make, platform: str) -> None:
    sheet = sheet_of(make(tmp_path))
    found = detect_platform(sheet.headers)
    assert found is not None and found.key == platform
    assert auto_map(sheet.headers, sheet.rows).source == platform
    assert recognition_sentence(found).startswith("This looks like ")


@pytest.mark.parametrize(
    ("headers", "platform"),
    [
        (
            [
                "Order ID",
                "Customer ID",
                "Customer Email",
                "Order Date",
                "Order Status",
                "Subtotal (inc tax)",
                "Tax Total",
                "Order Total (inc tax)",
                "Order Currency Code",
                "Product Details",
            ],
            "bigcommerce",
        ),
        (
            [
                "Order ID",
                "Email",
                "Created at",
                "Paid at",
                "Financial Status",
                "Lineitem name",
                "Lineitem quantity",
                "Lineitem price",
                "Lineitem variant",
                "Amount Refunded",
            ],
            "squarespace",
        ),
        (
            [
                "Order number",
                "Date created",
                "Time",
                "Contact email",
                "Item",
                "Variant",
                "Qty",
                "Price",
                "Delivery country",
                "Shipping rate",
                "Total tax",
                "Total",
                "Currency",
            ],
            "wix",
        ),
        (
            [
                "Order Number",
                "Order Status",
                "Order Date",
                "Email (Billing)",
                "Phone (Billing)",
                "Postcode (Shipping)",
                "SKU",
                "Name",
                "Quantity",
                "Item Cost",
                "Order Shipping Amount",
                "Order Total Amount",
            ],
            "woocommerce",
        ),
    ],
)
def test_platforms_known_from_their_published_headers(headers: list[str], platform: str) -> None:
    found = detect_platform(headers)
    assert found is not None and found.key == platform


def test_a_file_with_no_platform_s_columns_is_generic() -> None:
    assert detect_platform(["Order", "Date", "Amount", "Product"]) is None
    assert recognition_sentence(None) == "The columns were matched by their names."


def test_shopify_keeps_id_as_order_id_and_groups_by_name(tmp_path: Path) -> None:
    sheet = sheet_of(realshapes.shopify_real_shape(tmp_path))
    mapping = auto_map(sheet.headers, sheet.rows)
    assert mapping.column_for("order_id") == "Id"
    assert mapping.column_for("order_number") == "Name"
    assert mapping.matches["order_id"].reason is MatchReason.KNOWN_EXPORT
    assert "Name" in mapping.matches["order_id"].note
    assert mapping.column_for("refunded_total") == "Refunded Amount"
    assert "refunds.refund_amount" not in mapping.matches
    assert mapping.column_for("cancelled_at") == "Cancelled at"
    assert mapping.column_for("duties") == "Duties"
    assert mapping.column_for("customer_id") == DERIVED_CUSTOMER_ID
    assert mapping.describe("order_id").startswith("“Id”: column of a Shopify orders export.")


def test_choosing_name_then_id_again_keeps_the_rows_together(tmp_path: Path) -> None:
    sheet = sheet_of(realshapes.shopify_real_shape(tmp_path))
    mapping = auto_map(sheet.headers, sheet.rows)
    mapping.set("order_id", "Name")
    assert "order_number" not in mapping.matches  # Name is the order ID and the key now
    assert mapping.group_column() == "Name"
    mapping.set("order_id", "Id")
    assert mapping.column_for("order_number") == "Name"


def test_shopify_phone_comes_from_the_first_of_its_three_phone_columns(tmp_path: Path) -> None:
    sheet = sheet_of(realshapes.shopify_real_shape(tmp_path))
    for mapping in (auto_map(sheet.headers, sheet.rows), auto_map(sheet.headers)):
        assert mapping.column_for("customer_phone_number") is None
        derived = mapping.derived["customer_phone_number"]
        assert derived.how is Derivation.FIRST_FILLED
        assert derived.columns == ("Phone", "Billing Phone", "Shipping Phone")
        assert mapping.column_for("customer_id") == DERIVED_CUSTOMER_ID


def test_the_trimmed_shopify_export_uses_name_and_billing_columns(tmp_path: Path) -> None:
    mapping = auto_map(sheet_of(realshapes.shopify_trimmed(tmp_path)).headers)
    assert mapping.column_for("order_id") == "Name"
    assert mapping.column_for("customer_shipping_address.zip") == "Billing Zip"
    assert {spec.key for spec in mapping.missing_required()} == {
        "customer_id",
        "currency",
        "products.id",
        "products.name",
        "products.quantity",
        "products.price",
    }


def test_etsy_order_total_never_comes_from_order_value(tmp_path: Path) -> None:
    mapping = auto_map(sheet_of(realshapes.etsy_orders(tmp_path)).headers)
    assert mapping.column_for("purchase_total") == "Order Total"
    assert mapping.column_for("time_of_purchase") == "Sale Date"
    assert mapping.column_for("customer_id") == "Buyer User ID"
    assert mapping.column_for("customer_shipping_address.zip") == "Ship Zipcode"
    # The orders file has no product lines; its SKU column is not one.
    assert not [key for key in mapping.matches if key.startswith("products.")]


def test_generic_files_prefer_the_total_over_an_items_value() -> None:
    mapping = auto_map(["Order", "Order Value", "Order Total", "Date"])
    assert mapping.column_for("purchase_total") == "Order Total"


def test_etsy_items_derive_the_order_money_from_the_rows(tmp_path: Path) -> None:
    sheet = sheet_of(realshapes.etsy_items(tmp_path))
    mapping = auto_map(sheet.headers, sheet.rows)
    assert mapping.column_for("products.id") == "Listing ID"  # SKU is empty in the file
    assert mapping.derived["tax"].how is Derivation.SUM_OF_ROWS
    assert mapping.derived["tax"].columns == ("Order Sales Tax",)
    assert mapping.derived["discount_amount"].columns == ("Discount Amount",)
    assert mapping.derived["purchase_total"].how is Derivation.TOTAL_FROM_PARTS
    assert mapping.missing_required() == []
    assert mapping.describe("purchase_total").startswith("made from products + sales tax")


def test_woocommerce_rest_names_are_not_called_missing(tmp_path: Path) -> None:
    mapping = auto_map(sheet_of(realshapes.woocommerce_rest(tmp_path)).headers)
    assert mapping.column_for("order_id") == "wc_order_id"
    assert mapping.column_for("time_of_purchase") == "date_created"
    assert mapping.column_for("customer_email") == "billing_email"
    assert mapping.column_for("customer_shipping_address.zip") == "shipping_postcode"
    assert mapping.column_for("order_status") == "status"
    assert mapping.missing_required() == []


def test_amazon_line_price_and_summed_money(tmp_path: Path) -> None:
    mapping = auto_map(sheet_of(realshapes.amazon_orders(tmp_path)).headers)
    assert mapping.column_for("order_id") == "amazon-order-id"
    assert mapping.column_for("products.quantity") == "quantity"
    assert mapping.derived["products.price"].how is Derivation.UNIT_PRICE
    assert mapping.derived["tax"].columns == ("item-tax", "shipping-tax")
    assert mapping.missing_required() == []


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Order Total (USD)", "purchase_total"),
        ("orderTotal", "purchase_total"),
        ("Item Qty", "products.quantity"),
        ("shipping_cost_eur", "shipping_cost"),
    ],
)
def test_unknown_headers_match_by_their_words(header: str, field: str) -> None:
    mapping = auto_map(["Order ID", header])
    assert mapping.column_for(field) == header


@pytest.mark.parametrize("header", ["Order Subtotal", "Total before tax", "Net total"])
def test_words_that_make_a_column_something_else_are_never_the_total(header: str) -> None:
    assert auto_map(["Order ID", header]).column_for("purchase_total") is None


def test_a_lone_refunded_column_is_the_order_s_refunded_total() -> None:
    mapping = auto_map(["Order ID", "Refunded amount"])
    assert mapping.column_for("refunded_total") == "Refunded amount"
    assert not [key for key in mapping.matches if key.startswith("refunds.")]


def test_hints_say_why_a_column_is_suggested() -> None:
    headers = ["Order ID", "Totl paid"]
    mapping = auto_map(headers)
    hints = column_hints(FIELDS_BY_KEY["purchase_total"], headers, mapping)
    assert hints and hints[0].column == "Totl paid"
    assert "“" in hints[0].evidence


def test_a_mapping_file_can_unmap_a_field(tmp_path: Path) -> None:
    sheet = sheet_of(realshapes.shopify_real_shape(tmp_path))
    mapping, notes = mapping_from_preset(
        {"version": 1, "fields": {"refunded_total": None, "customer_phone_number": None}},
        sheet.headers,
    )
    assert notes == []
    assert "refunded_total" not in mapping.matches
    assert "customer_phone_number" not in mapping.matches


def test_a_cleared_field_stays_cleared_in_the_saved_preset(tmp_path: Path) -> None:
    sheet = sheet_of(realshapes.shopify_real_shape(tmp_path))
    mapping = auto_map(sheet.headers, sheet.rows)
    mapping.set("order_tags", None)
    preset = mapping.to_preset(sheet.headers)
    assert preset["fields"]["order_tags"] is None
    again, _notes = mapping_from_preset(preset, sheet.headers)
    assert "order_tags" not in again.matches


def test_shopify_rows_group_by_name_with_the_id_carried_down(tmp_path: Path) -> None:
    sheet = sheet_of(realshapes.shopify_real_shape(tmp_path))
    doc = OrderDocument(sheet, LoadOptions(timezone="UTC"))
    assert len(doc.orders) == realshapes.SHOPIFY_ORDERS
    assert [r.order_id for r in doc.orders] == [f"610000000000{i}" for i in range(1, 8)]
    assert [len(r.row_indices) for r in doc.orders] == [3, 1, 1, 2, 1, 1, 2]
    first = doc.payload(doc.orders[0])
    assert [p["id"] for p in first["products"]] == ["MUG-1", "PLATE-1", "SPOON-1"]
    assert not [i for i in doc.orders[0].issues if i.code == "order_value_conflict"]


def test_a_row_without_key_continues_only_an_order_it_agrees_with(tmp_path: Path) -> None:
    header = orderfiles.REQUIRED_HEADER
    rows = [
        ["1001", "C1", "2026-03-08 10:00", "USD", "30", "0", "0", "A", "Apple", "1", "10"],
        ["", "C1", "2026-03-08 10:00", "USD", "30", "0", "0", "B", "Pear", "1", "20"],
        ["", "C2", "2026-03-09 11:00", "USD", "5", "0", "0", "C", "Plum", "1", "5"],
    ]
    path = orderfiles.write_csv(tmp_path / "blank_ids.csv", header, rows)
    doc = OrderDocument(read_file(path), LoadOptions(timezone="UTC"))
    assert [(r.order_id, r.row_indices) for r in doc.orders] == [("1001", [0, 1]), (None, [2])]
    assert [i.code for i in doc.orders[1].issues if i.is_error] == ["required"]


def test_editing_a_name_moves_the_row_and_one_edit_back_restores_it(tmp_path: Path) -> None:
    sheet = sheet_of(realshapes.shopify_real_shape(tmp_path))
    doc = OrderDocument(sheet, LoadOptions(timezone="UTC"))
    name = sheet.headers.index("Name")
    kept = doc.orders[1]
    changed = doc.set_cell(2, name, "#1002")  # the Spoon line goes to order #1002
    assert doc.orders[0].row_indices == [0, 1]
    assert doc.order_of_row[2] is doc.orders[1] and doc.orders[1].row_indices == [2, 3]
    assert {r.order_id for r in changed} == {"6100000000001", "6100000000002"}
    doc.set_cell(2, name, "#1001")
    assert doc.orders[0].row_indices == [0, 1, 2]
    assert doc.orders[1].row_indices == [3]
    assert len(doc.orders) == realshapes.SHOPIFY_ORDERS
    assert kept.row_indices == [3]
