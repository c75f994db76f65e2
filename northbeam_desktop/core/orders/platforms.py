"""Shop platforms recognised from a file's header, and what their columns mean.

Each `Platform` is one kind of export a shop owner brings: Shopify's "Export orders", the
WooCommerce export plugins, Etsy's two CSV downloads, Amazon Seller Central's order reports,
BigCommerce, Squarespace, Wix, and Northbeam's own SFTP template. The column names below were
taken from real exports that shops published, not from documentation alone (see
docs/PLATFORMS.md for the table a user reads).

A platform says:
- how to recognise it (`markers`: header names typical of it; `required`: names it always has);
- which column holds which Northbeam field, best first (`columns`); when several candidates are
  present, the first wins unless the field is listed in `prefer_filled`, where the one filled on
  most rows wins (Shopify has three phone columns and fills a different one per sales channel);
- which column keeps an order's rows together (`order_number`), when the order ID may be only on
  an order's first row;
- which order values it does not write in any column but that follow from others
  (`derived`, see core/orders/derive.py);
- which statuses mean "cancelled";
- what to tell the user when a field Northbeam needs is not in this kind of file (`missing`),
  and when an order's customer cell is empty because the platform leaves it so
  (`blank_customer`: Etsy's guest checkouts).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from northbeam_desktop.core.orders.headers import normalize_header


class Derivation(StrEnum):
    """How an order value is made when the file has no column for it as such."""

    SUM_OF_ROWS = "sum_of_rows"  # the order's rows add up (Etsy's first-row-only money, Amazon)
    UNIT_PRICE = "unit_price"  # the column is the line total; the price is total ÷ quantity
    TOTAL_FROM_PARTS = "total_from_parts"  # products + tax + shipping − discount
    # The name in brackets at the end of the cell ("Jane Doe (janedoe12)" → "janedoe12"), else
    # the whole cell: Etsy's items file writes the buyer's username that way.
    USERNAME = "username"
    # A date and the time of day written in two columns (Wix's "Date created" and "Time").
    DATE_AND_TIME = "date_and_time"
    FIRST_FILLED = "first_filled"  # the first of the columns filled on the order's rows


@dataclass(frozen=True, slots=True)
class DerivedField:
    field_key: str
    how: Derivation
    columns: tuple[str, ...] = ()  # the file's columns it is made from (header names)
    explanation: str = ""


@dataclass(frozen=True, slots=True)
class Platform:
    key: str
    name: str  # "Shopify"
    export: str  # "a Shopify orders export", as in "This looks like a Shopify orders export"
    markers: tuple[str, ...]
    min_markers: int
    columns: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...] = ()
    prefer_filled: frozenset[str] = frozenset()
    order_number: tuple[str, ...] = ()
    notes: Mapping[str, str] = field(default_factory=dict)
    derived: tuple[DerivedField, ...] = ()
    cancelled_statuses: frozenset[str] = frozenset()
    missing: Mapping[str, str] = field(default_factory=dict)
    # Said instead of `missing` when the file has product lines but lacks this product field
    # (a WooCommerce export with one row per product but no quantity column).
    missing_with_products: Mapping[str, str] = field(default_factory=dict)
    # Each row is one of the shop's own line items, so two rows of the same product are two
    # lines the order really has (Shopify splits a product into separate lines when they carry
    # different properties, such as a booking time), not a row pasted twice.
    rows_are_line_items: bool = False
    # Fields never matched in this kind of file, whatever a column is called (Etsy's orders
    # file has a SKU column listing the order's SKUs, but no product lines).
    never: frozenset[str] = frozenset()
    # Said (with the column's name) when an order's customer cell is empty although the
    # column is there; "" for the generic "type it in".
    blank_customer: str = ""

    def needs(self, field_key: str, *, has_products: bool) -> str | None:
        """What this kind of file would need for a field none of its columns holds."""
        if has_products and field_key in self.missing_with_products:
            return self.missing_with_products[field_key]
        return self.missing.get(field_key)

    def score(self, normalized: set[str]) -> int:
        """How many of this platform's marker columns a header has (0 when a must-have lacks)."""
        if any(normalize_header(name) not in normalized for name in self.required):
            return 0
        found = sum(1 for name in self.markers if normalize_header(name) in normalized)
        return found if found >= self.min_markers else 0


