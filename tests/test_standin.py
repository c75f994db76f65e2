"""The local Northbeam stand-in, exercised over real HTTP on 127.0.0.1 with `requests`."""

from __future__ import annotations

import copy
import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from devtools.standin import (
    MAX_ORDERS_PER_REQUEST,
    ODD_ANSWERS,
    OrderBatchValidator,
    RequestRecord,
    StandinServer,
)

HEADERS = {"Authorization": "None", "Data-Client-ID": "test"}
SHA_EMAIL = (
    "3586de92bb3636d0885a12eff961429a32e4ebd764b96f50d85d016f9338d586"  # johnsmith@gmail.com
)


def make_order(n: int = 1, **overrides: Any) -> dict[str, Any]:
    """A small, realistic, valid v2 order; keyword overrides replace top-level fields."""
    order: dict[str, Any] = {
        "order_id": f"ord-{n:05d}",
        "customer_id": f"cust-{n % 37:04d}",
        "time_of_purchase": "2026-03-08T13:45:12-05:00",
        "customer_email": f"buyer{n}@example.com",
        "customer_name": "Jane Doe",
        "customer_phone_number": "+14155552671",
        "customer_ip_address": "203.0.113.7",
        "currency": "USD",
        "purchase_total": 42.49,
        "tax": 3.5,
        "shipping_cost": 4.99,
        "discount_codes": ["SPRING10"],
        "discount_amount": 4.0,
        "order_tags": ["web"],
        "is_recurring_order": False,
        "products": [
            {
                "id": "mug-1",
                "name": "Mug",
                "quantity": 2,
                "price": 12.5,
                "variant_id": "mug-1-blue",
                "variant_name": "Blue",
            },
            {"id": "tea-7", "name": "Green tea", "quantity": 1, "price": 13.0},
        ],
        "customer_shipping_address": {
            "address1": "1 Main St.",
            "city": "Denver",
            "state": "CO",
            "zip": "80202",
            "country_code": "USA",
        },
    }
    order.update(overrides)
    return order


@pytest.fixture
def server() -> Iterator[StandinServer]:
    with StandinServer() as nb:
        yield nb
    assert nb.server_errors == [], "unexpected exceptions inside the stand-in"


def post(
    nb: StandinServer, body: Any, headers: dict[str, str] | None = None, **kwargs: Any
) -> requests.Response:
    if isinstance(body, bytes | str):
        return requests.post(
            f"{nb.base_url}/orders", data=body, headers=headers or HEADERS, timeout=10, **kwargs
        )
    return requests.post(
        f"{nb.base_url}/orders", json=body, headers=headers or HEADERS, timeout=10, **kwargs
    )


def error_items(resp: requests.Response) -> list[dict[str, Any]]:
    assert resp.status_code == 400, resp.text
    body = resp.json()
    assert body["status"] == "400"
    assert isinstance(body["response"], str), "response must be a JSON-encoded string"
    items = json.loads(body["response"])
    assert isinstance(items, list)
    for item in items:
        assert set(item) == {"order_id", "message", "json_path"}
    return items


# ------------------------------------------------------------------------------------------
# Lifecycle, success, upsert
# ------------------------------------------------------------------------------------------


def test_base_url_needs_start_and_port_zero_picks_a_free_port() -> None:
    nb = StandinServer()
    with pytest.raises(RuntimeError):
        _ = nb.base_url
    with nb:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v2", nb.base_url)
        assert nb.port != 0
    nb.stop()  # idempotent


def test_valid_batch_is_accepted_and_stored(server: StandinServer) -> None:
    batch = [make_order(i) for i in range(3)]
    resp = post(server, batch)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/json"
    assert "upserted" in resp.json()["message"]
    stored = server.stored_orders()
    assert stored == {o["order_id"]: o for o in batch}
    assert server.requests_log[-1] == RequestRecord(
        "POST", "/v2/orders", 200, len(resp.request.body), 3, server.requests_log[-1].time
    )


