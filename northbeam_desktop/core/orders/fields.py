"""The catalogue of Northbeam order fields, derived from the Orders API v2 schema.

Each `FieldSpec` says where a value goes in the JSON Northbeam receives, what kind of value it is,
whether it is required, how to explain it to a marketer, and which spreadsheet column names mean
it (Northbeam's API names, its SFTP template's `products_*` names, Shopify's export, synonyms).
`tests/core/orders/test_fields.py` checks the catalogue against the bundled OpenAPI file, so a field
Northbeam adds or renames cannot silently drift from what we send.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any


class Level(StrEnum):
    """Which object inside an order a field belongs to; decides how rows are grouped."""

    ORDER = "order"  # one value per order (repeated on every row, or only on the first)
    PRODUCT = "product"  # one value per line-item row
    REFUND = "refund"  # one refund per row that has refund columns filled in
    ADDRESS = "address"  # customer_shipping_address, one per order
    ALTERNATE_ID = "alternate_id"  # alternate_order_ids, one pair per row (deduplicated)
    INFO = "info"  # read to understand the file (grouping, cancellations, refunds), never sent


class Kind(StrEnum):
    """How a cell is understood (see core/orders/values/)."""

    TEXT = "text"
    NUMBER = "number"
    DATETIME = "datetime"
    BOOL = "bool"
    CURRENCY = "currency"
    COUNTRY = "country"
    EMAIL = "email"
    PHONE = "phone"
    HASH = "hash"
    IP = "ip"
    LIST = "list"  # discount codes, tags: split on , and ;


@dataclass(frozen=True, slots=True)
class FieldSpec:
    key: str  # unique id, also the preset/mapping key, e.g. "products.price"
    level: Level
    name: str  # the property name inside its JSON object, e.g. "price"
    kind: Kind
    required: bool  # required inside its object
    label: str  # what the user sees: "Product price"
    description: str  # one or two plain sentences for tooltips and the template's notes
    example: str
    template_column: str  # the column name in our template (Northbeam's SFTP style)
    synonyms: tuple[str, ...] = ()  # other column names that mean this field
    zero_when_missing: bool = False  # Northbeam wants 0, never blank (tax, shipping_cost)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def container(self) -> str | None:
        """The JSON key of the object or list holding this field (None for order fields)."""
        return _CONTAINERS[self.level]


_CONTAINERS = {
    Level.ORDER: None,
    Level.PRODUCT: "products",
    Level.REFUND: "refunds",
    Level.ADDRESS: "customer_shipping_address",
    Level.ALTERNATE_ID: "alternate_order_ids",
    Level.INFO: None,
}

_F = FieldSpec
FIELDS: tuple[FieldSpec, ...] = (
    # ---- order ---------------------------------------------------------------------------
    _F(
        "order_id",
        Level.ORDER,
        "order_id",
        Kind.TEXT,
        True,
        "Order ID",
        "The order's unique ID. It must match the ID your site sends to the Northbeam pixel, "
        "so Northbeam can connect the order to the ad that brought the customer.",
        "1001",
        "order_id",
        synonyms=(
            "order",
            "order number",
            "order no",
            "order #",
            "order ref",
            "order reference",
            "orderid",
            "transaction id",
            "invoice number",
            "order name",
        ),
    ),
    _F(
        "customer_id",
        Level.ORDER,
        "customer_id",
        Kind.TEXT,
        True,
        "Customer ID",
        "Your own ID for the customer, the same on every order of a returning customer. It must "
        "not be the order ID and should not be an email address.",
        "C-2044",
        "customer_id",
        synonyms=(
            "customer",
            "customer number",
            "customer no",
            "customer #",
            "client id",
            "client number",
            "buyer id",
            "user id",
            "account id",
            "customerid",
        ),
    ),
    _F(
        "time_of_purchase",
        Level.ORDER,
        "time_of_purchase",
        Kind.DATETIME,
        True,
        "Time of purchase",
        "When the customer placed the order: a date and time. Times without a time zone are "
        "read in the time zone you choose.",
        "2026-03-08 13:45:12",
        "time_of_purchase",
        synonyms=(
            "order date",
            "date",
            "created",
            "created at",
            "purchase date",
            "purchased at",
            "order time",
            "ordered at",
            "order datetime",
            "date time",
            "timestamp",
            "purchase time",
            "processed at",
            "order created",
        ),
    ),
    _F(
        "customer_email",
        Level.ORDER,
        "customer_email",
        Kind.EMAIL,
        False,
        "Customer email",
        "The customer's email address. Helps Northbeam match the order to the customer's visits.",
        "jane@example.com",
        "customer_email",
        synonyms=("email", "e-mail", "email address", "customer e-mail", "buyer email", "mail"),
    ),
    _F(
        "customer_phone_number",
        Level.ORDER,
        "customer_phone_number",
        Kind.PHONE,
        False,
        "Customer phone",
        "The customer's phone number.",
        "+1 415 555 2671",
        "customer_phone_number",
        synonyms=(
            "phone",
            "phone number",
            "customer phone",
            "telephone",
            "tel",
            "mobile",
            "cell",
            "contact phone",
        ),
    ),
    _F(
        "hashed_customer_email",
        Level.ORDER,
        "hashed_customer_email",
        Kind.HASH,
        False,
        "Hashed customer email",
        "The customer's email already hashed with SHA-256 (64 letters and digits). Use either "
        "this or the plain email, not both.",
        "3586de92bb36…",
        "hashed_customer_email",
        synonyms=("email hash", "email sha256", "hashed email", "sha256 email"),
    ),
    _F(
        "hashed_customer_phone_number",
        Level.ORDER,
        "hashed_customer_phone_number",
        Kind.HASH,
        False,
        "Hashed customer phone",
        "The customer's phone number already hashed with SHA-256. Use either this or the plain "
        "phone number, not both.",
        "cb6880e41676…",
        "hashed_customer_phone_number",
        synonyms=("phone hash", "phone sha256", "hashed phone", "sha256 phone"),
    ),
    _F(
        "customer_name",
        Level.ORDER,
        "customer_name",
        Kind.TEXT,
        False,
        "Customer name",
        "The customer's name.",
        "Jane Doe",
        "customer_name",
        synonyms=("full name", "buyer name", "buyer", "client name", "customer full name"),
    ),
    _F(
        "customer_ip_address",
        Level.ORDER,
        "customer_ip_address",
        Kind.IP,
        False,
        "Customer IP address",
        "The IP address the customer ordered from.",
        "203.0.113.7",
        "customer_ip_address",
        synonyms=("ip", "ip address", "customer ip", "client ip", "browser ip"),
    ),
    _F(
        "discount_codes",
        Level.ORDER,
        "discount_codes",
        Kind.LIST,
        False,
        "Discount codes",
        "Discount codes used on the order. Separate several codes with commas.",
        "SPRING10, FREESHIP",
        "discount_codes",
        synonyms=(
            "discount code",
            "coupon",
            "coupons",
            "coupon code",
            "coupon codes",
            "promo code",
            "promo codes",
            "voucher",
            "voucher code",
        ),
    ),
    _F(
        "discount_amount",
        Level.ORDER,
        "discount_amount",
        Kind.NUMBER,
        False,
        "Discount amount",
        "The money taken off by the discount codes, in the order's currency.",
        "10.00",
        "discount_amount",
        synonyms=(
            "discount",
            "discounts",
            "discount total",
            "total discount",
            "coupon amount",
            "discount value",
        ),
    ),
    _F(
        "order_tags",
        Level.ORDER,
        "order_tags",
        Kind.LIST,
        False,
        "Order tags",
        "Your own labels for the order (for example Subscription or Wholesale). Separate several "
        "tags with commas.",
        "Subscription, First order",
        "order_tags",
        synonyms=("tags", "tag", "labels", "order labels"),
    ),
    _F(
        "tax",
        Level.ORDER,
        "tax",
        Kind.NUMBER,
        True,
        "Tax",
        "The tax charged on the order, in the order's currency. Type 0 when there was none.",
        "8.25",
        "tax",
        synonyms=(
            "taxes",
            "tax amount",
            "tax total",
            "total tax",
            "vat",
            "vat amount",
            "sales tax",
            "gst",
            "mwst",
        ),
        zero_when_missing=True,
    ),
    _F(
        "is_recurring_order",
        Level.ORDER,
        "is_recurring_order",
        Kind.BOOL,
        False,
        "Recurring order",
        "TRUE when the order is a subscription renewal or another repeat purchase, else FALSE.",
        "FALSE",
        "is_recurring_order",
        synonyms=(
            "recurring",
            "is recurring",
            "subscription",
            "is subscription",
            "recurring order",
            "subscription order",
            "repeat order",
        ),
    ),
    _F(
        "currency",
        Level.ORDER,
        "currency",
        Kind.CURRENCY,
        True,
        "Currency",
        "The 3-letter currency code of every amount in the order, such as USD, EUR or GBP.",
        "USD",
        "currency",
        synonyms=(
            "currency code",
            "curr",
            "order currency",
            "presentment currency",
            "iso currency",
        ),
    ),
    _F(
        "purchase_total",
        Level.ORDER,
        "purchase_total",
        Kind.NUMBER,
        True,
        "Order total",
        "All the money collected from the customer for the order, including tax and shipping.",
        "118.25",
        "purchase_total",
        synonyms=(
            "total",
            "order total",
            "total price",
            "grand total",
            "total amount",
            "order amount",
            "amount",
            "revenue",
            "order value",
            "total paid",
            "amount paid",
            "gross sales",
            "order revenue",
        ),
    ),
    _F(
        "shipping_cost",
        Level.ORDER,
        "shipping_cost",
        Kind.NUMBER,
        True,
        "Shipping cost",
        "What the customer paid for shipping, in the order's currency. Type 0 for free shipping.",
        "10.00",
        "shipping_cost",
        synonyms=(
            "shipping",
            "shipping price",
            "shipping amount",
            "shipping total",
            "shipping fee",
            "delivery",
            "delivery cost",
            "delivery fee",
            "postage",
            "freight",
        ),
        zero_when_missing=True,
    ),
    # ---- products ------------------------------------------------------------------------
    _F(
        "products.id",
        Level.PRODUCT,
        "id",
        Kind.TEXT,
        True,
        "Product ID",
        "Your ID or SKU for the product on this line.",
        "SKU-RED-M",
        "products_id",
        synonyms=(
            "product id",
            "product_id",
            "sku",
            "item id",
            "item sku",
            "product sku",
            "article number",
            "item number",
            "product code",
            "productid",
        ),
    ),
    _F(
        "products.name",
        Level.PRODUCT,
        "name",
        Kind.TEXT,
        True,
        "Product name",
        "The product's name.",
        "Cotton T-shirt",
        "products_name",
        synonyms=(
            "product name",
            "product_name",
            "product",
            "item",
            "item name",
            "title",
            "product title",
            "item title",
            "description",
            "article",
        ),
    ),
    _F(
        "products.quantity",
        Level.PRODUCT,
        "quantity",
        Kind.NUMBER,
        True,
        "Quantity",
        "How many of this product were sold in the order.",
        "2",
        "products_quantity",
        synonyms=(
            "product quantity",
            "product_quantity",
            "quantity",
            "qty",
            "units",
            "item quantity",
            "count",
            "amount ordered",
            "pieces",
        ),
    ),
    _F(
        "products.price",
        Level.PRODUCT,
        "price",
        Kind.NUMBER,
        True,
        "Product price",
        "The price of ONE unit of the product, in the order's currency.",
        "25.00",
        "products_price",
        synonyms=(
            "product price",
            "product_price",
            "price",
            "unit price",
            "item price",
            "price each",
            "unit cost",
            "price per unit",
            "each",
        ),
    ),
    _F(
        "products.variant_id",
        Level.PRODUCT,
        "variant_id",
        Kind.TEXT,
        False,
        "Variant ID",
        "Your ID for the product variant (size, colour…), if you track variants.",
        "RED-M",
        "products_variant_id",
        synonyms=(
            "product variant id",
            "product_variant_id",
            "variant id",
            "variant sku",
            "variantid",
        ),
    ),
    _F(
        "products.variant_name",
        Level.PRODUCT,
        "variant_name",
        Kind.TEXT,
        False,
        "Variant name",
        "The name of the product variant, for example Red / M.",
        "Red / M",
        "products_variant_name",
        synonyms=(
            "product variant name",
            "product_variant_name",
            "variant",
            "variant name",
            "variant title",
            "option",
            "options",
        ),
    ),
    # ---- refunds -------------------------------------------------------------------------
    _F(
        "refunds.product_id",
        Level.REFUND,
        "product_id",
        Kind.TEXT,
        True,
        "Refunded product ID",
        "The ID of a refunded product; it must also be one of the order's products.",
        "SKU-RED-M",
        "refunds_product_id",
        synonyms=(
            "refund product id",
            "refund_product_id",
            "refunded product",
            "refunded sku",
            "refund sku",
        ),
    ),
    _F(
        "refunds.quantity",
        Level.REFUND,
        "quantity",
        Kind.NUMBER,
        True,
        "Refunded quantity",
        "How many units of that product were refunded (no more than were sold).",
        "1",
        "refunds_quantity",
        synonyms=(
            "refund quantity",
            "refund_quantity",
            "refunded quantity",
            "refund qty",
            "returned quantity",
            "qty refunded",
        ),
    ),
    _F(
        "refunds.refund_amount",
        Level.REFUND,
        "refund_amount",
        Kind.NUMBER,
        True,
        "Refund amount",
        "The money given back to the customer for this refund.",
        "25.00",
        "refunds_refund_amount",
        synonyms=(
            "refund amount",
            "refund_amount",
            "refunded amount",
            "amount refunded",
            "refund value",
        ),
    ),
    _F(
        "refunds.refund_cost",
        Level.REFUND,
        "refund_cost",
        Kind.NUMBER,
        True,
        "Refund cost",
        "What the refund cost you in total: the refunded money plus shipping and fees.",
        "31.50",
        "refunds_refund_cost",
        synonyms=("refund cost", "refund_cost", "cost of refund", "return cost"),
    ),
    _F(
        "refunds.refund_made_at",
        Level.REFUND,
        "refund_made_at",
        Kind.DATETIME,
        True,
        "Refund date",
        "When you made the refund: a date and time.",
        "2026-03-15 10:00:00",
        "refunds_refund_made_at",
        synonyms=(
            "refund made at",
            "refund_made_at",
            "refund date",
            "refunded at",
            "refund time",
            "date refunded",
        ),
    ),
    _F(
        "refunds.variant_id",
        Level.REFUND,
        "variant_id",
        Kind.TEXT,
        False,
        "Refunded variant ID",
        "The variant ID of the refunded product, if you track variants.",
        "RED-M",
        "refunds_variant_id",
        synonyms=("refund variant id", "refund_variant_id", "refunded variant"),
    ),
    # ---- shipping address ----------------------------------------------------------------
    _F(
        "customer_shipping_address.address1",
        Level.ADDRESS,
        "address1",
        Kind.TEXT,
        False,
        "Shipping street",
        "Street and number of the shipping address.",
        "123 Main St.",
        "customer_shipping_address_address1",
        synonyms=(
            "address",
            "address 1",
            "address line 1",
            "street",
            "street address",
            "shipping address",
            "shipping address 1",
            "shipping street",
            "ship address",
        ),
    ),
    _F(
        "customer_shipping_address.address2",
        Level.ADDRESS,
        "address2",
        Kind.TEXT,
        False,
        "Shipping address line 2",
        "Apartment, suite or other second address line.",
        "Apt. 1A",
        "customer_shipping_address_address2",
        synonyms=("address 2", "address line 2", "shipping address 2", "apartment", "suite"),
    ),
    _F(
        "customer_shipping_address.city",
        Level.ADDRESS,
        "city",
        Kind.TEXT,
        False,
        "Shipping city",
        "City of the shipping address.",
        "Denver",
        "customer_shipping_address_city",
        synonyms=("city", "town", "shipping city", "ship city", "locality"),
    ),
    _F(
        "customer_shipping_address.state",
        Level.ADDRESS,
        "state",
        Kind.TEXT,
        False,
        "Shipping state",
        "State, province or region of the shipping address.",
        "CO",
        "customer_shipping_address_state",
        synonyms=(
            "state",
            "province",
            "region",
            "county",
            "shipping state",
            "shipping province",
            "ship state",
        ),
    ),
    _F(
        "customer_shipping_address.zip",
        Level.ADDRESS,
        "zip",
        Kind.TEXT,
        True,
        "Shipping ZIP / postcode",
        "Postal code of the shipping address, kept exactly as typed (leading zeros matter).",
        "02134",
        "customer_shipping_address_zip",
        synonyms=(
            "zip",
            "zip code",
            "zipcode",
            "postal code",
            "postcode",
            "post code",
            "plz",
            "shipping zip",
            "shipping postal code",
            "ship zip",
        ),
    ),
    _F(
        "customer_shipping_address.country_code",
        Level.ADDRESS,
        "country_code",
        Kind.COUNTRY,
        True,
        "Shipping country",
        "Country of the shipping address as a 3-letter code such as USA, GBR or DEU. Country "
        "names and 2-letter codes are converted for you.",
        "USA",
        "customer_shipping_address_country_code",
        synonyms=(
            "country",
            "country code",
            "shipping country",
            "ship country",
            "country iso",
            "destination country",
        ),
    ),
    # ---- alternate order ids -------------------------------------------------------------
    _F(
        "alternate_order_ids.type",
        Level.ALTERNATE_ID,
        "type",
        Kind.TEXT,
        True,
        "Alternate ID type",
        "What kind of other ID the order also has, for example shopify_checkout_token or "
        "custom:legacy_system.",
        "custom:legacy_system",
        "alternate_order_ids_type",
        synonyms=("alternate order id type", "alias type", "alternate id type"),
    ),
    _F(
        "alternate_order_ids.id",
        Level.ALTERNATE_ID,
        "id",
        Kind.TEXT,
        True,
        "Alternate ID",
        "Another ID of the same order (for example from an older system).",
        "LEG-77812",
        "alternate_order_ids_id",
        synonyms=("alternate order id", "alias", "alias id", "alternate id", "legacy order id"),
    ),
)

# Column names from German, French, Spanish and Dutch shop exports (matched like synonyms:
# case, accents' absence, spaces and punctuation do not matter).
_LOCAL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "order_id": (
        "bestellnummer",
        "bestell nr",
        "auftragsnummer",
        "numero de commande",
        "commande",
        "numero de pedido",
        "pedido",
        "bestelnummer",
        "ordernummer",
    ),
    "customer_id": (
        "kundennummer",
        "kunden nr",
        "kunde",
        "numero client",
        "id cliente",
        "klantnummer",
    ),
    "time_of_purchase": (
        "bestelldatum",
        "datum",
        "date de commande",
        "fecha",
        "fecha de pedido",
        "besteldatum",
    ),
    "customer_email": ("courriel", "correo", "correo electronico"),
    "currency": ("wahrung", "währung", "devise", "moneda", "valuta"),
    "purchase_total": ("gesamt", "gesamtbetrag", "summe", "total ttc", "importe total", "totaal"),
    "tax": ("ust", "steuer", "tva", "iva", "btw"),
    "shipping_cost": (
        "versand",
        "versandkosten",
        "livraison",
        "frais de port",
        "envio",
        "gastos de envio",
        "verzendkosten",
    ),
    "products.id": ("artikelnummer", "art nr", "artikelnr", "reference", "referencia"),
    "products.name": ("artikel", "produkt", "produit", "producto", "artikelname"),
    "products.quantity": ("menge", "anzahl", "quantite", "cantidad", "aantal"),
    "products.price": ("preis", "einzelpreis", "prix", "prix unitaire", "precio", "prijs"),
    "customer_shipping_address.zip": ("postleitzahl", "code postal", "codigo postal"),
    "customer_shipping_address.country_code": ("land", "pays", "pais"),
    "customer_shipping_address.city": ("ort", "stadt", "ville", "ciudad", "plaats"),
}
FIELDS = tuple(
    replace(spec, synonyms=spec.synonyms + _LOCAL_SYNONYMS.get(spec.key, ())) for spec in FIELDS
)

# Columns a shop's export has that Northbeam does not take, but that say how to read the file.
INFO_FIELDS: tuple[FieldSpec, ...] = (
    _F(
        "order_number",
        Level.INFO,
        "order_number",
        Kind.TEXT,
        False,
        "Order number (rows of one order)",
        "The column every row of an order repeats, used to keep an order's product rows "
        "together when the order ID is only on its first row (Shopify's Name, such as #1001).",
        "#1001",
        "order_number",
    ),
    _F(
        "cancelled_at",
        Level.INFO,
        "cancelled_at",
        Kind.TEXT,
        False,
        "Cancelled at",
        "When the order was cancelled. Cancelled orders are not sent unless you choose to "
        "send them.",
        "2026-03-09 10:00:00",
        "cancelled_at",
        synonyms=("cancelled at", "canceled at", "cancelled date", "cancellation date"),
    ),
    _F(
        "order_status",
        Level.INFO,
        "order_status",
        Kind.TEXT,
        False,
        "Order status",
        "The order's status in your shop. Orders whose status says they were cancelled are "
        "not sent unless you choose to send them.",
        "completed",
        "order_status",
        synonyms=("order status", "status"),
    ),
    _F(
        "refunded_total",
        Level.INFO,
        "refunded_total",
        Kind.NUMBER,
        False,
        "Refunded amount (whole order)",
        "How much of the order was refunded in total. Northbeam needs refunds per product, so "
        "this amount is shown to you but not sent.",
        "0.00",
        "refunded_total",
    ),
    _F(
        "duties",
        Level.INFO,
        "duties",
        Kind.NUMBER,
        False,
        "Duties",
        "Import duties the customer paid; part of the order total when the totals are checked.",
        "3.98",
        "duties",
        synonyms=("duties", "duty", "import duties"),
    ),
)
ALL_FIELDS: tuple[FieldSpec, ...] = FIELDS + INFO_FIELDS
FIELDS_BY_KEY: dict[str, FieldSpec] = {spec.key: spec for spec in ALL_FIELDS}
REQUIRED_ORDER_FIELDS: tuple[str, ...] = tuple(
    spec.key for spec in FIELDS if spec.required and spec.level in (Level.ORDER, Level.PRODUCT)
)

# A pseudo-source for customer_id when a file has none (Shopify's export): a stable,
# non-reversible code made from the normalized email, as Northbeam asks for an ID that is the
# same for every order of one customer and is not the email itself.
DERIVED_CUSTOMER_ID = "derived:email"


def json_path(spec: FieldSpec, *, index: int | None = 0) -> str:
    """The JSON path of a field inside one order: `tax`, `products[2].price`; `index=None`
    names any item of a list (`products[*].price`), for problems with a whole column."""
    container = spec.container
    if container is None:
        return spec.name
    if spec.level is Level.ADDRESS:
        return f"{container}.{spec.name}"
    return f"{container}[{'*' if index is None else index}].{spec.name}"


@cache
def order_schema() -> dict[str, Any]:
    """The `items` schema of POST /orders from the bundled OpenAPI file."""
    text = (
        resources.files("northbeam_desktop")
        .joinpath("data/orders-v2-openapi.json")
        .read_text(encoding="utf-8")
    )
    schema: dict[str, Any] = json.loads(text)["components"]["schemas"]["Order"]["items"]
    return schema
