"""Files shaped like the exports shops really bring, written by us (no real customer data).

Each reproduces the quirks seen in real exports of its platform: Shopify's continuation rows
that repeat Name, Email, Created at and Vendor while Id and the money are only on an order's
first row, `0.00` refunded amounts, ZIPs with Excel's apostrophe, cancelled orders, duties, tip
lines, draft orders without an email; Etsy's items file with its first-row-only money written
as 0 on later rows; WooCommerce's REST-style names and its guest customer ID 0; Amazon's
tab-separated report whose item-price is the whole line.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from tests.core.orderfiles import SHOPIFY_HEADER, write_csv

# Shopify's export as of 2021-2023: the older layout (`orderfiles.SHOPIFY_HEADER`) and the
# columns Shopify added at its end since.
SHOPIFY_FULL_HEADER = [
    *SHOPIFY_HEADER,
    "Tax 1 Name",
    "Tax 1 Value",
    "Phone",
    "Receipt Number",
    "Duties",
    "Billing Province Name",
    "Shipping Province Name",
]


def _shopify(**cells: str) -> list[str]:
    unknown = set(cells) - set(SHOPIFY_FULL_HEADER)
    assert not unknown, unknown
    return [cells.get(h, "") for h in SHOPIFY_FULL_HEADER]


def _first(name: str, **cells: str) -> list[str]:
    """An order's first row: every order value, like Shopify writes it."""
    base = {
        "Name": name,
        "Financial Status": "paid",
        "Fulfillment Status": "fulfilled",
        "Accepts Marketing": "no",
        "Currency": "USD",
        "Discount Amount": "0.00",
        "Shipping Method": "Standard",
        "Lineitem quantity": "1",
        "Lineitem requires shipping": "true",
        "Lineitem taxable": "true",
        "Lineitem fulfillment status": "fulfilled",
        "Billing Name": "Ann Example",
        "Shipping Name": "Ann Example",
        "Shipping Address1": "1 Example Street",
        "Shipping City": "Springfield",
        "Shipping Province": "MA",
        "Shipping Country": "US",
        "Payment Method": "Shopify Payments",
        "Refunded Amount": "0.00",
        "Vendor": "Example Shop",
        "Outstanding Balance": "0.00",
        "Risk Level": "Low",
        "Source": "web",
        "Lineitem discount": "0.00",
    }
    base.update(cells)
    return _shopify(**base)


def _more(name: str, email: str, created: str, **cells: str) -> list[str]:
    """A continuation row: repeats Name, Email, Created at and Vendor, and its own line."""
    base = {
        "Name": name,
        "Email": email,
        "Created at": created,
        "Vendor": "Example Shop",
        "Lineitem quantity": "1",
        "Lineitem requires shipping": "true",
        "Lineitem taxable": "true",
        "Lineitem fulfillment status": "fulfilled",
        "Lineitem discount": "0.00",
    }
    base.update(cells)
    return _shopify(**base)


SHOPIFY_ORDERS = 7  # orders in shopify_real_shape()


