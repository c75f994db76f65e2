"""Nothing typed is lost: every change to the open document goes into the recovery journal
the moment it is made.

`EditJournaling` listens to the view (cells written, rows deleted and put back, a column
mapping chosen) and records each change in `core.local.recovery.RecoveryJournal`, against the
file as loaded or as last saved (`SessionState.on_disk`). The journal is deleted when the edits
are saved or thrown away, and when undo brings the document back to the saved state; a column
mapping the user chose is kept in a journal of its own until then. If the journal cannot be
written the user is told once, in a dialog, and in the status bar each time.
"""

from __future__ import annotations

import contextlib
import logging

from PySide6.QtWidgets import QMessageBox

from northbeam_desktop.core.local.recovery import RecoveryInfo, RecoveryJournal
from northbeam_desktop.core.orders.mapping import Mapping
from northbeam_desktop.core.orders.sheet import CellValue
from northbeam_desktop.ui.document.host import DocumentHost
from northbeam_desktop.ui.document.state import SessionState
from northbeam_desktop.ui.document.view import DocumentView

log = logging.getLogger(__name__)


class EditJournaling:
    """Keeps `journal` in step with the view in `state` (see the module docstring)."""

    def __init__(self, window: DocumentHost, state: SessionState, journal: RecoveryJournal) -> None:
        self.window = window
        self.state = state
        self.journal = journal
        # The column mapping the user chose for this document, journaled with its edits so a
        # crash does not take it away: (mapping, time zone), or None while it is the automatic one.
        self.chosen_mapping: tuple[Mapping, str | None] | None = None
        self._warned = False

    # ---- following a view ------------------------------------------------------------------

    def attach(self, view: DocumentView, *, mapping_restored: bool) -> None:
        """Journal the edits of `view` (just opened; `mapping_restored`: a crash journal put
        the user's column mapping back, which stays the chosen one)."""
        doc = view.document
        self.chosen_mapping = (
            (doc.mapping.copy(), doc.options.timezone) if mapping_restored else None
        )
        view.mapping_applied.connect(self._on_view_mapping_applied)
        model = view.model
        model.cells_written.connect(self._on_model_cells_written)
        model.rows_deleted.connect(self._on_model_rows_deleted)
        model.rows_restored.connect(self._on_model_rows_restored)

    def detach(self, view: DocumentView, *, discard: bool) -> None:
        """Stop listening to `view` (and delete the journal when `discard`)."""
        try:
            connections = [
                (view.model.cells_written, self._on_model_cells_written),
                (view.model.rows_deleted, self._on_model_rows_deleted),
                (view.model.rows_restored, self._on_model_rows_restored),
                (view.mapping_applied, self._on_view_mapping_applied),
            ]
        except RuntimeError:  # the view's objects are already gone, and their connections
            connections = []
        for signal, slot in connections:
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)
        if discard:
            self.journal.discard()

    def resume(self, info: RecoveryInfo) -> None:
        """Go on writing the journal whose edits were just restored."""
        try:
            self.journal.resume(info)
        except (OSError, RuntimeError) as exc:
            log.warning("Could not continue the recovery journal: %s", exc)
            self._warn("Your restored changes could not be kept in the recovery file. Save soon.")

    # ---- saved and unsaved -----------------------------------------------------------------

    def back_to_saved(self) -> None:
        """Undo went all the way back to what is on disk: nothing left to recover but the
        column mapping, if the user chose one (a new journal then holds just that)."""
        self.journal.discard()
        if self.chosen_mapping is not None:
            self._ready()

    def keep_chosen_mapping(self) -> None:
        """After a save: a chosen column mapping is still not in the saved file."""
        if self.chosen_mapping is not None and not self.journal.active:
            self._ready()

    # ---- writing ---------------------------------------------------------------------------

    def _ready(self) -> bool:
        if self.journal.active:
            return True
        on_disk = self.state.on_disk
        if on_disk is None:
            return False
        try:
            self.journal.start(on_disk.path, on_disk.sheet, on_disk.fingerprint)
            if self.chosen_mapping is not None:
                self.journal.record_mapping(*self.chosen_mapping)
        except (OSError, RuntimeError) as exc:
            log.warning("Could not start the recovery journal: %s", exc)
            self._warn(
                "Your changes cannot be written to a recovery file on this computer, so they "
                "would be lost if the app stopped unexpectedly. Save your work regularly."
            )
            return False
        return True

    def _warn(self, message: str) -> None:
        self.window.show_status(message)
        if not self._warned:
            self._warned = True
            QMessageBox.warning(self.window, "Recovery file", message)

    def _after_write(self) -> None:
        if self.journal.error:
            self._warn(self.journal.error)

    def _on_model_cells_written(self, changes: list[tuple[int, int, CellValue]]) -> None:
        view = self.state.view
        if view is None or not changes or not self._ready():
            return
        sheet = view.document.sheet
        self.journal.record_sets(
            (sheet.row_numbers[row], sheet.headers[col], value) for row, col, value in changes
        )
        self._after_write()

    def _on_view_mapping_applied(self, mapping: Mapping, timezone: str | None) -> None:
        self.chosen_mapping = (mapping, timezone)
        if self.journal.active:
            self.journal.record_mapping(mapping, timezone)
        elif not self._ready():  # starting the journal records the mapping
            return
        self._after_write()

    def _on_model_rows_deleted(self, numbers: list[int]) -> None:
        if self.state.view is None or not self._ready():
            return
        self.journal.record_delete(numbers)
        self._after_write()

    def _on_model_rows_restored(self, rows: list[tuple[int, list[CellValue]]]) -> None:
        view = self.state.view
        if view is None or not self._ready():
            return
        self.journal.record_insert(rows, view.document.sheet.headers)
        self._after_write()
