"""The exact JSON object sent to Northbeam for one order, assembled from what the rules found.

`OrderChecker.read` runs every rule family over the order and returns its facts (the order
values, the identity as sent, the amounts that can be sent, the product lines, refunds, address
and alternate IDs); this module only puts them in the schema's shape and key order. So the JSON
we preview, validate and send is always the one the rules checked.
"""

from __future__ import annotations

from typing import Any

from northbeam_desktop.core.orders import values
from northbeam_desktop.core.orders.fields import FIELDS, Level
from northbeam_desktop.core.orders.rules import OrderFacts

# Order keys in the order of the schema, so previews read like Northbeam's docs.
_ORDER_KEYS = [spec.key for spec in FIELDS if spec.level is Level.ORDER]


def build_payload(facts: OrderFacts) -> dict[str, Any]:
    """The JSON object for the order `facts` describes (optional empty fields left out)."""
    found = facts.values
    sent: dict[str, Any] = {"order_id": facts.record.order_id, "customer_id": facts.customer_id}
    when = found.get("time_of_purchase")
    if when is not None:
        sent["time_of_purchase"] = values.to_iso(when)
    sent.update(facts.identity)
    for key in ("customer_name", "customer_ip_address"):
        if found.get(key):
            sent[key] = found[key]
    for key in ("discount_codes", "order_tags"):
        if found.get(key):
            sent[key] = list(found[key])
    sent.update(facts.amounts)
    for key in ("is_recurring_order", "currency"):
        if found.get(key) is not None:
            sent[key] = found[key]
    payload = {key: sent[key] for key in _ORDER_KEYS if sent.get(key) is not None}
    payload["products"] = facts.products
    if facts.refunds:
        payload["refunds"] = facts.refunds
    if facts.address:
        payload["customer_shipping_address"] = facts.address
    if "shipping_cost" in payload:
        payload["shipping_cost"] = payload.pop("shipping_cost")  # the schema's order
    if facts.alternates:
        payload["alternate_order_ids"] = facts.alternates
    return payload