def shopify_real_shape(folder: Path) -> Path:
    """Seven orders, 11 rows, as a real Shopify export writes them.

    #1001: three lines, ZIP '02134 with Excel's apostrophe.
    #1002: refunded 12.50 of it (Refunded Amount), one line.
    #1003: cancelled (Cancelled at, voided), one line.
    #1004: duties 3.98 in the total; two lines, the second a Tip without SKU.
    #1005: a draft order without email, phone '+1 617 555 0100 (customer code from the phone).
    #1006: no email, no phone (the customer cannot be recognised: a genuine error).
    #1007: a GB order whose Id is on the first row only, the second row repeating Name/Email.
    """
    t1 = "2026-03-02 10:00:00 -0500"
    rows = [
        _first(
            "#1001",
            Email="ann@example.com",
            **{
                "Paid at": t1,
                "Created at": t1,
                "Subtotal": "60.00",
                "Shipping": "5.00",
                "Taxes": "4.00",
                "Total": "69.00",
                "Lineitem name": "Mug",
                "Lineitem price": "20.00",
                "Lineitem sku": "MUG-1",
                "Shipping Zip": "'02134",
                "Billing Zip": "'02134",
                "Id": "6100000000001",
            },
        ),
        _more(
            "#1001",
            "ann@example.com",
            t1,
            **{
                "Lineitem name": "Plate",
                "Lineitem price": "15.00",
                "Lineitem sku": "PLATE-1",
                "Lineitem quantity": "2",
            },
        ),
        _more(
            "#1001",
            "ann@example.com",
            t1,
            **{
                "Lineitem name": "Spoon",
                "Lineitem price": "10.00",
                "Lineitem sku": "SPOON-1",
            },
        ),
        _first(
            "#1002",
            Email="bo@example.com",
            **{
                "Financial Status": "partially_refunded",
                "Created at": "2026-03-03 11:00:00 -0500",
                "Subtotal": "25.00",
                "Shipping": "0.00",
                "Taxes": "0.00",
                "Total": "25.00",
                "Lineitem name": "Bowl",
                "Lineitem price": "25.00",
                "Lineitem sku": "BOWL-1",
                "Shipping Zip": "'10001",
                "Refunded Amount": "12.50",
                "Id": "6100000000002",
            },
        ),
        _first(
            "#1003",
            Email="cy@example.com",
            **{
                "Financial Status": "voided",
                "Fulfillment Status": "unfulfilled",
                "Created at": "2026-03-04 09:30:00 -0500",
                "Cancelled at": "2026-03-04 12:00:00 -0500",
                "Subtotal": "20.00",
                "Shipping": "0.00",
                "Taxes": "0.00",
                "Total": "20.00",
                "Lineitem name": "Mug",
                "Lineitem price": "20.00",
                "Lineitem sku": "MUG-1",
                "Shipping Zip": "'02134",
                "Id": "6100000000003",
            },
        ),
        _first(
            "#1004",
            Email="di@example.com",
            **{
                "Currency": "USD",
                "Created at": "2026-03-05 14:00:00 -0500",
                "Subtotal": "50.00",
                "Shipping": "10.00",
                "Taxes": "5.00",
                "Total": "71.98",
                "Duties": "3.98",
                "Lineitem name": "Vase",
                "Lineitem price": "50.00",
                "Lineitem sku": "VASE-1",
                "Shipping Zip": "M5V 2T6",
                "Shipping Country": "CA",
                "Shipping Province": "ON",
                "Id": "6100000000004",
            },
        ),
        _more(
            "#1004",
            "di@example.com",
            "2026-03-05 14:00:00 -0500",
            **{
                "Lineitem name": "Tip",
                "Lineitem price": "3.00",
                "Lineitem requires shipping": "false",
            },
        ),
        _first(
            "#1005",
            **{
                "Created at": "2026-03-06 08:00:00 -0500",
                "Subtotal": "20.00",
                "Shipping": "0.00",
                "Taxes": "0.00",
                "Total": "20.00",
                "Lineitem name": "Mug",
                "Lineitem price": "20.00",
                "Lineitem sku": "MUG-1",
                "Billing Phone": "'+1 617 555 0100",
                "Shipping Zip": "'02134",
                "Source": "shopify_draft_order",
                "Id": "6100000000005",
            },
        ),
        _first(
            "#1006",
            **{
                "Created at": "2026-03-06 09:00:00 -0500",
                "Subtotal": "20.00",
                "Shipping": "0.00",
                "Taxes": "0.00",
                "Total": "20.00",
                "Lineitem name": "Mug",
                "Lineitem price": "20.00",
                "Lineitem sku": "MUG-1",
                "Shipping Zip": "'02134",
                "Source": "pos",
                "Id": "6100000000006",
            },
        ),
        _first(
            "#1007",
            Email="ed@example.co.uk",
            **{
                "Currency": "GBP",
                "Created at": "2026-03-07 16:00:00 +0000",
                "Subtotal": "30.00",
                "Shipping": "4.00",
                "Taxes": "0.00",
                "Total": "34.00",
                "Lineitem name": "Cup",
                "Lineitem price": "10.00",
                "Lineitem sku": "CUP-1",
                "Shipping Zip": "SW1A 1AA",
                "Shipping Country": "GB",
                "Shipping Province": "",
                "Id": "6100000000007",
            },
        ),
        _more(
            "#1007",
            "ed@example.co.uk",
            "2026-03-07 16:00:00 +0000",
            **{
                "Lineitem name": "Saucer",
                "Lineitem price": "20.00",
                "Lineitem sku": "SAUCER-1",
            },
        ),
    ]
    return write_csv(folder / "orders_export_1.csv", SHOPIFY_FULL_HEADER, rows)