def test_upsert_last_write_wins(server: StandinServer) -> None:
    assert post(server, [make_order(1), make_order(2)]).status_code == 200
    changed = make_order(1, purchase_total=99.0)
    del changed["customer_email"]
    assert post(server, [changed]).status_code == 200
    stored = server.stored_orders()
    assert stored["ord-00001"] == changed  # replaced whole, not merged
    assert stored["ord-00002"]["purchase_total"] == 42.49
    assert len(stored) == 2


def test_same_order_id_twice_in_one_batch_last_wins(server: StandinServer) -> None:
    assert post(server, [make_order(1, tax=1), make_order(1, tax=2)]).status_code == 200
    assert server.stored_orders()["ord-00001"]["tax"] == 2


def test_store_false_validates_but_stores_nothing() -> None:
    with StandinServer(store=False) as nb:
        assert post(nb, [make_order(1)]).status_code == 200
        assert post(nb, [make_order(2, currency="usd")]).status_code == 400
        assert nb.stored_orders() == {}


def test_stored_orders_is_a_snapshot(server: StandinServer) -> None:
    post(server, [make_order(1)])
    snap = server.stored_orders()
    snap.clear()
    assert len(server.stored_orders()) == 1


def test_hashed_identifiers_and_refunds_are_accepted(server: StandinServer) -> None:
    order = make_order(
        5,
        hashed_customer_email=SHA_EMAIL,
        hashed_customer_phone_number="cb6880e416769253645cb9c6b8989154bf66a56a77fc14c81fb1019663cbb928",
        refunds=[
            {
                "product_id": "tea-7",
                "quantity": 1,
                "refund_amount": 13.0,
                "refund_cost": 15.5,
                "refund_made_at": "2026-03-10T09:00:00.000Z",
            }
        ],
        alternate_order_ids=[{"type": "shopify_checkout_token", "id": "abc-xyz-123"}],
    )
    del order["customer_email"], order["customer_phone_number"]
    resp = post(server, [order])
    assert resp.status_code == 200, resp.text


def test_keep_alive_reuses_one_connection(server: StandinServer) -> None:
    with requests.Session() as session:
        for i in range(4):
            resp = session.post(
                f"{server.base_url}/orders", json=[make_order(i)], headers=HEADERS, timeout=10
            )
            assert resp.status_code == 200
        assert (
            session.get(f"{server.base_url}/orders", headers=HEADERS, timeout=10).status_code == 200
        )
        assert post(server, [make_order(9, currency="usd")]).status_code == 400
    assert server.connections_accepted == 2  # the session's one connection + the lone post


def test_chunked_request_body_is_read(server: StandinServer) -> None:
    payload = json.dumps([make_order(1), make_order(2)]).encode()
    chunks = (payload[i : i + 100] for i in range(0, len(payload), 100))
    resp = requests.post(f"{server.base_url}/orders", data=chunks, headers=HEADERS, timeout=10)
    assert resp.status_code == 200, resp.text
    assert len(server.stored_orders()) == 2


# ------------------------------------------------------------------------------------------
# Auth
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"Data-Client-ID": "test"}, id="missing-authorization"),
        pytest.param({"Authorization": "None"}, id="missing-data-client-id"),
        pytest.param(
            {"Authorization": "wrong", "Data-Client-ID": "test"}, id="wrong-authorization"
        ),
        pytest.param(
            {"Authorization": "None", "Data-Client-ID": "other"}, id="wrong-data-client-id"
        ),
        pytest.param(
            {"Authorization": "Bearer None", "Data-Client-ID": "test"}, id="bearer-prefix"
        ),
        pytest.param({}, id="no-headers"),
    ],
)
def test_post_without_valid_credentials_is_401(
    server: StandinServer, headers: dict[str, str]
) -> None:
    resp = post(server, [make_order(1)], headers=headers or {"X-Nothing": "1"})
    assert resp.status_code == 401
    assert resp.json() == {"status": "401", "response": "Unauthenticated"}
    assert server.stored_orders() == {}


