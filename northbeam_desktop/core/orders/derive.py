"""Order values a file does not hold in one column, made from the columns it does hold.

A platform (core/orders/platforms.py) says which: Etsy's items file writes the order's shipping,
tax and discount on its first row and 0 on the others, and has no order total; Amazon's reports
give each line's tax and shipping, and a line total instead of a unit price. The mapping keeps
these as `Mapping.derived`; here they become columns like any other (`Column`, with
`derived=True`), so the rules and the payload read them without knowing where they came from:

- `SUM_OF_ROWS`: the sum over the order's rows of the source columns, on the order's first row;
  blank cells count as 0 (Amazon leaves item-tax and shipping-price empty when there is none);
- `UNIT_PRICE`: per row, the source (the line's total) divided by the row's quantity (0 for a
  line with quantity 0 and no total: Amazon's cancelled items);
- `TOTAL_FROM_PARTS`: products + tax + shipping + duties − discount, on the first row;
- `USERNAME`: the name in brackets at the end of the source cell, else the whole cell, on the
  order's first row (Etsy's "Jane Doe (janedoe12)" → "janedoe12");
- `DATE_AND_TIME`: the source cells joined by a space ("Dec 8, 2024" + "9:15:51 AM") and read
  as one date and time, on the order's first row, the way the document reads a date column
  (`date_reader`: its date order, time zone and warnings);
- `FIRST_FILLED`: the first source column filled on any of the order's rows, as text, on the
  first row (Shopify's phone, written in one of three columns depending on the sales channel).

A problem with a derived value points at the source cell it came from, so the user fixes the
cell they can see. After an edit the document calls `refresh(record)` for the order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from northbeam_desktop.core.orders import values
from northbeam_desktop.core.orders.columns import Column
from northbeam_desktop.core.orders.fields import FIELDS_BY_KEY
from northbeam_desktop.core.orders.issues import IssueCode
from northbeam_desktop.core.orders.platforms import Derivation, DerivedField
from northbeam_desktop.core.orders.records import Bad, OrderRecord
from northbeam_desktop.core.orders.sheet import CellValue, SheetData

# Given a column's distinct raw values and its header: how to read one of them, and the format.
DateReader = Callable[
    [Collection[CellValue], str], tuple[Callable[[CellValue], tuple[Any, str | None]], Any]
]

# The parts of an order total, as (field, sign).
_PARTS = (("tax", 1), ("shipping_cost", 1), ("duties", 1), ("discount_amount", -1))
# "Full Name (username)": the username is the last bracketed word.
_BRACKETED = re.compile(r"\(\s*([^()\s]+)\s*\)\s*$")


@dataclass(slots=True)
class _Source:
    index: int
    fmt: values.NumberFormat


class Derivations:
    """The derived columns of one document, and how to work them out again after an edit."""

    def __init__(
        self,
        sheet: SheetData,
        derived: dict[str, DerivedField],
        columns: dict[str, Column],
        date_reader: DateReader | None = None,
    ) -> None:
        self.sheet = sheet
        self.columns = columns
        self.fields: list[tuple[DerivedField, list[_Source]]] = []
        self.date_reader = date_reader
        # How DATE_AND_TIME values are read (decided from all of them), and its format.
        self._read_date: Callable[[CellValue], tuple[Any, str | None]] | None = None
        self._date_format: Any = None
        headers = sheet.headers
        for field in _in_dependency_order(derived.values()):
            sources = []
            for header in field.columns:
                if header not in headers:
                    continue
                index = headers.index(header)
                if field.how in (Derivation.USERNAME, Derivation.DATE_AND_TIME):
                    sources.append(_Source(index, values.infer_number_format(())))
                    continue
                if field.how is Derivation.FIRST_FILLED:
                    # Text, not amounts: no number format to decide.
                    sources.append(_Source(index, values.DOT_DECIMAL))
                    continue
                distinct = {row[index] for row in sheet.rows} - {None}
                sources.append(_Source(index, values.infer_number_format(distinct)))
            self.fields.append((field, sources))
        # Every sheet column whose edit changes a derived value.
        self.source_indexes = {s.index for _f, sources in self.fields for s in sources}

    def build(self, orders: Sequence[OrderRecord]) -> None:
        """Make (or make again) every derived column for all orders."""
        rows = len(self.sheet.rows)
        for field, sources in self.fields:
            anchor = self._anchor(field, sources)
            if anchor is None:
                continue
            spec = FIELDS_BY_KEY[field.field_key]
            convert: Callable[[CellValue], tuple[Any, str | None]] = values.convert_text
            if field.how is Derivation.DATE_AND_TIME:
                convert = self._date_reading(sources, self.sheet.headers[anchor])
            column = Column(
                spec,
                anchor,
                self.sheet.headers[anchor],
                [None] * rows,
                {},
                convert,
                self._date_format if field.how is Derivation.DATE_AND_TIME else None,
                had_bad=False,
                derived=True,
            )
            self.columns[field.field_key] = column
            for record in orders:
                self._fill(field, sources, column, record)
            column.had_bad = any(v.__class__ is Bad for v in column.values)

    def refresh(self, record: OrderRecord) -> None:
        """Work one order's derived values out again (after an edit of one of its cells)."""
        for field, sources in self.fields:
            column = self.columns.get(field.field_key)
            if column is not None and column.derived:
                for r in record.row_indices:
                    column.values[r] = None
                self._fill(field, sources, column, record)
                if any(column.values[r].__class__ is Bad for r in record.row_indices):
                    column.had_bad = True

    # ---- one order ------------------------------------------------------------------------

    def _fill(
        self, field: DerivedField, sources: list[_Source], column: Column, record: OrderRecord
    ) -> None:
        rows = record.row_indices
        if field.how is Derivation.UNIT_PRICE:
            quantities = self.columns.get("products.quantity")
            for r in rows:
                column.values[r] = self._unit_price(sources[0], r, quantities)
        elif field.how is Derivation.SUM_OF_ROWS:
            column.values[rows[0]] = self._sum(sources, rows)
        elif field.how is Derivation.USERNAME:
            column.values[rows[0]] = self._username(sources[0], rows[0])
        elif field.how is Derivation.DATE_AND_TIME:
            column.values[rows[0]] = column.reconvert(self._joined(sources, rows[0]))
        elif field.how is Derivation.FIRST_FILLED:
            column.values[rows[0]] = self._first_filled(sources, rows)
        else:
            column.values[rows[0]] = self._total(rows)

    def _number(self, source: _Source, row: int) -> Any:
        raw = self.sheet.rows[row][source.index]
        if raw is None or (raw.__class__ is str and not str(raw).strip()):
            return None
        try:
            return values.parse_number(raw, source.fmt)
        except values.ValueProblem as problem:
            return Bad(problem)

    def _sum(self, sources: list[_Source], rows: Iterable[int]) -> Any:
        total: int | float | None = None
        for source in sources:
            for r in rows:
                number = self._number(source, r)
                if number is None:
                    continue
                if number.__class__ is Bad:
                    return number
                total = number if total is None else total + number
        return 0 if total is None else round(total, 10)

    def _joined(self, sources: list[_Source], row: int) -> str | None:
        parts = [values.to_text(self.sheet.rows[row][s.index]) for s in sources]
        text = " ".join(p for p in parts if p)
        return text or None

    def _date_reading(
        self, sources: list[_Source], header: str
    ) -> Callable[[CellValue], tuple[Any, str | None]]:
        """How joined dates and times are read, decided once from all of them."""
        if self._read_date is None:
            distinct = {self._joined(sources, r) for r in range(len(self.sheet.rows))} - {None}
            if self.date_reader is None:
                raise ValueError("a date made from two columns needs the document's date reader")
            self._read_date, self._date_format = self.date_reader(distinct, header)
        return self._read_date

    def _username(self, source: _Source, row: int) -> str | None:
        text = values.to_text(self.sheet.rows[row][source.index])
        if text is None:
            return None
        found = _BRACKETED.search(text)
        return found.group(1) if found else text

    def _first_filled(self, sources: list[_Source], rows: Sequence[int]) -> str | None:
        sheet_rows = self.sheet.rows
        for source in sources:
            for r in rows:
                text, _note = values.convert_identifier(sheet_rows[r][source.index])
                if text:
                    return text
        return None

    def _unit_price(self, source: _Source, row: int, quantities: Column | None) -> Any:
        line = self._number(source, row)
        quantity = quantities.values[row] if quantities is not None else None
        if line is None and quantity == 0 and quantity.__class__ is int:
            # A line cancelled before it was paid: Amazon writes quantity 0 and no price.
            return 0
        if line is None or line.__class__ is Bad:
            return line
        if quantity.__class__ not in (int, float) or not quantity:
            # No usable quantity (a cancelled line says 0): the line is the price of one.
            return line
        return round(line / quantity, 6)

    def _total(self, rows: Sequence[int]) -> Any:
        prices = self.columns.get("products.price")
        quantities = self.columns.get("products.quantity")
        if prices is None or quantities is None:
            return None
        total: float = 0
        for r in rows:
            price, quantity = prices.values[r], quantities.values[r]
            if price.__class__ is Bad or quantity.__class__ is Bad:
                return _cannot_total()
            if price is not None and quantity is not None:
                total += price * quantity
        first = rows[0]
        for key, sign in _PARTS:
            part = self.columns.get(key)
            value = part.values[first] if part is not None else None
            if value.__class__ is Bad:
                return _cannot_total()
            if value is not None:
                total += sign * value
        return round(total, 2)

    def _anchor(self, field: DerivedField, sources: list[_Source]) -> int | None:
        """The sheet column problems with this value point at."""
        if sources:
            return sources[0].index
        for key in ("products.price", "products.quantity", "products.name"):
            column = self.columns.get(key)
            if column is not None:
                return column.index
        return None


def _cannot_total() -> Bad:
    return Bad(
        values.ValueProblem(
            IssueCode.NOT_A_NUMBER,
            "The order total cannot be worked out because one of its amounts is not a "
            "number; correct the amount marked in this order.",
        )
    )


def _in_dependency_order(fields: Iterable[DerivedField]) -> list[DerivedField]:
    """Prices and parts before the total made from them."""
    return sorted(fields, key=lambda f: f.how is Derivation.TOTAL_FROM_PARTS)
