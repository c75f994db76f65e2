"""The JSON sent for an order (core/orders/payload.py): assembled from what the rules found,
valid against Northbeam's schema, keys in the schema's order, empty optional fields left out."""

from __future__ import annotations

from pathlib import Path

from northbeam_desktop.core.orders.document import load_document
from northbeam_desktop.core.orders.fields import order_schema
from northbeam_desktop.core.orders.payload import build_payload
from tests.core import orderfiles
from tests.core.orders.rulecases import assert_schema_valid, opts, template_doc


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


def test_every_payload_key_is_in_the_schema(tmp_path: Path) -> None:
    schema = order_schema()
    doc = load_document(orderfiles.template_clean(tmp_path), opts())
    for payload in doc.payloads(doc.orders):
        assert set(payload) <= set(schema["properties"])
        for product in payload["products"]:
            assert set(product) <= set(schema["properties"]["products"]["items"]["properties"])


def test_keys_follow_the_schema_order(tmp_path: Path) -> None:
    doc = load_document(orderfiles.template_clean(tmp_path), opts())
    payload = doc.payload(doc.orders[0])
    schema_keys = list(order_schema()["properties"])
    keys = [key for key in payload if key != "shipping_cost"]
    assert keys == sorted(keys, key=schema_keys.index)
    assert list(payload)[-1] == "shipping_cost"  # where Northbeam's examples put it


def test_the_payload_is_built_from_the_checked_facts(tmp_path: Path) -> None:
    doc = template_doc(tmp_path, {(4, "tax"): "-1"})
    record = doc.order_by_id("1002")
    assert record is not None and record.has_errors
    facts, issues = doc.checker.read(record)
    assert [i.code for i in issues] == [i.code for i in record.issues]
    payload = build_payload(facts)
    assert payload == doc.payload(record)
    assert "tax" not in payload  # an amount Northbeam refuses is not sent
    assert payload["products"] == facts.products and payload["customer_id"] == "C-2"


def test_payloads_and_payload_agree(tmp_path: Path) -> None:
    doc = load_document(orderfiles.shopify_export(tmp_path), opts())
    assert doc.payloads(doc.orders) == [doc.payload(record) for record in doc.orders]
    assert_schema_valid(doc.payloads(doc.orders))
