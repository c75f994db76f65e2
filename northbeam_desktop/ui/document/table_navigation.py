"""Moving the order table's cursor: scrolling a cell into view without losing the first
columns, and Next / Previous Problem (F8, Shift+F8) in view order."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QTableView

from northbeam_desktop.core.orders.document import OrderDocument
from northbeam_desktop.ui.document.model import table_column
from northbeam_desktop.ui.document.navigation import next_problem_cell
from northbeam_desktop.ui.document.proxy import OrdersFilterProxy

__all__ = ["move_to_next_problem", "scroll_to"]


def scroll_to(table: QTableView, index: QModelIndex, *, center: bool = False) -> None:
    """Bring a cell into view, centred vertically but scrolled sideways only as far as
    needed (so the Status and first columns stay in sight when they can)."""
    if center:
        horizontal = table.horizontalScrollBar().value()
        table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        table.horizontalScrollBar().setValue(horizontal)
    table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)


def move_to_next_problem(
    table: QTableView, proxy: OrdersFilterProxy, doc: OrderDocument, backwards: bool = False
) -> bool:
    """Move to the next (previous) problem cell in view order, wrapping around."""

    def problem_columns(view_row: int) -> list[int]:
        issues = doc.issues_for_row(proxy.source_row(view_row))
        return sorted({table_column(issue.col_index) for issue in issues})

    current = table.currentIndex()
    found = next_problem_cell(
        proxy.rowCount(),
        (current.row(), current.column()) if current.isValid() else None,
        problem_columns,
        column_count=proxy.columnCount(),
        backwards=backwards,
    )
    if found is None:
        return False
    index = proxy.index(*found)
    table.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    scroll_to(table, index)
    return True