def shopify_trimmed(folder: Path) -> Path:
    """Shopify's reduced export: ten columns, no currency, products or customer."""
    header = [
        "Name",
        "Subtotal",
        "Shipping",
        "Taxes",
        "Total",
        "Created at",
        "Billing City",
        "Billing Zip",
        "Billing Province",
        "Billing Country",
    ]
    rows = [
        [
            "#1030",
            "88.88",
            "11.75",
            "9.15",
            "100.63",
            "2014-11-25 14:45:53 +1100",
            "Darwin",
            "'0812",
            "NT",
            "AU",
        ],
        [
            "#1031",
            "10.3",
            "0",
            "1.03",
            "11.33",
            "2014-11-26 09:00:00 +1100",
            "Perth",
            "'6000",
            "WA",
            "AU",
        ],
    ]
    return write_csv(folder / "orders_export.csv", header, rows)


ETSY_ITEMS_HEADER = [
    "Sale Date",
    "Item Name",
    "Buyer",
    "Quantity",
    "Price",
    "Coupon Code",
    "Coupon Details",
    "Discount Amount",
    "Shipping Discount",
    "Order Shipping",
    "Order Sales Tax",
    "Item Total",
    "Currency",
    "Transaction ID",
    "Listing ID",
    "Date Paid",
    "Date Shipped",
    "Ship Name",
    "Ship Address1",
    "Ship Address2",
    "Ship City",
    "Ship State",
    "Ship Zipcode",
    "Ship Country",
    "Order ID",
    "Variations",
    "Order Type",
    "Listings Type",
    "Payment Type",
    "InPerson Discount",
    "InPerson Location",
    "VAT Paid by Buyer",
    "SKU",
]


def etsy_items(folder: Path) -> Path:
    """EtsySoldOrderItems: one row per item; the order's discount, shipping and tax on its
    first row, 0 on the others; no order total, email or customer number."""

    def row(
        sale: str,
        item: str,
        buyer: str,
        qty: str,
        price: str,
        discount: str,
        ship: str,
        tax: str,
        listing: str,
        order: str,
        *,
        coupon: str = "",
    ) -> list[str]:
        total = f"{float(price) * int(qty):.2f}"
        cells = {
            "Sale Date": sale,
            "Item Name": item,
            "Buyer": buyer,
            "Quantity": qty,
            "Price": price,
            "Coupon Code": coupon,
            "Discount Amount": discount,
            "Shipping Discount": "0.00",
            "Order Shipping": ship,
            "Order Sales Tax": tax,
            "Item Total": total,
            "Currency": "USD",
            "Transaction ID": f"9{listing}{order}",
            "Listing ID": listing,
            "Date Paid": sale[:6] + "20" + sale[6:],
            "Ship Name": "Ann Example",
            "Ship Address1": "1 Example Street",
            "Ship City": "Springfield",
            "Ship State": "MA",
            "Ship Zipcode": "02134",
            "Ship Country": "United States",
            "Order ID": order,
            "Order Type": "online",
            "Listings Type": "listing",
            "Payment Type": "online_cc",
            "VAT Paid by Buyer": "0",
        }
        return [cells.get(h, "") for h in ETSY_ITEMS_HEADER]

    rows = [
        row(
            "12/26/21",
            "Sticker sheet | planets",
            "Ann Example (annex1)",
            "2",
            "3.25",
            "0.65",
            "1.00",
            "0.52",
            "839935919",
            "2323514365",
            coupon="SAVE10",
        ),
        row(
            "12/26/21",
            "Sticker sheet | moons",
            "Ann Example (annex1)",
            "1",
            "3.50",
            "0",
            "0",
            "0",
            "839935920",
            "2323514365",
            coupon="SAVE10",
        ),
        row(
            "12/19/21",
            "Sticker flakes",
            "bob2000",
            "1",
            "3.35",
            "0.00",
            "0",
            "0",
            "901561496",
            "2315756531",
        ),
    ]
    return write_csv(folder / "EtsySoldOrderItems2021.csv", ETSY_ITEMS_HEADER, rows)


ETSY_ORDERS_HEADER = [
    "Sale Date",
    "Order ID",
    "Buyer User ID",
    "Full Name",
    "First Name",
    "Last Name",
    "Number of Items",
    "Payment Method",
    "Date Shipped",
    "Street 1",
    "Street 2",
    "Ship City",
    "Ship State",
    "Ship Zipcode",
    "Ship Country",
    "Currency",
    "Order Value",
    "Coupon Code",
    "Coupon Details",
    "Discount Amount",
    "Shipping Discount",
    "Shipping",
    "Sales Tax",
    "Order Total",
    "Status",
    "Card Processing Fees",
    "Order Net",
    "Adjusted Order Total",
    "Adjusted Card Processing Fees",
    "Adjusted Net Order Amount",
    "Buyer",
    "Order Type",
    "Payment Type",
    "InPerson Discount",
    "InPerson Location",
    "SKU",
]