SHOPIFY_ORDER_ID_NOTE = (
    "Shopify has two order numbers: Id (a long number such as 5012345678901) and Name (the "
    "#1001 your customers see). Stores using Northbeam's Shopify pixel usually send the Id; "
    "choose Name only if your checkout sends that number to the Northbeam pixel."
)

_SHIPPING_FIRST = {
    "customer_shipping_address.address1": ("Shipping Address1", "Billing Address1"),
    "customer_shipping_address.address2": ("Shipping Address2", "Billing Address2"),
    "customer_shipping_address.city": ("Shipping City", "Billing City"),
    "customer_shipping_address.state": ("Shipping Province", "Billing Province"),
    "customer_shipping_address.zip": ("Shipping Zip", "Billing Zip"),
    "customer_shipping_address.country_code": ("Shipping Country", "Billing Country"),
}

SHOPIFY = Platform(
    key="shopify",
    name="Shopify",
    export="a Shopify orders export",
    # The full export has ~75 columns; trimmed exports keep a handful, always Name + Created at.
    markers=(
        "Name",
        "Created at",
        "Financial Status",
        "Fulfillment Status",
        "Lineitem name",
        "Lineitem quantity",
        "Lineitem price",
        "Lineitem sku",
        "Accepts Marketing",
        "Paid at",
        "Subtotal",
        "Taxes",
        "Billing Zip",
        "Billing Country",
        "Shipping Country",
        "Refunded Amount",
        "Cancelled at",
    ),
    required=("Name", "Created at"),
    min_markers=4,
    columns={
        "order_id": ("Id", "Name"),
        "time_of_purchase": ("Created at",),
        "customer_email": ("Email",),
        "customer_name": ("Billing Name", "Shipping Name"),
        "discount_codes": ("Discount Code",),
        "discount_amount": ("Discount Amount",),
        "order_tags": ("Tags",),
        "tax": ("Taxes",),
        "currency": ("Currency",),
        "purchase_total": ("Total",),
        "shipping_cost": ("Shipping",),
        "products.id": ("Lineitem sku",),
        "products.name": ("Lineitem name",),
        "products.quantity": ("Lineitem quantity",),
        "products.price": ("Lineitem price",),
        "products.variant_name": ("Lineitem variant",),
        **_SHIPPING_FIRST,
        "refunded_total": ("Refunded Amount",),
        "cancelled_at": ("Cancelled at",),
        "duties": ("Duties",),
    },
    prefer_filled=frozenset({"customer_name"}),
    order_number=("Name",),
    rows_are_line_items=True,
    notes={"order_id": SHOPIFY_ORDER_ID_NOTE},
    # Shopify writes the phone in a different column per sales channel (Phone for accounts
    # and POS, Billing or Shipping Phone at checkout): each order takes the first it has.
    derived=(
        DerivedField(
            "customer_phone_number",
            Derivation.FIRST_FILLED,
            ("Phone", "Billing Phone", "Shipping Phone"),
            "the first filled of the order's Phone, Billing Phone and Shipping Phone",
        ),
    ),
    missing={
        "customer_id": "Shopify's full orders export has each customer's Email and Phone; "
        "export again with all columns.",
        "currency": "Shopify's full orders export has it in the Currency column; export "
        "again with all columns.",
        "tax": "Shopify's full orders export has it in the Taxes column; export again with "
        "all columns.",
        "shipping_cost": "Shopify's full orders export has it in the Shipping column; export "
        "again with all columns.",
        "purchase_total": "Shopify's full orders export has it in the Total column; export "
        "again with all columns.",
        "products.id": "Shopify's full orders export has the products (Lineitem columns); "
        "export again with all columns.",
        "products.name": "Shopify's full orders export has the products (Lineitem columns); "
        "export again with all columns.",
        "products.quantity": "Shopify's full orders export has the products (Lineitem "
        "columns); export again with all columns.",
        "products.price": "Shopify's full orders export has the products (Lineitem columns); "
        "export again with all columns.",
    },
    missing_with_products={
        key: f"Shopify's full orders export has it in the {column} column; export again "
        "with all columns."
        for key, column in (
            ("products.id", "Lineitem sku"),
            ("products.name", "Lineitem name"),
            ("products.quantity", "Lineitem quantity"),
            ("products.price", "Lineitem price"),
        )
    },
)

