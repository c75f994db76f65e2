"""More Shopify and WooCommerce shapes seen in real exports, written by us (no real data).

Shopify: orders without email whose phone is in whichever of Phone, Billing Phone or Shipping
Phone the sales channel filled (once only on the first row, or repeated on every row); two
identical line items of one order (Shopify splits a product into lines with different
properties, such as booking times); an export trimmed to a few columns that keeps the line
items but not their prices or the order's money.

WooCommerce: a shop report with one row per product but no quantity or price; the legacy
CSV export whose item_total is the whole line; an export plugin's labels ("Quantity of items
purchased", "Billing Phone Number", no email, no currency); exports that pack an order's
products into one row, in numbered column groups or in one cell.
"""

from __future__ import annotations

from pathlib import Path

from tests.core.orderfiles import write_csv
from tests.core.realshapes import SHOPIFY_FULL_HEADER, _first, _more

T1 = "2026-03-02 10:00:00 -0500"
T2 = "2026-03-03 11:30:00 -0500"


def _money(total: str, **cells: str) -> dict[str, str]:
    """An order's money on its first row: one line at `total`, nothing else."""
    return {
        "Created at": cells.pop("Created at", T1),
        "Subtotal": total,
        "Shipping": "0.00",
        "Taxes": "0.00",
        "Total": total,
        **cells,
    }


SHOPIFY_PHONE_ORDERS = 6  # orders in shopify_phones_and_lines()


def shopify_phones_and_lines(folder: Path) -> Path:
    """Six Shopify orders, 9 rows.

    #2001: no email; only Phone (first row): the customer code comes from it.
    #2002: no email; only Shipping Phone, with Excel's apostrophe.
    #2003: an email and a Billing Phone.
    #2004: two identical jetski lines (same SKU, no variant) and a Tip: three real lines.
    #2005: no email and no phone anywhere: the one genuine problem.
    #2006: no email; Phone repeated on its continuation row, as POS exports write it.
    """
    rows = [
        _first(
            "#2001",
            Id="7100000000001",
            Phone="+1 617 555 0101",
            **_money(
                "20.00",
                **{
                    "Lineitem name": "Mug",
                    "Lineitem price": "20.00",
                    "Lineitem sku": "MUG-1",
                },
            ),
        ),
        _first(
            "#2002",
            Id="7100000000002",
            **_money(
                "20.00",
                **{
                    "Shipping Phone": "'+44 7700 900123",
                    "Shipping Country": "GB",
                    "Lineitem name": "Mug",
                    "Lineitem price": "20.00",
                    "Lineitem sku": "MUG-1",
                },
            ),
        ),
        _first(
            "#2003",
            Id="7100000000003",
            Email="cy@example.com",
            **_money(
                "20.00",
                **{
                    "Billing Phone": "(617) 555-0103",
                    "Lineitem name": "Mug",
                    "Lineitem price": "20.00",
                    "Lineitem sku": "MUG-1",
                },
            ),
        ),
        _first(
            "#2004",
            Id="7100000000004",
            Email="di@example.com",
            **_money(
                "184.36",
                **{
                    "Created at": T2,
                    "Subtotal": "174.36",
                    "Lineitem name": "Jetski Rental - 30 minutes",
                    "Lineitem price": "87.18",
                    "Lineitem sku": "001-004",
                    "Lineitem requires shipping": "false",
                },
            ),
        ),
        _more(
            "#2004",
            "di@example.com",
            T2,
            **{
                "Lineitem name": "Jetski Rental - 30 minutes",
                "Lineitem price": "87.18",
                "Lineitem sku": "001-004",
                "Lineitem requires shipping": "false",
            },
        ),
        _more(
            "#2004",
            "di@example.com",
            T2,
            **{
                "Lineitem name": "Tip",
                "Lineitem price": "10.00",
                "Lineitem requires shipping": "false",
                "Lineitem taxable": "false",
                "Vendor": "",
            },
        ),
        _first(
            "#2005",
            Id="7100000000005",
            **_money(
                "20.00",
                **{
                    "Lineitem name": "Mug",
                    "Lineitem price": "20.00",
                    "Lineitem sku": "MUG-1",
                    "Source": "shopify_draft_order",
                },
            ),
        ),
        _first(
            "#2006",
            Id="7100000000006",
            Phone="+1 617 555 0106",
            **_money(
                "30.00",
                **{
                    "Lineitem name": "Mug",
                    "Lineitem price": "20.00",
                    "Lineitem sku": "MUG-1",
                },
            ),
        ),
        _more(
            "#2006",
            "",
            T1,
            Phone="+1 617 555 0106",
            **{"Lineitem name": "Spoon", "Lineitem price": "10.00", "Lineitem sku": "SPOON-1"},
        ),
    ]
    return write_csv(folder / "orders_export_1.csv", SHOPIFY_FULL_HEADER, rows)