def etsy_orders(folder: Path) -> Path:
    """EtsySoldOrders: one row per order, no products; Order Value (items) before Order Total."""
    cells = {
        "Sale Date": "07/16/22",
        "Order ID": "2536857072",
        "Buyer User ID": "adpsdnm171",
        "Full Name": "Ann Example",
        "Number of Items": "1",
        "Street 1": "1 Example Street",
        "Ship City": "Nashville",
        "Ship State": "TN",
        "Ship Zipcode": "37216",
        "Ship Country": "United States",
        "Currency": "USD",
        "Order Value": "21.39",
        "Discount Amount": "2.14",
        "Shipping Discount": "0.00",
        "Shipping": "3.72",
        "Sales Tax": "0",
        "Order Total": "25.09",
        "Buyer": "Ann Example",
        "SKU": "N023",
    }
    return write_csv(
        folder / "EtsySoldOrders2022.csv",
        ETSY_ORDERS_HEADER,
        [[cells.get(h, "") for h in ETSY_ORDERS_HEADER]],
    )


WOO_REST_HEADER = [
    "wc_order_id",
    "order_key",
    "status",
    "currency",
    "date_created",
    "date_paid",
    "discount_total",
    "shipping_total",
    "tax_total",
    "order_total",
    "customer_id",
    "billing_email",
    "billing_phone",
    "shipping_postcode",
    "shipping_country",
    "sku",
    "product_name",
    "quantity",
    "item_cost",
]


def woocommerce_rest(folder: Path) -> Path:
    """REST-style names, one row per product with the order values repeated; guests have
    customer_id 0; one cancelled order."""

    def row(
        order: str,
        status: str,
        email: str,
        customer: str,
        sku: str,
        name: str,
        qty: str,
        cost: str,
        total: str,
    ) -> list[str]:
        cells = {
            "wc_order_id": order,
            "order_key": f"wc_order_{order}",
            "status": status,
            "currency": "EUR",
            "date_created": "2026-03-08T09:15:00+01:00",
            "discount_total": "0.00",
            "shipping_total": "4.90",
            "tax_total": "0.00",
            "order_total": total,
            "customer_id": customer,
            "billing_email": email,
            "billing_phone": "030 1234567",
            "shipping_postcode": "10115",
            "shipping_country": "DE",
            "sku": sku,
            "product_name": name,
            "quantity": qty,
            "item_cost": cost,
        }
        return [cells.get(h, "") for h in WOO_REST_HEADER]

    rows = [
        row("501", "completed", "ann@example.com", "0", "TEA-1", "Green tea", "2", "5.00", "24.90"),
        row("501", "completed", "ann@example.com", "0", "CUP-1", "Cup", "1", "10.00", "24.90"),
        row("502", "processing", "bo@example.com", "0", "TEA-1", "Green tea", "1", "5.00", "9.90"),
        row("503", "completed", "cy@example.com", "17", "CUP-1", "Cup", "1", "10.00", "14.90"),
        row("504", "cancelled", "di@example.com", "0", "CUP-1", "Cup", "1", "10.00", "14.90"),
    ]
    return write_csv(folder / "woocommerce-orders.csv", WOO_REST_HEADER, rows)


AMAZON_HEADER = [
    "amazon-order-id",
    "merchant-order-id",
    "purchase-date",
    "last-updated-date",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "product-name",
    "sku",
    "asin",
    "item-status",
    "quantity",
    "currency",
    "item-price",
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "item-promotion-discount",
    "ship-promotion-discount",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "buyer-email",
]