SQUARESPACE = Platform(
    key="squarespace",
    name="Squarespace",
    export="a Squarespace orders export",
    markers=(
        "Order ID",
        "Created at",
        "Paid at",
        "Financial Status",
        "Fulfillment Status",
        "Lineitem name",
        "Lineitem quantity",
        "Lineitem price",
        "Lineitem sku",
        "Lineitem variant",
        "Amount Refunded",
        "Channel",
        "Private Notes",
    ),
    required=("Order ID", "Lineitem name"),
    min_markers=5,
    columns={
        "order_id": ("Order ID",),
        "time_of_purchase": ("Created at", "Paid at"),
        "customer_email": ("Email",),
        "customer_phone_number": ("Billing Phone", "Shipping Phone"),
        "customer_name": ("Billing Name", "Shipping Name"),
        "discount_codes": ("Discount Code",),
        "discount_amount": ("Discount Amount",),
        "tax": ("Taxes",),
        "currency": ("Currency",),
        "purchase_total": ("Total",),
        "shipping_cost": ("Shipping",),
        "products.id": ("Lineitem sku",),
        "products.name": ("Lineitem name",),
        "products.quantity": ("Lineitem quantity",),
        "products.price": ("Lineitem price",),
        "products.variant_name": ("Lineitem variant",),
        **_SHIPPING_FIRST,
        "refunded_total": ("Amount Refunded",),
        "cancelled_at": ("Cancelled at",),
    },
    prefer_filled=frozenset({"customer_phone_number"}),
)

# Etsy leaves the buyer blank for guest checkouts ({column} is the column's name).
_ETSY_GUEST = (
    "Etsy guest checkout: the buyer had no Etsy account, so {column} is empty and Etsy's file "
    "has nothing else that tells this customer apart. Type the buyer's email from the order in "
    "Etsy (Shop Manager → Orders & Shipping) in {column} and take the customer code suggested "
    "for it, or delete the row to leave the order out."
)

_ETSY_ITEMS_MISSING = (
    "Etsy's EtsySoldOrderItems file (Shop Manager → Settings → Options → Download Data, "
    "type Order Items) has the products; open that file instead."
)

