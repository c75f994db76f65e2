"""Realistic order files for engine tests: Northbeam's template, a Shopify export, a European
Excel CSV, an xlsx with real date cells and a title row. Each writer returns the path; the
planted defects are listed next to each so the tests can assert them at their exact cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

TEMPLATE_HEADER = [
    "order_id",
    "customer_id",
    "time_of_purchase",
    "customer_email",
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
    "customer_shipping_address_zip",
    "customer_shipping_address_country_code",
]

# The fewest of Northbeam's columns an order needs (required order values and one product).
REQUIRED_HEADER = [
    "order_id",
    "customer_id",
    "time_of_purchase",
    "currency",
    "purchase_total",
    "tax",
    "shipping_cost",
    "products_id",
    "products_name",
    "products_quantity",
    "products_price",
]

# Clean template rows: two orders, the first with two products (order values repeated).
TEMPLATE_CLEAN = [
    [
        "1001",
        "C-1",
        "2026-03-08T09:23:45.000Z",
        "jane@example.com",
        "USD",
        "118.25",
        "8.25",
        "10.00",
        "SPRING10",
        "10.00",
        "vip",
        "FALSE",
        "SKU-1",
        "Cotton T-shirt",
        "2",
        "25.00",
        "02134",
        "USA",
    ],
    [
        "1001",
        "C-1",
        "2026-03-08T09:23:45.000Z",
        "jane@example.com",
        "USD",
        "118.25",
        "8.25",
        "10.00",
        "SPRING10",
        "10.00",
        "vip",
        "FALSE",
        "SKU-2",
        "Linen shirt",
        "1",
        "60.00",
        "02134",
        "USA",
    ],
    [
        "1002",
        "C-2",
        "2026-03-09T14:05:00-05:00",
        "bob@example.com",
        "USD",
        "45.00",
        "0",
        "5.00",
        "",
        "",
        "",
        "TRUE",
        "SKU-3",
        "Canvas tote",
        "1",
        "40.00",
        "94110",
        "USA",
    ],
]


def write_csv(
    path: Path,
    header: list[str],
    rows: list[list[str]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def template_clean(folder: Path) -> Path:
    return write_csv(folder / "template_clean.csv", TEMPLATE_HEADER, TEMPLATE_CLEAN)


def template_defects(folder: Path) -> Path:
    """Planted defects (Excel row numbers; header is row 1):

    - row 3: currency "EUR" disagrees with row 2's "USD" (order 1001) → order_value_conflict
    - row 4: tax empty (order 1002) → required on column "tax"
    - row 5: country "us" → value_converted warning ("USA"); purchase_total "abc" → not a number
    - row 6: products_quantity "-1" → negative_number
    - row 7: customer_id equals order_id → customer_id_is_order_id
    - row 8: currency "$" → ambiguous_currency error
    """
    rows = [list(r) for r in TEMPLATE_CLEAN]
    rows[1][4] = "EUR"  # row 3
    rows[2][6] = ""  # row 4: tax of 1002
    rows.append(
        [
            "1003",
            "C-3",
            "2026-03-10 10:00:00",
            "c3@example.com",
            "USD",
            "abc",
            "1",
            "0",
            "",
            "",
            "",
            "",
            "SKU-4",
            "Mug",
            "1",
            "12.00",
            "10001",
            "us",
        ]
    )  # row 5
    rows.append(
        [
            "1004",
            "C-4",
            "2026-03-10 11:00:00",
            "c4@example.com",
            "USD",
            "20",
            "0",
            "0",
            "",
            "",
            "",
            "",
            "SKU-5",
            "Cap",
            "-1",
            "20.00",
            "10001",
            "USA",
        ]
    )  # row 6
    rows.append(
        [
            "1005",
            "1005",
            "2026-03-10 12:00:00",
            "c5@example.com",
            "USD",
            "20",
            "0",
            "0",
            "",
            "",
            "",
            "",
            "SKU-6",
            "Cap",
            "1",
            "20.00",
            "10001",
            "USA",
        ]
    )  # row 7
    rows.append(
        [
            "1006",
            "C-6",
            "2026-03-10 12:00:00",
            "c6@example.com",
            "$",
            "20",
            "0",
            "0",
            "",
            "",
            "",
            "",
            "SKU-7",
            "Cap",
            "1",
            "20.00",
            "10001",
            "USA",
        ]
    )  # row 8
    return write_csv(folder / "template_defects.csv", TEMPLATE_HEADER, rows)


SHOPIFY_HEADER = [
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Accepts Marketing",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem compare at price",
    "Lineitem sku",
    "Lineitem requires shipping",
    "Lineitem taxable",
    "Lineitem fulfillment status",
    "Billing Name",
    "Billing Street",
    "Billing Address1",
    "Billing Address2",
    "Billing Company",
    "Billing City",
    "Billing Zip",
    "Billing Province",
    "Billing Country",
    "Billing Phone",
    "Shipping Name",
    "Shipping Street",
    "Shipping Address1",
    "Shipping Address2",
    "Shipping Company",
    "Shipping City",
    "Shipping Zip",
    "Shipping Province",
    "Shipping Country",
    "Shipping Phone",
    "Notes",
    "Note Attributes",
    "Cancelled at",
    "Payment Method",
    "Payment Reference",
    "Refunded Amount",
    "Vendor",
    "Outstanding Balance",
    "Employee",
    "Location",
    "Device ID",
    "Id",
    "Tags",
    "Risk Level",
    "Source",
    "Lineitem discount",
]


def _shopify_row(**values: str) -> list[str]:
    return [values.get(h, "") for h in SHOPIFY_HEADER]


def shopify_export(folder: Path, *, defects: bool = False) -> Path:
    """Order values only on each order's first line-item row; 2-letter countries.

    With defects: row 4 (order #1002's first row) has Currency "US$"... no: "usd" (converted,
    warning) and Taxes "" (→ required tax error at row 4, column "Taxes"); row 6 Lineitem sku
    blank (→ product_id_from_name warning).
    """
    first = dict(
        Email="jane@example.com",
        **{
            "Financial Status": "paid",
            "Paid at": "2026-03-08 13:45:12 -0500",
            "Accepts Marketing": "no",
            "Currency": "USD",
            "Subtotal": "85.00",
            "Shipping": "10.00",
            "Taxes": "8.25",
            "Total": "103.25",
            "Discount Code": "",
            "Discount Amount": "0.00",
            "Created at": "2026-03-08 13:45:12 -0500",
            "Billing Name": "Jane Doe",
            "Shipping Name": "Jane Doe",
            "Shipping Address1": "1 Main St",
            "Shipping City": "Boston",
            "Shipping Zip": "02134",
            "Shipping Province": "MA",
            "Shipping Country": "US",
            "Id": "5012345678901",
            "Tags": "vip, wholesale",
        },
    )
    rows = [
        _shopify_row(
            Name="#1001",
            **first,
            **{
                "Lineitem quantity": "2",
                "Lineitem name": "Cotton T-shirt",
                "Lineitem price": "25.00",
                "Lineitem sku": "SKU-1",
            },
        ),
        _shopify_row(
            Name="#1001",
            **{
                "Lineitem quantity": "1",
                "Lineitem name": "Tote",
                "Lineitem price": "35.00",
                "Lineitem sku": "SKU-2",
            },
        ),
    ]
    second = dict(first)
    second.update(
        {
            "Email": "bob@example.co.uk",
            "Currency": "usd" if defects else "USD",
            "Taxes": "" if defects else "0.00",
            "Subtotal": "40.00",
            "Shipping": "5.00",
            "Total": "45.00",
            "Created at": "2026-03-09 08:00:00 +0000",
            "Shipping Country": "GB",
            "Shipping Zip": "SW1A 1AA",
            "Id": "5012345678902",
            "Tags": "",
        }
    )
    rows.append(
        _shopify_row(
            Name="#1002",
            **second,
            **{
                "Lineitem quantity": "1",
                "Lineitem name": "Canvas bag",
                "Lineitem price": "20.00",
                "Lineitem sku": "SKU-3",
            },
        )
    )
    rows.append(
        _shopify_row(
            Name="#1002",
            **{
                "Lineitem quantity": "1",
                "Lineitem name": "Scarf",
                "Lineitem price": "20.00",
                "Lineitem sku": "" if defects else "SKU-4",
            },
        )
    )
    name = "shopify_defects.csv" if defects else "shopify_orders.csv"
    return write_csv(folder / name, SHOPIFY_HEADER, rows)


EURO_HEADER = [
    "Beleg-Nr.",
    "Kunde",
    "Order Date",
    "E-Mail",
    "Currency",
    "Total",
    "Tax",
    "Shipping",
    "SKU",
    "Product",
    "Qty",
    "Price",
    "PLZ",
    "Country",
]


def european_csv(folder: Path) -> Path:
    """`;`-delimited cp1252 with decimal commas and DD.MM.YYYY dates (a German Excel export).

    Synonym headers map everything except the order number ("Beleg-Nr." is mapped by a
    preset in the tests). Clean data: order totals add up.
    """
    rows = [
        [
            "A-1",
            "K-1",
            "08.03.2026 14:05",
            "müller@example.de",
            "EUR",
            "1.234,50",
            "197,10",
            "0,00",
            "SKU-1",
            "Kaffeemühle",
            "1",
            "1.037,40",
            "80331",
            "Deutschland",
        ],
        [
            "A-2",
            "K-2",
            "25.03.2026",
            "zoe@example.fr",
            "€",
            "12,50",
            "2,00",
            "0,50",
            "SKU-2",
            "Crème",
            "2",
            "5,00",
            "75001",
            "FR",
        ],
    ]
    return write_csv(folder / "europe.csv", EURO_HEADER, rows, delimiter=";", encoding="cp1252")


def xlsx_with_dates_and_title(folder: Path) -> Path:
    """Title row above the header; real date cells; IDs typed as numbers; formula total.

    Header is on row 3; data rows 4 and 5.
    """
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Orders"
    sheet["A1"] = "Orders export — March 2026"
    header = [
        "Order ID",
        "Customer ID",
        "Order Date",
        "Currency",
        "Total",
        "Tax",
        "Shipping",
        "SKU",
        "Product",
        "Qty",
        "Price",
        "ZIP",
        "Country",
    ]
    sheet.append([])
    sheet.append(header)
    sheet.append(
        [
            1001,
            2044,
            dt.datetime(2026, 3, 8, 13, 45),
            "USD",
            58.25,
            8.25,
            0,
            555,
            "Mug",
            2,
            25,
            "02134",
            "USA",
        ]
    )
    sheet.append(
        [
            1002,
            2045,
            dt.datetime(2026, 3, 9, 9, 0),
            "USD",
            30,
            0,
            5,
            "SKU-2",
            "Cap",
            1,
            25,
            "10001",
            "USA",
        ]
    )
    path = folder / "orders_with_title.xlsx"
    workbook.save(path)
    return path


def _line(
    order_id: str,
    customer_id: str,
    email: str,
    currency: str,
    total: str,
    tax: str,
    shipping: str,
    sku: str,
    name: str,
    quantity: str,
    price: str,
    *,
    country: str = "USA",
    when: str = "2026-03-10 10:00:00",
) -> list[str]:
    """One row of Northbeam's template (times without a zone, as shops often write them)."""
    row = dict.fromkeys(TEMPLATE_HEADER, "")
    row.update(
        order_id=order_id,
        customer_id=customer_id,
        time_of_purchase=when,
        customer_email=email,
        currency=currency,
        purchase_total=total,
        tax=tax,
        shipping_cost=shipping,
        is_recurring_order="FALSE",
        products_id=sku,
        products_name=name,
        products_quantity=quantity,
        products_price=price,
        customer_shipping_address_zip="10001",
        customer_shipping_address_country_code=country,
    )
    return [row[h] for h in TEMPLATE_HEADER]