SHOPIFY_LINES_ONLY_HEADER = [
    "Name",
    "Financial Status",
    "Paid at",
    "Currency",
    "Discount Code",
    "Discount Amount",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem sku",
    "Billing City",
    "Billing Country",
    "Shipping Country",
    "Cancelled at",
    "Refunded Amount",
    "Vendor",
]


def shopify_lines_without_money(folder: Path) -> Path:
    """An export trimmed to its line items: no email, phone, total, tax, shipping or prices
    (dates written day first, as a Canadian shop's export had them)."""
    rows = [
        [
            "#4090",
            "paid",
            "02/01/2024 11:23",
            "CAD",
            "",
            "0",
            "02/01/2024 11:23",
            "1",
            "Boots - 41 / ROUGE",
            "BOOT-41",
            "Québec",
            "CA",
            "CA",
            "",
            "0",
            "Example Shoes",
        ],
        [
            "#4090",
            *["", "", "", "", ""],
            "02/01/2024 11:23",
            "1",
            "Clogs - 37",
            "CLOG-37",
            *["", "", "", "", ""],
            "Example Shoes",
        ],
        [
            "#4089",
            "paid",
            "31/12/2023 13:56",
            "CAD",
            "",
            "0",
            "31/12/2023 13:56",
            "1",
            "Boots - 38 / NOIR",
            "BOOT-38",
            "Laval",
            "CA",
            "CA",
            "",
            "0",
            "Example Shoes",
        ],
    ]
    return write_csv(folder / "orders_export_1.csv", SHOPIFY_LINES_ONLY_HEADER, rows)


WOO_REPORT_HEADER = [
    "Order ID",
    "Date Created",
    "Date Paid",
    "Status",
    "Customer ID",
    "Name",
    "Email",
    "Product ID",
    "Product Name",
    "Category",
    "Total Amount",
    "Total Discount",
    "Payment Method",
    "Payment Method Title",
]


def woocommerce_products_without_quantity(folder: Path) -> Path:
    """A shop's own report: one row per product, the order total repeated, guests as customer
    0, and no quantity, price, tax, shipping or currency."""

    def row(order: str, name: str, email: str, product: str, title: str, total: str):
        return [
            order,
            "2025-04-05 09:25:08",
            "2025-04-05T09:25:13",
            "processing",
            "0",
            name,
            email,
            product,
            title,
            "",
            total,
            "0.00",
            "stripe",
            "Credit Card",
        ]

    rows = [
        row("88601", "Ann Example", "ann@example.com", "59403", "Lab test", "120.00"),
        row("88601", "Ann Example", "ann@example.com", "45983", "Starter kit", "120.00"),
        row("88602", "Bo Example", "bo@example.com", "59403", "Lab test", "69.00"),
    ]
    return write_csv(folder / "orders_export.csv", WOO_REPORT_HEADER, rows)


WOO_LEGACY_HEADER = [
    "order_number",
    "order_date",
    "status",
    "order_currency",
    "shipping_total",
    "tax_total",
    "discount_total",
    "order_total",
    "customer_email",
    "billing_phone",
    "billing_email",
    "shipping_postcode",
    "shipping_country",
    "product_name",
    "sku",
    "quantity",
    "item_total",
]


def woocommerce_legacy_item_totals(folder: Path) -> Path:
    """The legacy CSV export, one row per item, the order's money on its first row only and
    item_total the whole line (quantity × price)."""

    def row(order: str, money: bool, name: str, sku: str, qty: str, line: str, total: str):
        cells = [
            order,
            "2026-04-26 21:32:57",
            "completed",
            "USD",
            "0" if money else "",
            "0.00" if money else "",
            "0.00" if money else "",
            total if money else "",
            "ann@example.com",
            "+1-617-555-0100",
            "ann@example.com",
            "92101",
            "US",
            name,
            sku,
            qty,
            line,
        ]
        return cells

    rows = [
        row("10001", True, "Painting set", "woo-0065", "2", "432.32", "855.25"),
        row("10001", False, "Cat food", "woo-0034", "2", "294.26", "855.25"),
        row("10001", False, "Novel", "woo-0026", "1", "128.67", "855.25"),
        row("10003", True, "Desk organiser", "woo-0040", "3", "131.94", "131.94"),
    ]
    return write_csv(folder / "woocommerce_orders.csv", WOO_LEGACY_HEADER, rows)


WOO_PLUGIN_HEADER = [
    "Order ID",
    "Order Date",
    "Order Status",
    "Customer Name",
    "Order Total",
    "Order Shipping",
    "Payment Gateway",
    "Shipping Method",
    "Shipping Address Line 1",
    "Shipping Address Line 2",
    "Shipping Zip/Postcode",
    "Billing Phone Number",
    "_transaction_id",
    "Product Name",
    "Quantity of items purchased",
    "Item price EXCL. tax",
]


