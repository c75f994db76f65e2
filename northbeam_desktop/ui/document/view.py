"""The workspace for one loaded file: filter bar, order table, problems panel and the JSON that
will be sent.

```
[ All | Errors | Warnings | Cancelled | Selected | Failed upload ]  37 of 6,000 rows  [ search ]
[ the order table (OrdersTableModel via OrdersFilterProxy) | problems (IssuesPanel)          ]
[                                                         | what will be sent (PayloadView)  ]
```

For the main window (see `DocumentView` for the exact API):

* `named_actions` (`ActionName` → QAction) for the Edit, View and Problems menus: undo
  (Ctrl+Z), redo (Ctrl+Shift+Z, Ctrl+Y), next_problem (F8), previous_problem (Shift+F8),
  next_pane (F6), previous_pane (Shift+F6), copy, paste, clear_cells (Delete), delete_rows
  (Ctrl+Delete), fill_down (Ctrl+D), set_value (Ctrl+Shift+E), find_replace (Ctrl+H),
  edit_mapping (Ctrl+Shift+M), find (Ctrl+F), time_zone; and `undo_stack` (its clean state is
  "no unsaved edits"); `fix_actions()` lists the quick fixes of the current cell or problem;
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

The parts live in their own modules, this one wires them together: `panes` (the splitter and
F6), `filter_bar`, `orders_table` (the table and its cell editor), `table_selection` (the
selection in sheet rows and columns), `table_navigation` (scrolling, Next Problem),
`sheet_editing` (set, clear, fill down, delete rows, replace, copy and paste as undo steps),
`cursor_details` (what will be sent follows the cursor; edited rows stay in a filtered view),
`rechecker` (full re-checks, off the GUI thread for big files),
`view_actions` (words and keys of the actions), `edits` and `navigation` (what an edit changes
and where the next problem is, without Qt), `fix_menus` (quick fixes in menus, the table's
context menu), `find_replace`, `zone_choice` (times without a zone) and `cancelled_orders`
(Send Cancelled Orders' words and memory).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QDialog,
    QInputDialog,
    QMenu,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.orders.document import OrderDocument, OrderRecord
from northbeam_desktop.core.orders.mapping import Mapping, PresetStore
from northbeam_desktop.ui.actions import CELL_ACTIONS, EDITING_ACTIONS, ActionName
from northbeam_desktop.ui.document.cancelled_orders import (
    cancelled_orders,
    cancelled_status,
    remember_include_cancelled,
)
from northbeam_desktop.ui.document.cell_text import (
    cells_word,
)
from northbeam_desktop.ui.document.cursor_details import CursorDetails
from northbeam_desktop.ui.document.filter_bar import FilterBar
from northbeam_desktop.ui.document.find_replace import FindReplaceDialog
from northbeam_desktop.ui.document.fix_menus import (
    cell_fix_actions,
    selection_fix_actions,
    table_menu,
)
from northbeam_desktop.ui.document.issues_panel import IssuesPanel
from northbeam_desktop.ui.document.model import OrdersTableModel, sheet_column, table_column
from northbeam_desktop.ui.document.orders_table import OrdersTable
from northbeam_desktop.ui.document.panes import build_splitter, focus_next_pane, pane_widgets
from northbeam_desktop.ui.document.payload_view import PayloadView
from northbeam_desktop.ui.document.proxy import FilterMode, OrdersFilterProxy
from northbeam_desktop.ui.document.rechecker import Rechecker
from northbeam_desktop.ui.document.sheet_editing import SheetEditor
from northbeam_desktop.ui.document.table_navigation import move_to_next_problem, scroll_to
from northbeam_desktop.ui.document.table_selection import TableSelection
from northbeam_desktop.ui.document.view_actions import create_actions
from northbeam_desktop.ui.document.zone_choice import ask_zone, count_naive_times

log = logging.getLogger(__name__)

# Above this many rows a re-mapping (a full re-check) runs off the GUI thread.
BACKGROUND_RECHECK_ROWS = 20_000
# Above this many rows the search waits for a longer pause in typing.
BIG_SEARCH_ROWS = 20_000


class DocumentView(QWidget):
    """Everything about one open file. See the module docstring.

    Public API: `document`, `model`, `proxy`, `table`, `filter_bar`, `issues_panel`,
    `payload_view`, `undo_stack`, `named_actions`; `focus_cell()`, `next_problem()`,
    `selected_rows()`, `selected_records()`, `selected_cells()`, `set_filter()`,
    `set_search_text()`, `refresh_after_upload()`, `apply_mapping()`, `edit_mapping()`,
    `delete_selected_rows()`, `clear_selected_cells()`, `fill_down()`,
    `set_value_for_selection()`, `replace_in_column()`, `copy_selection()`, `paste()`.
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
        self._read_only = False
        self._naive_times = 0
        self.rechecker = Rechecker(self.model, self)

        self.filter_bar = FilterBar(self, self._search_delay_ms)
        self.table = OrdersTable(self.model, self.proxy, self._write_selection)
        self.selection = TableSelection(self.table, self.model, self.proxy)
        self.editor = SheetEditor(
            self.table,
            self.selection,
            self.undo_stack,
            read_only=lambda: self._read_only,
            note=self.status_message.emit,
            focus_cell=self.focus_cell,
        )
        self.issues_panel = IssuesPanel(self.model, refresh=not defer_problems)
        self.payload_view = PayloadView(document)
        self.splitter = build_splitter(self.table, self.issues_panel, self.payload_view)
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

        self.named_actions = create_actions(self, self.undo_stack, self._action_slots())
        for name in CELL_ACTIONS:
            self.table.addAction(self.named_actions[name])
        self.table.addAction(self.named_actions[ActionName.DELETE_ROWS])
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._connect()
        self._update_count()
        self._update_zone_notice()
        self._update_cancelled_filter()

    # ---- construction ----------------------------------------------------------------------

    def _action_slots(self) -> dict[ActionName, Callable[[], object]]:
        return {
            ActionName.NEXT_PROBLEM: self.next_problem,
            ActionName.PREVIOUS_PROBLEM: lambda: self.next_problem(backwards=True),
            ActionName.COPY: self.copy_selection,
            ActionName.PASTE: self.paste,
            ActionName.CLEAR_CELLS: self.clear_selected_cells,
            ActionName.DELETE_ROWS: self.delete_selected_rows,
            ActionName.FILL_DOWN: self.fill_down,
            ActionName.SET_VALUE: self._ask_set_value,
            ActionName.FIND_REPLACE: self._ask_find_replace,
            ActionName.EDIT_MAPPING: self.edit_mapping,
            ActionName.FIND: self.filter_bar.focus_search,
            ActionName.NEXT_PANE: lambda: self.focus_next_pane(),
            ActionName.PREVIOUS_PANE: lambda: self.focus_next_pane(backwards=True),
            ActionName.TIME_ZONE: self.change_zone,
        }

    def _connect(self) -> None:
        self.details = CursorDetails(self.selection, self.payload_view, self)
        selection = self.table.selectionModel()
        selection.selectionChanged.connect(self._on_table_selection_changed)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)
        self.filter_bar.mode_chosen.connect(self.set_filter)
        self.filter_bar.search_requested.connect(self.proxy.set_search_text)
        panel = self.issues_panel
        panel.issue_activated.connect(self._on_issues_panel_issue_activated)
        panel.rows_requested.connect(self._on_issues_panel_rows_requested)
        panel.mapping_requested.connect(self._on_issues_panel_mapping_requested)
        panel.fix_applied.connect(self.status_message)
        panel.upload_requested.connect(self.upload_requested)
        panel.zone_change_requested.connect(self.change_zone)
        self.model.edit_note.connect(self.status_message)
        self.model.cells_written.connect(self.details.keep_edited_rows)
        self.model.orders_changed.connect(self._on_model_orders_changed)
        self.model.document_reset.connect(self._on_model_document_reset)
        self.proxy.filter_changed.connect(self._on_proxy_filter_changed)
        self.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)
        self.rechecker.busy_changed.connect(self._on_rechecker_busy_changed)
        self.rechecker.rebuilt.connect(self._on_rechecker_rebuilt)

    # ---- the document ----------------------------------------------------------------------

    @property
    def document(self) -> OrderDocument:
        return self.model.document

    def selected_rows(self) -> list[int]:
        """Sheet rows with at least one selected cell, in file order."""
        return self.selection.rows()

    def selected_records(self) -> list[OrderRecord]:
        """The orders of the selected rows, each once, in file order."""
        return self.selection.records()

    def selected_cells(self) -> list[tuple[int, int]]:
        """(row_index, col_index) of every selected data cell, in view order."""
        return self.selection.cells()

    def current_cell(self) -> tuple[int, int] | None:
        """(row_index, col_index) of the current cell; col_index -1 on the Status column."""
        return self.selection.current_cell()

    def focus_cell(self, row_index: int, col_index: int) -> None:
        """Select a cell and scroll to it; shows all rows first if the filter hides it."""
        if not 0 <= row_index < self.model.rowCount():
            return
        if self.proxy.proxy_row(row_index) < 0:
            self.filter_bar.search_edit.clear()
            self.proxy.set_search_text("")
            self.set_filter(FilterMode.ALL)
        proxy_row = self.proxy.proxy_row(row_index)
        column = table_column(col_index)
        index = self.proxy.index(proxy_row, min(column, self.proxy.columnCount() - 1))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        scroll_to(self.table, index, center=True)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_filter(self, mode: FilterMode | str) -> None:
        mode = FilterMode(mode)
        if mode is FilterMode.SELECTED:
            self.proxy.set_selected_rows(self.selected_rows())
        self.filter_bar.check(mode)
        self.proxy.set_mode(mode)

    def show_rows(self, rows: list[int]) -> None:
        """Show only these sheet rows (the "Selected" filter)."""
        self.proxy.set_selected_rows(rows)
        self.filter_bar.check(FilterMode.SELECTED)
        self.proxy.set_mode(FilterMode.SELECTED)
        self.proxy.invalidate()

    def set_search_text(self, text: str) -> None:
        """Search now (the search box waits for a pause in typing on big files)."""
        self.filter_bar.set_search_text(text)
        self.proxy.set_search_text(text)

    def refresh_after_upload(self) -> None:
        """Repaint statuses and server rejections after an upload changed them."""
        self.model.refresh_statuses()
        if self.proxy.filtering:
            self.proxy.invalidate()
        self.issues_panel.refresh()
        self.payload_view.refresh()

    # ---- cancelled orders ------------------------------------------------------------------

    @property
    def cancelled_orders(self) -> list[OrderRecord]:
        """The orders the shop cancelled (sent or not)."""
        return cancelled_orders(self.document)

    def set_include_cancelled(self, include: bool) -> bool:
        """Send the orders the shop cancelled too (or hold them back again): their statuses,
        the problems panel, the summary and what will be sent follow at once, and the choice
        is remembered for files with these columns. False (nothing changed) while the document
        is busy or read-only (saving, uploading)."""
        if self.busy or self._read_only:
            return False
        doc = self.document
        if doc.options.include_cancelled != include:
            doc.set_include_cancelled(include)
            cancelled = self.cancelled_orders
            self.model.refresh_records(cancelled)
            self.model.orders_changed.emit(cancelled)
            if self.proxy.filtering:
                self.proxy.invalidate()
            self.issues_panel.refresh()
            self.payload_view.refresh()
        remember_include_cancelled(self.preset_store, doc, include)
        self.status_message.emit(cancelled_status(doc, include))
        self.document_changed.emit()
        return True

    # ---- panes, quick fixes and the time zone ----------------------------------------------

    def panes(self) -> list[QWidget]:
        """What F6 visits, in order: the table, the problems list (or its Upload button when
        nothing is left to fix), what will be sent."""
        return pane_widgets(self.table, self.issues_panel, self.payload_view)

    def focus_next_pane(self, backwards: bool = False) -> QWidget:
        """F6 / Shift+F6: the next (previous) pane gets the focus; returns it."""
        return focus_next_pane(self.panes(), self.issues_panel, backwards)

    def fix_actions(self, parent: QObject) -> list[QAction]:
        """The quick fixes of the current problem (when the problems list has the focus) or of
        the table's current cell, as actions named for what they write ("Use 20.32 for Tax")."""
        panel = self.issues_panel
        focus = QApplication.focusWidget()
        if focus is not None and panel.isAncestorOf(focus) and panel.current_group():
            return selection_fix_actions(panel, parent)
        current = self.current_cell()
        if current is None:
            return []
        return cell_fix_actions(panel, self.model, current, parent, enabled=not self._read_only)

    def table_menu(self, index: QModelIndex) -> QMenu:
        """The table's context menu: the fixes of the cell's problems first, then editing."""
        cell = None
        if index.isValid():
            cell = (self.proxy.source_row(index.row()), sheet_column(index.column()))
        editing = [
            [self.named_actions[name] for name in CELL_ACTIONS],
            [self.named_actions[ActionName.DELETE_ROWS]],
        ]
        return table_menu(
            self.issues_panel, self.model, cell, editing, self, enabled=not self._read_only
        )

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
        self._naive_times = 0 if self.model.suspended else count_naive_times(self.document)
        self.issues_panel.set_zone_notice(self.zone_notice())
        self.named_actions[ActionName.TIME_ZONE].setEnabled(
            bool(self._naive_times) and not self._read_only
        )

    def change_zone(self) -> bool:
        """Ask which time zone the file's times without one are in; re-check with it and
        remember it for files with these columns."""
        if self._read_only or self.busy:
            return False
        zone = ask_zone(self, self.document, self.preset_store)
        if zone is None:
            return False
        self.apply_mapping(self.document.mapping, zone)
        self.status_message.emit(f"Times without a zone are now read as {zone}.")
        self.zone_changed.emit(zone)
        return True

    # ---- problem navigation ----------------------------------------------------------------

    def next_problem(self, backwards: bool = False) -> bool:
        """Move to the next (previous) problem cell in view order, wrapping around."""
        return move_to_next_problem(self.table, self.proxy, self.document, backwards)

    # ---- editing ---------------------------------------------------------------------------

    def set_value_for_selection(self, text: str) -> bool:
        """Write one value into every selected cell (one undo step)."""
        return self.editor.set_value_for_selection(text)

    def _write_selection(self, index: QModelIndex | QPersistentModelIndex, text: str) -> bool:
        # The table is made before the editor, so it gets this method, not the editor's.
        return self.editor.write_selection(index, text)

    def clear_selected_cells(self) -> bool:
        return self.editor.set_value_for_selection("")

    def fill_down(self) -> bool:
        """Copy the top selected value of each column into the selected cells below it; with
        one row selected, copy the value from the row above."""
        return self.editor.fill_down()

    def delete_selected_rows(self) -> bool:
        return self.editor.delete_selected_rows()

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
        return self.editor.replace_in_column(
            col_index, find, replace, match_case=match_case, whole_cell=whole_cell
        )

    def count_matches(
        self, col_index: int, find: str, *, match_case: bool = False, whole_cell: bool = False
    ) -> int:
        """How many cells of the column `replace_in_column` would change."""
        return self.editor.count_matches(
            col_index, find, match_case=match_case, whole_cell=whole_cell
        )

    def copy_selection(self) -> None:
        """Copy the selected cells as tab-separated text (pastes into Excel)."""
        self.editor.copy_selection()

    def paste(self, text: str | None = None) -> bool:
        """Paste tab-separated text at the current cell (one value fills the selection)."""
        return self.editor.paste(text)

    # ---- mapping and full re-checks --------------------------------------------------------

    def edit_mapping(self) -> bool:
        """Open the column mapping; apply it when the user presses OK."""
        from northbeam_desktop.ui.dialogs.mapping import MappingDialog

        if self._read_only or self.busy:
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
        big = len(self.document.sheet.rows) > BACKGROUND_RECHECK_ROWS
        self.rechecker.run(rebuild, message, title, in_background=big)

    def _on_rechecker_busy_changed(self, busy: bool, message: str) -> None:
        """While a background re-check rebuilds the document the table shows nothing."""
        self.busy_bar.setVisible(busy)
        self.model.set_suspended(busy)
        self._update_actions()
        self.filter_bar.set_busy(busy, message)
        if not busy:
            self._update_count()

    def _on_rechecker_rebuilt(self) -> None:
        self.table.fit_columns()
        self.document_changed.emit()

    def _update_actions(self) -> None:
        """Enable what the current state allows (undo/redo also need something to undo)."""
        locked = self.busy or self._read_only
        for name, action in self.named_actions.items():
            if name is ActionName.FIND:
                continue
            enabled = not self.busy and not (locked and name in EDITING_ACTIONS)
            if name is ActionName.UNDO:
                enabled = enabled and self.undo_stack.canUndo()
            elif name is ActionName.REDO:
                enabled = enabled and self.undo_stack.canRedo()
            action.setEnabled(enabled)

    @property
    def busy(self) -> bool:
        return self.rechecker.busy

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
        self.table.set_editable(not read_only)
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

    # ---- dialogs ---------------------------------------------------------------------------

    def _ask_set_value(self) -> None:
        cells = self.selected_cells()
        if not cells:
            return
        label = self.editor.label_for(cells)
        prompt = f"Value for the {cells_word(len(cells))} selected"
        if label:
            prompt += f" ({label})"
        text, ok = QInputDialog.getText(self, "Set Value", prompt + ":")
        if ok:
            self.set_value_for_selection(text)

    def _ask_find_replace(self) -> None:
        current = self.current_cell()
        column = current[1] if current and current[1] >= 0 else 0
        dialog = FindReplaceDialog(self, column, self)
        dialog.exec()

    # ---- slots -----------------------------------------------------------------------------

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
        self.details.orders_changed(records)
        self._update_cancelled_filter()

    def _update_cancelled_filter(self) -> None:
        """The Cancelled filter shows while the file has cancelled orders (or it is chosen)."""
        shown = self.proxy.mode is FilterMode.CANCELLED or any(
            record.cancelled for record in self.document.orders
        )
        self.filter_bar.show_cancelled(shown)

    def _on_model_document_reset(self) -> None:
        self.details.document_reset()
        self._update_zone_notice()
        self._update_cancelled_filter()
        self.table.fit_row_header()

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

    def _search_delay_ms(self) -> int:
        return 300 if len(self.document.sheet.rows) > BIG_SEARCH_ROWS else 120

    def _update_count(self) -> None:
        if self.busy:
            return
        self.filter_bar.show_count(
            self.proxy.rowCount(),
            self.model.rowCount(),
            nothing_selected=(
                self.proxy.mode is FilterMode.SELECTED and not self.proxy.selected_rows
            ),
        )

    def changeEvent(self, event: QEvent) -> None:  # Qt override
        if event.type() == QEvent.Type.PaletteChange:
            self.model.update_palette(self.palette())
        super().changeEvent(event)