# The 13 planted defects of `fixing_defects`, and what each order must say once it is fixed
# right: (order ID, payload path) → the value sent. The file itself knows every one of these
# values except the email, which only the shop owner can type.
FIXING_EXPECTED: dict[tuple[str, str], object] = {
    ("3003", "tax"): 20.32,  # 1. tax empty: the total leaves 20.32 (the revenue trap)
    ("3004", "currency"): "USD",  # 2. "$" on all three rows of an order
    ("3005", "customer_id"): "49990",  # 3. customer ID is bob's email; bob is 49990 elsewhere
    ("3006", "products[0].name"): "Coffee mug",  # 4. empty name; SKU-MUG is a coffee mug
    ("3007", "products[0].price"): 25.0,  # 5. price "abc"; SKU-TEE costs 25.00
    ("3008", "products[0].quantity"): 1,  # 6. quantity -1
    ("3009", "customer_shipping_address.country_code"): "USA",  # 7. country "us"
    ("3010", "customer_id"): "C-1100",  # 8. customer ID = order ID; jack is C-1100 elsewhere
    ("3012", "purchase_total"): 32.0,  # 9. total "n/a": its parts make 32.00
    ("3013", "shipping_cost"): 5.0,  # 10. shipping empty: the total leaves 5.00
    ("3014", "currency"): "USD",  # 11. "EUR" on the second row of a USD order
    ("3015", "customer_email"): "ned@example.com",  # 12. "ned.example.com" is no email
    ("3016", "products[0].id"): "SKU-SOCK",  # 13. SKU empty; "Wool socks" is SKU-SOCK
}