def test_get_and_unknown_paths_need_credentials_too(server: StandinServer) -> None:
    assert requests.get(f"{server.base_url}/orders", timeout=10).status_code == 401
    assert requests.get(f"{server.base_url}/nothing", timeout=10).status_code == 401


def test_custom_credentials() -> None:
    with StandinServer(api_key="k-123", client_id="2f0c-uuid") as nb:
        assert post(nb, [make_order(1)]).status_code == 401
        good = {"Authorization": "k-123", "Data-Client-ID": "2f0c-uuid"}
        assert post(nb, [make_order(1)], headers=good).status_code == 200


# ------------------------------------------------------------------------------------------
# Validation errors: Northbeam's envelope with a JSON-string list
# ------------------------------------------------------------------------------------------


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda o: o.pop(key)


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda o: o.__setitem__(key, value)


def _set_in(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(order: dict[str, Any]) -> None:
        target: Any = order
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return apply


def _add_refund(made_at: str) -> Callable[[dict[str, Any]], None]:
    refund = {
        "product_id": "tea-7",
        "quantity": 1,
        "refund_amount": 13,
        "refund_cost": 14,
        "refund_made_at": made_at,
    }
    return _set("refunds", [refund])


INVALID_CASES: list[tuple[str, Callable[[dict[str, Any]], None], str, str | None]] = [
    # (id, mutation of the order, json_path inside the order, expected message fragment)
    (
        "currency-lowercase",
        _set("currency", "usd"),
        "currency",
        "Currency does not match any known currencies",
    ),
    (
        "currency-USDX",
        _set("currency", "USDX"),
        "currency",
        "Currency does not match any known currencies",
    ),
    ("currency-trailing-space", _set("currency", "USD "), "currency", "Currency does not match"),
    (
        "currency-current-but-unlisted",
        _set("currency", "BYN"),
        "currency",
        "Currency does not match",
    ),
    ("currency-short", _set("currency", "US"), "currency", None),
    (
        "country-alpha2",
        _set_in(("customer_shipping_address", "country_code"), "US"),
        "customer_shipping_address.country_code",
        "Country code should use three-letter ISO 3166 country codes",
    ),
    (
        "country-CANADA",
        _set_in(("customer_shipping_address", "country_code"), "CANADA"),
        "customer_shipping_address.country_code",
        "three-letter ISO 3166",
    ),
    ("missing-shipping_cost", _drop("shipping_cost"), "shipping_cost", "shipping_cost"),
    ("missing-order_id", _drop("order_id"), "order_id", "order_id"),
    ("extra-key", _set("notes", "gift wrap"), "notes", "notes"),
    ("extra-key-with-space", _set("Order Notes", "x"), "['Order Notes']", "Order Notes"),
    (
        "extra-key-in-address",
        _set_in(("customer_shipping_address", "country"), "USA"),
        "customer_shipping_address.country",
        None,
    ),
    (
        "missing-zip",
        lambda o: o["customer_shipping_address"].pop("zip"),
        "customer_shipping_address.zip",
        None,
    ),
    ("string-price", _set_in(("products", 0, "price"), "12.50"), "products[0].price", "number"),
    ("bool-quantity", _set_in(("products", 1, "quantity"), True), "products[1].quantity", "number"),
    ("empty-products", _set("products", []), "products", "Must have at least one product"),
    ("empty-product-name", _set_in(("products", 1, "name"), ""), "products[1].name", None),
    ("extra-product-key", _set_in(("products", 0, "sku"), "X1"), "products[0].sku", None),
    (
        "both-emails",
        _set("hashed_customer_email", SHA_EMAIL),
        "hashed_customer_email",
        "customer_email",
    ),
    (
        "both-phones",
        _set("hashed_customer_phone_number", SHA_EMAIL),
        "hashed_customer_phone_number",
        "customer_phone_number",
    ),
    (
        "time-without-offset",
        _set("time_of_purchase", "2026-03-08T13:45:12"),
        "time_of_purchase",
        "Invalid ISO TS",
    ),
    (
        "time-date-only",
        _set("time_of_purchase", "2026-03-08"),
        "time_of_purchase",
        "Invalid ISO TS",
    ),
    (
        "time-impossible-date",
        _set("time_of_purchase", "2026-02-30T10:00:00Z"),
        "time_of_purchase",
        "Invalid ISO TS",
    ),
    (
        "refund-time-without-offset",
        _add_refund("2026-03-10 09:00:00"),
        "refunds[0].refund_made_at",
        "Invalid ISO TS",
    ),
    ("number-over-1e14", _set("purchase_total", 100_000_000_000_001), "purchase_total", "at most"),
    ("price-over-1e14", _set_in(("products", 0, "price"), 1.5e14), "products[0].price", "at most"),
    ("bad-email", _set("customer_email", "jane at example.com"), "customer_email", "email"),
    ("bad-ip", _set("customer_ip_address", "999.1.1.1"), "customer_ip_address", "IP"),
    (
        "hashed-email-uppercase",
        lambda o: (o.pop("customer_email"), o.update(hashed_customer_email=SHA_EMAIL.upper())),
        "hashed_customer_email",
        "SHA-256",
    ),
    (
        "hashed-email-not-hex",
        lambda o: (o.pop("customer_email"), o.update(hashed_customer_email="x" * 64)),
        "hashed_customer_email",
        "SHA-256",
    ),
    ("duplicate-discount-codes", _set("discount_codes", ["A", "A"]), "discount_codes", None),
    ("empty-customer_id", _set("customer_id", ""), "customer_id", None),
    ("tax-null", _set("tax", None), "tax", "number"),
]


@pytest.mark.parametrize(
    ("case", "mutate", "path", "fragment"), INVALID_CASES, ids=[c[0] for c in INVALID_CASES]
)
def test_invalid_order_gets_envelope_with_index_and_path(
    server: StandinServer,
    case: str,
    mutate: Callable[[dict[str, Any]], None],
    path: str,
    fragment: str | None,
) -> None:
    batch = [make_order(i) for i in range(4)]
    mutate(batch[2])
    resp = post(server, batch)
    items = error_items(resp)
    sep = "" if path.startswith("[") else "."
    expected_path = f"$[2]{sep}{path}"
    assert {i["json_path"] for i in items} == {expected_path}, items  # one field may fail twice
    assert {i["order_id"] for i in items} == {batch[2].get("order_id")}
    if fragment:
        assert any(fragment in i["message"] for i in items), items
    assert not any("^" in i["message"] for i in items), "no regexes in messages"
    # all or nothing: the three valid orders in the batch were not stored either
    assert server.stored_orders() == {}


def test_unanchored_spec_pattern_would_have_accepted_USDX() -> None:
    validator = OrderBatchValidator()
    raw = validator.raw_schema["items"]["properties"]["currency"]["pattern"]
    assert re.search(raw, "USDX"), "the spec's own pattern is unanchored"
    assert validator.errors_for_order(0, make_order(1, currency="USDX"))


def test_several_invalid_orders_are_all_listed_and_nothing_is_stored(server: StandinServer) -> None:
    batch = [make_order(i) for i in range(6)]
    batch[1]["currency"] = "usd"
    del batch[4]["shipping_cost"]
    batch[4]["products"][1]["price"] = "13"
    batch[5] = "not an order"
    items = error_items(post(server, batch))
    assert [(i["order_id"], i["json_path"]) for i in items] == [
        ("ord-00001", "$[1].currency"),
        ("ord-00004", "$[4].shipping_cost"),
        ("ord-00004", "$[4].products[1].price"),
        (None, "$[5]"),
    ]
    assert server.stored_orders() == {}
    # the client resends the good ones
    good = [o for i, o in enumerate(batch) if i in (0, 2, 3)]
    assert post(server, good).status_code == 200
    assert sorted(server.stored_orders()) == ["ord-00000", "ord-00002", "ord-00003"]


def test_missing_required_fields_each_get_their_own_item(server: StandinServer) -> None:
    order = make_order(1)
    del order["tax"], order["shipping_cost"]
    items = error_items(post(server, [order]))
    assert sorted(i["json_path"] for i in items) == ["$[0].shipping_cost", "$[0].tax"]


def test_identical_orders_violate_unique_items(server: StandinServer) -> None:
    items = error_items(post(server, [make_order(1), make_order(2), make_order(1)]))
    assert [(i["order_id"], i["json_path"]) for i in items] == [("ord-00001", "$[2]")]
    assert "$[0]" in items[0]["message"]


def test_without_order_id_the_error_has_null_order_id(server: StandinServer) -> None:
    order = make_order(1)
    del order["order_id"]
    items = error_items(post(server, [order]))
    assert items == [
        {"order_id": None, "message": items[0]["message"], "json_path": "$[0].order_id"}
    ]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"[{", id="truncated"),
        pytest.param(b"", id="empty"),
        pytest.param(b"\xff\xfe[]", id="not-utf8"),
        pytest.param(b'[{"order_id": NaN}]', id="NaN"),
        pytest.param(b"order_id,currency\n1,USD\n", id="csv"),
    ],
)
def test_invalid_json_gets_bare_400(server: StandinServer, body: bytes) -> None:
    resp = post(server, body, headers={**HEADERS, "Content-Type": "application/json"})
    assert resp.status_code == 400
    assert resp.json() == {"status": "400", "response": "Bad Request"}


