"""How a file was read, in the words the app shows: the kind of file, the column that keeps an
order's rows together, and the fields made from other columns (on our own files shaped like
real exports)."""

from __future__ import annotations

from pathlib import Path

from northbeam_desktop.core.orders.document import LoadOptions, load_document
from northbeam_desktop.core.orders.mapping import MatchReason, auto_map
from northbeam_desktop.core.orders.reading import file_reading
from tests.core import realshapes


def test_a_shopify_export_is_named_grouped_by_name_and_gets_customer_codes(
    tmp_path: Path,
) -> None:
    doc = load_document(realshapes.shopify_real_shape(tmp_path), LoadOptions(timezone="UTC"))
    reading = file_reading(doc.mapping)
    assert reading.platform == "Shopify"
    assert reading.headline() == "This looks like a Shopify orders export — columns set for it."
    # A saved mapping, or a column chosen by hand, is said so.
    mapping = doc.mapping.copy()
    mapping.set("order_id", "Name", MatchReason.PRESET)
    assert file_reading(mapping).headline() == (
        "This looks like a Shopify orders export — your saved columns for files like this are used."
    )
    mapping.set("tax", "Taxes")
    assert file_reading(mapping).headline() == (
        "This looks like a Shopify orders export — columns as you chose them."
    )
    assert reading.grouping == "Rows with the same “Name” are one order."
    made = [made.text for made in reading.made]
    assert made[0] == "Customer ID ← made from the customer's email or phone"


def test_etsy_items_say_what_the_total_and_money_are_made_from(tmp_path: Path) -> None:
    reading = file_reading(
        load_document(realshapes.etsy_items(tmp_path), LoadOptions(timezone="UTC")).mapping
    )
    made = {item.key: item.made_from for item in reading.made}
    assert reading.platform == "Etsy"
    assert made["purchase_total"].startswith("products + sales tax + shipping − discounts")
    assert made["tax"] == "the order's Order Sales Tax (on its first row)"
    # Rows of an Etsy order share its Order ID: nothing more to say about grouping.
    assert reading.grouping is None


def test_a_file_of_no_known_shop_is_matched_by_names_and_a_chosen_column_is_not_made(
    tmp_path: Path,
) -> None:
    mapping = auto_map(["order_id", "customer_email", "purchase_total", "products_price"])
    reading = file_reading(mapping)
    assert reading.platform is None
    assert reading.headline() == "The columns were matched by their names."
    mapping.set("purchase_total", "purchase_total", MatchReason.PRESET)
    assert file_reading(mapping).headline() == "Your saved columns for files like this are used."
    assert reading.grouping is None
    # No customer ID column: a code made from the email, as for Shopify.
    assert [made.key for made in reading.made] == ["customer_id"]
    # A field the user points at a column is read from it, no longer made.
    etsy = load_document(realshapes.etsy_items(tmp_path), LoadOptions(timezone="UTC")).mapping
    etsy.set("tax", etsy.column_for("products.price"))
    assert "tax" not in {made.key for made in file_reading(etsy).made}
