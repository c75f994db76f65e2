"""Undoable edits of an order document (QUndoStack commands).

Every change the user makes to the data goes through one of these, so every change, including
bulk ones, can be undone and redone (Ctrl+Z / Ctrl+Shift+Z):

- `SetCellsCommand(table, [(row_index, col_index, new_value)], text)`: one cell or many (a typed
  edit, a quick fix, "set value for selected cells", find and replace, fill down, paste). It
  remembers the old values and writes through `table.apply_cells`, so only the orders
  involved are re-checked.
- `DeleteRowsCommand(table, row_indices)`: removes rows with `table.delete_rows` and puts them
  back, with their original Excel row numbers, with `table.restore_rows`.

`table` is anything with the `EditableTable` methods (the table model is one); the commands
know nothing else about it. Each command has a sentence for the Edit menu ("Undo Set Currency to
USD in 37 cells").
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor, QGuiApplication, QUndoCommand

from northbeam_desktop.core.orders.document import OrderDocument
from northbeam_desktop.core.orders.sheet import CellValue

CellChange = tuple[int, int, CellValue]
# A deleted row, to put back: (row index, its values, its Excel row number).
DeletedRow = tuple[int, list[CellValue], int]


class EditableTable(Protocol):
    """What the commands write through (`OrdersTableModel`)."""

    @property
    def document(self) -> OrderDocument: ...

    def apply_cells(self, changes: Sequence[CellChange]) -> object: ...

    def delete_rows(self, row_indices: Sequence[int]) -> list[DeletedRow]: ...

    def restore_rows(self, deleted: Sequence[DeletedRow]) -> None: ...


@contextlib.contextmanager
def busy_cursor() -> Iterator[None]:
    """A wait cursor while a full re-check runs on the GUI thread."""
    QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


class SetCellsCommand(QUndoCommand):
    """Write one or many cells; undo writes the old values back."""

    def __init__(
        self,
        table: EditableTable,
        changes: Sequence[CellChange],
        text: str,
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(text, parent)
        self._table = table
        rows = table.document.sheet.rows
        latest: dict[tuple[int, int], CellValue] = {}
        for row, col_index, value in changes:
            latest[(row, col_index)] = None if value == "" else value
        self._new: list[CellChange] = [(r, c, v) for (r, c), v in latest.items()]
        self._old: list[CellChange] = [(r, c, rows[r][c]) for (r, c) in latest]

    @property
    def cells(self) -> list[tuple[int, int]]:
        """(row_index, col_index) of every cell the command writes."""
        return [(row, col_index) for row, col_index, _ in self._new]

    def redo(self) -> None:
        self._table.apply_cells(self._new)

    def undo(self) -> None:
        self._table.apply_cells(self._old)


class DeleteRowsCommand(QUndoCommand):
    """Delete rows; undo puts them back where they were, with their Excel row numbers."""

    def __init__(
        self,
        table: EditableTable,
        row_indices: Sequence[int],
        text: str | None = None,
        parent: QUndoCommand | None = None,
    ) -> None:
        self._table = table
        self._rows = sorted(set(row_indices))
        if text is None:
            numbers = table.document.sheet.row_numbers
            if len(self._rows) == 1:
                text = f"Delete row {numbers[self._rows[0]]}"
            else:
                text = f"Delete {len(self._rows):,} rows"
        super().__init__(text, parent)
        self._deleted: list[DeletedRow] = []

    def redo(self) -> None:
        with busy_cursor():
            self._deleted = self._table.delete_rows(self._rows)

    def undo(self) -> None:
        with busy_cursor():
            self._table.restore_rows(self._deleted)