@pytest.mark.parametrize(
    ("body", "fragment"),
    [({"order_id": "a"}, "list of orders"), ([], "empty"), ("USD", "list of orders")],
)
def test_body_that_is_not_a_nonempty_list(server: StandinServer, body: Any, fragment: str) -> None:
    items = error_items(post(server, json.dumps(body)))
    assert items == [{"order_id": None, "message": items[0]["message"], "json_path": "$"}]
    assert fragment in items[0]["message"]


def test_1000_orders_accepted_1001_rejected() -> None:
    with StandinServer(budget_bytes=None) as nb:
        batch = [make_order(i) for i in range(MAX_ORDERS_PER_REQUEST + 1)]
        items = error_items(post(nb, batch))
        assert items[0]["json_path"] == "$"
        assert items[0]["order_id"] is None
        assert "1001" in items[0]["message"] and "1000" in items[0]["message"]
        assert nb.stored_orders() == {}
        assert post(nb, batch[:MAX_ORDERS_PER_REQUEST]).status_code == 200
        assert len(nb.stored_orders()) == MAX_ORDERS_PER_REQUEST


def test_fixed_schema_is_a_valid_2020_12_schema() -> None:
    from jsonschema import Draft202012Validator

    validator = OrderBatchValidator()
    Draft202012Validator.check_schema(validator.schema)
    items = validator.item_schema["properties"]
    assert items["tax"]["maximum"] == 100_000_000_000_000
    assert validator.raw_schema["items"]["properties"]["tax"]["maximum"] == "100_000_000_000_000"
    assert items["currency"]["pattern"].startswith("^(?:AED|")
    assert items["customer_shipping_address"]["properties"]["country_code"]["pattern"].startswith(
        "^(?:A(BW|"
    )


