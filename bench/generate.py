"""Generate realistic order files for the benchmarks (Northbeam template layout, ~24 columns).

    python bench/generate.py --orders 40000 --out bench/out

writes `orders_<N>.csv` and `orders_<N>.xlsx` (about 2.5 line rows per order), reusing files that
already exist. Values are deterministic (seeded) so every run measures the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

HEADER = [
    "order_id",
    "customer_id",
    "time_of_purchase",
    "customer_email",
    "customer_phone_number",
    "customer_name",
    "currency",
    "purchase_total",
    "tax",
    "shipping_cost",
    "discount_codes",
    "discount_amount",
    "order_tags",
    "is_recurring_order",
    "products_id",
    "products_name",
    "products_quantity",
    "products_price",
    "products_variant_id",
    "products_variant_name",
    "customer_shipping_address_address1",
    "customer_shipping_address_city",
    "customer_shipping_address_zip",
    "customer_shipping_address_country_code",
]

PRODUCTS = [(f"SKU-{i:04d}", f"Product {i}", round(5 + (i * 7.31) % 120, 2)) for i in range(400)]
CITIES = [
    ("Boston", "02134", "USA"),
    ("Denver", "80202", "USA"),
    ("Toronto", "M5V 2T6", "CAN"),
    ("London", "SW1A 1AA", "GBR"),
    ("Berlin", "10115", "DEU"),
    ("Austin", "73301", "USA"),
]


def rows(order_count: int, seed: int = 7):
    rng = random.Random(seed)
    # One order every ~7 minutes from 2026-01-01; a bigger file (a multi-year backfill) is moved
    # back so its last order is before November 2026, instead of running years into the future
    # (orders "in the future" carry a warning each, and the files up to 40,000 orders stay the
    # same bytes as before).
    start = min(
        dt.datetime(2026, 1, 1, 8, 0, 0),
        dt.datetime(2026, 11, 1) - dt.timedelta(minutes=7 * order_count + 5),
    )
    for n in range(order_count):
        order_id = str(100000 + n)
        customer = rng.randrange(order_count // 2 + 1)
        when = start + dt.timedelta(minutes=7 * n + rng.randrange(5))
        lines = rng.choice((1, 2, 2, 3, 4))
        items = [rng.choice(PRODUCTS) for _ in range(lines)]
        quantities = [rng.choice((1, 1, 2, 3)) for _ in items]
        subtotal = sum(p[2] * q for p, q in zip(items, quantities, strict=True))
        tax = round(subtotal * 0.0825, 2)
        shipping = rng.choice((0.0, 4.99, 9.99))
        discount = rng.choice((0.0, 0.0, 5.0))
        total = round(subtotal + tax + shipping - discount, 2)
        city, zip_code, country = rng.choice(CITIES)
        order_values = [
            order_id,
            f"C-{customer}",
            when.strftime("%Y-%m-%dT%H:%M:%S-05:00"),
            f"customer{customer}@example.com",
            f"+1415555{customer % 10000:04d}",
            f"Customer {customer}",
            "USD",
            f"{total:.2f}",
            f"{tax:.2f}",
            f"{shipping:.2f}",
            "SPRING5" if discount else "",
            f"{discount:.2f}" if discount else "",
            "vip" if customer % 9 == 0 else "",
            "TRUE" if customer % 5 == 0 else "FALSE",
        ]
        address = [f"{rng.randrange(1, 999)} Main St", city, zip_code, country]
        for (sku, name, price), quantity in zip(items, quantities, strict=True):
            yield [
                *order_values,
                sku,
                name,
                str(quantity),
                f"{price:.2f}",
                f"{sku}-V",
                "Default",
                *address,
            ]


def write_csv(path: Path, order_count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows(order_count))


NUMERIC = {
    "purchase_total",
    "tax",
    "shipping_cost",
    "discount_amount",
    "products_quantity",
    "products_price",
}


def write_xlsx(path: Path, order_count: int) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Orders")
    sheet.append(HEADER)
    numeric = [h in NUMERIC for h in HEADER]
    for row in rows(order_count):
        # Excel files hold real numbers in money columns, as people's exports do.
        sheet.append(
            [float(v) if is_num and v else v for v, is_num in zip(row, numeric, strict=True)]
        )
    workbook.save(path)


def ensure_csv(order_count: int, folder: Path) -> Path:
    """Only the CSV (for sizes where writing the .xlsx would take an hour)."""
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / f"orders_{order_count}.csv"
    if not csv_path.exists():
        partial = csv_path.with_suffix(".csv.partial")
        write_csv(partial, order_count)
        partial.replace(csv_path)
    return csv_path


def ensure_files(order_count: int, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / f"orders_{order_count}.csv"
    xlsx_path = folder / f"orders_{order_count}.xlsx"
    if not csv_path.exists():
        write_csv(csv_path, order_count)
    if not xlsx_path.exists():
        write_xlsx(xlsx_path, order_count)
    return csv_path, xlsx_path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=40_000)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    for path in ensure_files(args.orders, args.out):
        print(path)
