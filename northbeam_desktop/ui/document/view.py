"""The workspace for one loaded file: filter bar, order table, problems panel and the JSON that
will be sent.

```
[ All | Errors | Warnings | Selected | Failed upload ]  Showing 37 of 6,000 rows   [ search ]
[ the order table (OrdersTableModel via OrdersFilterProxy) | problems (IssuesPanel)          ]
[                                                         | what will be sent (PayloadView)  ]
```

For the main window (see `DocumentView` for the exact API):

* `actions` (dict name → QAction) for the Edit, View and Problems menus: undo (Ctrl+Z), redo
  (Ctrl+Shift+Z, Ctrl+Y), next_problem (F8), previous_problem (Shift+F8), next_pane (F6),
  previous_pane (Shift+F6), copy, paste, clear_cells (Delete), delete_rows (Ctrl+Delete),
  fill_down (Ctrl+D), set_value (Ctrl+Shift+E), find_replace (Ctrl+H), edit_mapping
  (Ctrl+Shift+M), find (Ctrl+F), time_zone; and `undo_stack` (its clean state is "no unsaved
  edits"); `fix_actions()` lists the quick fixes of the current cell or problem for a menu;
* signals `document_changed()` after every edit, undo, redo or re-mapping,
  `selection_changed()`, `status_message(str)` (what an edit or a fix did, for the status bar)
  and `upload_requested()` (the problems panel's Upload button);
* `selected_records()`, `refresh_after_upload()`, `focus_cell(row_index, col_index)`;
* `set_read_only(True)` while the document is being saved or uploaded (typing, quick fixes
  and every editing action are refused), `commit_pending_edit()` before saving, and
  `recheck(fn, message)` to rebuild the document (new preferences) off the GUI thread.

Every change to the data goes through the undo stack. The order is the unit of editing: a value
that belongs to the whole order (customer, totals, tax, shipping, currency, date, address) typed
on any of its rows is written on every row of the order in the same undo step, and the status
bar says so; product lines stay per row. Typing with several cells selected fills them all
(Enter or Ctrl+Enter, as in Excel). An edit re-checks only the orders it touches (the engine
does it); deleting rows and changing the column mapping re-check the whole file, the latter off
the GUI thread for big files. With a filter on, the rows of an order just edited stay in view
until the cursor moves to another row.

F6 and Shift+F6 move the focus between the table, the problems list and what will be sent.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.orders.document import OrderDocument, OrderRecord
from northbeam_desktop.core.orders.mapping import Mapping, PresetStore
from northbeam_desktop.core.orders.sheet import CellValue
from northbeam_desktop.core.orders.values import times_without_zone
from northbeam_desktop.ui.actions import CELL_ACTIONS, EDITING_ACTIONS, ActionName
from northbeam_desktop.ui.document.cell_text import (
    cells_word,
    display_text,
    quoted,
    set_cells_text,
    typed_like,
)
from northbeam_desktop.ui.document.commands import DeleteRowsCommand, SetCellsCommand, busy_cursor
from northbeam_desktop.ui.document.issues_panel import IssuesPanel
from northbeam_desktop.ui.document.model import (
    STATUS_COLUMN,
    OrdersTableModel,
    sheet_column,
    table_column,
)
from northbeam_desktop.ui.document.payload_view import PayloadView
from northbeam_desktop.ui.document.proxy import FilterMode, OrdersFilterProxy

log = logging.getLogger(__name__)

# Above this many rows a re-mapping (a full re-check) runs off the GUI thread.
BACKGROUND_RECHECK_ROWS = 20_000


# Segmented buttons drawn from the palette, so they follow light and dark themes.
_SEGMENT_STYLE = """
QToolButton[segment] {
    padding: 4px 14px;
    border: 1px solid palette(mid);
    border-left-width: 0px;
    background: palette(button);
    color: palette(button-text);
}
QToolButton[segment="first"] {
    border-left-width: 1px;
    border-top-left-radius: 5px;
    border-bottom-left-radius: 5px;
}
QToolButton[segment="last"] {
    border-top-right-radius: 5px;
    border-bottom-right-radius: 5px;
}
QToolButton[segment]:hover { background: palette(midlight); }
QToolButton[segment]:checked {
    background: palette(highlight);
    color: palette(highlighted-text);
    border-color: palette(highlight);
}
QToolButton[segment]:disabled { color: palette(mid); }
"""

_FILTER_BUTTONS = [
    (FilterMode.ALL, "All", "Show every row"),
    (FilterMode.ERRORS, "Errors", "Show only rows with errors"),
    (FilterMode.WARNINGS, "Warnings", "Show only rows with warnings"),
    (FilterMode.SELECTED, "Selected", "Show only the rows selected now"),
    (FilterMode.FAILED, "Failed upload", "Show only orders Northbeam did not accept"),
]


class DocumentView(QWidget):
    """Everything about one open file. See the module docstring.

    Public API: `document`, `model`, `proxy`, `table`, `issues_panel`, `payload_view`,
    `undo_stack`, `actions`; `focus_cell()`, `next_problem()`, `selected_rows()`,
    `selected_records()`, `selected_cells()`, `set_filter()`, `set_search_text()`,
    `refresh_after_upload()`, `apply_mapping()`, `edit_mapping()`, `delete_selected_rows()`,
    `clear_selected_cells()`, `fill_down()`, `set_value_for_selection()`,
    `replace_in_column()`, `copy_selection()`, `paste()`.
    """

    document_changed = Signal()
    selection_changed = Signal()
    # A column mapping (and time zone) the user chose: (Mapping, zone name or None).
    mapping_applied = Signal(object, object)
    status_message = Signal(str)  # what an edit or a quick fix did, for the status bar
    upload_requested = Signal()  # "Upload …" in the problems panel when nothing is left to fix
    zone_changed = Signal(str)  # times without a zone are now read in this zone

    def __init__(
        self,
        document: OrderDocument,
        parent: QWidget | None = None,
        *,
        undo_stack: QUndoStack | None = None,
        preset_store: PresetStore | None = None,
        defer_problems: bool = False,
    ) -> None:
        """`defer_problems=True`: the problems panel is filled by a later
        `issues_panel.refresh()` (the main window does it right after the table's first
        paint, so a big file shows at once)."""
        super().__init__(parent)
        self.setObjectName("DocumentView")
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.preset_store = preset_store
        self.model = OrdersTableModel(document, self.undo_stack, self)
        self.proxy = OrdersFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._busy = False
        self._read_only = False
        self._worker: Any = None

        self._build_filter_bar()
        self._build_table()
        self.issues_panel = IssuesPanel(self.model, refresh=not defer_problems)
        self.payload_view = PayloadView(document)

        side = QSplitter(Qt.Orientation.Vertical)
        side.setObjectName("SideSplitter")
        side.addWidget(self.issues_panel)
        side.addWidget(self.payload_view)
        side.setStretchFactor(0, 3)
        side.setStretchFactor(1, 2)
        side.setChildrenCollapsible(False)
        side.setMinimumWidth(300)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("MainSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([1100, 440])

        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(6)
        self.busy_bar.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(self.filter_bar)
        layout.addWidget(self.busy_bar)
        layout.addWidget(self.splitter, 1)

        self._create_actions()

        self.issues_panel.issue_activated.connect(self._on_issues_panel_issue_activated)
        self.issues_panel.rows_requested.connect(self._on_issues_panel_rows_requested)
        self.issues_panel.mapping_requested.connect(self._on_issues_panel_mapping_requested)
        self.issues_panel.fix_applied.connect(self.status_message)
        self.issues_panel.upload_requested.connect(self.upload_requested)
        self.issues_panel.zone_change_requested.connect(self.change_zone)
        self.model.edit_note.connect(self.status_message)
        self.model.cells_written.connect(self._on_model_cells_written)
        self.model.orders_changed.connect(self._on_model_orders_changed)
        self.model.document_reset.connect(self._on_model_document_reset)
        self.proxy.filter_changed.connect(self._on_proxy_filter_changed)
        self.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)
        self._update_count()
        self._naive_times = 0
        self._update_zone_notice()

    # ---- construction ----------------------------------------------------------------------

    def _build_filter_bar(self) -> None:
        self.filter_bar = QHBoxLayout()
        self.filter_bar.setSpacing(0)
        segments = QWidget()
        segments.setObjectName("FilterSegments")
        segments.setStyleSheet(_SEGMENT_STYLE)
        segment_layout = QHBoxLayout(segments)
        segment_layout.setContentsMargins(0, 0, 0, 0)
        segment_layout.setSpacing(0)
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.filter_buttons: dict[FilterMode, QToolButton] = {}
        last = len(_FILTER_BUTTONS) - 1
        for position, (mode, text, tip) in enumerate(_FILTER_BUTTONS):
            button = QToolButton()
            button.setObjectName(f"Filter{mode.value.title()}Button")
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(f"Filter: {text}")
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            segment = "first" if position == 0 else "last" if position == last else "middle"
            button.setProperty("segment", segment)
            self.filter_group.addButton(button)
            self.filter_buttons[mode] = button
            segment_layout.addWidget(button)
            button.clicked.connect(self._make_filter_slot(mode))
        self.filter_bar.addWidget(segments)
        self.filter_buttons[FilterMode.ALL].setChecked(True)
        self.filter_bar.addSpacing(12)
        self.count_label = QLabel()
        self.count_label.setObjectName("RowCount")
        self.filter_bar.addWidget(self.count_label)
        self.filter_bar.addStretch(1)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("SearchEdit")
        self.search_edit.setPlaceholderText("Search all cells (Ctrl+F)")
        self.search_edit.setAccessibleName("Search all cells")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(240)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.filter_bar.addWidget(self.search_edit)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)

    def _make_filter_slot(self, mode: FilterMode) -> Callable[[], None]:
        def slot() -> None:
            self.set_filter(mode)

        return slot

    def _build_table(self) -> None:
        table = QTableView()
        self.table = table
        table.setObjectName("OrdersTable")
        table.setAccessibleName("Orders")
        table.setModel(self.proxy)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._edit_triggers = (
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        table.setEditTriggers(self._edit_triggers)
        self.delegate = _CellDelegate(self)
        table.setItemDelegate(self.delegate)
        row_height = table.fontMetrics().height() + 10
        vertical = table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: fast
        vertical.setDefaultSectionSize(row_height)
        vertical.setMinimumSectionSize(row_height)
        vertical.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        horizontal = table.horizontalHeader()
        horizontal.setStretchLastSection(True)
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        horizontal.setHighlightSections(False)
        horizontal.setSortIndicatorClearable(True)
        horizontal.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        self._fit_columns()
        self._fit_row_header()
        corner = table.findChild(QAbstractButton, "qt_tableview_cornerbutton")
        if corner is not None:
            corner.setAccessibleName("Select all cells")
            corner.setToolTip("Select all cells")
        table.selectionModel().currentChanged.connect(self._on_table_current_changed)
        table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)

    def _fit_row_header(self) -> None:
        """Room for the status icon and the file's largest row number, whatever rows are in
        view (Qt sizes the header from the rows it samples, and clipped the numbers of rows
        scrolled into view later)."""
        vertical = self.table.verticalHeader()
        numbers = self.model.document.sheet.row_numbers
        digits = len(str(max(numbers))) if numbers else 1
        icon = vertical.style().pixelMetric(vertical.style().PixelMetric.PM_SmallIconSize)
        width = vertical.fontMetrics().horizontalAdvance("8" * digits) + icon + 20
        vertical.setMinimumWidth(width)

    def _fit_columns(self) -> None:
        """Sensible widths from the header and the first rows (never a scan of every row)."""
        table = self.table
        metrics = table.fontMetrics()
        header_metrics = table.horizontalHeader().fontMetrics()
        rows = self.model.document.sheet.rows[:200]
        for column in range(self.model.columnCount()):
            header = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = header_metrics.horizontalAdvance(header) + 44  # sort arrow and icon
            if column == STATUS_COLUMN:
                width = max(width, metrics.horizontalAdvance("Upload failed") + 28)
            else:
                for row in rows:
                    text = display_text(row[sheet_column(column)])
                    if text:
                        width = max(width, metrics.horizontalAdvance(text) + 36)
            table.setColumnWidth(column, max(64, min(width, 320)))

    def _create_actions(self) -> None:
        self.actions: dict[ActionName, QAction] = {}

        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        # The platform's Redo keys usually include Ctrl+Shift+Z again; a key listed twice is
        # an "ambiguous shortcut" and does nothing, so each key is listed once.
        redo.setShortcuts(
            _unique(
                [
                    QKeySequence("Ctrl+Shift+Z"),
                    QKeySequence("Ctrl+Y"),
                    *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo),
                ]
            )
        )
        self._add_action(ActionName.UNDO, undo)
        self._add_action(ActionName.REDO, redo)

        def make(
            name: ActionName,
            text: str,
            slot: Callable[[], Any],
            shortcuts: list[QKeySequence] | None = None,
            tip: str = "",
        ) -> QAction:
            action = QAction(text, self)
            if shortcuts:
                action.setShortcuts(shortcuts)
            if tip:
                action.setStatusTip(tip)
                action.setToolTip(tip)
            action.triggered.connect(lambda _checked=False: slot())
            return self._add_action(name, action)

        make(
            ActionName.NEXT_PROBLEM,
            "&Next Problem",
            self.next_problem,
            [QKeySequence(Qt.Key.Key_F8)],
            "Go to the next cell with a problem",
        )
        make(
            ActionName.PREVIOUS_PROBLEM,
            "&Previous Problem",
            lambda: self.next_problem(backwards=True),
            [QKeySequence("Shift+F8")],
            "Go to the previous cell with a problem",
        )
        make(
            ActionName.COPY,
            "&Copy",
            self.copy_selection,
            QKeySequence.keyBindings(QKeySequence.StandardKey.Copy),
            "Copy the selected cells",
        )
        make(
            ActionName.PASTE,
            "&Paste",
            self.paste,
            QKeySequence.keyBindings(QKeySequence.StandardKey.Paste),
            "Paste cells copied from a spreadsheet",
        )
        make(
            ActionName.CLEAR_CELLS,
            "C&lear Cells",
            self.clear_selected_cells,
            [QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Backspace)],
            "Empty the selected cells",
        )
        make(
            ActionName.DELETE_ROWS,
            "&Delete Rows",
            self.delete_selected_rows,
            [QKeySequence("Ctrl+Delete"), QKeySequence("Ctrl+-")],
            "Remove the selected rows from the file",
        )
        make(
            ActionName.FILL_DOWN,
            "Fill Do&wn",
            self.fill_down,
            [QKeySequence("Ctrl+D")],
            "Copy the top selected value into the selected cells below it",
        )
        make(
            ActionName.SET_VALUE,
            "Set &Value for Selected Cells…",
            self._ask_set_value,
            [QKeySequence("Ctrl+Shift+E")],
            "Type one value for every selected cell",
        )
        make(
            ActionName.FIND_REPLACE,
            "Find and R&eplace in Column…",
            self._ask_find_replace,
            _unique(
                [
                    QKeySequence("Ctrl+H"),
                    *QKeySequence.keyBindings(QKeySequence.StandardKey.Replace),
                ]
            ),
            "Replace text in one column",
        )
        make(
            ActionName.EDIT_MAPPING,
            "Edit &Mapping…",
            self.edit_mapping,
            [QKeySequence("Ctrl+Shift+M")],  # Ctrl+M is Minimize on macOS
            "Choose which column holds which Northbeam field",
        )
        make(
            ActionName.FIND,
            "&Find…",
            self._focus_search,
            QKeySequence.keyBindings(QKeySequence.StandardKey.Find),
            "Search all cells",
        )
        make(
            ActionName.NEXT_PANE,
            "&Go to Next Pane",
            lambda: self.focus_next_pane(),
            [QKeySequence(Qt.Key.Key_F6)],
            "Move between the table, the problems list and what will be sent",
        )
        make(
            ActionName.PREVIOUS_PANE,
            "Go to Previous Pan&e",
            lambda: self.focus_next_pane(backwards=True),
            [QKeySequence("Shift+F6")],
            "Move between the table, the problems list and what will be sent, backwards",
        )
        make(
            ActionName.TIME_ZONE,
            "&Time Zone of Times Without One…",
            self.change_zone,
            None,
            "Choose the time zone in which times without one are read",
        )
        for name in CELL_ACTIONS:
            self.table.addAction(self.actions[name])
        self.table.addAction(self.actions[ActionName.DELETE_ROWS])
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)

    def _add_action(self, name: ActionName, action: QAction) -> QAction:
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        self.actions[name] = action
        return action

    # ---- the document ----------------------------------------------------------------------

    @property
    def document(self) -> OrderDocument:
        return self.model.document

    def selected_rows(self) -> list[int]:
        """Sheet rows with at least one selected cell, in file order."""
        rows: set[int] = set()
        for selection_range in self.table.selectionModel().selection():
            for proxy_row in range(selection_range.top(), selection_range.bottom() + 1):
                rows.add(self.proxy.source_row(proxy_row))
        return sorted(rows)

    def selected_records(self) -> list[OrderRecord]:
        """The orders of the selected rows, each once, in file order."""
        of_row = self.document.order_of_row
        seen: set[int] = set()
        records = []
        for row in self.selected_rows():
            record = of_row[row]
            if record is not None and id(record) not in seen:
                seen.add(id(record))
                records.append(record)
        return records

    def selected_cells(self) -> list[tuple[int, int]]:
        """(row_index, col_index) of every selected data cell, in view order."""
        cells: list[tuple[int, int]] = []
        for selection_range in self.table.selectionModel().selection():
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

    def focus_cell(self, row_index: int, col_index: int) -> None:
        """Select a cell and scroll to it; shows all rows first if the filter hides it."""
        if not 0 <= row_index < self.model.rowCount():
            return
        if self.proxy.proxy_row(row_index) < 0:
            self.search_edit.clear()
            self.proxy.set_search_text("")
            self.set_filter(FilterMode.ALL)
        proxy_row = self.proxy.proxy_row(row_index)
        column = table_column(col_index)
        index = self.proxy.index(proxy_row, min(column, self.proxy.columnCount() - 1))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self._scroll_to(index, center=True)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _scroll_to(self, index: QModelIndex, *, center: bool = False) -> None:
        """Bring a cell into view, centred vertically but scrolled sideways only as far as
        needed (so the Status and first columns stay in sight when they can)."""
        if center:
            horizontal = self.table.horizontalScrollBar().value()
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
            self.table.horizontalScrollBar().setValue(horizontal)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def set_filter(self, mode: FilterMode | str) -> None:
        mode = FilterMode(mode)
        if mode is FilterMode.SELECTED:
            self.proxy.set_selected_rows(self.selected_rows())
        self.filter_buttons[mode].setChecked(True)
        self.proxy.set_mode(mode)

    def show_rows(self, rows: list[int]) -> None:
        """Show only these sheet rows (the "Selected" filter)."""
        self.proxy.set_selected_rows(rows)
        self.filter_buttons[FilterMode.SELECTED].setChecked(True)
        self.proxy.set_mode(FilterMode.SELECTED)
        self.proxy.invalidate()

    def set_search_text(self, text: str) -> None:
        """Search now (the search box waits for a pause in typing on big files)."""
        if self.search_edit.text() != text:
            self.search_edit.blockSignals(True)
            self.search_edit.setText(text)
            self.search_edit.blockSignals(False)
        self._search_timer.stop()
        self.proxy.set_search_text(text)

    def refresh_after_upload(self) -> None:
        """Repaint statuses and server rejections after an upload changed them."""
        self.model.refresh_statuses()
        if self.proxy.filtering:
            self.proxy.invalidate()
        self.issues_panel.refresh()
        self.payload_view.refresh()

    # ---- panes, quick fixes and the time zone ----------------------------------------------

    def panes(self) -> list[QWidget]:
        """What F6 visits, in order: the table, the problems list (or its Upload button when
        nothing is left to fix), what will be sent."""
        panel = self.issues_panel
        problems: QWidget = panel.tree
        if panel.stack.currentWidget() is panel.empty_page:
            problems = panel.upload_button if panel.upload_button.isVisible() else panel.empty_page
        payload = self.payload_view
        details = payload.errors_view if payload.showing_errors() else payload.json_view
        return [self.table, problems, details]

    def focus_next_pane(self, backwards: bool = False) -> QWidget:
        """F6 / Shift+F6: the next (previous) pane gets the focus; returns it."""
        panes = self.panes()
        focus = QApplication.focusWidget()
        current = next(
            (n for n, pane in enumerate(panes) if focus is pane or pane.isAncestorOf(focus)),
            None,
        )
        if current is None:
            current = -1 if not backwards else 0
        target = panes[(current + (-1 if backwards else 1)) % len(panes)]
        if target is self.issues_panel.tree and not self.issues_panel.current_group():
            groups = self.issues_panel.groups_model
            if groups.rowCount():
                self.issues_panel.tree.selectionModel().setCurrentIndex(
                    groups.index(0, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return target

    def fix_actions(self, parent: QObject) -> list[QAction]:
        """The quick fixes of the current problem (when the problems list has the focus) or of
        the table's current cell, as actions named for what they write ("Use 20.32 for Tax")."""
        panel = self.issues_panel
        actions: list[QAction] = []
        focus = QApplication.focusWidget()
        if focus is not None and panel.isAncestorOf(focus) and panel.current_group():
            for fix in panel.fixes_for_selection():
                action = QAction(_menu_text(fix.label), parent)
                action.setStatusTip(fix.explanation)
                action.triggered.connect(_apply_later(panel, fix))
                actions.append(action)
            return actions
        current = self.current_cell()
        if current is None:
            return actions
        for issue, fix in panel.fixes_for_cell(*current):
            label = self.model.field_label(issue.col_index) if issue.col_index is not None else ""
            text = f"{fix.label} for {label}" if label else fix.label
            action = QAction(_menu_text(text), parent)
            action.setStatusTip(fix.explanation)
            action.triggered.connect(_apply_later(panel, fix))
            actions.append(action)
        for action in actions:
            action.setEnabled(not self._read_only)
        return actions

    def table_menu(self, index: QModelIndex) -> QMenu:
        """The table's context menu: the fixes of the cell's problems first, then editing."""
        menu = QMenu(self)
        if index.isValid():
            row = self.proxy.source_row(index.row())
            col_index = sheet_column(index.column())
            fixes = self.issues_panel.fixes_for_cell(row, col_index)
            for issue, fix in fixes:
                label = self.model.field_label(issue.col_index) if issue.col_index else ""
                text = f"{fix.label} for {label}" if label else fix.label
                action = menu.addAction(_menu_text(text))
                action.setToolTip(fix.explanation)
                action.setStatusTip(fix.explanation)
                action.setEnabled(not self._read_only)
                action.triggered.connect(_apply_later(self.issues_panel, fix))
            if fixes:
                menu.addSeparator()
        for name in CELL_ACTIONS:
            menu.addAction(self.actions[name])
        menu.addSeparator()
        menu.addAction(self.actions[ActionName.DELETE_ROWS])
        return menu

    @property
    def naive_times(self) -> int:
        """How many (of a sample of) the purchase times do not say their time zone."""
        return self._naive_times

    def zone_notice(self) -> str | None:
        """'Times without a zone are read as Europe/Berlin (UTC+01:00).', or None when every
        time in the file says its own zone."""
        if not self._naive_times:
            return None
        doc = self.document
        return f"Times without a zone are read as {doc.timezone_name}."

    def _update_zone_notice(self) -> None:
        doc = self.document
        column = doc.columns.get("time_of_purchase")
        self._naive_times = (
            times_without_zone(row[column.index] for row in doc.sheet.rows)
            if column is not None and not self.model.suspended
            else 0
        )
        self.issues_panel.set_zone_notice(self.zone_notice())
        self.actions[ActionName.TIME_ZONE].setEnabled(
            bool(self._naive_times) and not self._read_only
        )

    def change_zone(self) -> bool:
        """Ask which time zone the file's times without one are in; re-check with it and
        remember it for files with these columns."""
        from northbeam_desktop.ui.dialogs.timezone import choose_zone

        if self._read_only or self._busy:
            return False
        doc = self.document
        column = doc.columns.get("time_of_purchase")
        example = None
        if column is not None:
            example = next(
                (display_text(row[column.index]) for row in doc.sheet.rows if row[column.index]),
                None,
            )
        zone = choose_zone(
            self, Path(doc.sheet.path).name, doc.timezone_name, example, changing=True
        )
        if not zone or zone == doc.timezone_name:
            return False
        if self.preset_store is not None:
            try:
                self.preset_store.remember_timezone(doc.sheet.headers, zone)
            except OSError as exc:
                log.warning("Could not remember the time zone: %s", exc)
        self.apply_mapping(doc.mapping, zone)
        self.status_message.emit(f"Times without a zone are now read as {zone}.")
        self.zone_changed.emit(zone)
        return True

    # ---- problem navigation ----------------------------------------------------------------

    def _problem_columns(self, row_index: int) -> list[int]:
        columns = {
            table_column(issue.col_index) for issue in self.document.issues_for_row(row_index)
        }
        return sorted(columns)

    def next_problem(self, backwards: bool = False) -> bool:
        """Move to the next (previous) problem cell in view order, wrapping around."""
        count = self.proxy.rowCount()
        if count == 0:
            return False
        current = self.table.currentIndex()
        if current.isValid():
            start_row, start_col, inclusive = current.row(), current.column(), False
        elif backwards:
            start_row, start_col, inclusive = count - 1, self.proxy.columnCount(), True
        else:
            start_row, start_col, inclusive = 0, -1, True
        step = -1 if backwards else 1
        for offset in range(count + 1):
            proxy_row = (start_row + step * offset) % count
            columns = self._problem_columns(self.proxy.source_row(proxy_row))
            if not columns:
                continue
            if offset == 0 and not inclusive:
                columns = [c for c in columns if (c < start_col if backwards else c > start_col)]
            elif offset == count:
                columns = [c for c in columns if (c >= start_col if backwards else c <= start_col)]
            if columns:
                column = columns[-1] if backwards else columns[0]
                index = self.proxy.index(proxy_row, column)
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
                self._scroll_to(index)
                return True
        return False

    # ---- editing ---------------------------------------------------------------------------

    def _push_cells(
        self, changes: list[tuple[int, int, CellValue]], text: str, *, whole_orders: bool = True
    ) -> bool:
        """One undo step for many cells; order-level values spread to their whole orders
        (except for find and replace, which changes exactly the cells that match)."""
        if self._read_only:
            return False
        rows = self.document.sheet.rows
        note = ""
        if whole_orders:
            changes, note = self.model.whole_orders(changes)
        real = [(r, c, v) for r, c, v in changes if not _same(rows[r][c], v)]
        if not real:
            return False
        self.undo_stack.push(SetCellsCommand(self.model, real, text))
        if note:
            self.status_message.emit(note)
        return True

    def _label_for(self, cells: list[tuple[int, int]]) -> str | None:
        columns = {c for _, c in cells}
        return self.model.field_label(next(iter(columns))) if len(columns) == 1 else None

    def set_value_for_selection(self, text: str) -> bool:
        """Write one value into every selected cell (one undo step)."""
        cells = self.selected_cells()
        if not cells:
            return False
        rows = self.document.sheet.rows
        changes = [(r, c, typed_like(rows[r][c], text) if text else None) for r, c in cells]
        label = self._label_for(cells)
        if label:
            title = set_cells_text(label, text or None, len(cells))
        elif text:
            title = f"Set {cells_word(len(cells))} to {quoted(text)}"
        else:
            title = f"Clear {cells_word(len(cells))}"
        return self._push_cells(changes, title)

    def clear_selected_cells(self) -> bool:
        return self.set_value_for_selection("")

    def fill_down(self) -> bool:
        """Copy the top selected value of each column into the selected cells below it; with
        one row selected, copy the value from the row above."""
        cells = self.selected_cells()
        if not cells:
            return False
        by_column: dict[int, list[int]] = {}
        for row, col_index in cells:
            by_column.setdefault(col_index, []).append(row)
        rows = self.document.sheet.rows
        changes: list[tuple[int, int, CellValue]] = []
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
        label = self._label_for([(r, c) for r, c, _ in changes])
        what = label if label else "selected columns"
        return self._push_cells(changes, f"Fill down {what} in {cells_word(len(changes))}")

    def delete_selected_rows(self) -> bool:
        rows = self.selected_rows()
        if not rows or self._read_only:
            return False
        current = self.current_cell()
        self.undo_stack.push(DeleteRowsCommand(self.model, rows))
        if current is not None and self.proxy.rowCount():
            row = min(rows[0], self.model.rowCount() - 1)
            self.focus_cell(row, current[1])
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
        rows = self.document.sheet.rows
        flags = 0 if match_case else re.IGNORECASE
        pattern = re.compile(re.escape(find), flags)
        changes: list[tuple[int, int, CellValue]] = []
        for r, text in self._matches(col_index, find, match_case, whole_cell):
            new_text = replace if whole_cell else pattern.sub(lambda _m: replace, text)
            old = rows[r][col_index]
            changes.append((r, col_index, typed_like(old, new_text) if new_text else None))
        if not changes:
            return 0
        label = self.model.field_label(col_index)
        title = (
            f"Replace {quoted(find)} with {quoted(replace or None)} in {label} "
            f"({cells_word(len(changes))})"
        )
        self._push_cells(changes, title, whole_orders=False)
        return len(changes)

    def count_matches(
        self, col_index: int, find: str, *, match_case: bool = False, whole_cell: bool = False
    ) -> int:
        """How many cells of the column `replace_in_column` would change."""
        return len(self._matches(col_index, find, match_case, whole_cell))

    def _matches(
        self, col_index: int, find: str, match_case: bool, whole_cell: bool
    ) -> list[tuple[int, str]]:
        if not find:
            return []
        wanted = find if match_case else find.casefold()
        found: list[tuple[int, str]] = []
        for r, row in enumerate(self.document.sheet.rows):
            value = row[col_index]
            if value is None:
                continue
            text = display_text(value)
            folded = text if match_case else text.casefold()
            if (folded == wanted) if whole_cell else (wanted in folded):
                found.append((r, text))
        return found

    def copy_selection(self) -> None:
        """Copy the selected cells as tab-separated text (pastes into Excel)."""
        selection = self.table.selectionModel().selection()
        if selection.isEmpty():
            return
        proxy_rows = sorted({r for rng in selection for r in range(rng.top(), rng.bottom() + 1)})
        columns = sorted({c for rng in selection for c in range(rng.left(), rng.right() + 1)})
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
        grid = [line.split("\t") for line in text.rstrip("\r\n").replace("\r\n", "\n").split("\n")]
        rows = self.document.sheet.rows
        if len(grid) == 1 and len(grid[0]) == 1:
            cells = self.selected_cells()
            if len(cells) > 1:
                value = grid[0][0]
                changes = [(r, c, typed_like(rows[r][c], value) or None) for r, c in cells]
                return self._push_cells(changes, f"Paste into {cells_word(len(changes))}")
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
        return self._push_cells(changes, f"Paste {cells_word(len(changes))}")

    # ---- mapping ---------------------------------------------------------------------------

    def edit_mapping(self) -> bool:
        """Open the column mapping; apply it when the user presses OK."""
        from northbeam_desktop.ui.dialogs.mapping import MappingDialog

        if self._read_only or self._busy:
            return False
        dialog = MappingDialog.for_document(self.document, self, preset_store=self.preset_store)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.apply_mapping(dialog.mapping(), dialog.timezone())
        return True

    def apply_mapping(self, mapping: Mapping, timezone: str | None = None) -> None:
        """Re-check the whole file with another mapping (and time zone); off the GUI thread
        when the file has more than BACKGROUND_RECHECK_ROWS rows."""
        doc = self.document
        zone = timezone or doc.timezone_name

        def recheck() -> None:
            if zone != doc.timezone_name:
                doc.mapping = mapping
                doc.set_timezone(zone)
            else:
                doc.set_mapping(mapping)

        self.recheck(recheck, "Checking every order with the new columns…", "Column mapping")
        self.mapping_applied.emit(mapping.copy(), timezone)

    def recheck(
        self, rebuild: Callable[[], object], message: str, title: str = "Checking the orders"
    ) -> None:
        """Run `rebuild()` (a full re-check of the document: new mapping, time zone or
        hashing) and show the result; off the GUI thread when the file has more than
        BACKGROUND_RECHECK_ROWS rows, with the table emptied meanwhile. A failure is shown
        in a dialog titled `title`."""
        if self._busy:
            return
        if len(self.document.sheet.rows) <= BACKGROUND_RECHECK_ROWS:
            try:
                with busy_cursor():
                    rebuild()
            except ValueError as exc:
                QMessageBox.warning(self, title, str(exc))
            self.model.reset_document()
            self._fit_columns()
            self.document_changed.emit()
            return
        from northbeam_desktop.ui.document.loader import run_in_background

        self._recheck_title = title
        self._set_busy(True, message)
        self._worker = run_in_background(
            rebuild, self._on_recheck_finished, self._on_recheck_failed
        )

    def _set_busy(self, busy: bool, message: str = "") -> None:
        """While a background re-check rebuilds the document the table shows nothing."""
        self._busy = busy
        self.busy_bar.setVisible(busy)
        self.model.set_suspended(busy)
        self._update_actions()
        for button in self.filter_buttons.values():
            button.setEnabled(not busy)
        self.search_edit.setEnabled(not busy)
        self.count_label.setText(message if busy else "")
        if not busy:
            self._update_count()

    def _update_actions(self) -> None:
        """Enable what the current state allows (undo/redo also need something to undo)."""
        locked = self._busy or self._read_only
        for name, action in self.actions.items():
            if name is ActionName.FIND:
                continue
            enabled = not self._busy and not (locked and name in EDITING_ACTIONS)
            if name is ActionName.UNDO:
                enabled = enabled and self.undo_stack.canUndo()
            elif name is ActionName.REDO:
                enabled = enabled and self.undo_stack.canRedo()
            action.setEnabled(enabled)

    def _on_recheck_finished(self, _result: object) -> None:
        self._worker = None
        self._set_busy(False)
        self._fit_columns()
        self.document_changed.emit()

    def _on_recheck_failed(self, message: str) -> None:
        self._worker = None
        self._set_busy(False)
        QMessageBox.warning(self, getattr(self, "_recheck_title", "Checking the orders"), message)

    # ---- read-only (saving, uploading) -----------------------------------------------------

    @property
    def read_only(self) -> bool:
        return self._read_only

    def set_read_only(self, read_only: bool) -> None:
        """Refuse every change while the document is saved or uploaded from another thread."""
        if read_only == self._read_only:
            return
        if read_only:
            self.commit_pending_edit()
        self._read_only = read_only
        self.model.read_only = read_only
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers if read_only else self._edit_triggers
        )
        self.issues_panel.set_read_only(read_only)
        self._update_actions()

    def commit_pending_edit(self) -> None:
        """Store what is typed in an open cell editor (Ctrl+S while typing saves it too)."""
        if self.table.state() != QAbstractItemView.State.EditingState:
            return
        editor = QApplication.focusWidget()
        if editor is not None and self.table.isAncestorOf(editor):
            self.table.commitData(editor)
            self.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    @property
    def busy(self) -> bool:
        return self._busy

    # ---- dialogs ---------------------------------------------------------------------------

    def _ask_set_value(self) -> None:
        cells = self.selected_cells()
        if not cells:
            return
        label = self._label_for(cells)
        prompt = f"Value for the {cells_word(len(cells))} selected"
        if label:
            prompt += f" ({label})"
        text, ok = QInputDialog.getText(self, "Set Value", prompt + ":")
        if ok:
            self.set_value_for_selection(text)

    def _ask_find_replace(self) -> None:
        current = self.current_cell()
        column = current[1] if current and current[1] >= 0 else 0
        dialog = FindReplaceDialog(self, column)
        dialog.exec()

    def _focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # ---- slots -----------------------------------------------------------------------------

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

    def _on_model_cells_written(self, changes: list[tuple[int, int, CellValue]]) -> None:
        if not self.proxy.filtering:
            return
        of_row = self.document.order_of_row
        rows: set[int] = set()
        for row, _col, _value in changes:
            rows.add(row)
            record = of_row[row]
            if record is not None:
                rows.update(record.row_indices)
        self.proxy.pin_rows(rows)

    def _on_table_context_menu_requested(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid() and not self.table.selectionModel().isSelected(index):
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        self.table_menu(index).exec(self.table.viewport().mapToGlobal(pos))

    def _on_table_selection_changed(self, *_args: object) -> None:
        self.selection_changed.emit()

    def _on_model_orders_changed(self, records: list[OrderRecord]) -> None:
        shown = self.payload_view.record
        current = self.current_cell()
        record = self.document.order_of_row[current[0]] if current else None
        if not records or any(r is shown or r is record for r in records):
            self.payload_view.show_record(record)

    def _on_model_document_reset(self) -> None:
        self.payload_view.set_document(self.document)
        current = self.current_cell()
        self.payload_view.show_row(current[0] if current else None)
        self._update_zone_notice()
        self._fit_row_header()

    def _on_proxy_filter_changed(self) -> None:
        self._update_count()

    def _on_undo_stack_index_changed(self, _index: int) -> None:
        self.document_changed.emit()

    def _on_issues_panel_issue_activated(self, row_index: int, col_index: int) -> None:
        self.focus_cell(row_index, col_index)

    def _on_issues_panel_rows_requested(self, rows: list[int]) -> None:
        self.show_rows(rows)

    def _on_issues_panel_mapping_requested(self) -> None:
        self.edit_mapping()

    def _on_search_edit_text_changed(self, _text: str) -> None:
        big = len(self.document.sheet.rows) > 20_000
        self._search_timer.start(300 if big else 120)

    def _on_search_timer_timeout(self) -> None:
        self.proxy.set_search_text(self.search_edit.text())

    def _update_count(self) -> None:
        if self._busy:
            return
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        if self.proxy.mode is FilterMode.SELECTED and not self.proxy.selected_rows:
            self.count_label.setText("Select rows first, then choose Selected")
        elif shown == total:
            self.count_label.setText(f"{total:,} rows")
        else:
            self.count_label.setText(f"Showing {shown:,} of {total:,} rows")

    def changeEvent(self, event: QEvent) -> None:  # Qt override
        if event.type() == QEvent.Type.PaletteChange:
            self.model.update_palette(self.palette())
        super().changeEvent(event)


def _unique(sequences: list[QKeySequence]) -> list[QKeySequence]:
    result: list[QKeySequence] = []
    for sequence in sequences:
        if not sequence.isEmpty() and sequence not in result:
            result.append(sequence)
    return result


def _menu_text(text: str) -> str:
    """A label for a menu item: an "&" in it is shown, not a keyboard shortcut."""
    return text.replace("&", "&&")


def _apply_later(panel: IssuesPanel, fix: Any) -> Callable[[], None]:
    """A slot applying `fix` once the menu that offered it is closed."""

    def slot() -> None:
        QTimer.singleShot(0, lambda: panel.apply_fix(fix))

    return slot


class _CellDelegate(QStyledItemDelegate):
    """Edits cells as the table model does, except that a value typed while several cells are
    selected goes into all of them (Enter or Ctrl+Enter, one undo step), as in Excel."""

    def __init__(self, view: DocumentView) -> None:
        super().__init__(view)
        self._view = view

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:  # Qt override
        view = self._view
        cells = view.selected_cells()
        if isinstance(editor, QLineEdit) and len(cells) > 1:
            row = view.proxy.source_row(index.row())
            if (row, sheet_column(index.column())) in cells:
                view.set_value_for_selection(editor.text())
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


def _same(old: CellValue, new: CellValue) -> bool:
    if new == "":
        new = None
    return old == new and old.__class__ is new.__class__


class FindReplaceDialog(QDialog):
    """Find and replace within one column, with a live count of matching cells."""

    def __init__(self, view: DocumentView, col_index: int) -> None:
        super().__init__(view)
        self.setWindowTitle("Find and Replace in Column")
        self._view = view
        self.column_combo = QComboBox()
        headers = view.document.sheet.headers
        for index, header in enumerate(headers):
            self.column_combo.addItem(header, index)
        self.column_combo.setCurrentIndex(min(col_index, len(headers) - 1))
        self.find_edit = QLineEdit()
        self.replace_edit = QLineEdit()
        self.replace_edit.setPlaceholderText("(empty: clear the matching cells)")
        self.match_case_box = QCheckBox("Match case")
        self.whole_cell_box = QCheckBox("Whole cell only")
        self.count_label = QLabel()
        form = QFormLayout()
        form.addRow("&Column:", self.column_combo)
        form.addRow("&Find:", self.find_edit)
        form.addRow("&Replace with:", self.replace_edit)
        options = QHBoxLayout()
        options.addWidget(self.match_case_box)
        options.addWidget(self.whole_cell_box)
        options.addStretch(1)
        form.addRow("", options)
        form.addRow("", self.count_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.replace_button = self.buttons.addButton(
            "Replace &All", QDialogButtonBox.ButtonRole.ApplyRole
        )
        self.replace_button.clicked.connect(self._on_replace_button_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        for signal in (
            self.find_edit.textChanged,
            self.column_combo.currentIndexChanged,
            self.match_case_box.toggled,
            self.whole_cell_box.toggled,
        ):
            signal.connect(self._on_inputs_changed)
        self._on_inputs_changed()
        self.resize(460, self.sizeHint().height())

    def _options(self) -> tuple[int, str, bool, bool]:
        return (
            int(self.column_combo.currentData()),
            self.find_edit.text(),
            self.match_case_box.isChecked(),
            self.whole_cell_box.isChecked(),
        )

    def _on_inputs_changed(self, *_args: object) -> None:
        column, find, match_case, whole = self._options()
        count = (
            self._view.count_matches(column, find, match_case=match_case, whole_cell=whole)
            if find
            else 0
        )
        self.count_label.setText(f"{cells_word(count)} match" if find else "")
        self.replace_button.setEnabled(count > 0)

    def _on_replace_button_clicked(self) -> None:
        column, find, match_case, whole = self._options()
        count = self._view.replace_in_column(
            column, find, self.replace_edit.text(), match_case=match_case, whole_cell=whole
        )
        self.count_label.setText(f"Replaced in {cells_word(count)}.")
        self.replace_button.setEnabled(False)