@pytest.mark.parametrize(
    ("case", "mutate", "path", "fragment"), INVALID_CASES, ids=[c[0] for c in INVALID_CASES]
)
def test_jsonschema_only_engine_agrees(
    case: str, mutate: Callable[[dict[str, Any]], None], path: str, fragment: str | None
) -> None:
    """Both engines (fast accept path and the jsonschema-only path) reject every invalid case."""
    order = make_order(1)
    mutate(order)
    slow = OrderBatchValidator(use_fast=False)
    assert {e["json_path"].split("]", 1)[1] for e in slow.errors_for_order(0, order)} == {
        ("" if path.startswith("[") else ".") + path
    }
    fast = OrderBatchValidator()
    assert fast.errors_for_order(0, order) == slow.errors_for_order(0, order)


def test_both_engines_accept_valid_orders() -> None:
    orders = [make_order(i) for i in range(20)]
    for validator in (OrderBatchValidator(), OrderBatchValidator(use_fast=False)):
        assert validator.validate(orders) == []


def test_valid_date_time_forms() -> None:
    validator = OrderBatchValidator(use_fast=False)
    for value in (
        "2026-03-08T13:45:12Z",
        "2026-03-08t13:45:12.123456789+05:30",
        "2026-03-08T13:45:12.5-00:00",
    ):
        assert validator.errors_for_order(0, make_order(1, time_of_purchase=value)) == [], value
    for value in (
        "2026-03-08T13:45:12+0500",
        "2026-03-08 13:45:12Z",
        "2026-03-08T13:45:12+05:60",
        "٢٠٢٦-03-08T13:45:12Z",
    ):
        assert validator.errors_for_order(0, make_order(1, time_of_purchase=value)), value


