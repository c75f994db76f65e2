"""One open document: loading it, saving it, keeping its unsaved edits safe, and uploading it.

`DocumentSession` sits between the main window (the shell: menus, start page, drag and drop,
Connection settings) and the document layer (`DocumentLoader`, `DocumentView`, `UploadDialog`,
`core.files`, `core.local.recovery`). The window creates one and forwards every "open this file"
to it; the window's Save, Save As, Export Problems and Upload actions call it.

Promises kept here:

* **Nothing is lost.** Every change to the data (typing, quick fixes, bulk edits, deleting rows,
  undo and redo) is written to a recovery journal the moment it is made. The journal is deleted
  when the edits are saved or deliberately thrown away, and when undo brings the document back
  to the saved state. At the next start `offer_recovery()` lists what a crash left behind;
  Restore loads the file, replays the edits onto it and keeps journaling them.
* **Nothing is overwritten silently.** The first Save of an opened file asks before replacing
  the original ("Replace Original" / "Save As…"), and goes straight to Save As for .xls/.ods
  files, which cannot be written. Closing the window or opening another file with unsaved
  edits asks Save / Discard / Cancel; closing during an upload asks to stop it first.
* **The window never freezes.** Loading, saving, exporting, re-checking and uploading run on the
  app's thread pool. While another thread reads the document (saving, uploading) the document
  is read-only, so it cannot change under the reader.
* **Every failure a user can cause ends in a plain dialog.** Tracebacks go to the log only.

Dialogs that need buttons of their own go through `ask_choice()` and `RecoveryDialog.ask()`, so
tests replace them like the static `QMessageBox` and `QFileDialog` calls.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

# The rules are imported by the engine on first use, on the loading thread; compiling them there
# (no bytecode cache) would hold the interpreter lock while the window waits. Import them now.
import northbeam_desktop.core.orders.rules  # noqa: F401
from northbeam_desktop.core.files.atomic import remove_leftovers
from northbeam_desktop.core.files.reports import export_problems
from northbeam_desktop.core.files.save import (
    can_save_in_place,
    save_document,
    save_notice,
    suggested_save_path,
)
from northbeam_desktop.core.local.recovery import (
    FileFingerprint,
    RecoveryInfo,
    RecoveryJournal,
    ReplayResult,
    file_fingerprint,
)
from northbeam_desktop.core.local.settings import Preferences
from northbeam_desktop.core.northbeam.uploader import UploadReport
from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument, OrderRecord
from northbeam_desktop.core.orders.mapping import Mapping
from northbeam_desktop.core.orders.sheet import CellValue
from northbeam_desktop.ui.document.issues_panel import summary_text
from northbeam_desktop.ui.document.loader import (
    BusyIndicator,
    DocumentLoader,
    SheetChooser,
    choose_sheet,
    default_preset_store,
    run_in_background,
)
from northbeam_desktop.ui.document.view import BACKGROUND_RECHECK_ROWS, DocumentView
from northbeam_desktop.ui.workers import FunctionWorker

if TYPE_CHECKING:
    from northbeam_desktop.core.orders.mapping import PresetStore
    from northbeam_desktop.ui.dialogs.upload.dialog import UploadDialog
    from northbeam_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)

__all__ = ["DocumentSession", "RecoveryDialog", "ask_choice"]

# Edit menu layout (None: a separator) and the View menu's additions, by DocumentView action.
EDIT_MENU = (
    "undo",
    "redo",
    None,
    "copy",
    "paste",
    "clear_cells",
    None,
    "set_value",
    "fill_down",
    "find_replace",
    "find",
    None,
    "delete_rows",
    None,
    "edit_mapping",
)
# The Problems menu: moving between problems and panes; the quick fixes of what is selected
# are added each time the menu opens; then the time zone of times written without one.
PROBLEMS_MENU = ("next_problem", "previous_problem", None, "next_pane", "previous_pane")
# Actions that work wherever the focus is in the window (the rest act on the table's cells).
WINDOW_WIDE = (
    "undo",
    "redo",
    "next_problem",
    "previous_problem",
    "next_pane",
    "previous_pane",
    "find",
    "edit_mapping",
    "time_zone",
)

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
WRITABLE_SUFFIXES = (".xlsx", ".xlsm", *TEXT_SUFFIXES)
SAVE_FILTERS = {
    ".xlsx": "Excel workbook (*.xlsx)",
    ".xlsm": "Excel macro-enabled workbook (*.xlsm)",
    ".csv": "CSV, comma-separated (*.csv)",
    ".tsv": "Tab-separated text (*.tsv)",
    ".txt": "Text (*.txt)",
}
EXPORT_FILTER = "Excel workbook (*.xlsx);;CSV, comma-separated (*.csv)"
STATUS_FLUSH_MS = 100  # upload answers are painted at most ten times a second


def _ignore(_result: object) -> None:
    """A callback for background work whose outcome nobody waits for."""


def ask_choice(
    parent: QWidget | None,
    title: str,
    text: str,
    choices: Sequence[tuple[str, str]],
    *,
    default: str,
    escape: str,
    informative: str = "",
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
) -> str:
    """A message box with buttons of our own wording; returns the chosen key.

    `choices` are (key, button text) in display order; `escape` is what Esc or closing the box
    means. Tests replace this function rather than driving a modal loop.
    """
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    if informative:
        box.setInformativeText(informative)
    keys: dict[int, str] = {}
    for key, label in choices:
        role = (
            QMessageBox.ButtonRole.RejectRole
            if key == escape
            else QMessageBox.ButtonRole.AcceptRole
        )
        button = box.addButton(label, role)
        keys[id(button)] = key
        if key == default:
            box.setDefaultButton(button)
        if key == escape:
            box.setEscapeButton(button)
    box.exec()
    clicked = box.clickedButton()
    return keys.get(id(clicked), escape) if clicked is not None else escape


class _AfterFirstPaint(QObject):
    """Runs `actions` once `widget` has painted for the first time, each on its own turn of
    the event loop (so the window stays responsive between them)."""

    def __init__(self, widget: QWidget, *actions: Callable[[], object]) -> None:
        super().__init__(widget)
        self._actions = list(actions)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._run)
        return False

    def _run(self) -> None:
        if self._actions:
            self._actions.pop(0)()
        if self._actions:
            QTimer.singleShot(0, self._run)
        else:
            self.deleteLater()


def _selected_orders(count: int) -> str:
    return f"{count:,} selected order{'s' if count != 1 else ''}"


class RecoveryDialog(QDialog):
    """The “Restore unsaved changes?” dialog: the journals a crash left behind, newest first.

    `choice` is "restore", "discard" or "later" after the dialog closes; `chosen()` is the
    journal the choice is about.
    """

    RESTORE = "restore"
    DISCARD = "discard"
    LATER = "later"

    def __init__(self, infos: Sequence[RecoveryInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore Unsaved Changes")
        self.setAccessibleName("Restore unsaved changes")
        self.infos = list(infos)
        self.choice = self.LATER

        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(40, 40)
        )
        heading = QLabel(
            "<b>Northbeam Desktop did not close properly last time.</b><br>"
            "Your unsaved changes were kept. Restore them now?"
        )
        heading.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Unsaved changes")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        for info in self.infos:
            item = QListWidgetItem(info.describe())
            item.setToolTip(info.source_path)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(self._on_list_item_double_clicked)
        note = QLabel(
            "Restore opens the file and puts your changes back. Later keeps them: you are "
            "asked again at the next start."
        )
        note.setWordWrap(True)

        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton("&Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.discard_button = buttons.addButton(
            "&Discard Changes", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.later_button = buttons.addButton("&Later", QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.discard_button.clicked.connect(self._on_discard_button_clicked)
        self.later_button.clicked.connect(self.reject)

        head = QHBoxLayout()
        head.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(heading, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.list, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(560, 320)

    def chosen(self) -> RecoveryInfo | None:
        row = self.list.currentRow()
        return self.infos[row] if 0 <= row < len(self.infos) else None

    def _on_restore_button_clicked(self) -> None:
        self.choice = self.RESTORE
        self.accept()

    def _on_discard_button_clicked(self) -> None:
        self.choice = self.DISCARD
        self.accept()

    def _on_list_item_double_clicked(self, _item: QListWidgetItem) -> None:
        self._on_restore_button_clicked()

    def reject(self) -> None:  # Qt override: Esc and the title bar's close button mean Later
        self.choice = self.LATER
        super().reject()

    @classmethod
    def ask(
        cls, parent: QWidget | None, infos: Sequence[RecoveryInfo]
    ) -> tuple[str, RecoveryInfo | None]:
        """Show the dialog and return (choice, journal)."""
        dialog = cls(infos, parent)
        try:
            dialog.exec()
            return dialog.choice, dialog.chosen()
        finally:
            dialog.deleteLater()


class DocumentSession(QObject):
    """The open document of a `MainWindow` and everything that happens to it.

    Signals (for the window, tests and benchmarks):

    * `document_opened(DocumentView)` — a file was loaded (or restored) and is shown;
    * `document_closed()` — back to the start page;
    * `load_failed(str)` — the file could not be opened (the reason was shown);
    * `saved(str)` / `save_failed(str)` — a save finished, with the path or the reason;
    * `exported(int)` — problem rows were exported;
    * `restored(ReplayResult)` — journaled edits were put back after a crash;
    * `upload_started(UploadDialog)` — the Upload dialog is open.
    """

    document_opened = Signal(object)
    document_closed = Signal()
    load_failed = Signal(str)
    saved = Signal(str)
    save_failed = Signal(str)
    exported = Signal(int)
    restored = Signal(object)
    upload_started = Signal(object)

    def __init__(
        self,
        window: MainWindow,
        *,
        journal: RecoveryJournal | None = None,
        preset_store: PresetStore | None = None,
        sheet_chooser: SheetChooser | None = choose_sheet,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.journal = journal if journal is not None else RecoveryJournal()
        self.preset_store = preset_store if preset_store is not None else default_preset_store()
        self.loader = DocumentLoader(
            window, preset_store=self.preset_store, sheet_chooser=sheet_chooser
        )
        self.loader.loaded.connect(self._on_loader_loaded)
        self.loader.failed.connect(self._on_loader_failed)
        self.loader.cancelled.connect(self._on_loader_cancelled)
        self.busy_indicator = BusyIndicator()
        self.busy_indicator.attach(self.loader)
        window.stack.addWidget(self.busy_indicator)

        self.view: DocumentView | None = None
        self.upload_dialog: UploadDialog | None = None
        self._menu_actions: list[tuple[QWidget, QAction]] = []
        self._fix_menu_actions: list[QAction] = []  # the Problems menu's quick fixes, now
        self._loading: tuple[str, str | None, RecoveryInfo | None] | None = None
        self._loading_fingerprint: FileFingerprint | None = None
        self._source_path: str | None = None  # the file the document was read from
        self._save_path: str | None = None  # where Save writes without asking again
        self._notices_accepted: set[tuple[str, str]] = set()  # (target, what it cannot keep)
        # What the journal is written against: the file as loaded, or as last saved.
        self._journal_target: tuple[str, str | None, FileFingerprint | None] | None = None
        self._restored_dirty = False  # restored edits are unsaved although nothing is undoable
        # The column mapping the user chose for this document, journaled with its edits so a
        # crash does not take it away: (mapping, time zone) or None while it is the automatic one.
        self._chosen_mapping: tuple[Mapping, str | None] | None = None
        self._journal_warned = False
        self._task: FunctionWorker | None = None  # a save or an export on the pool
        self._close_when_idle = False
        self._close_after_upload = False
        self._preferences = copy.copy(window.preferences)
        self._pending_statuses: dict[int, OrderRecord] = {}
        self._pending_failures = False
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(STATUS_FLUSH_MS)
        self._status_timer.timeout.connect(self._flush_statuses)

        # The zone times without one are read in, always in sight while it matters; a click
        # changes it.
        self.zone_button = QToolButton()
        self.zone_button.setObjectName("ZoneButton")
        self.zone_button.setAutoRaise(True)
        self.zone_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.zone_button.clicked.connect(self._on_zone_button_clicked)
        self.zone_button.hide()
        window.statusBar().insertPermanentWidget(0, self.zone_button)

        window.file_open_requested.connect(self._on_window_file_open_requested)
        window.preferences_changed.connect(self._on_window_preferences_changed)
        window.save_action.triggered.connect(self._on_save_action_triggered)
        window.save_as_action.triggered.connect(self._on_save_as_action_triggered)
        window.export_problems_action.triggered.connect(self._on_export_problems_action_triggered)
        window.upload_action.triggered.connect(self._on_upload_action_triggered)
        window.close_document_action.triggered.connect(self._on_close_document_action_triggered)
        window.add_close_guard(self.confirm_close)

    # ---- state -----------------------------------------------------------------------------

    @property
    def document(self) -> OrderDocument | None:
        return self.view.document if self.view is not None else None

    @property
    def is_modified(self) -> bool:
        """True while the document has edits that are not saved."""
        view = self.view
        return view is not None and (self._restored_dirty or not view.undo_stack.isClean())

    @property
    def busy(self) -> bool:
        """A load, save, export or re-check is running."""
        return (
            self.loader.busy or self._task is not None or (self.view is not None and self.view.busy)
        )

    @property
    def save_path(self) -> str | None:
        return self._save_path

    def _name(self) -> str:
        path = self._save_path or self._source_path
        return Path(path).name if path else "the file"

    def _refuse_while_busy(self) -> bool:
        if self.upload_dialog is not None:
            self.window.show_status("Finish the upload first.")
            return True
        if self._task is not None or (self.view is not None and self.view.busy):
            self.window.show_status("Please wait a moment: the orders are still being processed.")
            return True
        return False

    # ---- opening ---------------------------------------------------------------------------

    def open(
        self, path: str, *, sheet: str | None = None, recovery: RecoveryInfo | None = None
    ) -> bool:
        """Load `path` (asking first about unsaved edits); False if nothing was started."""
        if self._refuse_while_busy():
            return False
        if self.is_modified:
            question = f"Save the changes to “{self._name()}” before opening “{Path(path).name}”?"
            answer = self._ask_save_changes(question)
            if answer == QMessageBox.StandardButton.Save:
                return self.save(then=lambda: self.open(path, sheet=sheet, recovery=recovery))
            if answer != QMessageBox.StandardButton.Discard:
                return False
            self.close_document(discard=True)
        if self.loader.busy:
            self._loading = None  # replaced, not cancelled: nothing to report
            self.loader.cancel()
        self._loading = (str(path), sheet, recovery)
        try:
            self._loading_fingerprint = file_fingerprint(path)
        except OSError:
            self._loading_fingerprint = None
        prefs = self.window.preferences
        options = LoadOptions(
            sheet=sheet,
            timezone=prefs.timezone,
            hash_identifiers=prefs.hash_pii,
            phone_region=prefs.phone_country,
        )
        self.busy_indicator.set_message(f"Opening {Path(path).name}…")
        self.window.stack.setCurrentWidget(self.busy_indicator)
        self.window.set_document_actions_enabled(False)
        # Paint the "Opening…" page now, before the reader competes for the interpreter.
        self.busy_indicator.repaint()
        log.info("Loading %s", Path(path).name)
        self.loader.load(path, options, ask_zone=recovery is None)
        return True

    def _on_window_file_open_requested(self, path: str) -> None:
        self.open(path)

    def _back_from_loading(self) -> None:
        self._loading = None
        if self.view is not None:
            self.window.stack.setCurrentWidget(self.view)
            self.window.set_document_actions_enabled(True)
            self._update_modified()
        else:
            self.window.show_start_page()

    def _on_loader_cancelled(self) -> None:
        if self._loading is None:
            return
        self.window.show_status(f"Opening “{Path(self._loading[0]).name}” was cancelled.")
        self._back_from_loading()

    def _on_loader_failed(self, message: str) -> None:
        loading = self._loading
        self._back_from_loading()
        if loading is None:
            return
        path, _sheet, recovery = loading
        name = Path(path).name
        if recovery is not None:
            message += "\n\nYour unsaved changes are kept; you are asked again at the next start."
        else:
            self.window.forget_recent_file(path)
        QMessageBox.warning(self.window, f"Can't open “{name}”", message)
        self.load_failed.emit(message)

    def _on_loader_loaded(self, doc: OrderDocument) -> None:
        loading = self._loading
        if loading is None:
            return
        path, _sheet, recovery = loading
        if recovery is None:
            self._show_document(doc, path)
            return
        self.busy_indicator.set_message(f"Restoring {recovery.edit_count:,} unsaved changes…")

        def replay(info: RecoveryInfo, document: OrderDocument) -> ReplayResult:
            return self.journal.replay(info, document)

        def finished(result: ReplayResult) -> None:
            if self._loading is loading:
                self._show_document(doc, path, recovery=recovery, result=result)

        def failed(message: str) -> None:
            if self._loading is loading:
                self._on_loader_failed(message)

        run_in_background(
            replay, finished, failed, recovery, doc, what=f"restoring your changes to {path}"
        )

    def _show_document(
        self,
        doc: OrderDocument,
        path: str,
        *,
        recovery: RecoveryInfo | None = None,
        result: ReplayResult | None = None,
    ) -> None:
        self._loading = None
        self._detach_view(discard_journal=True)
        # A 100,000-row document is millions of objects that are never collected as cycles;
        # without this, any full collection on the GUI thread rescans them all (~150 ms).
        gc.freeze()
        big = len(doc.sheet.rows) > BACKGROUND_RECHECK_ROWS
        view = DocumentView(doc, preset_store=self.preset_store, defer_problems=big)
        self.view = view
        self._source_path = path
        self._save_path = None
        self._journal_target = (path, doc.sheet.sheet, self._loading_fingerprint)
        # A save killed mid-write (power cut, kill) left a temporary file beside the file.
        run_in_background(
            remove_leftovers, _ignore, _ignore, Path(path).parent, what="tidying the folder"
        )
        self._restored_dirty = False
        self._chosen_mapping = None
        if result is not None and result.mapping_restored:
            self._chosen_mapping = (doc.mapping.copy(), doc.options.timezone)
        view.mapping_applied.connect(self._on_view_mapping_applied)
        view.status_message.connect(self.window.show_status)
        view.upload_requested.connect(self.window.upload_action.trigger)
        view.document_changed.connect(self._update_zone_button)
        view.model.document_reset.connect(self._update_zone_button)
        model = view.model
        model.cells_written.connect(self._on_model_cells_written)
        model.rows_deleted.connect(self._on_model_rows_deleted)
        model.rows_restored.connect(self._on_model_rows_restored)
        view.undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)
        self.window.set_document_view(view, path)
        self._install_actions(view)
        if recovery is not None:
            self._restored_dirty = True
            try:
                self.journal.resume(recovery)
            except (OSError, RuntimeError) as exc:
                log.warning("Could not continue the recovery journal: %s", exc)
                self._warn_journal(
                    "Your restored changes could not be kept in the recovery file. Save soon."
                )
        self._update_modified()
        self._update_zone_button()
        view.table.setFocus(Qt.FocusReason.OtherFocusReason)
        name = Path(path).name
        preset_note = ""
        zone = self.loader.zone_source
        if zone is not None and view.naive_times:
            preset_note += f" {view.zone_notice()}"
            if zone == "remembered":
                preset_note = preset_note.rstrip(".") + ", as for files like this before."
        if self.loader.preset_applied:
            preset_note = " Your saved column mapping for files like this was used."
            if self.loader.preset_notes:
                preset_note += " " + " ".join(self.loader.preset_notes)

        def announce() -> None:
            if self.view is not view:
                return
            summary = summary_text(doc)
            status = f"Opened “{name}”: {summary}.{preset_note}"
            if result is not None:
                status = (
                    f"{result.describe()} Check {'it' if result.applied == 1 else 'them'}, "
                    "then save."
                )
            self.window.show_status(status)
            log.info("Opened %s: %s", name, summary)

        if big:
            # Show the table first; group the problems and count the orders right after.
            _AfterFirstPaint(view.table.viewport(), view.issues_panel.refresh, announce)
        else:
            announce()
        self.document_opened.emit(view)
        if result is not None:
            if result.skipped:
                details = "\n".join(f"• {note}" for note in result.notes[:8])
                QMessageBox.information(
                    self.window,
                    "Changes restored",
                    f"{result.describe()}\n\n{details}".strip(),
                )
            self.restored.emit(result)

    def close_document(self, *, discard: bool = False) -> bool:
        """Back to the start page; with unsaved edits only if `discard` (they are dropped)."""
        if self.view is None:
            return True
        if self.is_modified and not discard:
            return False
        self._detach_view(discard_journal=True)
        self._source_path = self._save_path = None
        self.window.show_start_page()
        self.document_closed.emit()
        return True

    def request_close(self) -> bool:
        """File → Close: back to the start page, asking first about unsaved edits."""
        if self.view is None or self._refuse_while_busy():
            return False
        if self.is_modified:
            answer = self._ask_save_changes(
                f"Save the changes to “{self._name()}” before closing it?"
            )
            if answer == QMessageBox.StandardButton.Save:
                return self.save(then=self.close_document)
            if answer != QMessageBox.StandardButton.Discard:
                return False
            return self.close_document(discard=True)
        return self.close_document()

    def _detach_view(self, *, discard_journal: bool) -> None:
        view = self.view
        if view is None:
            return
        self._status_timer.stop()
        self._pending_statuses.clear()
        for menu, action in self._menu_actions:
            menu.removeAction(action)
        self._menu_actions = []
        problems = self.window.problems_menu
        for action in self._fix_menu_actions:
            problems.removeAction(action)
        self._fix_menu_actions = []
        with contextlib.suppress(RuntimeError, TypeError):
            problems.aboutToShow.disconnect(self._on_problems_menu_about_to_show)
        try:
            connections = [
                (view.model.cells_written, self._on_model_cells_written),
                (view.model.rows_deleted, self._on_model_rows_deleted),
                (view.model.rows_restored, self._on_model_rows_restored),
                (view.undo_stack.cleanChanged, self._on_undo_stack_clean_changed),
                (view.mapping_applied, self._on_view_mapping_applied),
                (view.status_message, self.window.show_status),
                (view.upload_requested, self.window.upload_action.trigger),
                (view.document_changed, self._update_zone_button),
                (view.model.document_reset, self._update_zone_button),
            ]
        except RuntimeError:  # the view's objects are already gone, and their connections
            connections = []
        for signal, slot in connections:
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)
        if discard_journal:
            self.journal.discard()
        self._restored_dirty = False
        self.view = None
        self._update_zone_button()
        gc.unfreeze()  # the document's objects may be collected again once it is gone

    def _install_actions(self, view: DocumentView) -> None:
        actions = view.actions
        for name in WINDOW_WIDE:
            actions[name].setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        edit_menu = self.window.edit_menu
        for name in EDIT_MENU:
            if name is None:
                action = edit_menu.addSeparator()
            else:
                action = actions[name]
                edit_menu.addAction(action)
            self._menu_actions.append((edit_menu, action))
        menu = self.window.problems_menu
        for name in PROBLEMS_MENU:
            action = menu.addSeparator() if name is None else actions[name]
            if name is not None:
                menu.addAction(action)
            self._menu_actions.append((menu, action))
        self._fixes_separator = menu.addSeparator()
        self._menu_actions.append((menu, self._fixes_separator))
        self._fixes_end = menu.addSeparator()
        self._menu_actions.append((menu, self._fixes_end))
        menu.addAction(actions["time_zone"])
        self._menu_actions.append((menu, actions["time_zone"]))
        menu.aboutToShow.connect(self._on_problems_menu_about_to_show)

    def _on_problems_menu_about_to_show(self) -> None:
        """List the quick fixes of the selected problem (or the current cell's problems)."""
        view = self.view
        menu = self.window.problems_menu
        for action in self._fix_menu_actions:
            menu.removeAction(action)
            action.deleteLater()
        self._fix_menu_actions = []
        if view is None:
            return
        actions = view.fix_actions(menu)
        if not actions:
            placeholder = QAction("No Quick Fix for the Current Cell", menu)
            placeholder.setEnabled(False)
            actions = [placeholder]
        menu.insertActions(self._fixes_end, actions)
        self._fix_menu_actions = actions

    # ---- the time zone in the status bar --------------------------------------------------

    def _update_zone_button(self) -> None:
        view = self.view
        notice = view.zone_notice() if view is not None else None
        self.zone_button.setVisible(bool(notice))
        if view is None or not notice:
            return
        zone = view.document.timezone_name
        self.zone_button.setText(f"Times: {zone}")
        self.zone_button.setToolTip(f"{notice} Click to change it.")
        self.zone_button.setAccessibleName(f"Time zone for times without one: {zone}")
        self.zone_button.setAccessibleDescription("Click to change it")

    def _on_zone_button_clicked(self) -> None:
        if self.view is not None:
            self.view.change_zone()

    # ---- modified state and the recovery journal -------------------------------------------

    def _update_modified(self) -> None:
        modified = self.is_modified
        self.window.setWindowModified(modified)
        # Save with nothing changed would only rewrite the file as it is.
        self.window.save_action.setEnabled(self.view is not None and modified)

    def _on_undo_stack_clean_changed(self, clean: bool) -> None:
        if clean and not self._restored_dirty:
            # Undo went all the way back to what is on disk: nothing left to recover but the
            # column mapping, if the user chose one (a new journal then holds just that).
            self.journal.discard()
            if self._chosen_mapping is not None:
                self._journal_ready()
        self._update_modified()

    def _journal_ready(self) -> bool:
        if self.journal.active:
            return True
        target = self._journal_target
        if target is None:
            return False
        path, sheet, fingerprint = target
        try:
            self.journal.start(path, sheet, fingerprint)
            if self._chosen_mapping is not None:
                self.journal.record_mapping(*self._chosen_mapping)
        except (OSError, RuntimeError) as exc:
            log.warning("Could not start the recovery journal: %s", exc)
            self._warn_journal(
                "Your changes cannot be written to a recovery file on this computer, so they "
                "would be lost if the app stopped unexpectedly. Save your work regularly."
            )
            return False
        return True

    def _warn_journal(self, message: str) -> None:
        self.window.show_status(message)
        if not self._journal_warned:
            self._journal_warned = True
            QMessageBox.warning(self.window, "Recovery file", message)

    def _after_journal_write(self) -> None:
        if self.journal.error:
            self._warn_journal(self.journal.error)

    def _on_model_cells_written(self, changes: list[tuple[int, int, CellValue]]) -> None:
        view = self.view
        if view is None or not changes or not self._journal_ready():
            return
        sheet = view.document.sheet
        self.journal.record_sets(
            (sheet.row_numbers[row], sheet.headers[col], value) for row, col, value in changes
        )
        self._after_journal_write()

    def _on_view_mapping_applied(self, mapping: Mapping, timezone: str | None) -> None:
        self._chosen_mapping = (mapping, timezone)
        if self.journal.active:
            self.journal.record_mapping(mapping, timezone)
        elif not self._journal_ready():  # starting the journal records the mapping
            return
        self._after_journal_write()

    def _on_model_rows_deleted(self, numbers: list[int]) -> None:
        if self.view is None or not self._journal_ready():
            return
        self.journal.record_delete(numbers)
        self._after_journal_write()

    def _on_model_rows_restored(self, rows: list[tuple[int, list[CellValue]]]) -> None:
        view = self.view
        if view is None or not self._journal_ready():
            return
        self.journal.record_insert(rows, view.document.sheet.headers)
        self._after_journal_write()

    # ---- recovery after a crash ------------------------------------------------------------

    def offer_recovery(self) -> bool:
        """Offer the edits a crash left behind; True when a restore was started."""
        while True:
            infos = self.journal.pending()
            if not infos:
                return False
            choice, info = RecoveryDialog.ask(self.window, infos)
            if info is None or choice == RecoveryDialog.LATER:
                return False
            if choice == RecoveryDialog.DISCARD:
                self.journal.remove(info)
                self.window.show_status(f"Unsaved changes to “{info.file_name}” were discarded.")
                continue
            return self.restore(info)

    def restore(self, info: RecoveryInfo) -> bool:
        """Load the journal's file, replay its edits and keep journaling (see `offer_recovery`)."""
        path = info.source_path
        if info.source_missing:
            found, _filter = QFileDialog.getOpenFileName(
                self.window,
                f"Where is “{info.file_name}” now?",
                str(Path(path).parent),
                f"{info.file_name} (*{Path(path).suffix});;All files (*)",
            )
            if not found:
                self.window.show_status(
                    f"Your changes to “{info.file_name}” are kept; you are asked again at the "
                    "next start."
                )
                return False
            path = found
        self.window.recent_files.add(path)
        return self.open(path, sheet=info.sheet, recovery=info)

    # ---- saving ----------------------------------------------------------------------------

    def save(self, then: Callable[[], object] | None = None) -> bool:
        """Save (Ctrl+S); `then` runs after a successful save. False if nothing was started."""
        view = self.view
        if view is None or self._refuse_while_busy():
            return False
        view.commit_pending_edit()
        sheet = view.document.sheet
        if self._save_path is not None:
            return self._write(self._save_path, then)
        if not can_save_in_place(sheet):
            return self.save_as(then=then)
        name = Path(sheet.path).name
        choice = ask_choice(
            self.window,
            "Replace the original file?",
            f"Replace “{name}” with your corrected version?",
            [("replace", "&Replace Original"), ("save_as", "Save &As…"), ("cancel", "Cancel")],
            default="save_as",
            escape="cancel",
            informative=(
                "The original file is then gone. Choose Save As to keep it and save the "
                "corrections as a new file."
            ),
        )
        if choice == "save_as":
            return self.save_as(then=then)
        if choice != "replace":
            return False
        return self._write(sheet.path, then)

    def save_as(self, then: Callable[[], object] | None = None) -> bool:
        """Save As (Ctrl+Shift+S): ask for a file name, then write."""
        view = self.view
        if view is None or self._refuse_while_busy():
            return False
        view.commit_pending_edit()
        sheet = view.document.sheet
        if self._save_path is not None:
            suggested = Path(self._save_path)
        else:
            original = suggested_save_path(sheet)
            suggested = original.with_name(f"{original.stem} (corrected){original.suffix}")
        first = suggested.suffix.lower() if suggested.suffix.lower() in SAVE_FILTERS else ".xlsx"
        order = [first, *(s for s in (".xlsx", ".csv", ".tsv") if s != first)]
        filters = ";;".join(SAVE_FILTERS[s] for s in order)
        chosen, selected = QFileDialog.getSaveFileName(
            self.window, "Save As", str(suggested), filters
        )
        if not chosen:
            return False
        target = Path(chosen)
        if target.suffix.lower() not in WRITABLE_SUFFIXES:
            # The dialog only confirmed replacing the name as typed; ask for the real one.
            suffix = next((s for s, f in SAVE_FILTERS.items() if f == selected), first)
            target = target.with_name(target.name + suffix)
            if target.exists():
                answer = QMessageBox.question(
                    self.window,
                    "Replace file?",
                    f"“{target.name}” already exists. Do you want to replace it?",
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                    QMessageBox.StandardButton.Cancel,
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return False
        return self._write(str(target), then)

    def _changed_elsewhere(self, target: str) -> bool:
        """True when `target` is the file we read (or last saved) and another program has
        changed it since."""
        known = self._journal_target
        if known is None or known[2] is None or Path(known[0]) != Path(target):
            return False
        try:
            return file_fingerprint(target).differs_from(known[2])
        except OSError:
            return False  # gone or unreadable: nothing there to overwrite by surprise

    def _write(self, target: str, then: Callable[[], object] | None) -> bool:
        view = self.view
        assert view is not None
        doc = view.document
        name = Path(target).name
        if self._changed_elsewhere(target):
            answer = QMessageBox.question(
                self.window,
                "File changed on disk",
                f"“{name}” was changed by another program since you opened it here. Replace "
                "it with your version anyway? Choose Cancel, then Save As, to keep both.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        if not self._accept_save_notice(target):
            return False

        def write(document: OrderDocument, path: str) -> FileFingerprint | None:
            save_document(document, path)
            try:
                return file_fingerprint(path)
            except OSError:
                return None

        def finished(fingerprint: FileFingerprint | None) -> None:
            self._task = None
            if self.view is not view:
                return
            view.set_read_only(False)
            self._saved(target, fingerprint)
            if then is not None:
                then()
            self._maybe_close_when_idle()

        def failed(message: str) -> None:
            self._task = None
            self._close_when_idle = False
            if self.view is view:
                view.set_read_only(False)
            QMessageBox.warning(self.window, f"“{name}” was not saved", message)
            self.save_failed.emit(message)

        view.set_read_only(True)
        self.window.show_status(f"Saving “{name}”…", 0)
        self._task = run_in_background(write, finished, failed, doc, target, what=f"saving {name}")
        return True

    def _accept_save_notice(self, target: str) -> bool:
        """Says what the file cannot keep of the original before the first such save; False
        if the user cancels."""
        assert self.view is not None
        notice = save_notice(self.view.document.sheet, target)
        if notice is None or (target, notice) in self._notices_accepted:
            return True
        answer = QMessageBox.question(
            self.window,
            "Save",
            notice,
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer != QMessageBox.StandardButton.Save:
            return False
        self._notices_accepted.add((target, notice))
        return True

    def _saved(self, target: str, fingerprint: FileFingerprint | None) -> None:
        view = self.view
        assert view is not None
        doc = view.document
        self._restored_dirty = False
        suffix = Path(target).suffix.lower()
        workbook_source = doc.sheet.source.kind in ("xlsx", "xlsm", "xls", "ods")
        sheet = doc.sheet.sheet if suffix not in TEXT_SUFFIXES and workbook_source else None
        # Journals from now on are about the saved file (set before setClean(), whose signal
        # may start one to hold the chosen column mapping).
        self._journal_target = (target, sheet, fingerprint)
        self.journal.discard()
        view.undo_stack.setClean()
        if self._chosen_mapping is not None and not self.journal.active:
            self._journal_ready()
        self._save_path = target
        self.window.set_document_path(target)
        self.window.recent_files.add(target)
        self._update_modified()
        self.window.show_status(f"Saved “{Path(target).name}”.")
        log.info("Saved %s", Path(target).name)
        self.saved.emit(target)

    def _maybe_close_when_idle(self) -> None:
        if self._close_when_idle and self._task is None:
            self._close_when_idle = False
            self.window.close()

    # ---- exporting the problem rows --------------------------------------------------------

    def export_problems(self) -> bool:
        """File → Export Problems…: the rows with problems plus a Problems column."""
        view = self.view
        if view is None or self._refuse_while_busy():
            return False
        doc = view.document
        if not doc.all_issues():
            QMessageBox.information(
                self.window,
                "Export Problems",
                "There are no problems to export: every order in this file is fine.",
            )
            return False
        source = Path(self._save_path or doc.sheet.path)
        suggested = source.with_name(f"{source.stem} - problems.xlsx")
        chosen, selected = QFileDialog.getSaveFileName(
            self.window, "Export Problems", str(suggested), EXPORT_FILTER
        )
        if not chosen:
            return False
        target = Path(chosen)
        if target.suffix.lower() not in (".xlsx", *TEXT_SUFFIXES):
            target = target.with_name(target.name + (".csv" if "csv" in selected else ".xlsx"))

        def finished(count: int) -> None:
            self._task = None
            if self.view is view:
                view.set_read_only(False)
            self.window.show_status(
                f"Saved {count:,} row{'s' if count != 1 else ''} with problems to "
                f"“{target.name}”. Fix them in Excel, then open that file here to check it."
            )
            self.exported.emit(count)
            self._maybe_close_when_idle()

        def failed(message: str) -> None:
            self._task = None
            self._close_when_idle = False
            if self.view is view:
                view.set_read_only(False)
            QMessageBox.warning(self.window, "Problems not exported", message)

        view.set_read_only(True)
        self._task = run_in_background(
            export_problems, finished, failed, doc, str(target), what="exporting the problems"
        )
        return True

    # ---- uploading -------------------------------------------------------------------------

    def upload(self) -> UploadDialog | None:
        """Upload (Ctrl+U): the selected rows' orders or all valid orders, in the Upload dialog."""
        from northbeam_desktop.ui.dialogs.upload.dialog import UploadDialog

        view = self.view
        if view is None or self._refuse_while_busy() or self.loader.busy:
            return None
        view.commit_pending_edit()
        doc = view.document
        # Every order goes to the dialog: it sends the valid ones and counts the rest as
        # "skipped because of errors" on its confirmation page.
        records = list(doc.orders)
        valid = 0 if doc.blocked else len(doc.valid_orders)
        if self._selection_spans_rows(view):
            selected = view.selected_records()
            choice = ask_choice(
                self.window,
                "Upload which orders?",
                "Upload the orders of the selected rows, or every valid order in the file?",
                [
                    ("selected", f"Upload the {_selected_orders(len(selected))}"),
                    ("all", f"Upload all {valid:,} valid orders"),
                    ("cancel", "Cancel"),
                ],
                default="selected",
                escape="cancel",
            )
            if choice == "cancel":
                return None
            if choice == "selected":
                records = selected
        dialog = UploadDialog.for_preferences(
            doc,
            records,
            self.window.preferences,
            self.window.session_credentials,
            parent=self.window,
        )
        dialog.statuses_changed.connect(self._on_upload_dialog_statuses_changed)
        dialog.order_activated.connect(self._on_upload_dialog_order_activated)
        dialog.settings_requested.connect(
            self._on_upload_dialog_settings_requested, Qt.ConnectionType.QueuedConnection
        )
        dialog.upload_finished.connect(self._on_upload_dialog_upload_finished)
        dialog.stage_changed.connect(self._on_upload_dialog_stage_changed)
        dialog.finished.connect(self._on_upload_dialog_finished)
        view.set_read_only(True)  # the payloads are read on another thread meanwhile
        self.upload_dialog = dialog
        dialog.open()
        self.upload_started.emit(dialog)
        return dialog

    @staticmethod
    def _selection_spans_rows(view: DocumentView) -> bool:
        selection = view.table.selectionModel()
        if selection.selectedRows():
            return True
        return len(view.selected_rows()) > 1

    def _on_upload_dialog_statuses_changed(self, records: list[OrderRecord]) -> None:
        for record in records:
            self._pending_statuses[id(record)] = record
            if record.upload_status == "failed":
                self._pending_failures = True
        if not self._status_timer.isActive():
            self._status_timer.start()

    def _flush_statuses(self) -> None:
        """Repaint the rows of the orders answered since the last flush (batched, so a fast
        upload does not repaint for every batch)."""
        self._status_timer.stop()
        records = list(self._pending_statuses.values())
        self._pending_statuses.clear()
        view = self.view
        if view is None or not records:
            return
        # Accepted orders change only their Status cell; rejected ones get marks on any cell.
        marked = [r for r in records if r.server_issues or r.upload_status == "failed"]
        plain = [r for r in records if not (r.server_issues or r.upload_status == "failed")]
        if plain:
            view.model.refresh_records(plain, status_only=True)
        if marked:
            view.model.refresh_records(marked)
        if self._pending_failures:
            self._pending_failures = False
            view.issues_panel.schedule_refresh()

    def _on_upload_dialog_upload_finished(self, report: UploadReport) -> None:
        failures = self._pending_failures or report.failed > 0
        self._flush_statuses()  # the rows were repainted batch by batch; these are the last
        view = self.view
        if view is not None:
            if view.proxy.filtering:
                view.proxy.invalidate()  # "Failed upload" and the other filters
            if failures:
                view.issues_panel.refresh()  # Northbeam's rejections join the problems list
            view.payload_view.refresh()
        summary = f"Upload finished: {report.accepted:,} accepted"
        if report.failed:
            summary += f", {report.failed:,} rejected (marked in the table)"
        if report.not_sent:
            summary += f", {report.not_sent:,} not sent"
        self.window.show_status(summary + ".")

    def _on_upload_dialog_stage_changed(self, stage: str) -> None:
        dialog = self.upload_dialog
        if stage == "uploading" and dialog is not None:
            self.window.show_status(
                f"Uploading to {dialog.target.name}… each row shows Northbeam's answer as it "
                "arrives.",
                0,
            )

    def _on_upload_dialog_order_activated(self, record: OrderRecord) -> None:
        view = self.view
        if view is None or not record.row_indices:
            return
        marked = next((i for i in record.server_issues if i.row_index is not None), None)
        if marked is not None and marked.row_index is not None:
            column = marked.col_index if marked.col_index is not None else -1
            view.focus_cell(marked.row_index, column)
        else:
            view.focus_cell(record.row_indices[0], -1)

    def _on_upload_dialog_settings_requested(self) -> None:
        self.window.open_connection_settings()

    def _on_upload_dialog_finished(self, _result: int) -> None:
        dialog, self.upload_dialog = self.upload_dialog, None
        self._flush_statuses()
        if self.view is not None:
            self.view.set_read_only(False)
        if dialog is not None:
            dialog.deleteLater()
        if self._close_after_upload:
            self._close_after_upload = False
            self.window.close()

    # ---- preferences -----------------------------------------------------------------------

    def _on_window_preferences_changed(self, prefs: Preferences) -> None:
        """New default time zone or hashing: re-check the open document with them."""
        old, self._preferences = self._preferences, copy.copy(prefs)
        view = self.view
        if view is None:
            return
        doc = view.document
        zone = prefs.timezone if prefs.timezone != old.timezone else None
        if zone == doc.timezone_name:
            zone = None
        hashing = (
            prefs.hash_pii != doc.options.hash_identifiers
            or prefs.phone_country != doc.options.phone_region
        )
        if zone is None and not hashing:
            return

        def rebuild() -> None:
            doc.options.hash_identifiers = prefs.hash_pii
            doc.options.phone_region = prefs.phone_country
            if zone is not None:
                doc.set_timezone(zone)  # one full re-check covers the hashing too
            else:
                doc.rebuild()

        what = []
        if zone is not None:
            what.append(f"time zone {zone}")
        if hashing:
            what.append("hashing" if prefs.hash_pii else "no hashing")
        self.window.show_status(f"Checking the orders again with {' and '.join(what)}…")
        view.recheck(rebuild, "Checking the orders with the new settings…", "Connection settings")

    # ---- closing ---------------------------------------------------------------------------

    def _ask_save_changes(self, question: str) -> QMessageBox.StandardButton:
        return QMessageBox.question(
            self.window,
            "Unsaved changes",
            question,
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )

    def confirm_close(self) -> bool:
        """The window's close guard: False keeps the window open."""
        dialog = self.upload_dialog
        if dialog is not None and dialog.is_uploading:
            dialog.request_stop()
            if dialog.is_stopping:
                self._close_after_upload = True  # the window closes when the answers are in
            return False
        if self._task is not None:
            self._close_when_idle = True
            self.window.show_status("Saving… the window closes when it is done.")
            return False
        if self.is_modified:
            answer = self._ask_save_changes(f"Save the changes to “{self._name()}” before closing?")
            if answer == QMessageBox.StandardButton.Save:
                self.save(then=self.window.close)
                return False
            if answer != QMessageBox.StandardButton.Discard:
                return False
        self.shutdown()
        return True

    def shutdown(self) -> None:
        """The window is closing: drop any load in progress and the (now pointless) journal,
        and stop listening to the document (its widgets go with the window)."""
        self._status_timer.stop()
        if self.loader.busy:
            self.loader.cancel()
        self._detach_view(discard_journal=True)

    def _on_close_document_action_triggered(self) -> None:
        self.request_close()

    def _on_save_action_triggered(self) -> None:
        self.save()

    def _on_save_as_action_triggered(self) -> None:
        self.save_as()

    def _on_export_problems_action_triggered(self) -> None:
        self.export_problems()

    def _on_upload_action_triggered(self) -> None:
        self.upload()
