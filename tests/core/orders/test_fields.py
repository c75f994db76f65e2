"""The field catalogue (core/orders/fields.py) against the bundled OpenAPI file, and the one
JSON-path builder every problem and every payload path uses."""

from __future__ import annotations

import pytest

from northbeam_desktop.core.orders.fields import FIELDS, FIELDS_BY_KEY, json_path, order_schema


def test_catalogue_covers_the_schema() -> None:
    schema = order_schema()
    order_fields = {f.name for f in FIELDS if f.container is None}
    assert order_fields == set(schema["properties"]) - {
        "products",
        "refunds",
        "customer_shipping_address",
        "alternate_order_ids",
    }
    product_fields = {f.name for f in FIELDS if f.container == "products"}
    assert product_fields == set(schema["properties"]["products"]["items"]["properties"])
    refund_fields = {f.name for f in FIELDS if f.container == "refunds"}
    assert refund_fields == set(schema["properties"]["refunds"]["items"]["properties"])
    address_fields = {f.name for f in FIELDS if f.container == "customer_shipping_address"}
    assert address_fields == set(schema["properties"]["customer_shipping_address"]["properties"])
    required = {f.name for f in FIELDS if f.container is None and f.required} | {"products"}
    assert required == set(schema["required"])


@pytest.mark.parametrize(
    ("key", "index", "expected"),
    [
        ("tax", 0, "tax"),
        ("tax", None, "tax"),
        ("products.price", 2, "products[2].price"),
        ("products.price", 0, "products[0].price"),
        ("products.price", None, "products[*].price"),
        ("refunds.quantity", 1, "refunds[1].quantity"),
        ("alternate_order_ids.type", 0, "alternate_order_ids[0].type"),
        ("customer_shipping_address.zip", 3, "customer_shipping_address.zip"),
        ("customer_shipping_address.zip", None, "customer_shipping_address.zip"),
    ],
)
def test_json_path(key: str, index: int | None, expected: str) -> None:
    assert json_path(FIELDS_BY_KEY[key], index=index) == expected


def test_every_field_has_a_label_and_a_description() -> None:
    for spec in FIELDS:
        assert spec.label and spec.label[0].isupper(), spec.key
        assert spec.description.endswith("."), spec.key
        assert FIELDS_BY_KEY[spec.key] is spec
