"""Documents for the GUI tests: the small defect files from `tests/core/orderfiles.py`, and a
generated Northbeam-template file of any size with defects planted at known orders.

`big_orders_csv(folder, orders)` writes realistic orders (one to three product lines each,
order values repeated on every line, totals that add up) and plants these defects, counted by
order number `k` (0-based):

- `k % 97 == 5`: currency “$” (ambiguous_currency error, suggestion USD)
- `k % 53 == 7`: tax empty on every line (required error, suggestion 0)
- `k % 41 == 3`: country “us” (value_converted warning: sent as “USA”)
- `k % 149 == 11`: order total “n/a” (not_a_number error)
- `k % 211 == 13`: quantity “-1” on the first line (negative_number error)
- `k % 89 == 17`: customer email “jane.doe@example” (invalid_email error)
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument, load_document
from tests.core import orderfiles

# "now" for every GUI test document, so purchases in March 2026 are never "in the future".
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)

BIG_HEADER = [
    "order_id",
    "customer_id",
    "time_of_purchase",
    "customer_name",
    "customer_email",
    "currency",
    "purchase_total",
    "tax",
    "shipping_cost",
    "discount_codes",
    "discount_amount",
    "products_id",
    "products_name",
    "products_quantity",
    "products_price",
    "customer_shipping_address_city",
    "customer_shipping_address_zip",
    "customer_shipping_address_country_code",
]

_PRODUCTS = [
    ("SKU-TEE-BLK", "Organic cotton tee, black", 28.0),
    ("SKU-TEE-WHT", "Organic cotton tee, white", 28.0),
    ("SKU-HOOD-GRY", "Heavyweight hoodie, grey", 64.0),
    ("SKU-CAP-NVY", "Six-panel cap, navy", 22.5),
    ("SKU-MUG-12", "Stoneware mug 12 oz", 18.0),
    ("SKU-TOTE-NAT", "Canvas tote bag", 24.0),
    ("SKU-SOCK-3P", "Merino socks, 3 pack", 19.99),
    ("SKU-BOTTLE", "Insulated bottle 750 ml", 34.0),
]
_PEOPLE = [
    ("Ava Thompson", "Denver", "80202", "USA"),
    ("Liam Carter", "Austin", "73301", "USA"),
    ("Mia Rossi", "Chicago", "60601", "USA"),
    ("Noah Becker", "Seattle", "98101", "USA"),
    ("Emma Dubois", "Toronto", "M5H 2N2", "CAN"),
    ("Oliver Grant", "London", "SW1A 1AA", "GBR"),
    ("Sofia Lindqvist", "Boston", "02134", "USA"),
    ("Lucas Meyer", "Portland", "97201", "USA"),
]


def big_orders_csv(folder: Path, orders: int, *, seed: int = 7) -> Path:
    """A template-style CSV with `orders` orders (about 2 rows each) and planted defects."""
    rng = random.Random(seed)
    start = dt.datetime(2026, 2, 1, 8, 0)
    step = dt.timedelta(seconds=max(1, 90 * 86400 // max(orders, 1)))  # all within 90 days
    rows: list[list[str]] = []
    for k in range(orders):
        name, city, zip_code, country = _PEOPLE[k % len(_PEOPLE)]
        order_id = f"NB-{100000 + k}"
        customer_id = f"C-{(k * 7) % 5000 + 1:05d}"
        when = start + step * k
        email = name.lower().replace(" ", ".") + f"{k % 900}@example.com"
        lines = rng.sample(_PRODUCTS, 1 + k % 3)
        quantities = [1 + rng.randrange(3) for _ in lines]
        items = sum(price * qty for (_, _, price), qty in zip(lines, quantities, strict=True))
        shipping = 0.0 if items >= 75 else 6.5
        discount = 10.0 if k % 5 == 0 else 0.0
        tax = round(items * 0.08, 2)
        total = items + tax + shipping - discount
        currency = "USD"
        tax_text = f"{tax:.2f}"
        total_text = f"{total:.2f}"
        if k % 97 == 5:
            currency = "$"
        if k % 53 == 7:
            tax_text = ""
        if k % 41 == 3:
            country = "us"
        if k % 149 == 11:
            total_text = "n/a"
        if k % 89 == 17:
            email = "jane.doe@example"
        for line, ((sku, product, price), qty) in enumerate(zip(lines, quantities, strict=True)):
            quantity = "-1" if (k % 211 == 13 and line == 0) else str(qty)
            rows.append(
                [
                    order_id,
                    customer_id,
                    when.strftime("%Y-%m-%d %H:%M:%S"),
                    name,
                    email,
                    currency,
                    total_text,
                    tax_text,
                    f"{shipping:.2f}",
                    "SPRING10" if discount else "",
                    f"{discount:.2f}" if discount else "",
                    sku,
                    product,
                    quantity,
                    f"{price:.2f}",
                    city,
                    zip_code,
                    country,
                ]
            )
    return orderfiles.write_csv(folder / f"orders_{orders}.csv", BIG_HEADER, rows)


def options(**overrides: object) -> LoadOptions:
    """Load options every GUI test uses: UTC and a fixed "now"."""
    values: dict[str, object] = {"timezone": "UTC", "now": NOW}
    values.update(overrides)
    return LoadOptions(**values)  # type: ignore[arg-type]


def open_document(path: Path, **overrides: object) -> OrderDocument:
    return load_document(path, options(**overrides))


def defects_document(folder: Path) -> OrderDocument:
    """`orderfiles.template_defects` (see its docstring for the planted defects)."""
    return open_document(orderfiles.template_defects(folder))


def big_document(folder: Path, orders: int) -> OrderDocument:
    return open_document(big_orders_csv(folder, orders))