# Shops set to British English get "Delivery" where others get "Ship"/"Shipping", and
# "Sales tax"/"Order total" in the orders file.
ETSY_ORDERS = Platform(
    key="etsy_orders",
    name="Etsy",
    export="an Etsy sold-orders file (EtsySoldOrders)",
    markers=(
        "Sale Date",
        "Order ID",
        "Buyer User ID",
        "Full Name",
        "Number of Items",
        "Ship Zipcode",
        "Ship Country",
        "Delivery Zipcode",
        "Delivery Country",
        "Order Value",
        "Order Total",
        "Order Net",
        "Adjusted Order Total",
        "Card Processing Fees",
        "Street 1",
    ),
    required=("Sale Date", "Order ID"),
    min_markers=6,
    columns={
        "order_id": ("Order ID",),
        "customer_id": ("Buyer User ID",),
        "time_of_purchase": ("Sale Date",),
        "customer_name": ("Full Name",),
        "discount_codes": ("Coupon Code",),
        "discount_amount": ("Discount Amount",),
        "tax": ("Sales Tax",),
        "currency": ("Currency",),
        # Order Value is the items before discount, shipping and tax: never the total.
        "purchase_total": ("Order Total",),
        # Already net of Shipping Discount (Order Total = Order Value − Discount + Shipping).
        "shipping_cost": ("Shipping", "Delivery"),
        "customer_shipping_address.address1": ("Street 1",),
        "customer_shipping_address.address2": ("Street 2",),
        "customer_shipping_address.city": ("Ship City", "Delivery City"),
        "customer_shipping_address.state": ("Ship State", "Delivery State"),
        "customer_shipping_address.zip": ("Ship Zipcode", "Delivery Zipcode"),
        "customer_shipping_address.country_code": ("Ship Country", "Delivery Country"),
        "order_status": ("Status",),
    },
    cancelled_statuses=frozenset({"canceled", "cancelled"}),
    never=frozenset({"products.id", "products.name", "products.quantity", "products.price"}),
    blank_customer=_ETSY_GUEST,
    missing={
        "customer_id": "Etsy's EtsySoldOrders file has the buyer in Buyer User ID, which "
        "this copy lacks: download it again from Etsy (Shop Manager → Settings → Options → "
        "Download Data, type Orders) without removing columns.",
        "products.id": _ETSY_ITEMS_MISSING,
        "products.name": _ETSY_ITEMS_MISSING,
        "products.quantity": _ETSY_ITEMS_MISSING,
        "products.price": _ETSY_ITEMS_MISSING,
    },
)

# The items file is written in British English by UK shops: Delivery instead of Ship(ping).
ETSY_ITEMS = Platform(
    key="etsy_items",
    name="Etsy",
    export="an Etsy sold-items file (EtsySoldOrderItems)",
    markers=(
        "Sale Date",
        "Item Name",
        "Buyer",
        "Order Shipping",
        "Order Delivery",
        "Order Sales Tax",
        "Item Total",
        "Transaction ID",
        "Listing ID",
        "Ship Zipcode",
        "Delivery Zipcode",
        "Order ID",
        "Variations",
    ),
    required=("Item Name", "Order ID"),
    min_markers=6,
    columns={
        "order_id": ("Order ID",),
        "time_of_purchase": ("Sale Date", "Date Paid"),
        "customer_name": ("Ship Name", "Delivery Name"),
        "discount_codes": ("Coupon Code",),
        "currency": ("Currency",),
        "products.id": ("SKU", "Listing ID"),
        "products.name": ("Item Name",),
        "products.quantity": ("Quantity",),
        "products.price": ("Price",),
        "products.variant_name": ("Variations",),
        "customer_shipping_address.address1": ("Ship Address1", "Delivery Address1"),
        "customer_shipping_address.address2": ("Ship Address2", "Delivery Address2"),
        "customer_shipping_address.city": ("Ship City", "Delivery City"),
        "customer_shipping_address.state": ("Ship State", "Delivery State"),
        "customer_shipping_address.zip": ("Ship Zipcode", "Delivery Zipcode"),
        "customer_shipping_address.country_code": ("Ship Country", "Delivery Country"),
    },
    prefer_filled=frozenset({"products.id"}),
    blank_customer=_ETSY_GUEST,
    notes={
        "products.id": "Etsy fills SKU only when you gave your listings one; otherwise the "
        "listing number identifies the product.",
    },
    # The order's money is on its first row (later rows say 0): adding the rows gives it.
    derived=(
        DerivedField(
            "customer_id",
            Derivation.USERNAME,
            ("Buyer",),
            "the buyer's Etsy username: the name in brackets in Buyer (“Jane Doe (janedoe12)” "
            "gives janedoe12), the same as Buyer User ID in Etsy's EtsySoldOrders file",
        ),
        DerivedField(
            "tax",
            Derivation.SUM_OF_ROWS,
            ("Order Sales Tax",),
            "the order's Order Sales Tax (on its first row)",
        ),
        DerivedField(
            "shipping_cost",
            Derivation.SUM_OF_ROWS,
            ("Order Shipping", "Order Delivery"),
            "the order's Order Shipping (on its first row)",
        ),
        # Not Shipping Discount: Order Shipping is already what the buyer paid after it.
        DerivedField(
            "discount_amount",
            Derivation.SUM_OF_ROWS,
            ("Discount Amount",),
            "the order's Discount Amount (on its first row; Order Shipping is already net of "
            "the shipping discount)",
        ),
        DerivedField(
            "purchase_total",
            Derivation.TOTAL_FROM_PARTS,
            (),
            "products + sales tax + shipping − discounts (Etsy's items file has no total; "
            "tax Etsy collected for your buyer's state is not in the file)",
        ),
    ),
)

