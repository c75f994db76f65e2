"""The order table widget: the sheet's rows under the filter proxy, sized to its content.

`OrdersTable` sets up the QTableView once (uniform row heights, which keep 100,000 rows fast;
column widths from the header and the first rows, never a scan of every row; a row header wide
enough for the largest row number and the status icon). `CellDelegate` edits cells as the table
model does, except that a value typed while several cells are selected goes into all of them
(Enter or Ctrl+Enter, one undo step), as in Excel.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)

from northbeam_desktop.ui.document.cell_text import display_text
from northbeam_desktop.ui.document.model import STATUS_COLUMN, OrdersTableModel, sheet_column
from northbeam_desktop.ui.document.order_status import STATUS_TEXT
from northbeam_desktop.ui.document.proxy import OrdersFilterProxy
from northbeam_desktop.ui.icons import StatusKind

AnyIndex = QModelIndex | QPersistentModelIndex
# Writes text typed into the cell at an index into every selected cell; False when the cell is
# not part of a selection of several cells (then it is an ordinary edit of one cell).
SelectionWriter = Callable[[AnyIndex, str], bool]

EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
)


class OrdersTable(QTableView):
    """The table of `proxy` over `model` (see the module docstring)."""

    def __init__(
        self,
        model: OrdersTableModel,
        proxy: OrdersFilterProxy,
        write_selection: SelectionWriter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self.setObjectName("OrdersTable")
        self.setAccessibleName("Orders")
        self.setModel(proxy)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setEditTriggers(EDIT_TRIGGERS)
        self.delegate = CellDelegate(write_selection, self)
        self.setItemDelegate(self.delegate)
        row_height = self.fontMetrics().height() + 10
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: fast
        vertical.setDefaultSectionSize(row_height)
        vertical.setMinimumSectionSize(row_height)
        vertical.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        horizontal = self.horizontalHeader()
        horizontal.setStretchLastSection(True)
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        horizontal.setHighlightSections(False)
        horizontal.setSortIndicatorClearable(True)
        horizontal.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self.fit_columns()
        self.fit_row_header()
        corner = self.findChild(QAbstractButton, "qt_tableview_cornerbutton")
        if corner is not None:
            corner.setAccessibleName("Select all cells")
            corner.setToolTip("Select all cells")

    def set_editable(self, editable: bool) -> None:
        self.setEditTriggers(
            EDIT_TRIGGERS if editable else QAbstractItemView.EditTrigger.NoEditTriggers
        )

    def fit_row_header(self) -> None:
        """Room for the status icon and the file's largest row number, whatever rows are in
        view (Qt sizes the header from the rows it samples, and clipped the numbers of rows
        scrolled into view later)."""
        vertical = self.verticalHeader()
        numbers = self._model.document.sheet.row_numbers
        digits = len(str(max(numbers))) if numbers else 1
        icon = vertical.style().pixelMetric(vertical.style().PixelMetric.PM_SmallIconSize)
        width = vertical.fontMetrics().horizontalAdvance("8" * digits) + icon + 20
        vertical.setMinimumWidth(width)

    def fit_columns(self) -> None:
        """Sensible widths from the header and the first rows (never a scan of every row)."""
        model = self._model
        metrics = self.fontMetrics()
        header_metrics = self.horizontalHeader().fontMetrics()
        rows = model.document.sheet.rows[:200]
        for column in range(model.columnCount()):
            header = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = header_metrics.horizontalAdvance(header) + 44  # sort arrow and icon
            if column == STATUS_COLUMN:
                width = max(width, metrics.horizontalAdvance(self._longest_status()) + 28)
            else:
                for row in rows:
                    text = display_text(row[sheet_column(column)])
                    if text:
                        width = max(width, metrics.horizontalAdvance(text) + 36)
            self.setColumnWidth(column, max(64, min(width, 320)))

    def _longest_status(self) -> str:
        """The longest Status text this file can show: a cancelled order's when it has one
        (it is said whole, never cut to “Cancelled in y…”)."""
        if any(record.cancelled for record in self._model.document.orders):
            return max(STATUS_TEXT[StatusKind.SKIPPED], STATUS_TEXT[StatusKind.NOTE], key=len)
        return STATUS_TEXT[StatusKind.FAILED]


class CellDelegate(QStyledItemDelegate):
    """See the module docstring."""

    def __init__(self, write_selection: SelectionWriter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._write_selection = write_selection

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:  # Qt override
        if isinstance(editor, QLineEdit) and self._write_selection(index, editor.text()):
            return
        super().setModelData(editor, model, index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and isinstance(watched, QWidget)
        ):
            # Ctrl+Enter commits like Enter (and so fills every selected cell).
            self.commitData.emit(watched)
            self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.SubmitModelCache)
            return True
        return super().eventFilter(watched, event)
