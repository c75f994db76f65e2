"""The order template a shop owner can fill in: Help → Download template.

`write_template(path)` writes an .xlsx workbook with two sheets:

* "Orders": one column per Northbeam field, named as in Northbeam's SFTP template
  (`order_id`, `products_price`, `customer_shipping_address_zip`, …) and taken from the field
  catalogue in `core/orders/fields.py`, with one sample order of two product rows. The header is bold
  and frozen; ID, ZIP and phone columns are formatted as text so Excel keeps leading zeros.
* "Notes": every column explained in plain words — required or not, the format, an example.

The caller (the save dialog) is responsible for asking before it replaces an existing file.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from northbeam_desktop.core.files.atomic import write_atomically
from northbeam_desktop.core.orders.fields import FIELDS, FieldSpec, Kind, Level
from northbeam_desktop.core.orders.sheet import CellValue

ORDERS_SHEET = "Orders"
NOTES_SHEET = "Notes"
TEXT_FORMAT = "@"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
MONEY_FORMAT = "0.00"
HEADER_FILL = PatternFill("solid", fgColor="DCE6F2")

# Columns whose values must stay exactly as typed.
_TEXT_KINDS = frozenset({Kind.TEXT, Kind.EMAIL, Kind.PHONE, Kind.HASH, Kind.IP, Kind.LIST})

_FORMAT_TEXT = {
    Kind.TEXT: "Text, kept exactly as typed (leading zeros are kept).",
    Kind.NUMBER: "A number such as 25.00; no currency sign needed.",
    Kind.DATETIME: (
        "A date and time such as 2026-03-08 13:45:12. Add a time zone (2026-03-08 13:45:12 "
        "-05:00) or choose one in the app for times without one."
    ),
    Kind.BOOL: "TRUE or FALSE (yes/no also work).",
    Kind.CURRENCY: "A 3-letter currency code such as USD, EUR or GBP.",
    Kind.COUNTRY: "A 3-letter country code such as USA; names and 2-letter codes are converted.",
    Kind.EMAIL: "An email address.",
    Kind.PHONE: "A phone number, best with the country code (+1 …).",
    Kind.HASH: "A SHA-256 hash: 64 letters a-f and digits.",
    Kind.IP: "An IPv4 or IPv6 address.",
    Kind.LIST: "One or more values separated by commas.",
}

_REQUIRED_TEXT = {
    Level.ORDER: "Required",
    Level.PRODUCT: "Required on every row",
    Level.REFUND: "Required for each refund",
    Level.ADDRESS: "Required when you give an address",
    Level.ALTERNATE_ID: "Required for each alternate ID",
}

_OPTIONAL_TEXT = {
    Level.ORDER: "Optional",
    Level.PRODUCT: "Optional",
    Level.REFUND: "Optional (leave empty unless a product was refunded)",
    Level.ADDRESS: "Optional",
    Level.ALTERNATE_ID: "Optional",
}

# The sample order: two product lines of one order, with totals that add up
# (2 × 25.00 + 1 × 18.00 − 10.00 discount + 5.44 tax + 4.99 shipping = 68.43).
_SAMPLE_ORDER: dict[str, CellValue] = {
    "order_id": "1001",
    "customer_id": "C-2044",
    "time_of_purchase": dt.datetime(2026, 3, 8, 13, 45, 12),
    "customer_email": "jane@example.com",
    "customer_phone_number": "+1 415 555 2671",
    "customer_name": "Jane Doe",
    "discount_codes": "SPRING10",
    "discount_amount": 10.00,
    "order_tags": "First order",
    "tax": 5.44,
    "is_recurring_order": False,
    "currency": "USD",
    "purchase_total": 68.43,
    "shipping_cost": 4.99,
    "customer_shipping_address.address1": "123 Main St.",
    "customer_shipping_address.address2": "Apt. 1A",
    "customer_shipping_address.city": "Boston",
    "customer_shipping_address.state": "MA",
    "customer_shipping_address.zip": "02134",
    "customer_shipping_address.country_code": "USA",
}
_SAMPLE_PRODUCTS: tuple[dict[str, CellValue], ...] = (
    {
        "products.id": "SKU-TEE-RED-M",
        "products.name": "Cotton T-shirt",
        "products.quantity": 2,
        "products.price": 25.00,
        "products.variant_id": "TEE-RED-M",
        "products.variant_name": "Red / M",
    },
    {
        "products.id": "SKU-MUG",
        "products.name": "Coffee mug",
        "products.quantity": 1,
        "products.price": 18.00,
    },
)

_INTRO = (
    "How to fill in the Orders sheet",
    "Write one row per product sold. When an order has several products, repeat the order's "
    "columns (order_id, customer_id, time_of_purchase, totals…) on each of its rows; rows with "
    "the same order_id become one order.",
    "Required columns must be filled in on every row. Optional columns can be left empty or "
    "deleted. Refund columns are only for orders with a refund; alternate ID columns only if "
    "the order also has an ID from another system.",
    "Amounts are in the order's currency. You can also open your own spreadsheet directly: "
    "Northbeam Desktop recognises many other column names and lets you match the rest.",
)


def template_fields() -> tuple[FieldSpec, ...]:
    """The template's columns, in the catalogue's order.

    Pre-hashed email/phone columns are left out: the template is for the customer's own data,
    which the app can hash for you (Connection settings → "Hash email and phone").
    """
    return tuple(spec for spec in FIELDS if spec.kind is not Kind.HASH)


def template_columns() -> list[str]:
    return [spec.template_column for spec in template_fields()]


def requirement_text(spec: FieldSpec) -> str:
    return (_REQUIRED_TEXT if spec.required else _OPTIONAL_TEXT)[spec.level]


def format_text(spec: FieldSpec) -> str:
    return _FORMAT_TEXT[spec.kind]


def sample_rows(specs: Sequence[FieldSpec]) -> list[list[CellValue]]:
    """The sample order's rows, one value (or None) per column of `specs`."""
    rows = []
    for product in _SAMPLE_PRODUCTS:
        values = {**_SAMPLE_ORDER, **product}
        rows.append([values.get(spec.key) for spec in specs])
    return rows