AMAZON = Platform(
    key="amazon",
    name="Amazon",
    export="an Amazon Seller Central order report",
    markers=(
        "amazon-order-id",
        "order-id",
        "merchant-order-id",
        "purchase-date",
        "payments-date",
        "order-status",
        "item-status",
        "fulfillment-channel",
        "sales-channel",
        "product-name",
        "sku",
        "asin",
        "quantity",
        "quantity-purchased",
        "item-price",
        "item-tax",
        "shipping-price",
        "shipping-tax",
        "ship-postal-code",
        "ship-country",
        "buyer-email",
        "order-item-id",
    ),
    required=("purchase-date", "item-price"),
    min_markers=6,
    columns={
        "order_id": ("amazon-order-id", "order-id"),
        "time_of_purchase": ("purchase-date",),
        "customer_email": ("buyer-email",),
        "customer_phone_number": ("buyer-phone-number", "ship-phone-number"),
        "customer_name": ("buyer-name", "recipient-name"),
        "currency": ("currency",),
        "discount_codes": ("promotion-ids",),
        "products.id": ("sku", "asin"),
        "products.name": ("product-name",),
        "products.quantity": ("quantity-purchased", "quantity", "quantity-shipped"),
        "customer_shipping_address.address1": ("ship-address-1",),
        "customer_shipping_address.address2": ("ship-address-2",),
        "customer_shipping_address.city": ("ship-city",),
        "customer_shipping_address.state": ("ship-state",),
        "customer_shipping_address.zip": ("ship-postal-code",),
        "customer_shipping_address.country_code": ("ship-country",),
        "order_status": ("order-status",),
    },
    derived=(
        DerivedField(
            "products.price",
            Derivation.UNIT_PRICE,
            ("item-price",),
            "item-price ÷ quantity (Amazon's item-price is the whole line)",
        ),
        DerivedField(
            "tax", Derivation.SUM_OF_ROWS, ("item-tax", "shipping-tax"), "item and shipping tax"
        ),
        DerivedField(
            "shipping_cost", Derivation.SUM_OF_ROWS, ("shipping-price",), "shipping-price"
        ),
        DerivedField(
            "discount_amount",
            Derivation.SUM_OF_ROWS,
            ("item-promotion-discount", "ship-promotion-discount"),
            "the item and shipping promotions",
        ),
        DerivedField(
            "purchase_total",
            Derivation.TOTAL_FROM_PARTS,
            (),
            "products + tax + shipping − promotions (Amazon's reports have no order total)",
        ),
    ),
    cancelled_statuses=frozenset({"cancelled", "canceled"}),
    missing={
        "customer_id": "Amazon's All Orders report does not name the buyer. Northbeam needs "
        "a customer for every order: the Order Report (Orders → Order Reports) has "
        "buyer-email.",
    },
)