def woocommerce_plugin_labels(folder: Path) -> Path:
    """An export plugin's labels in an Italian shop: no email (the phone identifies the
    customer), no SKU, no currency and no tax column; decimal commas in the total only."""

    def row(product: str, price: str) -> list[str]:
        return [
            "5358",
            "2020/05/24",
            "processing",
            "Ann Example",
            "52,10",
            "5",
            "PayPal o carta di credito",
            "flat_rate:1",
            "Via Example 1",
            "",
            "20146",
            "3355700000",
            "0P128552W4082524Y",
            product,
            "1",
            price,
        ]

    rows = [row("Selezione B", "40"), row("Yogurt di capra 500 g", "3.5"), row("Pane", "3.6")]
    return write_csv(folder / "order_export.csv", WOO_PLUGIN_HEADER, rows)


WOO_NUMBERED_HEADER = [
    "order_id",
    "order_number",
    "order_date",
    "status",
    "order_total",
    "shipping_total",
    "order_currency",
    "customer_id",
    "billing_first_name",
    "billing_phone",
    "Product Item 1 Name",
    "Product Item 1 id",
    "Product Item 1 SKU",
    "Product Item 1 Quantity",
    "Product Item 1 Total",
    "Product Item 2 Name",
    "Product Item 2 id",
    "Product Item 2 SKU",
    "Product Item 2 Quantity",
    "Product Item 2 Total",
]


def woocommerce_numbered_items(folder: Path) -> Path:
    """One row per order, each product in its own numbered group of columns."""
    rows = [
        [
            *("9002", "9002", "2025-03-02 09:00:00", "completed", "55.00", "5.00", "INR", "0"),
            *("Ann", "9899999999", "eggs", "10645", "", "5", "32.50"),
            *("milk", "10646", "", "1", "17.50"),
        ],
        [
            *("9500", "9500", "2025-04-01 10:00:00", "completed", "88.00", "0.00", "INR", "0"),
            *("Bo", "9877777777", "Rice, Basmati", "300", "", "1", "88.00"),
            *("", "", "", "", ""),
        ],
    ]
    return write_csv(folder / "order_export_2025-10-22.csv", WOO_NUMBERED_HEADER, rows)


def products_in_one_cell(folder: Path) -> Path:
    """A store's order list: email, date and every product of the order in one cell."""
    header = ["Customer Email", "Order Date", "Products"]
    rows = [
        ["ann@example.com", "2024-10-08T16:15:14", "Wine club 3 pack"],
        ["bo@example.com", "2024-10-08T15:51:11", "Carmenere 2022, Chardonnay 2022, Rosé 2023"],
        ["cy@example.com", "2024-10-08T13:23:45", "Pinotage 2018, Rubicon 2018"],
    ]
    return write_csv(folder / "woocommerce_orders.csv", header, rows)


WOO_REST_ORDERS_HEADER = [
    "id",
    "number",
    "status",
    "date_created",
    "currency",
    "total",
    "subtotal",
    "total_tax",
    "shipping_total",
    "discount_total",
    "transaction_id",
    "customer_id",
    "created_via",
    "billing_email",
    "billing_phone",
    "billing_address_1",
    "billing_postcode",
    "shipping_city",
    "shipping_state",
    "shipping_country",
    "item_count",
    "line_items",
]


def woocommerce_rest_orders_packed(folder: Path) -> Path:
    """An order-sync tool's REST-style export: one row per order, the products packed in
    line_items ("SKU x 885 | SKU x 722"), item_count beside it, a billing street but only the
    shipping city, state and country columns (empty for these two orders)."""
    rows = [
        [
            *("92705", "92705", "processing", "2026-06-29T21:28:15", "AED", "1942806.60"),
            *("1850292.00", "92514.60", "0.00", "0.00", "", "1", "sample_request_popup"),
            *("ann@example.com", "+971 12 237 6773", "", "", "", "", ""),
            *("412", "BGTQ.DD.K6-L1-PEW x 412"),
        ],
        [
            *("92706", "92706", "processing", "2026-06-29T21:31:52", "AED", "589081.82"),
            *("561030.30", "28051.52", "0.00", "0.00", "", "1", ""),
            *("ann@example.com", "+971 16 143 6631", "Inquiry via Web Form", "", "", "", ""),
            *("1607", "BGTQ.DD.TA5-L1-BE x 885 | BGTQ.DD.LI1-G7-CR x 722"),
        ],
    ]
    return write_csv(folder / "wc_orders.csv", WOO_REST_ORDERS_HEADER, rows)