def fixing_defects(folder: Path) -> Path:
    """Northbeam's template with 13 planted defects (see FIXING_EXPECTED), for the quick fixes.

    Orders 3001, 3002 and 3011 are clean and teach the file what it knows: Bob's customer ID is
    49990, Jack's is C-1100, SKU-MUG is a "Coffee mug" and SKU-TEE costs 25.00. Every order's
    total adds up once it is fixed right. Row numbers (header = row 1):

    - 2–3 order 3001, 4 order 3002 (clean);
    - 5–6 order 3003: tax empty on both rows; total 234.95 = products 194.63 + shipping 20.00 +
      tax 20.32 (offering 0, then lowering the total to 214.63, would lose 20.32 of revenue);
    - 7–9 order 3004: currency "$" on all three rows;
    - 10 order 3005: customer ID "bob@example.com";
    - 11 order 3006: SKU-MUG without a name;
    - 12 order 3007: SKU-TEE with price "abc";
    - 13 order 3008: quantity -1;
    - 14 order 3009: country "us";
    - 15 order 3010: customer ID "3010" (the order ID); 16 order 3011: Jack, C-1100 (clean);
    - 17 order 3012: total "n/a";
    - 18–19 order 3013: shipping empty on both rows;
    - 20–21 order 3014: currency "EUR" on its second row (the first says USD);
    - 22 order 3015: email "ned.example.com";
    - 23 order 3016: "Wool socks" without a SKU.
    """
    # order | customer ID | email | currency | total | tax | shipping | SKU | name | qty | price
    table = """
    3001|C-100|ann@example.com|USD|57.92|3.92|5.00|SKU-MUG|Coffee mug|2|12.00
    3001|C-100|ann@example.com|USD|57.92|3.92|5.00|SKU-TEE|Cotton tee|1|25.00
    3002|49990|bob@example.com|USD|25.60|1.60|4.00|SKU-CAP|Baseball cap|1|20.00
    3003|C-300|dana@example.com|USD|234.95||20.00|SKU-JKT|Rain jacket|1|170.63
    3003|C-300|dana@example.com|USD|234.95||20.00|SKU-MUG|Coffee mug|2|12.00
    3004|C-400|eve@example.com|$|71.96|4.96|5.00|SKU-TEE|Cotton tee|1|25.00
    3004|C-400|eve@example.com|$|71.96|4.96|5.00|SKU-CAP|Baseball cap|1|20.00
    3004|C-400|eve@example.com|$|71.96|4.96|5.00|SKU-SOCK|Wool socks|2|8.50
    3005|bob@example.com|bob@example.com|USD|25.60|1.60|4.00|SKU-CAP|Baseball cap|1|20.00
    3006|C-600|frank@example.com|USD|16.96|0.96|4.00|SKU-MUG||1|12.00
    3007|C-700|gina@example.com|USD|59.00|4.00|5.00|SKU-TEE|Cotton tee|2|abc
    3008|C-800|hal@example.com|USD|25.60|1.60|4.00|SKU-CAP|Baseball cap|-1|20.00
    3009|C-900|ivy@example.com|USD|12.18|0.68|3.00|SKU-SOCK|Wool socks|1|8.50
    3010|3010|jack@example.com|USD|25.60|1.60|4.00|SKU-CAP|Baseball cap|1|20.00
    3011|C-1100|jack@example.com|USD|16.96|0.96|4.00|SKU-MUG|Coffee mug|1|12.00
    3012|C-1200|kim@example.com|USD|n/a|2.00|5.00|SKU-TEE|Cotton tee|1|25.00
    3013|C-1300|leo@example.com|USD|35.78|2.28||SKU-CAP|Baseball cap|1|20.00
    3013|C-1300|leo@example.com|USD|35.78|2.28||SKU-SOCK|Wool socks|1|8.50
    3014|C-1400|mia@example.com|USD|44.96|2.96|5.00|SKU-TEE|Cotton tee|1|25.00
    3014|C-1400|mia@example.com|EUR|44.96|2.96|5.00|SKU-MUG|Coffee mug|1|12.00
    3015|C-1500|ned.example.com|USD|25.60|1.60|4.00|SKU-CAP|Baseball cap|1|20.00
    3016|C-1600|olga@example.com|USD|31.54|2.04|4.00||Wool socks|3|8.50
    """
    rows = []
    for line in table.strip().splitlines():
        cells = line.strip().split("|")
        rows.append(_line(*cells, country="us" if cells[0] == "3009" else "USA"))
    return write_csv(folder / "fixing_defects.csv", TEMPLATE_HEADER, rows)