def amazon_orders(folder: Path) -> Path:
    """Tab-separated order report: item-price is the line (price × quantity)."""

    def row(order: str, sku: str, name: str, qty: str, line: str, tax: str, ship: str) -> list[str]:
        cells = {
            "amazon-order-id": order,
            "purchase-date": "2026-03-08T08:04:21+00:00",
            "last-updated-date": "2026-03-09T08:04:21+00:00",
            "order-status": "Shipped",
            "fulfillment-channel": "Amazon",
            "sales-channel": "Amazon.com",
            "product-name": name,
            "sku": sku,
            "asin": "B0" + sku.replace("-", ""),
            "item-status": "Shipped",
            "quantity": qty,
            "currency": "USD",
            "item-price": line,
            "item-tax": tax,
            "shipping-price": ship,
            "shipping-tax": "",
            "item-promotion-discount": "0",
            "ship-promotion-discount": "0",
            "ship-city": "SEATTLE",
            "ship-state": "WA",
            "ship-postal-code": "98101",
            "ship-country": "US",
            "buyer-email": "abc123@marketplace.amazon.com",
        }
        return [cells.get(h, "") for h in AMAZON_HEADER]

    rows = [
        row("111-1234567-1234567", "MUG-1", "Mug", "2", "40.00", "3.60", "5.00"),
        row("111-1234567-1234567", "PLATE-1", "Plate", "1", "15.00", "1.35", ""),
        row("112-7654321-7654321", "MUG-1", "Mug", "1", "20.00", "1.80", "0"),
    ]
    return write_csv(folder / "orders.txt", AMAZON_HEADER, rows, delimiter="\t")


def etsy_items_quirks(folder: Path) -> Path:
    """EtsySoldOrderItems as UK shops and guest checkouts write it: "Delivery" for "Ship",
    a buyer as "Full Name (username)", a bare username or blank (guest checkout), two
    variations of one listing in one order, free delivery given as a Delivery Discount with
    Order Delivery already 0, and a personalisation that runs over two lines."""
    header = [
        "Delivery" + h[4:] if h.startswith("Ship ") else h
        for h in ETSY_ITEMS_HEADER
        if h != "Date Shipped"
    ]
    header[header.index("Shipping Discount")] = "Delivery Discount"
    header[header.index("Order Shipping")] = "Order Delivery"
    header.insert(header.index("Date Paid") + 1, "Date Posted")

    def row(order: str, buyer: str, listing: str, price: str, money: dict[str, str], **more: str):
        cells = {
            "Sale Date": "12/30/20",
            "Item Name": f"Line art print {listing[-2:]}",
            "Buyer": buyer,
            "Quantity": "1",
            "Price": price,
            "Discount Amount": "0.00",
            "Delivery Discount": "0.00",
            "Order Delivery": "0",
            "Order Sales Tax": "0",
            "Item Total": price,
            "Currency": "GBP",
            "Transaction ID": f"22{listing}",
            "Listing ID": listing,
            "Date Paid": "12/30/2020",
            "Delivery Name": "Ann Example",
            "Delivery Address1": "1 Example Street",
            "Delivery City": "London",
            "Delivery Zipcode": "W13 8PJ",
            "Delivery Country": "United Kingdom",
            "Order ID": order,
            "Order Type": "online",
            "VAT Paid by Buyer": "0",
            **money,
            **more,
        }
        return [cells.get(h, "") for h in header]

    rows = [
        # Free delivery: the discount is on Delivery Discount, Order Delivery is already 0.
        row(
            "1899179908",
            "Douglas Example (dexample28)",
            "816660457",
            "40.00",
            {"Delivery Discount": "7.75"},
            Variations="Finish:Hand Painted version,Size:A3",
        ),
        row("1899179908", "Douglas Example (dexample28)", "800627260", "40.00", {}),
        # The same listing twice, in two sizes: two products, not a repeated line.
        row(
            "2155472128",
            "maria example (mariaex)",
            "874127272",
            "5.50",
            {"Order Delivery": "1.5", "Order Sales Tax": "0.5"},
            Variations="Size:Large",
        ),
        row(
            "2155472128",
            "maria example (mariaex)",
            "874127272",
            "4.50",
            {},
            Variations="Size:Small",
        ),
        row(
            "1869649072",
            "stantonrjs",
            "881697978",
            "10.00",
            {},
            Variations="Style:Print,Personalisation:Marley \nFrench bulldog",
            **{
                "Delivery City": "Cerdanyola del Vallès",
                "Delivery State": "Catalonia",
                "Delivery Zipcode": "08290",
                "Delivery Country": "Spain",
            },
        ),
        # A guest checkout: Etsy leaves Buyer blank.
        row("1871386301", "", "795556331", "6.00", {}),
    ]
    return write_csv(folder / "EtsySoldOrderItems2020.csv", header, rows)


ETSY_ITEMS_QUIRKS_TOTALS = {  # order → (total, shipping, tax, discount, customer ID)
    "1899179908": (80.0, 0, 0, 0.0, "dexample28"),
    "2155472128": (12.0, 1.5, 0.5, 0.0, "mariaex"),
    "1869649072": (10.0, 0, 0, 0.0, "stantonrjs"),
}


