"""What is selected in the order table, in sheet terms: rows, orders and cells as the
document numbers them, whatever the filter and sort show."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from PySide6.QtCore import QItemSelectionRange
from PySide6.QtWidgets import QTableView

from northbeam_desktop.core.orders.document import OrderDocument, OrderRecord
from northbeam_desktop.ui.document.model import OrdersTableModel, sheet_column, table_column
from northbeam_desktop.ui.document.proxy import OrdersFilterProxy

__all__ = ["TableSelection"]


class TableSelection:
    """Reads the selection of `table` (which shows `model` through `proxy`)."""

    def __init__(
        self, table: QTableView, model: OrdersTableModel, proxy: OrdersFilterProxy
    ) -> None:
        self.table = table
        self.model = model
        self.proxy = proxy

    @property
    def document(self) -> OrderDocument:
        return self.model.document

    def ranges(self) -> list[QItemSelectionRange]:
        # A QItemSelection is a list of ranges (PySide's type stubs do not say it iterates).
        return list(cast(Iterable[QItemSelectionRange], self.table.selectionModel().selection()))

    def rows(self) -> list[int]:
        """Sheet rows with at least one selected cell, in file order."""
        rows: set[int] = set()
        for selection_range in self.ranges():
            for proxy_row in range(selection_range.top(), selection_range.bottom() + 1):
                rows.add(self.proxy.source_row(proxy_row))
        return sorted(rows)

    def records(self) -> list[OrderRecord]:
        """The orders of the selected rows, each once, in file order."""
        of_row = self.document.order_of_row
        seen: set[int] = set()
        records = []
        for row in self.rows():
            record = of_row[row]
            if record is not None and id(record) not in seen:
                seen.add(id(record))
                records.append(record)
        return records

    def cells(self) -> list[tuple[int, int]]:
        """(row_index, col_index) of every selected data cell, in view order."""
        cells: list[tuple[int, int]] = []
        for selection_range in self.ranges():
            left = max(table_column(0), selection_range.left())
            for proxy_row in range(selection_range.top(), selection_range.bottom() + 1):
                row = self.proxy.source_row(proxy_row)
                for column in range(left, selection_range.right() + 1):
                    cells.append((row, sheet_column(column)))
        return cells

    def current_cell(self) -> tuple[int, int] | None:
        """(row_index, col_index) of the current cell; col_index -1 on the Status column."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.source_row(index.row()), sheet_column(index.column())