BIGCOMMERCE = Platform(
    key="bigcommerce",
    name="BigCommerce",
    export="a BigCommerce orders export",
    markers=(
        "Order ID",
        "Customer ID",
        "Customer Email",
        "Order Date",
        "Order Status",
        "Subtotal (inc tax)",
        "Subtotal (ex tax)",
        "Tax Total",
        "Shipping Cost (inc tax)",
        "Order Total (inc tax)",
        "Order Currency Code",
        "Product Details",
        "Billing Suburb",
        "Shipping Suburb",
    ),
    required=("Order ID",),
    min_markers=5,
    columns={
        "order_id": ("Order ID",),
        "customer_id": ("Customer ID",),
        "time_of_purchase": ("Order Date",),
        "customer_email": ("Customer Email", "Billing Email"),
        "customer_phone_number": ("Customer Phone", "Billing Phone", "Shipping Phone"),
        "customer_name": ("Customer Name",),
        "tax": ("Tax Total",),
        "currency": ("Order Currency Code",),
        "purchase_total": ("Order Total (inc tax)",),
        "shipping_cost": ("Shipping Cost (inc tax)", "Shipping Cost (ex tax)"),
        "customer_shipping_address.address1": ("Shipping Street 1", "Billing Street 1"),
        "customer_shipping_address.address2": ("Shipping Street 2", "Billing Street 2"),
        "customer_shipping_address.city": ("Shipping Suburb", "Billing Suburb"),
        "customer_shipping_address.state": ("Shipping State", "Billing State"),
        "customer_shipping_address.zip": ("Shipping Zip", "Billing Zip"),
        "customer_shipping_address.country_code": ("Shipping Country", "Billing Country"),
        "refunded_total": ("Refund Amount",),
        "order_status": ("Order Status",),
    },
    prefer_filled=frozenset({"customer_phone_number"}),
    cancelled_statuses=frozenset({"cancelled", "declined"}),
    missing={
        key: "BigCommerce puts every product of an order in one Product Details cell. "
        'Export with the "one row per product" option (Orders → Export → a template with '
        "product columns), so each product has its own row."
        for key in ("products.id", "products.name", "products.quantity", "products.price")
    },
)

WIX = Platform(
    key="wix",
    name="Wix",
    export="a Wix orders export",
    markers=(
        "Order number",
        "Date created",
        "Time",
        "Fulfill by",
        "Total order quantity",
        "Contact email",
        "Item",
        "Variant",
        "Qty",
        "Quantity refunded",
        "Delivery method",
        "Recipient name",
        "Delivery country",
        "Delivery zip/postal code",
        "Payment status",
        "Shipping rate",
        "Total tax",
        "Net amount",
        "Fulfillment status",
    ),
    required=("Order number",),
    min_markers=6,
    columns={
        "order_id": ("Order number",),
        "customer_email": ("Contact email",),
        "customer_phone_number": ("Billing phone", "Recipient phone"),
        "customer_name": ("Billing name", "Recipient name"),
        "discount_codes": ("Coupon code",),
        "tax": ("Total tax",),
        "currency": ("Currency",),
        "purchase_total": ("Total",),
        "shipping_cost": ("Shipping rate",),
        "products.id": ("SKU",),
        "products.name": ("Item",),
        "products.quantity": ("Qty",),
        "products.price": ("Price",),
        "products.variant_name": ("Variant",),
        "customer_shipping_address.address1": ("Delivery address", "Billing address"),
        "customer_shipping_address.city": ("Delivery city", "Billing city"),
        "customer_shipping_address.state": ("Delivery state", "Billing state"),
        "customer_shipping_address.zip": ("Delivery zip/postal code", "Billing zip/postal code"),
        "customer_shipping_address.country_code": ("Delivery country", "Billing country"),
        "refunded_total": ("Refunded amount",),
        "order_status": ("Fulfillment status",),
    },
    never=frozenset({"refunds.quantity", "refunds.refund_amount"}),
    prefer_filled=frozenset({"customer_phone_number"}),
    cancelled_statuses=frozenset({"canceled", "cancelled"}),
    derived=(
        DerivedField(
            "time_of_purchase",
            Derivation.DATE_AND_TIME,
            ("Date created", "Time"),
            "Date created with the Time beside it (Wix writes the time of day in a column of "
            "its own)",
        ),
    ),
)

