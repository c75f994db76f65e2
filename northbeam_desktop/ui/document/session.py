"""One open document: opening it, closing it, and the parts that keep it safe.

`DocumentSession` sits between the main window (the shell: menus, start page, drag and drop,
Connection settings; seen through `DocumentHost`) and the document layer. The window creates one
and forwards every "open this file" to it; the window's Save, Save As, Export Problems, Upload
and Close actions call it. The session opens files (`DocumentLoader`, off the GUI thread),
restores what a crash left behind, shows the `DocumentView`, and hands the open document
(`SessionState`) to its parts:

* `EditJournaling` (journaling.py) — every change goes into the recovery journal at once;
* `Saving` (saving.py) — Save, Save As and Export Problems, never overwriting silently;
* `UploadFlow` (upload_flow.py) — the Upload dialog and the table following its answers;
* `DocumentMenus` (menus.py), `CancelledOrdersSwitch` (cancelled_switch.py) and `ZoneButton`
  (zone_button.py) — the document's part of the window's menus and status bar.

Promises kept here: opening another file or closing the window with unsaved edits asks Save /
Discard / Cancel; closing during an upload asks to stop it first, and during a save waits for
it; the window never freezes (loading, saving, exporting, re-checking and uploading run on the
app's thread pool); every failure a user can cause ends in a plain dialog.

Dialogs that need buttons of their own go through `choice.ask_choice()` and
`RecoveryDialog.ask()`, so tests replace them like the static `QMessageBox` and `QFileDialog`
calls.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

# The rules are imported by the engine on first use, on the loading thread; compiling them there
# (no bytecode cache) would hold the interpreter lock while the window waits. Import them now.
import northbeam_desktop.core.orders.rules  # noqa: F401
from northbeam_desktop.core.files.atomic import remove_leftovers
from northbeam_desktop.core.local.recovery import (
    FileFingerprint,
    RecoveryInfo,
    RecoveryJournal,
    ReplayResult,
    file_fingerprint,
)
from northbeam_desktop.core.local.settings import Preferences
from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument
from northbeam_desktop.core.orders.mapping import PresetStore
from northbeam_desktop.ui.dialogs.upload.dialog import UploadDialog
from northbeam_desktop.ui.document.after_paint import AfterFirstPaint
from northbeam_desktop.ui.document.cancelled_switch import CancelledOrdersSwitch
from northbeam_desktop.ui.document.host import DocumentHost
from northbeam_desktop.ui.document.issue_groups import summary_text
from northbeam_desktop.ui.document.journaling import EditJournaling
from northbeam_desktop.ui.document.loader import (
    BusyIndicator,
    DocumentLoader,
    SheetChooser,
    choose_sheet,
    default_preset_store,
    run_in_background,
)
from northbeam_desktop.ui.document.menus import DocumentMenus
from northbeam_desktop.ui.document.recovery_dialog import RecoveryDialog
from northbeam_desktop.ui.document.saving import Saving
from northbeam_desktop.ui.document.state import FileOnDisk, SessionState
from northbeam_desktop.ui.document.upload_flow import UploadFlow
from northbeam_desktop.ui.document.view import BACKGROUND_RECHECK_ROWS, DocumentView
from northbeam_desktop.ui.document.zone_button import ZoneButton

log = logging.getLogger(__name__)

__all__ = ["DocumentSession", "RecoveryDialog"]

# What is being opened: (path, sheet, the crash journal being restored or None).
Loading = tuple[str, str | None, RecoveryInfo | None]


def _ignore(_result: object) -> None:
    """A callback for background work whose outcome nobody waits for."""


class DocumentSession(QObject):
    """The open document of a window and everything that happens to it.

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
        window: DocumentHost,
        *,
        journal: RecoveryJournal | None = None,
        preset_store: PresetStore | None = None,
        sheet_chooser: SheetChooser | None = choose_sheet,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.state = SessionState()
        self.preset_store = preset_store if preset_store is not None else default_preset_store()
        self.loader = DocumentLoader(
            window, preset_store=self.preset_store, sheet_chooser=sheet_chooser
        )
        self.loader.loaded.connect(self._on_loader_loaded)
        self.loader.failed.connect(self._on_loader_failed)
        self.loader.cancelled.connect(self._on_loader_cancelled)
        self.busy_indicator = BusyIndicator()
        self.busy_indicator.attach(self.loader)
        window.add_page(self.busy_indicator)

        self.journaling = EditJournaling(
            window, self.state, journal if journal is not None else RecoveryJournal()
        )
        self.saving = Saving(window, self.state, self.journaling)
        self.saving.saved.connect(self.saved)
        self.saving.save_failed.connect(self.save_failed)
        self.saving.exported.connect(self.exported)
        self.uploads = UploadFlow(window, self.state, self.loader)
        self.uploads.upload_started.connect(self.upload_started)
        self.menus = DocumentMenus(window.edit_menu, window.problems_menu)
        # Right below Upload…, above the separator and Connection Settings.
        upload_items = window.upload_menu.actions()
        self.cancelled_switch = CancelledOrdersSwitch(
            window.upload_menu, upload_items[1] if len(upload_items) > 1 else None, self
        )
        self.zone_button = ZoneButton()
        window.add_status_widget(self.zone_button)

        self._loading: Loading | None = None
        self._loading_fingerprint: FileFingerprint | None = None
        self._preferences = copy.copy(window.preferences)

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
    def view(self) -> DocumentView | None:
        return self.state.view

    @property
    def document(self) -> OrderDocument | None:
        return self.state.document

    @property
    def journal(self) -> RecoveryJournal:
        return self.journaling.journal

    @property
    def upload_dialog(self) -> UploadDialog | None:
        return self.state.upload_dialog

    @property
    def is_modified(self) -> bool:
        """True while the document has edits that are not saved."""
        return self.state.is_modified

    @property
    def busy(self) -> bool:
        """A load, save, export or re-check is running."""
        view = self.state.view
        return self.loader.busy or self.state.task is not None or (view is not None and view.busy)

    @property
    def save_path(self) -> str | None:
        return self.state.save_path

    # ---- what the window's actions do ------------------------------------------------------

    def save(self, then: Callable[[], object] | None = None) -> bool:
        """Save (Ctrl+S); `then` runs after a successful save. False if nothing was started."""
        return self.saving.save(then)

    def save_as(self, then: Callable[[], object] | None = None) -> bool:
        """Save As (Ctrl+Shift+S): ask for a file name, then write."""
        return self.saving.save_as(then)

    def export_problems(self) -> bool:
        """File → Export Problems…: the rows with problems plus a Problems column."""
        return self.saving.export_problems()

    def upload(self) -> UploadDialog | None:
        """Upload (Ctrl+U): the selected rows' orders or all valid orders, in the Upload dialog."""
        return self.uploads.upload()

    # ---- opening ---------------------------------------------------------------------------

    def open(
        self, path: str, *, sheet: str | None = None, recovery: RecoveryInfo | None = None
    ) -> bool:
        """Load `path` (asking first about unsaved edits); False if nothing was started."""
        if self.state.refuse_while_busy(self.window):
            return False
        if self.is_modified:
            question = (
                f"Save the changes to “{self.state.name()}” before opening “{Path(path).name}”?"
            )
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
        self.window.show_page(self.busy_indicator)
        self.window.set_document_actions_enabled(False)
        # Paint the "Opening…" page now, before the reader competes for the interpreter.
        self.busy_indicator.repaint()
        log.info("Loading %s", Path(path).name)
        self.loader.load(path, options, ask_zone=recovery is None)
        return True

    def _back_from_loading(self) -> None:
        self._loading = None
        view = self.state.view
        if view is not None:
            self.window.show_page(view)
            self.window.set_document_actions_enabled(True)
            self.state.show_modified(self.window)
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
        if recovery is not None:
            message += "\n\nYour unsaved changes are kept; you are asked again at the next start."
        else:
            self.window.forget_recent_file(path)
        QMessageBox.warning(self.window, f"Can't open “{Path(path).name}”", message)
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

    # ---- showing the document --------------------------------------------------------------

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
        state = self.state
        state.view = view
        state.source_path = path
        state.save_path = None
        state.on_disk = FileOnDisk(path, doc.sheet.sheet, self._loading_fingerprint)
        # A save killed mid-write (power cut, kill) left a temporary file beside the file.
        run_in_background(
            remove_leftovers, _ignore, _ignore, Path(path).parent, what="tidying the folder"
        )
        state.restored_dirty = False
        self._attach_view(view, mapping_restored=result is not None and result.mapping_restored)
        self.window.set_document_view(view, path)
        self.menus.install(view)
        self.cancelled_switch.show_for(view)
        if recovery is not None:
            state.restored_dirty = True
            self.journaling.resume(recovery)
        state.show_modified(self.window)
        self.zone_button.show_for(view)
        view.table.setFocus(Qt.FocusReason.OtherFocusReason)
        announce = self._announcement(view, path, result)
        if big:
            # Show the table first; group the problems and count the orders right after.
            AfterFirstPaint(view.table.viewport(), view.issues_panel.refresh, announce)
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

    def _announcement(
        self, view: DocumentView, path: str, result: ReplayResult | None
    ) -> Callable[[], None]:
        """What the status bar says once the document is shown: its summary and how its
        columns and time zone were chosen, or what a restore put back."""
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
            if self.state.view is not view:
                return
            summary = summary_text(view.document)
            status = f"Opened “{name}”: {summary}.{preset_note}"
            if result is not None:
                status = (
                    f"{result.describe()} Check {'it' if result.applied == 1 else 'them'}, "
                    "then save."
                )
            self.window.show_status(status)
            log.info("Opened %s: %s", name, summary)

        return announce

    def _attach_view(self, view: DocumentView, *, mapping_restored: bool) -> None:
        self.journaling.attach(view, mapping_restored=mapping_restored)
        view.status_message.connect(self.window.show_status)
        view.upload_requested.connect(self.window.upload_action.trigger)
        view.document_changed.connect(self._on_view_document_changed)
        view.model.document_reset.connect(self._on_view_document_changed)
        view.undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)

    def _detach_view(self, *, discard_journal: bool) -> None:
        view = self.state.view
        if view is None:
            return
        self.uploads.forget_pending()
        self.menus.remove()
        self.journaling.detach(view, discard=discard_journal)
        try:
            connections = [
                (view.undo_stack.cleanChanged, self._on_undo_stack_clean_changed),
                (view.status_message, self.window.show_status),
                (view.upload_requested, self.window.upload_action.trigger),
                (view.document_changed, self._on_view_document_changed),
                (view.model.document_reset, self._on_view_document_changed),
            ]
        except RuntimeError:  # the view's objects are already gone, and their connections
            connections = []
        for signal, slot in connections:
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)
        self.state.restored_dirty = False
        self.state.view = None
        self.zone_button.show_for(None)
        self.cancelled_switch.show_for(None)
        gc.unfreeze()  # the document's objects may be collected again once it is gone

    def _on_view_document_changed(self) -> None:
        self.zone_button.show_for(self.state.view)

    def _on_undo_stack_clean_changed(self, clean: bool) -> None:
        if clean and not self.state.restored_dirty:
            self.journaling.back_to_saved()
        self.state.show_modified(self.window)

    # ---- closing ---------------------------------------------------------------------------

    def close_document(self, *, discard: bool = False) -> bool:
        """Back to the start page; with unsaved edits only if `discard` (they are dropped)."""
        if self.state.view is None:
            return True
        if self.is_modified and not discard:
            return False
        self._detach_view(discard_journal=True)
        self.state.source_path = self.state.save_path = None
        self.window.show_start_page()
        self.document_closed.emit()
        return True

    def request_close(self) -> bool:
        """File → Close: back to the start page, asking first about unsaved edits."""
        if self.state.view is None or self.state.refuse_while_busy(self.window):
            return False
        if self.is_modified:
            answer = self._ask_save_changes(
                f"Save the changes to “{self.state.name()}” before closing it?"
            )
            if answer == QMessageBox.StandardButton.Save:
                return self.save(then=self.close_document)
            if answer != QMessageBox.StandardButton.Discard:
                return False
            return self.close_document(discard=True)
        return self.close_document()

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
        if not self.uploads.stop_before_closing():
            return False
        if self.state.task is not None:
            self.saving.close_window_when_done()
            return False
        if self.is_modified:
            answer = self._ask_save_changes(
                f"Save the changes to “{self.state.name()}” before closing?"
            )
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
        self.uploads.forget_pending()
        if self.loader.busy:
            self.loader.cancel()
        self._detach_view(discard_journal=True)

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
        self.window.remember_recent_file(path)
        return self.open(path, sheet=info.sheet, recovery=info)

    # ---- preferences -----------------------------------------------------------------------

    def _on_window_preferences_changed(self, prefs: Preferences) -> None:
        """New default time zone or hashing: re-check the open document with them."""
        old, self._preferences = self._preferences, copy.copy(prefs)
        view = self.state.view
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

    # ---- slots -----------------------------------------------------------------------------

    def _on_window_file_open_requested(self, path: str) -> None:
        self.open(path)

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
