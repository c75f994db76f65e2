"""Exports that write an order on one row with all its products packed into that row.

Some WooCommerce export plugins (and other shops' reports) put an order's products either in
numbered groups of columns (“Product Item 1 Name”, “Product Item 2 Name”, `line_item_1`, …) or
all in one cell (“Mug x 2, Plate x 1”; `name:Mug|quantity:2|total:10.00;name:Plate|…`).
Reading the first group only, or a whole cell as one product, would send wrong products
without a word. So these columns are never matched to a product field, and the product fields
Northbeam needs say in one sentence what the file lacks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from northbeam_desktop.core.orders.sheet import CellValue

# “Product Item 1 Name”, “line_item_1”, “Item 2 SKU”, “Product 3 Quantity”: a product word, then
# the product's number. “Tax 1 Name” or “Address 1” are not products.
_NUMBERED = re.compile(
    r"^(?:line[ _-]?item|product[ _-]?item|order[ _-]?item|item|product)"
    r"[ _#-]*(\d+)(?:\b|_|$)",
    re.IGNORECASE,
)
# Column names of one-cell product lists in the exports seen.
_PACKED_NAMES = frozenset(
    {"lineitems", "orderitems", "items", "products", "productdetails", "orderproducts"}
)
# Evidence that a cell lists several products: “x 2” twice, key:value lists, or three parts
# or more separated by commas.
_TIMES = re.compile(r"(?:\s[x×]\s?\d+|\(\s?[x×]?\s?\d+\s?\))(?=\s*(?:[,;|]|$))", re.IGNORECASE)
_KEY_VALUE = re.compile(r"(?:^|[|;])\s*(?:name|product_id|sku|quantity|qty)\s*:", re.IGNORECASE)
_ROWS_LOOKED_AT = 500


@dataclass(frozen=True, slots=True)
class PackedProducts:
    """Where a file packs its products, and what to tell the user about it."""

    columns: tuple[str, ...]  # the header names holding the packed products
    sentence: str


def _norm(header: str) -> str:
    return "".join(ch for ch in header.lower() if ch.isalnum())


def find_packed_products(
    headers: Sequence[str], rows: Sequence[Sequence[CellValue]] | None
) -> PackedProducts | None:
    """The columns of a file that pack several products into one row, if it has any."""
    numbers = {h: m.group(1) for h in headers if h and (m := _NUMBERED.match(h.strip()))}
    if "1" in numbers.values():
        numbered = list(numbers)
        first = numbered[0]
        return PackedProducts(
            tuple(numbered),
            f"This file puts each product of an order in its own group of columns (“{first}” "
            "and the columns after it). Northbeam needs one row per product with its ID, "
            "quantity and price: export again with one row per product.",
        )
    if not rows or any("qty" in _norm(h) or "quantity" in _norm(h) for h in headers if h):
        return None  # a quantity column: one row per product, whatever a column is called
    for index, header in enumerate(headers):
        if not header or _norm(header) not in _PACKED_NAMES:
            continue
        cells = (row[index] for row in rows[:_ROWS_LOOKED_AT] if index < len(row))
        if any(isinstance(cell, str) and _lists_products(cell) for cell in cells):
            return PackedProducts(
                (header,),
                f"“{header}” lists all of an order's products in one cell. Northbeam needs "
                "one row per product with its ID, quantity and price: export again with one "
                "row per product.",
            )
    return None


def _lists_products(cell: str) -> bool:
    if len(_KEY_VALUE.findall(cell)) >= 2 or len(_TIMES.findall(cell)) >= 2:
        return True
    return cell.count(", ") >= 2