WOOCOMMERCE = Platform(
    key="woocommerce",
    name="WooCommerce",
    export="a WooCommerce orders export",
    # WooCommerce has no single export: the core REST names (billing_email, date_created,
    # wc_order_id), the legacy Customer/Order CSV format (order_number, order_date,
    # line_item_1), AlgolPlus' Advanced Order Export ("Order Number", "Email (Billing)") and
    # shop-made reports ("Order ID", "Date Created", "Customer ID") all occur.
    markers=(
        "wc_order_id",
        "order_key",
        "order_number",
        "order_date",
        "date_created",
        "date_paid",
        "date_completed",
        "billing_email",
        "billing_phone",
        "billing_first_name",
        "billing_postcode",
        "billing_country",
        "shipping_postcode",
        "shipping_country",
        "shipping_total",
        "tax_total",
        "discount_total",
        "order_total",
        "order_currency",
        "payment_method_title",
        "customer_user",
        "line_item_1",
        "Order Number",
        "Order Status",
        "Email (Billing)",
        "Phone (Billing)",
        "Postcode (Shipping)",
        "Country Code (Shipping)",
        "Order Shipping Amount",
        "Order Total Amount",
        "Order Total Tax Amount",
        "Payment Method Title",
        "Date Created",
        "Date Paid",
        # "Order Export and More for WooCommerce" labels (a shop's Italian export).
        "Order Shipping",
        "Payment Gateway",
        "Shipping Zip/Postcode",
        "Billing Phone Number",
        "Quantity of items purchased",
        "_transaction_id",
        # The legacy Customer/Order CSV Export, one row per item.
        "item_name",
        "item_sku",
        "item_quantity",
        "item_total",
        # The REST API's own names, as order-sync tools write them.
        "total_tax",
        "created_via",
        "line_items",
    ),
    min_markers=4,
    columns={
        "order_id": (
            "wc_order_id",
            "order_id",
            "order_number",
            "Order Number",
            "Order ID",
            "id",  # the REST API's order ID (its "number" is the same unless a plugin renames)
            "number",
        ),
        "customer_id": ("customer_id", "customer_user", "Customer ID", "Customer User ID"),
        "time_of_purchase": (
            "date_created",
            "order_date",
            "Order Date",
            "Date Created",
            "date_paid",
            "Date Paid",
        ),
        "customer_email": (
            "billing_email",
            "customer_email",
            "Email (Billing)",
            "Customer Email",
            "Email",
        ),
        "customer_phone_number": (
            "billing_phone",
            "Phone (Billing)",
            "Customer Phone",
            "Billing Phone Number",
        ),
        "customer_name": ("billing_name", "Customer Name"),
        "discount_codes": ("discount_code", "Coupon Code", "Coupons Used"),
        "discount_amount": (
            "discount_total",
            "Cart Discount Amount",
            "Discount Amount",
            "Total Discount",
        ),
        "order_tags": ("tags",),
        "tax": ("tax_total", "total_tax", "Order Total Tax Amount", "Order Tax Amount"),
        "currency": ("currency", "order_currency", "Order Currency"),
        "purchase_total": (
            "order_total",
            "total",
            "Order Total Amount",
            "Order Total",
            "Total Amount",
        ),
        "shipping_cost": ("shipping_total", "Order Shipping Amount", "Order Shipping"),
        "products.id": ("sku", "SKU", "item_sku", "product_id", "Product ID"),
        "products.name": ("product_name", "item_name", "Item Name", "Product Name", "Name"),
        "products.quantity": (
            "quantity",
            "Quantity",
            "item_quantity",
            "Item Qty",
            "Quantity of items purchased",
        ),
        "products.price": ("item_cost", "Item Cost", "Item Price", "Item price EXCL. tax"),
        "products.variant_name": ("Product Variation",),
        "customer_shipping_address.address1": (
            "shipping_address_1",
            "billing_address_1",
            "Shipping Address Line 1",
        ),
        "customer_shipping_address.address2": (
            "shipping_address_2",
            "billing_address_2",
            "Shipping Address Line 2",
        ),
        "customer_shipping_address.city": (
            "shipping_city",
            "billing_city",
            "City (Shipping)",
            "City (Billing)",
        ),
        "customer_shipping_address.state": (
            "shipping_state",
            "billing_state",
            "State Code (Shipping)",
            "State Code (Billing)",
        ),
        "customer_shipping_address.zip": (
            "shipping_postcode",
            "billing_postcode",
            "Postcode (Shipping)",
            "Postcode (Billing)",
            "Shipping Zip/Postcode",
        ),
        "customer_shipping_address.country_code": (
            "shipping_country",
            "billing_country",
            "Country Code (Shipping)",
            "Country Code (Billing)",
        ),
        "order_status": ("status", "Order Status", "Status"),
        "refunded_total": ("Order Refund Amount", "refund_total"),
    },
    prefer_filled=frozenset({"customer_email", "customer_phone_number"}),
    # The legacy CSV export's item_total is the whole line (quantity × price, after discounts).
    derived=(
        DerivedField(
            "products.price",
            Derivation.UNIT_PRICE,
            ("item_total", "line_total"),
            "item_total ÷ quantity (WooCommerce's item_total is the whole line)",
        ),
    ),
    cancelled_statuses=frozenset(
        {"cancelled", "canceled", "wc-cancelled", "failed", "wc-failed", "trash"}
    ),
    missing={
        **{
            key: "This WooCommerce export has no product lines. Export again with one row "
            "per product (e.g. WooCommerce → Orders → Export with the products' SKU, name, "
            "quantity and price)."
            for key in ("products.id", "products.name", "products.quantity", "products.price")
        },
        "customer_id": "WooCommerce's order exports can add the customer's billing email "
        "(billing_email or “Email (Billing)”); export again with it.",
        "currency": "WooCommerce's order exports can add the order currency (order_currency "
        "or “Order Currency”); export again with it.",
        "tax": "WooCommerce's order exports can add the order's tax total (tax_total or "
        "“Order Total Tax Amount”); export again with it.",
        "shipping_cost": "WooCommerce's order exports can add the order's shipping total "
        "(shipping_total or “Order Shipping Amount”); export again with it.",
        "purchase_total": "WooCommerce's order exports can add the order total (order_total "
        "or “Order Total Amount”); export again with it.",
    },
    missing_with_products={
        **{
            key: "This WooCommerce export has one row per product but not each product's "
            "quantity and price. Export again with the item quantity and item cost columns."
            for key in ("products.quantity", "products.price")
        },
        "products.id": "This WooCommerce export has one row per product but no SKU or "
        "product ID. Export again with the item SKU or product ID column.",
        "products.name": "This WooCommerce export has one row per product but not its name. "
        "Export again with the item name column.",
    },
)