# ------------------------------------------------------------------------------------------
# Byte budget (429)
# ------------------------------------------------------------------------------------------


def _batch_of_about(nbytes: int, start: int) -> list[dict[str, Any]]:
    batch: list[dict[str, Any]] = []
    while len(json.dumps(batch)) < nbytes:
        batch.append(make_order(start + len(batch)))
    return batch


def test_byte_budget_429_then_accepted_after_retry_after() -> None:
    with StandinServer(budget_bytes=10_000, window_seconds=2.0) as nb:
        first, second, third = (_batch_of_about(4_000, k * 100) for k in range(3))
        assert post(nb, first).status_code == 200
        assert post(nb, second).status_code == 200
        resp = post(nb, third)
        assert resp.status_code == 429
        retry_after = int(resp.headers["Retry-After"])
        assert 1 <= retry_after <= 2
        assert resp.json() == {"error": "rate_limit_error", "retry_after_seconds": retry_after}
        assert nb.count_429 == 1
        assert {o["order_id"] for o in third}.isdisjoint(nb.stored_orders())
        time.sleep(retry_after)
        assert post(nb, third).status_code == 200
        assert nb.count_429 == 1
        assert [r.status for r in nb.requests_log] == [200, 200, 429, 200]


def test_429_does_not_consume_budget_and_small_request_still_fits() -> None:
    with StandinServer(budget_bytes=10_000, window_seconds=30.0) as nb:
        assert post(nb, _batch_of_about(7_000, 0)).status_code == 200
        assert post(nb, _batch_of_about(4_000, 100)).status_code == 429
        assert post(nb, _batch_of_about(4_000, 200)).status_code == 429
        assert nb.count_429 == 2
        assert post(nb, [make_order(999)]).status_code == 200  # ~1 kB still fits


def test_single_body_larger_than_budget_is_413() -> None:
    with StandinServer(budget_bytes=2_000, window_seconds=2.0) as nb:
        resp = post(nb, _batch_of_about(3_000, 0))
        assert resp.status_code == 413
        assert resp.json()["status"] == "413"
        assert nb.count_429 == 0


def test_budget_none_disables_limit() -> None:
    with StandinServer(budget_bytes=None) as nb:
        for k in range(3):
            assert post(nb, _batch_of_about(20_000, k * 100)).status_code == 200


# ------------------------------------------------------------------------------------------
# Fault injection
# ------------------------------------------------------------------------------------------


def test_fail_next_two_500_then_200(server: StandinServer) -> None:
    server.fail_next(2)
    batch = [make_order(1)]
    for _ in range(2):
        resp = post(server, batch)
        assert resp.status_code == 500
        assert resp.json() == {"status": "500", "response": "Server error"}
        assert server.stored_orders() == {}
    assert post(server, batch).status_code == 200
    assert [r.status for r in server.requests_log] == [500, 500, 200]


def test_fail_next_custom_status_and_body(server: StandinServer) -> None:
    server.fail_next(1, status=503, body="upstream unavailable")
    server.fail_next(1, status=429)
    resp = post(server, [make_order(1)])
    assert resp.status_code == 503 and resp.text == "upstream unavailable"
    resp = post(server, [make_order(1)])
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "1"
    assert server.count_429 == 1
    assert post(server, [make_order(1)]).status_code == 200


