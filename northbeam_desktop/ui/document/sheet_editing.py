"""The document view's edits of many cells at once, each one undo step: set or clear the
selection, fill down, delete rows, replace in a column, copy and paste. A value that belongs to
the whole order is written on every row of the order (the model says which), except by find
and replace, which changes exactly the cells that match."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QGuiApplication, QUndoStack
from PySide6.QtWidgets import QTableView

from northbeam_desktop.core.orders.document import OrderDocument
from northbeam_desktop.ui.document.cell_text import cells_word, quoted, set_cells_text, typed_like
from northbeam_desktop.ui.document.commands import DeleteRowsCommand, SetCellsCommand
from northbeam_desktop.ui.document.edits import (
    CellChange,
    column_matches,
    replacements,
    same_value,
    text_grid,
)
from northbeam_desktop.ui.document.model import OrdersTableModel, sheet_column, table_column
from northbeam_desktop.ui.document.proxy import OrdersFilterProxy
from northbeam_desktop.ui.document.table_selection import TableSelection

__all__ = ["SheetEditor"]


class SheetEditor:
    """Edits through `undo_stack`; refuses while `read_only()`; says what it spread to whole
    orders through `note(text)`; after deleting rows puts the cursor back with `focus_cell`."""

    def __init__(
        self,
        table: QTableView,
        selection: TableSelection,
        undo_stack: QUndoStack,
        *,
        read_only: Callable[[], bool],
        note: Callable[[str], object],
        focus_cell: Callable[[int, int], object],
    ) -> None:
        self.table = table
        self.selection = selection
        self.undo_stack = undo_stack
        self._read_only = read_only
        self._note = note
        self._focus_cell = focus_cell

    @property
    def model(self) -> OrdersTableModel:
        return self.selection.model

    @property
    def proxy(self) -> OrdersFilterProxy:
        return self.selection.proxy

    @property
    def document(self) -> OrderDocument:
        return self.model.document

    def push_cells(
        self, changes: list[CellChange], text: str, *, whole_orders: bool = True
    ) -> bool:
        """One undo step for many cells; order-level values spread to their whole orders
        (except for find and replace, which changes exactly the cells that match)."""
        if self._read_only():
            return False
        rows = self.document.sheet.rows
        note = ""
        if whole_orders:
            changes, note = self.model.whole_orders(changes)
        real = [(r, c, v) for r, c, v in changes if not same_value(rows[r][c], v)]
        if not real:
            return False
        self.undo_stack.push(SetCellsCommand(self.model, real, text))
        if note:
            self._note(note)
        return True

    def label_for(self, cells: list[tuple[int, int]]) -> str | None:
        """The field's name when every cell is in one column."""
        columns = {c for _, c in cells}
        return self.model.field_label(next(iter(columns))) if len(columns) == 1 else None

    def set_value_for_selection(self, text: str) -> bool:
        """Write one value into every selected cell (one undo step)."""
        cells = self.selection.cells()
        if not cells:
            return False
        rows = self.document.sheet.rows
        changes = [(r, c, typed_like(rows[r][c], text) if text else None) for r, c in cells]
        label = self.label_for(cells)
        if label:
            title = set_cells_text(label, text or None, len(cells))
        elif text:
            title = f"Set {cells_word(len(cells))} to {quoted(text)}"
        else:
            title = f"Clear {cells_word(len(cells))}"
        return self.push_cells(changes, title)

    def write_selection(self, index: QModelIndex | QPersistentModelIndex, text: str) -> bool:
        """Text typed into a cell of a selection of several cells goes into all of them."""
        cells = self.selection.cells()
        if len(cells) <= 1:
            return False
        if (self.proxy.source_row(index.row()), sheet_column(index.column())) not in cells:
            return False
        self.set_value_for_selection(text)
        return True

    def fill_down(self) -> bool:
        """Copy the top selected value of each column into the selected cells below it; with
        one row selected, copy the value from the row above."""
        cells = self.selection.cells()
        if not cells:
            return False
        by_column: dict[int, list[int]] = {}
        for row, col_index in cells:
            by_column.setdefault(col_index, []).append(row)
        rows = self.document.sheet.rows
        changes: list[CellChange] = []
        for col_index, sheet_rows in by_column.items():
            view_rows = sorted({self.proxy.proxy_row(r) for r in sheet_rows})
            if len(view_rows) == 1:
                if view_rows[0] == 0:
                    continue
                view_rows = [view_rows[0] - 1, view_rows[0]]
            source = rows[self.proxy.source_row(view_rows[0])][col_index]
            for view_row in view_rows[1:]:
                changes.append((self.proxy.source_row(view_row), col_index, source))
        if not changes:
            return False
        label = self.label_for([(r, c) for r, c, _ in changes])
        what = label if label else "selected columns"
        return self.push_cells(changes, f"Fill down {what} in {cells_word(len(changes))}")

    def delete_selected_rows(self) -> bool:
        rows = self.selection.rows()
        if not rows or self._read_only():
            return False
        current = self.selection.current_cell()
        self.undo_stack.push(DeleteRowsCommand(self.model, rows))
        if current is not None and self.proxy.rowCount():
            row = min(rows[0], self.model.rowCount() - 1)
            self._focus_cell(row, current[1])
        return True

    def replace_in_column(
        self,
        col_index: int,
        find: str,
        replace: str,
        *,
        match_case: bool = False,
        whole_cell: bool = False,
    ) -> int:
        """Replace `find` with `replace` in every cell of one column; returns the cell count."""
        changes = replacements(
            self.document.sheet.rows,
            col_index,
            find,
            replace,
            match_case=match_case,
            whole_cell=whole_cell,
        )
        if not changes:
            return 0
        label = self.model.field_label(col_index)
        title = (
            f"Replace {quoted(find)} with {quoted(replace or None)} in {label} "
            f"({cells_word(len(changes))})"
        )
        self.push_cells(changes, title, whole_orders=False)
        return len(changes)

    def count_matches(
        self, col_index: int, find: str, *, match_case: bool = False, whole_cell: bool = False
    ) -> int:
        """How many cells of the column `replace_in_column` would change."""
        rows = self.document.sheet.rows
        return len(
            column_matches(rows, col_index, find, match_case=match_case, whole_cell=whole_cell)
        )

    def copy_selection(self) -> None:
        """Copy the selected cells as tab-separated text (pastes into Excel)."""
        ranges = self.selection.ranges()
        if not ranges:
            return
        proxy_rows = sorted({r for rng in ranges for r in range(rng.top(), rng.bottom() + 1)})
        columns = sorted({c for rng in ranges for c in range(rng.left(), rng.right() + 1)})
        selected = self.table.selectionModel()
        lines = []
        for proxy_row in proxy_rows:
            cells = []
            for column in columns:
                index = self.proxy.index(proxy_row, column)
                cells.append(str(index.data() or "") if selected.isSelected(index) else "")
            lines.append("\t".join(cells))
        QGuiApplication.clipboard().setText("\n".join(lines))

    def paste(self, text: str | None = None) -> bool:
        """Paste tab-separated text at the current cell (one value fills the selection)."""
        if text is None:
            text = QGuiApplication.clipboard().text()
        if not text:
            return False
        grid = text_grid(text)
        rows = self.document.sheet.rows
        if len(grid) == 1 and len(grid[0]) == 1:
            cells = self.selection.cells()
            if len(cells) > 1:
                value = grid[0][0]
                changes = [(r, c, typed_like(rows[r][c], value) or None) for r, c in cells]
                return self.push_cells(changes, f"Paste into {cells_word(len(changes))}")
        current = self.table.currentIndex()
        if not current.isValid():
            return False
        start_row, start_column = current.row(), max(table_column(0), current.column())
        changes = []
        for dy, values in enumerate(grid):
            proxy_row = start_row + dy
            if proxy_row >= self.proxy.rowCount():
                break
            row = self.proxy.source_row(proxy_row)
            for dx, value in enumerate(values):
                column = start_column + dx
                if column >= self.proxy.columnCount():
                    break
                col_index = sheet_column(column)
                old = rows[row][col_index]
                changes.append((row, col_index, typed_like(old, value) if value else None))
        return self.push_cells(changes, f"Paste {cells_word(len(changes))}")
