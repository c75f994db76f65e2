"""The shared ground of the quick fixes: reading an order and building the cells a fix writes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from northbeam_desktop.core.orders import values
from northbeam_desktop.core.orders.fields import Kind
from northbeam_desktop.core.orders.issues import Issue
from northbeam_desktop.core.orders.quick_fixes.amounts import MISSING, Amount, Missing, OrderAmounts
from northbeam_desktop.core.orders.quick_fixes.file_facts import FileFacts, cell_text, order_text
from northbeam_desktop.core.orders.quick_fixes.model import (
    MONEY_PARTS,
    CellChange,
    QuickFix,
    is_number,
    money,
    text_of,
)
from northbeam_desktop.core.orders.records import Bad, OrderRecord
from northbeam_desktop.core.orders.rules.totals import tolerance
from northbeam_desktop.core.orders.sheet import CellValue

if TYPE_CHECKING:
    from northbeam_desktop.core.orders.columns import Column
    from northbeam_desktop.core.orders.document import OrderDocument


class FixContext:
    """What every family of fixes reads and writes through: the document, which field each
    column holds, the order's money, and the cells a fix writes (an order-level value on every
    row of its order, stored the way the file stores numbers)."""

    def __init__(self, doc: OrderDocument) -> None:
        self.doc = doc
        self.key_of_col = {column.index: key for key, column in doc.columns.items()}
        self.facts = FileFacts(doc)

    def amounts(self, record: OrderRecord) -> OrderAmounts:
        """What the file says about an order's money (first filled cell of each value)."""
        doc = self.doc
        got: dict[str, Amount] = {}
        mapped: set[str] = set()
        for key in ("purchase_total", *MONEY_PARTS):
            column = doc.columns.get(key)
            got[key] = MISSING
            if column is None:
                continue
            mapped.add(key)
            for r in record.row_indices:
                value = column.values[r]
                if value is None:
                    continue
                got[key] = float(value) if is_number(value) else MISSING
                break
        return OrderAmounts(
            got["purchase_total"],
            got["tax"],
            got["shipping_cost"],
            got["discount_amount"],
            self.items(record),
            mapped,
        )

    def items(self, record: OrderRecord, skip: int | None = None) -> float | None:
        """The sum of price × quantity over the order's product lines (None when a line has no
        usable price or quantity); `skip` leaves one row out."""
        price = self.doc.columns.get("products.price")
        quantity = self.doc.columns.get("products.quantity")
        if price is None or quantity is None:
            return None
        total = 0.0
        for r in self.product_rows(record):
            if r == skip:
                continue
            p, q = price.values[r], quantity.values[r]
            if not (is_number(p) and is_number(q)):
                return None
            total += p * q
        return total

    def product_rows(self, record: OrderRecord) -> list[int]:
        """Rows of the order with anything in a product column."""
        product_columns = [c for k, c in self.doc.columns.items() if k.startswith("products.")]
        return [
            r for r in record.row_indices if any(c.values[r] is not None for c in product_columns)
        ]

    def adds_up_with(self, record: OrderRecord, key: str | None, value: CellValue) -> bool:
        if key not in ("purchase_total", *MONEY_PARTS):
            return False
        column = self.doc.columns[key]
        converted = column.reconvert(value)
        if not is_number(converted):
            return False
        amounts = self.amounts(record)
        number = float(converted)
        if key == "purchase_total":
            amounts.total = number
        elif key == "tax":
            amounts.tax = number
        elif key == "shipping_cost":
            amounts.shipping = number
        else:
            amounts.discount = number
        parts = amounts.parts()
        total = None if isinstance(amounts.total, Missing) else amounts.total
        return parts is not None and total is not None and abs(total - parts) <= tolerance(total)

    def converted_text(self, row_index: int, col_index: int) -> str | None:
        """The value a cell is sent as, as text (None when it has none)."""
        return converted_text(self.doc, row_index, col_index, self.key_of_col.get(col_index))

    def fix_cells(
        self,
        kind: str,
        record: OrderRecord,
        key: str,
        value: CellValue,
        label: str,
        explanation: str,
    ) -> QuickFix:
        """A fix that writes an order value (on every row of the order that carries it)."""
        column = self.doc.columns[key]
        first = self._value_row(record, column)
        stored = self._stored(column, first, value)
        changes = self.order_changes(record, column.index, stored, start=first)
        return QuickFix(kind, label, explanation, tuple(changes), text_of(value))

    def fix_cell(
        self,
        kind: str,
        issue: Issue,
        value: CellValue,
        label: str,
        explanation: str,
        *,
        key: str | None = None,
    ) -> QuickFix:
        """A fix that writes the issue's own cell (or `key`'s column on the issue's row);
        order-level columns are written on every row of the order."""
        r = issue.row_index
        assert r is not None
        column: Column | None
        if key is not None:
            column = self.doc.columns[key]
            col = column.index
        else:
            assert issue.col_index is not None
            col = issue.col_index
            column = self.doc.columns.get(self.key_of_col.get(col, ""))
        stored = self._stored(column, r, value) if column is not None else value
        record = self.doc.order_of_row[r]
        if record is not None and self.doc.is_order_level(col):
            changes = self.order_changes(record, col, stored, start=r)
        else:
            changes = [(r, col, stored)]
        return QuickFix(kind, label, explanation, tuple(changes), text_of(value))

    def order_changes(
        self, record: OrderRecord, col: int, value: CellValue, start: int | None = None
    ) -> list[CellChange]:
        row = record.row_indices[0] if start is None else start
        return [(r, col, value) for r in self.doc.order_level_rows(row, col)]

    def _value_row(self, record: OrderRecord, column: Column) -> int:
        for r in record.row_indices:
            if column.values[r] is not None:
                return r
        return record.row_indices[0]

    def _stored(self, column: Column | None, row: int, value: CellValue) -> CellValue:
        """The value as the cell should hold it: a number where the file has numbers (so a
        workbook keeps Excel's types), text where it has text (amounts with two decimals)."""
        if column is None or column.spec.kind is not Kind.NUMBER or isinstance(value, bool):
            return value
        numbers = _column_holds_numbers(self.doc.sheet.rows, column.index, row)
        if isinstance(value, str):
            if not numbers:
                return value
            try:
                value = float(value)
            except ValueError:
                return value
        if isinstance(value, float | int):
            number = round(float(value), 2)
            if numbers:
                return int(number) if number.is_integer() else number
            return money(number)
        return value

    def lowers_total(self, fix: QuickFix) -> bool:
        """True when the fix writes a purchase total below the one the order has now."""
        column = self.doc.columns.get("purchase_total")
        if column is None:
            return False
        for r, c, value in fix.changes:
            if c != column.index:
                continue
            record = self.doc.order_of_row[r]
            if record is None:
                continue
            current = self.amounts(record).total
            new = column.reconvert(value)
            if not isinstance(current, Missing) and is_number(new) and new < current - 0.005:
                return True
        return False

    def order_text(self, record: OrderRecord, key: str) -> str | None:
        return order_text(self.doc, record, key)

    def cell_text(self, row: int, key: str) -> str | None:
        return cell_text(self.doc, row, key)


def _column_holds_numbers(rows: list[list[CellValue]], col: int, near: int) -> bool:
    """Whether the column stores numbers (a workbook) rather than text (a CSV)."""
    for r in (near, *range(min(len(rows), 50))):
        value = rows[r][col]
        if value is None:
            continue
        return value.__class__ in (int, float)
    return False


def converted_text(
    doc: OrderDocument, row_index: int, col_index: int, key: str | None = None
) -> str | None:
    """The value a cell is sent as, as text (“us” → “USA”); None when it has none. `key`, the
    field of the cell's column, saves looking it up."""
    if key is None:
        key = next((k for k, c in doc.columns.items() if c.index == col_index), None)
    column = doc.columns.get(key) if key else None
    if column is None:
        return None
    value = column.values[row_index]
    if value is None or value.__class__ is Bad:
        return None
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return values.to_text(value)