def test_reset_next_raises_connection_error_then_recovers(server: StandinServer) -> None:
    server.reset_next(1)
    with requests.Session() as session:
        with pytest.raises(requests.ConnectionError):
            session.post(
                f"{server.base_url}/orders", json=[make_order(1)], headers=HEADERS, timeout=10
            )
        assert server.stored_orders() == {}
        resp = session.post(
            f"{server.base_url}/orders", json=[make_order(1)], headers=HEADERS, timeout=10
        )
        assert resp.status_code == 200
    assert [r.status for r in server.requests_log] == [0, 200]
    assert server.requests_log[0].order_count == 1


def test_reject_next_without_detail(server: StandinServer) -> None:
    server.reject_next_without_detail(1)
    good, bad = make_order(1), make_order(2, currency="usd")
    assert post(server, [good]).status_code == 200  # a valid batch does not use up the counter
    resp = post(server, [good, bad])
    assert resp.status_code == 400
    assert resp.json() == {"status": "400", "response": "Bad Request"}
    items = error_items(post(server, [good, bad]))  # counter used up: detail again
    assert [i["json_path"] for i in items] == ["$[1].currency"]


@pytest.mark.parametrize("kind", sorted(ODD_ANSWERS))
def test_odd_answer_replaces_the_confirmation_and_stores_nothing(
    server: StandinServer, kind: str
) -> None:
    odd = ODD_ANSWERS[kind]
    server.odd_answer_next(1, kind)
    resp = post(server, [make_order(1)], headers={})  # even without credentials: a portal
    assert resp.status_code == odd.status and 200 <= resp.status_code < 300
    assert resp.headers.get("Content-Type") == odd.content_type
    assert resp.content == odd.body
    assert server.stored_orders() == {}
    assert post(server, [make_order(1)]).json() == {"message": "Orders succesfully upserted"}
    assert [r.status for r in server.requests_log] == [odd.status, 200]


def test_odd_answer_after_storing_keeps_the_orders_and_400s(server: StandinServer) -> None:
    server.odd_answer_next(2, "empty", stored=True)
    assert post(server, [make_order(1, currency="usd")]).status_code == 400  # uses one up
    resp = post(server, [make_order(2)])
    assert (resp.status_code, resp.content) == (200, b"")
    assert set(server.stored_orders()) == {"ord-00002"}
    with pytest.raises(ValueError, match="unknown odd answer"):
        server.odd_answer_next(1, "teapot")


def test_odd_answer_always_and_faults_come_first(server: StandinServer) -> None:
    server.odd_answer_always = "html"
    server.fail_next(1, status=503)
    assert post(server, [make_order(1)]).status_code == 503
    for _ in range(2):
        assert post(server, [make_order(1)]).headers["Content-Type"].startswith("text/html")
    server.odd_answer_always = None
    assert post(server, [make_order(1)]).status_code == 200


# ------------------------------------------------------------------------------------------
# GET, routing, latency, CLI
# ------------------------------------------------------------------------------------------


def test_get_orders_by_date_range_in_each_orders_own_offset(server: StandinServer) -> None:
    batch = [
        make_order(1, time_of_purchase="2026-03-07T23:59:59Z"),
        make_order(2, time_of_purchase="2026-03-08T23:30:00-08:00"),  # 2026-03-09 in UTC
        make_order(3, time_of_purchase="2026-03-09T00:30:00+02:00"),  # 2026-03-08 in UTC
        make_order(4, time_of_purchase="2026-03-10T12:00:00Z"),
    ]
    assert post(server, batch).status_code == 200

    def ids(params: dict[str, str]) -> list[str]:
        resp = requests.get(f"{server.base_url}/orders", params=params, headers=HEADERS, timeout=10)
        assert resp.status_code == 200, resp.text
        return [o["order_id"] for o in resp.json()]

    assert ids({"start_date": "2026-03-08", "end_date": "2026-03-08"}) == ["ord-00002"]
    assert ids({"start_date": "2026-03-08", "end_date": "2026-03-09"}) == ["ord-00002", "ord-00003"]
    assert ids({"start_date": "2026-03-07", "end_date": "2026-03-10"}) == [
        f"ord-0000{i}" for i in range(1, 5)
    ]
    assert ids({}) == [f"ord-0000{i}" for i in range(1, 5)]  # spec defaults
    assert ids({"start_date": "2026-03-11", "end_date": "2026-12-31"}) == []
    assert server.requests_log[-1].order_count == 0


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "2026-3-8", "end_date": "2026-03-09"},
        {"start_date": "2026-03-08", "end_date": "09/03/2026"},
        {"start_date": "2026-02-30", "end_date": "2026-03-09"},
        {"start_date": "2026-03-09", "end_date": "2026-03-08"},
    ],
)
def test_get_orders_bad_dates_400(server: StandinServer, params: dict[str, str]) -> None:
    resp = requests.get(f"{server.base_url}/orders", params=params, headers=HEADERS, timeout=10)
    assert resp.status_code == 400
    assert resp.json()["status"] == "400"


