"""What will be sent follows the table's cursor: the payload view shows the order of the
current row, and is shown again when that order changes or the document is rebuilt. With a
filter on, the rows of an order just edited stay in view until the cursor moves to another
row."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QTimer

from northbeam_desktop.core.orders.document import OrderRecord
from northbeam_desktop.core.orders.sheet import CellValue
from northbeam_desktop.ui.document.model import OrdersTableModel
from northbeam_desktop.ui.document.payload_view import PayloadView
from northbeam_desktop.ui.document.proxy import OrdersFilterProxy
from northbeam_desktop.ui.document.table_selection import TableSelection

__all__ = ["CursorDetails"]


class CursorDetails(QObject):
    """Connects the table's cursor and the model's edits to `payload_view` and the filter."""

    def __init__(
        self, selection: TableSelection, payload_view: PayloadView, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.selection = selection
        self.payload_view = payload_view
        selection.table.selectionModel().currentChanged.connect(self._on_table_current_changed)

    @property
    def model(self) -> OrdersTableModel:
        return self.selection.model

    @property
    def proxy(self) -> OrdersFilterProxy:
        return self.selection.proxy

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            row = self.proxy.source_row(current.row())
            self.payload_view.show_row(row)
            pinned = self.proxy.pinned_rows
            if pinned and row not in pinned:
                # The user moved on: the rows edited a moment ago may leave the filter now.
                QTimer.singleShot(0, self.proxy.unpin)
        else:
            self.payload_view.show_row(None)

    def keep_edited_rows(self, changes: list[tuple[int, int, CellValue]]) -> None:
        """With a filter on, pin the edited rows' whole orders in view."""
        if not self.proxy.filtering:
            return
        of_row = self.model.document.order_of_row
        rows: set[int] = set()
        for row, _col, _value in changes:
            rows.add(row)
            record = of_row[row]
            if record is not None:
                rows.update(record.row_indices)
        self.proxy.pin_rows(rows)

    def orders_changed(self, records: list[OrderRecord]) -> None:
        """Show the current order again if it (or the one shown) changed; all for []."""
        shown = self.payload_view.record
        current = self.selection.current_cell()
        record = self.model.document.order_of_row[current[0]] if current else None
        if not records or any(r is shown or r is record for r in records):
            self.payload_view.show_record(record)

    def document_reset(self) -> None:
        self.payload_view.set_document(self.model.document)
        current = self.selection.current_cell()
        self.payload_view.show_row(current[0] if current else None)