def write_template(path: str | os.PathLike[str]) -> Path:
    """Write the template workbook to `path` (replacing it) and return the path.

    The workbook is saved to a temporary file beside `path` first, so a failure part-way never
    leaves a broken file under the user's chosen name.
    """
    target = Path(path)
    workbook = Workbook()
    orders = workbook.active
    assert orders is not None
    orders.title = ORDERS_SHEET
    specs = template_fields()
    _fill_orders(orders, specs)
    _fill_notes(workbook.create_sheet(NOTES_SHEET), specs)

    write_atomically(target, workbook.save)
    return target


def _number_format(spec: FieldSpec) -> str | None:
    if spec.kind in _TEXT_KINDS or spec.kind in (Kind.CURRENCY, Kind.COUNTRY):
        return TEXT_FORMAT
    if spec.kind is Kind.DATETIME:
        return DATETIME_FORMAT
    if spec.kind is Kind.NUMBER and spec.name not in ("quantity",):
        return MONEY_FORMAT
    return None


def _fill_orders(sheet: Worksheet, specs: Sequence[FieldSpec]) -> None:
    header_font = Font(bold=True)
    for col, spec in enumerate(specs, start=1):
        cell = sheet.cell(row=1, column=col, value=spec.template_column)
        cell.font = header_font
        cell.fill = HEADER_FILL
        cell.number_format = TEXT_FORMAT
    samples = sample_rows(specs)
    for row_offset, values in enumerate(samples, start=2):
        for col, (spec, value) in enumerate(zip(specs, values, strict=True), start=1):
            cell = sheet.cell(row=row_offset, column=col, value=value)
            fmt = _number_format(spec)
            if fmt is not None:
                cell.number_format = fmt
    for col, spec in enumerate(specs, start=1):
        letter = get_column_letter(col)
        fmt = _number_format(spec)
        if fmt is not None:
            # The column's own style: what the user types into new rows keeps this format
            # (an ID or ZIP typed as 02134 stays text instead of becoming the number 2134).
            sheet.column_dimensions[letter].number_format = fmt
        sample_width = max((len(_shown(values[col - 1])) for values in samples), default=0)
        width = max(len(spec.template_column), sample_width, 10) + 2
        sheet.column_dimensions[letter].width = min(width, 40)
    sheet.freeze_panes = "B2"  # header row and the order_id column stay in view


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return "2026-03-08 13:45:12"
    return str(value)


def _fill_notes(sheet: Worksheet, specs: Sequence[FieldSpec]) -> None:
    title, *paragraphs = _INTRO
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    for offset, text in enumerate(paragraphs, start=2):
        sheet.cell(row=offset, column=1, value=text)
        sheet.merge_cells(start_row=offset, start_column=1, end_row=offset, end_column=5)
        sheet.cell(row=offset, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[offset].height = 32
    header_row = len(_INTRO) + 2
    headers = ("Column", "Required?", "What it means", "Format", "Example")
    for col, text in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=col, value=text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, spec in enumerate(specs, start=header_row + 1):
        values = (
            spec.template_column,
            requirement_text(spec),
            f"{spec.label}. {spec.description}",
            format_text(spec),
            spec.example,
        )
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col, value=value)
            cell.alignment = wrap
            cell.number_format = TEXT_FORMAT
        if spec.required:
            sheet.cell(row=row, column=2).font = Font(bold=True)
    for letter, width in zip("ABCDE", (38, 24, 70, 46, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"A{header_row + 1}"