def test_unknown_path_404_and_other_methods_405(server: StandinServer) -> None:
    base = server.base_url
    assert (
        requests.post(
            f"{base}/order", json=[make_order(1)], headers=HEADERS, timeout=10
        ).status_code
        == 404
    )
    assert requests.get(f"{base}/orders/aliases", headers=HEADERS, timeout=10).status_code == 404
    for method in ("PUT", "PATCH", "DELETE", "OPTIONS"):
        resp = requests.request(
            method, f"{base}/orders", json=[make_order(1)], headers=HEADERS, timeout=10
        )
        assert resp.status_code == 405, method
        assert resp.headers["Allow"] == "GET, POST"


def test_latency_is_applied_and_settable_at_runtime() -> None:
    with StandinServer(latency_seconds=0.3) as nb:
        started = time.monotonic()
        assert post(nb, [make_order(1)]).status_code == 200
        assert time.monotonic() - started >= 0.3
        nb.latency_seconds = 0.0
        started = time.monotonic()
        assert post(nb, [make_order(2)]).status_code == 200
        assert time.monotonic() - started < 0.3


def test_on_request_hook_sees_every_record() -> None:
    seen: list[RequestRecord] = []
    with StandinServer(on_request=seen.append) as nb:
        post(nb, [make_order(1)])
        post(nb, [make_order(1)], headers={"Authorization": "x"})
    assert [r.status for r in seen] == [200, 401]


def test_orders_survive_concurrent_posts() -> None:
    from concurrent.futures import ThreadPoolExecutor

    with StandinServer() as nb, ThreadPoolExecutor(max_workers=8) as pool:
        batches = [[make_order(k * 10 + i) for i in range(10)] for k in range(16)]
        statuses = list(pool.map(lambda b: post(nb, b).status_code, batches))
        assert statuses == [200] * 16
        assert len(nb.stored_orders()) == 160
        assert len(nb.requests_log) == 16


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT handling differs on Windows")
def test_command_line_serves_until_ctrl_c() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "devtools.standin",
            "--port",
            "0",
            "--api-key",
            "K",
            "--client-id",
            "C",
            "--quiet",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v2", base_url), base_url
        order = make_order(1)
        headers = {"Authorization": "K", "Data-Client-ID": "C"}
        assert (
            requests.post(
                f"{base_url}/orders", json=[order], headers=headers, timeout=10
            ).status_code
            == 200
        )
        got = requests.get(f"{base_url}/orders", headers=headers, timeout=10).json()
        assert got == [copy.deepcopy(order)]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_command_line_can_play_an_odd_server() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "devtools.standin",
            "--port",
            "0",
            "--quiet",
            "--odd-answer",
            "html",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().strip()
        resp = requests.post(
            f"{base_url}/orders", json=[make_order(1)], headers=HEADERS, timeout=10
        )
        assert resp.status_code == 200 and resp.content == ODD_ANSWERS["html"].body
        got = requests.get(f"{base_url}/orders", headers=HEADERS, timeout=10)  # a portal: all
        assert got.content == ODD_ANSWERS["html"].body
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