def etsy_orders_guest(folder: Path) -> Path:
    """EtsySoldOrders saved again as tab-separated text: one order by an Etsy member, one guest
    checkout (Buyer User ID blank, Buyer is only the name)."""

    def row(order: str, user: str, name: str) -> list[str]:
        cells = {
            "Sale Date": "12/29/2023",
            "Order ID": order,
            "Buyer User ID": user,
            "Full Name": name,
            "Number of Items": "1",
            "Street 1": "36 Example Pl",
            "Ship City": "Medford",
            "Ship State": "MA",
            "Ship Zipcode": "02155",
            "Ship Country": "United States",
            "Currency": "USD",
            "Order Value": "17",
            "Coupon Code": "STAYKAWAII",
            "Discount Amount": "4.25",
            "Shipping": "4.13",
            "Sales Tax": "0",
            "Order Total": "17.65",
            "Buyer": name,
        }
        return [cells.get(h, "") for h in ETSY_ORDERS_HEADER]

    rows = [row("3164524954", "d9kxfbyc", "Ann Example"), row("3156589409", "", "gingi ")]
    return write_csv(folder / "EtsySoldOrders2023.csv", ETSY_ORDERS_HEADER, rows, delimiter="\t")


def etsy_orders_british(folder: Path) -> Path:
    """EtsySoldOrders from a shop set to British English: "Delivery …" for "Ship …", "Sales
    tax" and "Order total"; free delivery shows as a Delivery Discount with Delivery 0."""
    names = {
        "Ship City": "Delivery City",
        "Ship State": "Delivery State",
        "Ship Zipcode": "Delivery Zipcode",
        "Ship Country": "Delivery Country",
        "Shipping Discount": "Delivery Discount",
        "Shipping": "Delivery",
        "Sales Tax": "Sales tax",
        "Order Total": "Order total",
        "Date Shipped": "Date Posted",
    }
    header = [names.get(h, h) for h in ETSY_ORDERS_HEADER]
    cells = {
        "Sale Date": "2020-11-19",
        "Order ID": "1842317373",
        "Buyer User ID": "jenniecumbie",
        "Full Name": "Jennie Example",
        "Number of Items": "1",
        "Street 1": "429 Example Ln",
        "Delivery City": "Pinopolis",
        "Delivery State": "SC",
        "Delivery Zipcode": "29469",
        "Delivery Country": "United States",
        "Currency": "CAD",
        "Order Value": "62",
        "Discount Amount": "0",
        "Delivery Discount": "7.5",
        "Delivery": "0",
        "Sales tax": "0",
        "Order total": "66.96",
        "Buyer": "Jennie Example",
    }
    return write_csv(
        folder / "EtsySoldOrders2020.csv", header, [[cells.get(h, "") for h in header]]
    )


def shopify_cancelled_refunds(folder: Path) -> Path:
    """Two refunded Shopify orders, as a shop that refunds before cancelling exports them.

    #2001: paid, then cancelled and refunded in full (Cancelled at, Refunded Amount 49.90).
    #2002: paid and partly refunded (Refunded Amount 10.00), not cancelled: it is sent.
    """
    rows = [
        _first(
            f"#{number}",
            Email=email,
            **{
                "Financial Status": status,
                "Created at": created,
                "Cancelled at": cancelled,
                "Subtotal": "44.90",
                "Shipping": "5.00",
                "Taxes": "0.00",
                "Total": "49.90",
                "Lineitem name": "Teapot",
                "Lineitem price": "44.90",
                "Lineitem sku": "POT-1",
                "Shipping Zip": "'02134",
                "Refunded Amount": refunded,
                "Id": f"62000000000{number - 2000:02d}",
            },
        )
        for number, email, status, created, cancelled, refunded in (
            (
                2001,
                "fay@example.com",
                "refunded",
                "2026-04-01 10:00:00 -0400",
                "2026-04-02 09:00:00 -0400",
                "49.90",
            ),
            (
                2002,
                "gus@example.com",
                "partially_refunded",
                "2026-04-03 10:00:00 -0400",
                "",
                "10.00",
            ),
        )
    ]
    return write_csv(folder / "orders_export_refunds.csv", SHOPIFY_FULL_HEADER, rows)


