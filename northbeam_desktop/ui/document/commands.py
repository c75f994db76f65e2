"""Undoable edits of an order document (QUndoStack commands).

Every change the user makes to the data goes through one of these, so every change, including
bulk ones, can be undone and redone (Ctrl+Z / Ctrl+Shift+Z):

- `SetCellsCommand(model, [(row_index, col_index, new_value)], text)`: one cell or many (a typed
  edit, a quick fix, "set value for selected cells", find and replace, fill down, paste). It
  remembers the old values and writes through `OrdersTableModel.apply_cells`, so only the orders
  involved are re-checked.
- `DeleteRowsCommand(model, row_indices)`: removes rows with `doc.delete_rows` and puts them
  back, with their original Excel row numbers, with `doc.insert_rows`. The model's
  `rows_deleted` / `rows_restored` signals report it (for the recovery journal).

Each command has a sentence for the Edit menu ("Undo Set Currency to USD in 37 cells").
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor, QGuiApplication, QUndoCommand

from northbeam_desktop.core.orders.sheet import CellValue

if TYPE_CHECKING:
    from northbeam_desktop.ui.document.model import OrdersTableModel

CellChange = tuple[int, int, CellValue]


@contextlib.contextmanager
def busy_cursor() -> Iterator[None]:
    """A wait cursor while a full re-check runs on the GUI thread."""
    QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


def quoted(value: CellValue) -> str:
    from northbeam_desktop.ui.document.model import display_text

    text = display_text(value)
    if not text:
        return "empty"
    return text if len(text) <= 30 else text[:29] + "…"


def cells_word(count: int) -> str:
    return f"{count:,} cell" if count == 1 else f"{count:,} cells"


def set_cells_text(label: str, value: CellValue, count: int) -> str:
    """'Set Currency to USD in 37 cells' / 'Clear Tax in 2 cells'."""
    if value is None or value == "":
        return f"Clear {label} in {cells_word(count)}"
    return f"Set {label} to {quoted(value)} in {cells_word(count)}"


class SetCellsCommand(QUndoCommand):
    """Write one or many cells; undo writes the old values back."""

    def __init__(
        self,
        model: OrdersTableModel,
        changes: Sequence[CellChange],
        text: str,
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(text, parent)
        self._model = model
        rows = model.document.sheet.rows
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
        self._model.apply_cells(self._new)

    def undo(self) -> None:
        self._model.apply_cells(self._old)


class DeleteRowsCommand(QUndoCommand):
    """Delete rows; undo puts them back where they were, with their Excel row numbers."""

    def __init__(
        self,
        model: OrdersTableModel,
        row_indices: Sequence[int],
        text: str | None = None,
        parent: QUndoCommand | None = None,
    ) -> None:
        self._model = model
        self._rows = sorted(set(row_indices))
        if text is None:
            numbers = model.document.sheet.row_numbers
            if len(self._rows) == 1:
                text = f"Delete row {numbers[self._rows[0]]}"
            else:
                text = f"Delete {len(self._rows):,} rows"
        super().__init__(text, parent)
        self._saved: list[tuple[int, list[CellValue], int]] = []

    def redo(self) -> None:
        doc = self._model.document
        sheet = doc.sheet
        self._saved = [(i, list(sheet.rows[i]), sheet.row_numbers[i]) for i in self._rows]
        with busy_cursor():
            doc.delete_rows(self._rows)
        self._model.reset_document()
        self._model.rows_deleted.emit([number for _, _, number in self._saved])

    def undo(self) -> None:
        doc = self._model.document
        sheet = doc.sheet
        runs: list[list[tuple[int, list[CellValue], int]]] = []
        for entry in self._saved:
            if runs and entry[0] == runs[-1][-1][0] + 1:
                runs[-1].append(entry)
            else:
                runs.append([entry])
        with busy_cursor():
            # Earlier runs go straight back into the lists; the last one through the engine,
            # which then re-checks the whole document once (not once per run).
            for run in runs[:-1]:
                at = run[0][0]
                sheet.rows[at:at] = [list(cells) for _, cells, _ in run]
                sheet.row_numbers[at:at] = [number for _, _, number in run]
            if runs:
                last = runs[-1]
                doc.insert_rows(
                    last[0][0],
                    [cells for _, cells, _ in last],
                    [number for _, _, number in last],
                )
        self._model.reset_document()
        self._model.rows_restored.emit([(number, list(cells)) for _, cells, number in self._saved])
