"""Save, Save As and Export Problems for the open document.

Nothing is overwritten silently: the first Save of an opened file asks before replacing the
original ("Replace Original" / "Save As…") and goes straight to Save As for .xls/.ods files,
which cannot be written; a file another program changed since it was opened is not replaced
without asking; what a format cannot keep of the original is said once before saving. Writing
runs on the app's thread pool while the document is read-only, and a failure ends in a plain
dialog (the traceback goes to the log).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from northbeam_desktop.core.files.reports import export_problems
from northbeam_desktop.core.files.save import (
    can_save_in_place,
    save_document,
    save_notice,
    suggested_save_path,
)
from northbeam_desktop.core.local.recovery import FileFingerprint, file_fingerprint
from northbeam_desktop.core.orders.document import OrderDocument
from northbeam_desktop.ui.document import choice
from northbeam_desktop.ui.document.host import DocumentHost
from northbeam_desktop.ui.document.journaling import EditJournaling
from northbeam_desktop.ui.document.loader import run_in_background
from northbeam_desktop.ui.document.state import FileOnDisk, SessionState

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
WRITABLE_SUFFIXES = (".xlsx", ".xlsm", *TEXT_SUFFIXES)
WORKBOOK_SOURCES = ("xlsx", "xlsm", "xls", "ods")
SAVE_FILTERS = {
    ".xlsx": "Excel workbook (*.xlsx)",
    ".xlsm": "Excel macro-enabled workbook (*.xlsm)",
    ".csv": "CSV, comma-separated (*.csv)",
    ".tsv": "Tab-separated text (*.tsv)",
    ".txt": "Text (*.txt)",
}
EXPORT_FILTER = "Excel workbook (*.xlsx);;CSV, comma-separated (*.csv)"

Then = Callable[[], object] | None


class Saving(QObject):
    """Signals: `saved(str)` / `save_failed(str)` with the path or the reason; `exported(int)`
    with the number of problem rows written."""

    saved = Signal(str)
    save_failed = Signal(str)
    exported = Signal(int)

    def __init__(
        self, window: DocumentHost, state: SessionState, journaling: EditJournaling
    ) -> None:
        super().__init__(window)
        self.window = window
        self.state = state
        self.journaling = journaling
        self._notices_accepted: set[tuple[str, str]] = set()  # (target, what it cannot keep)
        self._close_when_idle = False

    def close_window_when_done(self) -> None:
        """The user closed the window during a save or an export: close it once that ends."""
        self._close_when_idle = True
        self.window.show_status("Saving… the window closes when it is done.")

    # ---- Save and Save As ------------------------------------------------------------------

    def save(self, then: Then = None) -> bool:
        """Save (Ctrl+S); `then` runs after a successful save. False if nothing was started."""
        view = self.state.view
        if view is None or self.state.refuse_while_busy(self.window):
            return False
        view.commit_pending_edit()
        sheet = view.document.sheet
        if self.state.save_path is not None:
            return self._write(self.state.save_path, then)
        if not can_save_in_place(sheet):
            return self.save_as(then=then)
        name = Path(sheet.path).name
        answer = choice.ask_choice(
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
        if answer == "save_as":
            return self.save_as(then=then)
        if answer != "replace":
            return False
        return self._write(sheet.path, then)

    def save_as(self, then: Then = None) -> bool:
        """Save As (Ctrl+Shift+S): ask for a file name, then write."""
        view = self.state.view
        if view is None or self.state.refuse_while_busy(self.window):
            return False
        view.commit_pending_edit()
        if self.state.save_path is not None:
            suggested = Path(self.state.save_path)
        else:
            original = suggested_save_path(view.document.sheet)
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
            if target.exists() and not self._confirm_replace(target):
                return False
        return self._write(str(target), then)

    def _confirm_replace(self, target: Path) -> bool:
        answer = QMessageBox.question(
            self.window,
            "Replace file?",
            f"“{target.name}” already exists. Do you want to replace it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _changed_elsewhere(self, target: str) -> bool:
        """True when `target` is the file we read (or last saved) and another program has
        changed it since."""
        known = self.state.on_disk
        if known is None or known.fingerprint is None or Path(known.path) != Path(target):
            return False
        try:
            return file_fingerprint(target).differs_from(known.fingerprint)
        except OSError:
            return False  # gone or unreadable: nothing there to overwrite by surprise

    def _may_write(self, target: str) -> bool:
        """Asks about a file changed on disk and about what the format cannot keep."""
        if self._changed_elsewhere(target):
            answer = QMessageBox.question(
                self.window,
                "File changed on disk",
                f"“{Path(target).name}” was changed by another program since you opened it "
                "here. Replace it with your version anyway? Choose Cancel, then Save As, to "
                "keep both.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        return self._accept_save_notice(target)

    def _write(self, target: str, then: Then) -> bool:
        view = self.state.view
        assert view is not None
        name = Path(target).name
        if not self._may_write(target):
            return False

        def write(document: OrderDocument, path: str) -> FileFingerprint | None:
            save_document(document, path)
            try:
                return file_fingerprint(path)
            except OSError:
                return None

        def finished(fingerprint: FileFingerprint | None) -> None:
            self.state.task = None
            if self.state.view is not view:
                return
            view.set_read_only(False)
            self._saved(target, fingerprint)
            if then is not None:
                then()
            self._maybe_close_when_idle()

        def failed(message: str) -> None:
            self.state.task = None
            self._close_when_idle = False
            if self.state.view is view:
                view.set_read_only(False)
            QMessageBox.warning(self.window, f"“{name}” was not saved", message)
            self.save_failed.emit(message)

        view.set_read_only(True)
        self.window.show_status(f"Saving “{name}”…", 0)
        self.state.task = run_in_background(
            write, finished, failed, view.document, target, what=f"saving {name}"
        )
        return True

    def _accept_save_notice(self, target: str) -> bool:
        """Says what the file cannot keep of the original before the first such save; False
        if the user cancels."""
        assert self.state.view is not None
        notice = save_notice(self.state.view.document.sheet, target)
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
        state = self.state
        view = state.view
        assert view is not None
        doc = view.document
        state.restored_dirty = False
        suffix = Path(target).suffix.lower()
        workbook_source = doc.sheet.source.kind in WORKBOOK_SOURCES
        sheet = doc.sheet.sheet if suffix not in TEXT_SUFFIXES and workbook_source else None
        # Journals from now on are about the saved file (set before setClean(), whose signal
        # may start one to hold the chosen column mapping).
        state.on_disk = FileOnDisk(target, sheet, fingerprint)
        self.journaling.journal.discard()
        view.undo_stack.setClean()
        self.journaling.keep_chosen_mapping()
        state.save_path = target
        self.window.set_document_path(target)
        self.window.remember_recent_file(target)
        state.show_modified(self.window)
        self.window.show_status(f"Saved “{Path(target).name}”.")
        log.info("Saved %s", Path(target).name)
        self.saved.emit(target)

    def _maybe_close_when_idle(self) -> None:
        if self._close_when_idle and self.state.task is None:
            self._close_when_idle = False
            self.window.close()

    # ---- exporting the problem rows --------------------------------------------------------

    def export_problems(self) -> bool:
        """File → Export Problems…: the rows with problems plus a Problems column."""
        view = self.state.view
        if view is None or self.state.refuse_while_busy(self.window):
            return False
        doc = view.document
        if not doc.all_issues():
            QMessageBox.information(
                self.window,
                "Export Problems",
                "There are no problems to export: every order in this file is fine.",
            )
            return False
        source = Path(self.state.save_path or doc.sheet.path)
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
            self.state.task = None
            if self.state.view is view:
                view.set_read_only(False)
            self.window.show_status(
                f"Saved {count:,} row{'s' if count != 1 else ''} with problems to "
                f"“{target.name}”. Fix them in Excel, then open that file here to check it."
            )
            self.exported.emit(count)
            self._maybe_close_when_idle()

        def failed(message: str) -> None:
            self.state.task = None
            self._close_when_idle = False
            if self.state.view is view:
                view.set_read_only(False)
            QMessageBox.warning(self.window, "Problems not exported", message)

        view.set_read_only(True)
        self.state.task = run_in_background(
            export_problems, finished, failed, doc, str(target), what="exporting the problems"
        )
        return True