SQUARESPACE_HEADER = [
    "Order ID",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Amount Refunded",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem sku",
    "Lineitem variant",
    "Lineitem requires shipping",
    "Lineitem taxable",
    "Lineitem fulfillment status",
    "Billing Name",
    "Billing Address1",
    "Billing Address2",
    "Billing City",
    "Billing Zip",
    "Billing Province",
    "Billing Country",
    "Billing Phone",
    "Shipping Name",
    "Shipping Address1",
    "Shipping Address2",
    "Shipping City",
    "Shipping Zip",
    "Shipping Province",
    "Shipping Country",
    "Shipping Phone",
    "Cancelled at",
    "Private Notes",
    "Payment Method",
    "Payment Reference",
]


def squarespace_orders(folder: Path) -> Path:
    """Squarespace's orders CSV: a later line of an order repeats only its Order ID and its own
    Lineitem cells; a refunded order that was cancelled (Amount Refunded = Total)."""

    def row(order: str, line: tuple[str, str, str], **cells: str) -> list[str]:
        name, price, sku = line
        values = {
            "Order ID": order,
            "Lineitem quantity": "1",
            "Lineitem name": name,
            "Lineitem price": price,
            "Lineitem sku": sku,
            "Lineitem variant": "200g",
            "Lineitem requires shipping": "TRUE",
            "Lineitem taxable": "TRUE",
            "Lineitem fulfillment status": "pending",
            **cells,
        }
        return [values.get(h, "") for h in SQUARESPACE_HEADER]

    def order(email: str, created: str, subtotal: str, total: str, **more: str) -> dict[str, str]:
        return {
            "Email": email,
            "Financial Status": "PAID",
            "Paid at": created,
            "Fulfillment Status": "pending",
            "Currency": "USD",
            "Subtotal": subtotal,
            "Shipping": "10",
            "Taxes": "0",
            "Amount Refunded": "0",
            "Total": total,
            "Discount Amount": "0",
            "Shipping Method": "Flat rate",
            "Created at": created,
            "Billing Name": "Ann Example",
            "Billing Address1": "1 Example Avenue",
            "Billing City": "Portland",
            "Billing Zip": "97211",
            "Billing Province": "OR",
            "Billing Country": "United States",
            "Shipping Name": "Ann Example",
            "Shipping Address1": "1 Example Avenue",
            "Shipping City": "Portland",
            "Shipping Zip": "97211",
            "Shipping Province": "OR",
            "Shipping Country": "United States",
            "Payment Method": "Stripe",
            **more,
        }

    colombia = ("Washed Colombian Coffee", "10", "SQ0509144")
    rows = [
        row("1", colombia, **order("ann@example.com", "7/25/2018 21:06", "20", "30")),
        row("1", ("Washed Ethiopian Coffee", "10", "SQ0030016")),
        row("4", colombia, **order("bo@example.com", "8/4/2018 19:28", "40", "50")),
        row("4", ("3 month subscription", "30", "SQ7103073"), **{"Lineitem variant": "Monthly"}),
        row(
            "2",
            ("Washed Guatemalan Coffee", "10", "SQ9095169"),
            **order(
                "cy@example.com",
                "7/25/2018 22:12",
                "10",
                "20",
                **{
                    "Financial Status": "refunded",
                    "Fulfillment Status": "cancelled",
                    "Amount Refunded": "20",
                    "Cancelled at": "7/26/2018 12:32",
                },
            ),
        ),
    ]
    return write_csv(folder / "orders.csv", SQUARESPACE_HEADER, rows)


WIX_HEADER = [
    "Order number",
    "Date created",
    "Time",
    "Fulfill by",
    "Total order quantity",
    "Contact email",
    "Note from customer",
    "Additional checkout info",
    "Item",
    "Variant",
    "SKU",
    "Qty",
    "Quantity refunded",
    "Price",
    "Weight",
    "Custom text",
    "Deposit amount",
    "Delivery method",
    "Delivery time",
    "Recipient name",
    "Recipient phone",
    "Recipient company name",
    "Delivery country",
    "Delivery state",
    "Delivery state name",
    "Delivery city",
    "Delivery address",
    "Delivery zip/postal code",
    "Billing name",
    "Billing phone",
    "Billing company name",
    "Billing country",
    "Billing state",
    "Billing state name",
    "Billing city",
    "Billing address",
    "Billing zip/postal code",
    "Payment status",
    "Payment method",
    "Coupon code",
    "Gift card amount",
    "Shipping rate",
    "Total tax",
    "Total",
    "Currency",
    "Refunded amount",
    "Net amount",
    "Additional fees",
    "Fulfillment status",
    "Tracking number",
    "Fulfillment service",
    "Shipping label",
]


