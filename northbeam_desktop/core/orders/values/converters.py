"""How each kind of field is read from a cell when no column-wide format is needed.

Numbers and dates need one (`number_formats`, `date_formats`); every other kind is converted
one distinct value at a time by the function `SIMPLE_CONVERTERS` names for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from northbeam_desktop.core.orders.fields import Kind
from northbeam_desktop.core.orders.sheet import CellValue
from northbeam_desktop.core.orders.values.country import normalize_country
from northbeam_desktop.core.orders.values.currency import normalize_currency
from northbeam_desktop.core.orders.values.identity import convert_email, convert_hash, convert_ip
from northbeam_desktop.core.orders.values.text import to_text
from northbeam_desktop.core.orders.values.yes_no import parse_bool

# A converter turns one raw cell into (value, note about how it was converted or None); it
# raises ValueProblem when the cell cannot be understood.
Converter = Callable[[CellValue], tuple[Any, str | None]]


def convert_text(value: CellValue) -> tuple[str | None, None]:
    """IDs, names, ZIPs, phone numbers: the cell as text."""
    return to_text(value), None


# Excel keeps leading zeros when a cell starts with an apostrophe ('02134), and some exports
# wrap numbers in quotes ("09266576678") for the same reason: neither is part of the value.
_TEXT_MARKERS = ("'", "\u2019")


def convert_identifier(value: CellValue) -> tuple[str | None, None]:
    """Order and customer IDs, SKUs, ZIPs and phone numbers: the text without the marks
    spreadsheets add to keep leading zeros."""
    text = to_text(value)
    if text is None:
        return None, None
    if text.startswith(_TEXT_MARKERS):
        text = text[1:].strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    return text or None, None


def convert_bool(value: CellValue) -> tuple[bool, None]:
    return parse_bool(value), None


def convert_list(value: CellValue) -> tuple[tuple[str, ...] | None, str | None]:
    """Discount codes and tags: split on commas and semicolons, each entry once."""
    text = to_text(value) or ""
    parts = [part.strip() for part in text.replace(";", ",").split(",")]
    filled = [part for part in parts if part]
    items = list(dict.fromkeys(filled))
    note = None
    if len(filled) != len(items):
        note = f"“{text}” lists the same entry twice; each is sent once ({', '.join(items)})."
    return (tuple(items) if items else None), note


SIMPLE_CONVERTERS: dict[Kind, Converter] = {
    Kind.TEXT: convert_text,
    Kind.PHONE: convert_text,
    Kind.BOOL: convert_bool,
    Kind.CURRENCY: normalize_currency,
    Kind.COUNTRY: normalize_country,
    Kind.EMAIL: convert_email,
    Kind.HASH: convert_hash,
    Kind.IP: convert_ip,
    Kind.LIST: convert_list,
}
