"""Full re-checks of the open document (a new column mapping, time zone or hashing): in place
with a busy cursor for ordinary files, or off the GUI thread for big ones while the view shows
that it is busy. A failure is shown in a dialog titled for what was being done."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from northbeam_desktop.ui.document.commands import busy_cursor
from northbeam_desktop.ui.document.loader import run_in_background
from northbeam_desktop.ui.document.model import OrdersTableModel
from northbeam_desktop.ui.workers import FunctionWorker

__all__ = ["Rechecker"]


class Rechecker(QObject):
    """Signals: `busy_changed(bool, str)` — a background re-check started (with what to say)
    or ended; `rebuilt()` — the document was rebuilt, in place or in the background."""

    busy_changed = Signal(bool, str)
    rebuilt = Signal()

    def __init__(self, model: OrdersTableModel, parent: QWidget) -> None:
        super().__init__(parent)
        self._model = model
        self._window = parent
        self.busy = False
        self._worker: FunctionWorker | None = None
        self._title = "Checking the orders"

    def run(
        self, rebuild: Callable[[], object], message: str, title: str, *, in_background: bool
    ) -> None:
        """Run `rebuild()` unless a background re-check is still running."""
        if self.busy:
            return
        if not in_background:
            try:
                with busy_cursor():
                    rebuild()
            except ValueError as exc:
                QMessageBox.warning(self._window, title, str(exc))
            self._model.reset_document()
            self.rebuilt.emit()
            return
        self._title = title
        self._set_busy(True, message)
        self._worker = run_in_background(rebuild, self._on_finished, self._on_failed)

    def _set_busy(self, busy: bool, message: str = "") -> None:
        self.busy = busy
        self.busy_changed.emit(busy, message)

    def _on_finished(self, _result: object) -> None:
        self._worker = None
        self._set_busy(False)
        self.rebuilt.emit()

    def _on_failed(self, message: str) -> None:
        self._worker = None
        self._set_busy(False)
        QMessageBox.warning(self._window, self._title, message)