def wix_orders(folder: Path) -> Path:
    """Wix's orders CSV: the date in "Date created" ("Dec 8, 2024") and the time of day in
    "Time" ("9:15:51 PM"); one row per item with the order's values repeated."""

    def row(order: str, date: str, time: str, item: tuple[str, str, str, str], total: str):
        name, sku, qty, price = item
        cells = {
            "Order number": order,
            "Date created": date,
            "Time": time,
            "Total order quantity": "3" if order == "10001" else "1",
            "Contact email": f"buyer{order}@example.com",
            "Item": name,
            "SKU": sku,
            "Qty": qty,
            "Quantity refunded": "0",
            "Price": price,
            "Delivery method": "Standard",
            "Recipient name": "Ann Example",
            "Recipient phone": "015224260416",
            "Delivery country": "DEU",
            "Delivery state": "DE-BE",
            "Delivery state name": "Berlin",
            "Delivery city": "Berlin",
            "Delivery address": "Example St 1",
            "Delivery zip/postal code": "10115",
            "Billing name": "Ann Example",
            "Billing country": "DEU",
            "Billing city": "Berlin",
            "Payment status": "Paid",
            "Payment method": "Credit card",
            "Shipping rate": "4.90",
            "Total tax": "0.00",
            "Total": total,
            "Currency": "EUR",
            "Refunded amount": "0.00",
            "Net amount": total,
            "Additional fees": "0.00",
            "Fulfillment status": "Fulfilled",
        }
        return [cells.get(h, "") for h in WIX_HEADER]

    rows = [
        row("10001", "Dec 8, 2024", "9:15:51 PM", ("Mug", "MUG-1", "2", "12.00"), "38.90"),
        row("10001", "Dec 8, 2024", "9:15:51 PM", ("Plate", "PLATE-1", "1", "10.00"), "38.90"),
        row("10002", "Jan 13, 2025", "11:02:03 AM", ("Mug", "MUG-1", "1", "12.00"), "16.90"),
    ]
    return write_csv(folder / "orders.csv", WIX_HEADER, rows)


def resaved_by_german_excel(path: Path) -> Path:
    """The same export opened and saved again by Excel set to German: `;` between cells,
    Windows-1252, decimal commas with a dot every thousand ("1.234,50"), dates as DD.MM.YYYY,
    and leading zeros gone from cells that are all digits ("02134" → "2134")."""
    with path.open(encoding="utf-8-sig", newline="") as source:
        header, *rows = list(csv.reader(source, delimiter="\t" if path.suffix == ".txt" else ","))
    saved = [[_as_german_excel_writes(cell) for cell in row] for row in rows]
    return write_csv(
        path.with_name("excel-de-" + path.stem + ".csv"),
        header,
        saved,
        delimiter=";",
        encoding="cp1252",
    )


def _as_german_excel_writes(cell: str) -> str:
    date = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", cell)
    if date:
        month, day, year = date.groups()
        return f"{int(day):02d}.{int(month):02d}.{year if len(year) == 4 else '20' + year}"
    if re.fullmatch(r"-?\d+\.\d+", cell):
        whole, fraction = cell.split(".")
        return f"{int(whole):,}".replace(",", ".") + "," + fraction
    if re.fullmatch(r"0\d+", cell):
        return cell.lstrip("0")
    return cell


def shopify_cancelled_pos(folder: Path) -> Path:
    """Two point-of-sale Shopify orders without email or phone (nothing identifies the buyer).

    #3001: cancelled in the shop (Cancelled at, voided): held back, so nothing is asked of it.
    #3002: paid, not cancelled: it cannot be sent without a customer (a genuine error).
    """
    rows = [
        _first(
            f"#{number}",
            **{
                "Financial Status": status,
                "Created at": "2026-04-05 12:00:00 -0400",
                "Cancelled at": cancelled,
                "Subtotal": "12.00",
                "Shipping": "0.00",
                "Taxes": "0.00",
                "Total": "12.00",
                "Lineitem name": "Candle",
                "Lineitem price": "12.00",
                "Lineitem sku": "CANDLE-1",
                "Shipping Zip": "'02134",
                "Source": "pos",
                "Id": f"63000000000{number - 3000:02d}",
            },
        )
        for number, status, cancelled in (
            (3001, "voided", "2026-04-05 12:30:00 -0400"),
            (3002, "paid", ""),
        )
    ]
    return write_csv(folder / "orders_export_pos.csv", SHOPIFY_FULL_HEADER, rows)