NORTHBEAM_TEMPLATE = Platform(
    key="northbeam",
    name="Northbeam",
    export="Northbeam's order template",
    markers=(
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
        "product_id",
        "product_name",
        "product_quantity",
        "product_price",
    ),
    required=("order_id", "time_of_purchase"),
    min_markers=5,
    columns={},
)

# Most specific first: a tie in score goes to the earlier platform.
PLATFORMS: tuple[Platform, ...] = (
    NORTHBEAM_TEMPLATE,
    SHOPIFY,
    SQUARESPACE,
    ETSY_ITEMS,
    ETSY_ORDERS,
    AMAZON,
    BIGCOMMERCE,
    WIX,
    WOOCOMMERCE,
)
PLATFORMS_BY_KEY: dict[str, Platform] = {platform.key: platform for platform in PLATFORMS}


def detect_platform(headers: Iterable[str]) -> Platform | None:
    """The platform whose typical columns this header has most of, or None."""
    normalized = {normalize_header(h) for h in headers if h}
    best: Platform | None = None
    best_score = 0
    for platform in PLATFORMS:
        score = platform.score(normalized)
        if score > best_score:
            best, best_score = platform, score
    return best


def recognition_sentence(platform: Platform | None) -> str:
    """What the app says about the file's kind ("This looks like a Shopify orders export.")."""
    if platform is None:
        return "The columns were matched by their names."
    return f"This looks like {platform.export}."
