"""Generate a large Shopify "Export orders" CSV, the file our users bring most, for benchmarks.

    python bench/generate_shopify.py --orders 40000 --out bench/out
    python bench/generate_shopify.py --orders 40000 --defects --out bench/out

The rows follow the shape of real Shopify exports (all values are made up here): 79 columns; an
order's first row carries every order value (Id, money, addresses, payment) while each further
line-item row repeats only Name, Email, Created at and Vendor besides its own Lineitem cells;
ZIPs keep Excel's leading apostrophe ('02134); `Refunded Amount` is 0.00 on almost every order
and positive on refunded ones; a few orders are cancelled, pay duties, have no email (POS and
draft orders, known by their phone), or carry a discount code; countries are two-letter codes.
About 1.7 rows per order and ~480 bytes per row, as in real exports, so 40,000 orders make
~30 MB.

`--defects` plants genuine problems a user must fix, ~2.8 per order besides the country codes
changed for you (a malformed email, an empty product price, a total that doesn't add up,
an unknown currency, a negative quantity, a quantity, tax, shipping or discount that is not a
number): the file for timing a report of 100,000+ genuine issues. Output is deterministic (seeded): every run measures the
same bytes. Existing files are reused.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from tests.core.realshapes import SHOPIFY_FULL_HEADER

# Today's full export: the columns of our Shopify-shaped test files, with the four further
# tax columns after "Tax 1" and the payment columns at the end, where Shopify writes them.
_TAX_1 = SHOPIFY_FULL_HEADER.index("Tax 1 Value") + 1
HEADER = [
    *SHOPIFY_FULL_HEADER[:_TAX_1],
    *(f"Tax {n} {part}" for n in range(2, 6) for part in ("Name", "Value")),
    *SHOPIFY_FULL_HEADER[_TAX_1:],
    "Payment ID",
    "Payment Terms Name",
    "Next Payment Due At",
    "Payment References",
]
COLUMN = {name: index for index, name in enumerate(HEADER)}

# (style, colour, size) → a product line; SKUs and names in the style of a clothing shop.
STYLES = [
    ("Harbor Denim", "HD", 98.00),
    ("Alder Chino", "AC", 79.95),
    ("Cove Linen Shirt", "CL", 64.50),
    ("Ridge Jacket", "RJ", 235.00),
    ("Tidal Tee", "TT", 29.00),
    ("Summit Hoodie", "SH", 89.00),
    ("Breaker Short", "BS", 49.95),
    ("Field Cap", "FC", 24.00),
]
COLOURS = ["Noir", "Indigo", "Sand", "Olive", "Velvet Café", "Smoke", "Blanc"]
SIZES = ["28", "30", "32", "34", "36", "S", "M", "L", "XL"]
VENDORS = ["SLIM", "SKINNY", "RELAXED", "ATHLETIC"]
# (city, ZIP, province code, province name, country, tax name, tax rate)
PLACES = [
    ("New York", "10022", "NY", "New York", "US", "New York State Tax 4%", 0.04),
    ("Baltimore", "21209", "MD", "Maryland", "US", "Maryland State Tax 6%", 0.06),
    ("Austin", "73301", "TX", "Texas", "US", "Texas State Tax 6.25%", 0.0625),
    ("Fort Lauderdale", "33301", "FL", "Florida", "US", "Florida State Tax 6%", 0.06),
    ("Boston", "02134", "MA", "Massachusetts", "US", "Massachusetts State Tax 6.25%", 0.0625),
    ("Seattle", "98110", "WA", "Washington", "US", "Washington State Tax 6.5%", 0.065),
    ("Los Angeles", "90012", "CA", "California", "US", "California State Tax 6%", 0.06),
    ("Toronto", "M5V 2T6", "ON", "Ontario", "CA", "HST 13%", 0.13),
]
SHIPPING_METHODS = [("Ground", 0.00), ("Ground", 7.95), ("UPS 2nd Day Air®", 19.95)]
PAYMENT_METHODS = ["Shopify Payments", "Shopify Payments", "Shopify Payments", "Klarna", "PayPal"]
FIRST_NAMES = ["Ann", "Bo", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivo", "June"]
LAST_NAMES = ["Example", "Sample", "Tester", "Placeholder", "Dummy", "Fiction"]
STREETS = ["Main St", "Harbor Rd", "Elm Avenue", "NE 4th Ave", "Oak Lane", "Refe Rd"]

TIME_FORMAT = "%Y-%m-%d %H:%M:%S -0700"


def _row(cells: dict[str, str]) -> list[str]:
    row = [""] * len(HEADER)
    for name, value in cells.items():
        row[COLUMN[name]] = value
    return row


def _money(value: float) -> str:
    return f"{value:.2f}"


def rows(order_count: int, *, defects: bool = False, seed: int = 11) -> Iterator[list[str]]:
    """The export's data rows, newest order first as Shopify writes them."""
    rng = random.Random(seed)
    newest = dt.datetime(2026, 4, 9, 19, 46, 45)
    for n in range(order_count):
        number = 1001 + order_count - n
        name = f"#{number}"
        created = newest - dt.timedelta(minutes=13 * n + rng.randrange(10))
        created_text = created.strftime(TIME_FORMAT)
        customer = rng.randrange(order_count // 2 + 1)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        full_name = f"{first} {last}"
        pos_order = rng.random() < 0.03  # POS/draft orders: no email, a phone instead
        email = "" if pos_order else f"user{customer:05d}@example.com"
        phone = f"+1415555{customer % 10000:04d}"
        city, zip_code, province, province_name, country, tax_name, rate = rng.choice(PLACES)
        street = f"{rng.randrange(1, 9999)} {rng.choice(STREETS)}"
        lines = rng.choices((1, 2, 3, 4), weights=(55, 27, 12, 6))[0]
        items = []
        for _ in range(lines):
            style, code, price = rng.choice(STYLES)
            colour, size = rng.choice(COLOURS), rng.choice(SIZES)
            sku = f"{1000 + STYLES.index((style, code, price))}{code}_{colour.upper()}_{size}"
            items.append((f"{style} - {colour} / {size}", sku, price, rng.choice((1, 1, 1, 2))))
        subtotal = sum(price * quantity for _, _, price, quantity in items)
        discount_code, discount = (
            ("WELCOME10", round(subtotal * 0.10, 2)) if rng.random() < 0.12 else ("", 0.0)
        )
        method, shipping = rng.choice(SHIPPING_METHODS)
        tax = round((subtotal - discount) * rate, 2)
        duties = 3.98 if rng.random() < 0.01 else 0.0
        total = round(subtotal - discount + shipping + tax + duties, 2)
        status = rng.choices(
            ("paid", "refunded", "partially_refunded", "voided"), weights=(90, 4, 4, 2)
        )[0]
        refunded = {"refunded": total, "partially_refunded": items[0][2]}.get(status, 0.0)
        cancelled = created + dt.timedelta(days=1) if status == "voided" else None
        paid = created + dt.timedelta(minutes=18, seconds=rng.randrange(60))
        reference = f"c{33729000000000 + n * 7}.1"
        currency = "USD"
        tax_text, shipping_text, discount_text = _money(tax), _money(shipping), _money(discount)
        if defects:
            # Genuine problems a user must fix, about 2.6 per order on average.
            if email:
                email = email.replace("@", " at ")  # not an email address
            if n % 3 == 0:
                total = round(total + 10, 2)  # doesn't add up
            if n % 11 == 0:
                currency = "XYZ"  # not a currency
            if n % 4 == 3:
                tax_text = "n/a"  # not a number
            if n % 5 == 4:
                shipping_text = "free"
            if n % 6 == 1:
                discount_text = "10%"
        zip_text = f"'{zip_code}" if zip_code[0].isdigit() else zip_code
        address = {
            "Name": full_name,
            "Street": street,
            "Address1": street,
            "City": city,
            "Zip": zip_text,
            "Province": province,
            "Country": country,
            "Phone": phone if not email or rng.random() < 0.5 else "",
        }
        first_row = {
            "Name": name,
            "Email": email,
            "Financial Status": status,
            "Paid at": paid.strftime(TIME_FORMAT),
            "Fulfillment Status": "fulfilled" if status != "voided" else "unfulfilled",
            "Fulfilled at": (created + dt.timedelta(days=1, hours=3)).strftime(TIME_FORMAT),
            "Accepts Marketing": rng.choice(("yes", "yes", "no")),
            "Currency": currency,
            "Subtotal": _money(subtotal),
            "Shipping": shipping_text,
            "Taxes": tax_text,
            "Total": _money(total),
            "Discount Code": discount_code,
            "Discount Amount": discount_text,
            "Shipping Method": method,
            "Created at": created_text,
            **{f"Billing {key}": value for key, value in address.items()},
            **{f"Shipping {key}": value for key, value in address.items()},
            "Cancelled at": cancelled.strftime(TIME_FORMAT) if cancelled else "",
            "Payment Method": rng.choice(PAYMENT_METHODS),
            "Payment Reference": reference,
            "Refunded Amount": _money(refunded),
            "Outstanding Balance": "0.00",
            "Id": str(5172051345658 - n * 9173),
            "Tags": "wholesale" if customer % 23 == 0 else "",
            "Risk Level": rng.choices(("Low", "Medium", "High"), weights=(96, 3, 1))[0],
            "Source": "pos" if pos_order else "web",
            "Tax 1 Name": tax_name,
            "Tax 1 Value": _money(tax),
            "Phone": phone if pos_order else "",
            "Duties": _money(duties) if duties else "",
            "Billing Province Name": province_name,
            "Shipping Province Name": province_name,
            "Payment ID": reference,
            "Payment References": f"{reference} + {reference[:-1]}2",
        }
        for position, (title, sku, price, quantity) in enumerate(items):
            line = {
                "Lineitem quantity": str(quantity),
                "Lineitem name": title,
                "Lineitem price": _money(price),
                "Lineitem compare at price": _money(price * 1.2),
                "Lineitem sku": sku,
                "Lineitem requires shipping": "true",
                "Lineitem taxable": "true",
                "Lineitem fulfillment status": "fulfilled" if status != "voided" else "pending",
                "Lineitem discount": "0.00",
                "Vendor": rng.choice(VENDORS),
            }
            if defects and position >= 1 and n % 2 == 1:
                line["Lineitem price"] = ""  # a product without a price
            if defects and position == 0 and n % 5 == 2:
                line["Lineitem quantity"] = "-1"
            elif defects and position == 0 and n % 3 == 2:
                line["Lineitem quantity"] = "two"
            if position == 0:
                yield _row({**first_row, **line})
            else:
                yield _row({"Name": name, "Email": email, "Created at": created_text, **line})


def write_csv(path: Path, order_count: int, *, defects: bool = False) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows(order_count, defects=defects))


def ensure_file(order_count: int, folder: Path, *, defects: bool = False) -> Path:
    """The export with `order_count` orders in `folder`, written when it does not exist yet."""
    folder.mkdir(parents=True, exist_ok=True)
    suffix = "_defects" if defects else ""
    path = folder / f"shopify_orders_{order_count}{suffix}.csv"
    if not path.exists():
        partial = path.with_suffix(".partial")
        write_csv(partial, order_count, defects=defects)
        partial.replace(path)
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=40_000)
    parser.add_argument("--defects", action="store_true", help="plant genuine problems")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    print(ensure_file(args.orders, args.out, defects=args.defects))
