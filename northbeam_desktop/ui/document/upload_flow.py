"""Upload (Ctrl+U) from the open document: which orders, the Upload dialog, and the table
following Northbeam's answers as they arrive.

While the dialog is open the document is read-only (another thread reads the payloads). The
rows of answered orders are repainted in batches, at most ten times a second, so a fast upload
does not repaint for every batch; rejected orders join the problems list when the upload ends.
Closing the window during an upload asks to stop it first and closes once the answers are in.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from northbeam_desktop.core.northbeam.uploader import UploadReport
from northbeam_desktop.core.orders.records import OrderRecord
from northbeam_desktop.ui.dialogs.upload.dialog import UploadDialog
from northbeam_desktop.ui.dialogs.upload.stage import UploadStage
from northbeam_desktop.ui.document import choice
from northbeam_desktop.ui.document.host import DocumentHost
from northbeam_desktop.ui.document.loader import DocumentLoader
from northbeam_desktop.ui.document.order_status import upload_failed
from northbeam_desktop.ui.document.state import SessionState
from northbeam_desktop.ui.document.view import DocumentView

STATUS_FLUSH_MS = 100  # upload answers are painted at most ten times a second


def _selected_orders(count: int) -> str:
    return f"{count:,} selected order{'s' if count != 1 else ''}"


class UploadFlow(QObject):
    """Signal: `upload_started(UploadDialog)` — the Upload dialog is open."""

    upload_started = Signal(object)

    def __init__(self, window: DocumentHost, state: SessionState, loader: DocumentLoader) -> None:
        super().__init__(window)
        self.window = window
        self.state = state
        self.loader = loader
        self._close_after_upload = False
        self._pending_statuses: dict[int, OrderRecord] = {}
        self._pending_failures = False
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(STATUS_FLUSH_MS)
        self._status_timer.timeout.connect(self._flush_statuses)

    def upload(self) -> UploadDialog | None:
        """The selected rows' orders or all valid orders, in the Upload dialog."""
        view = self.state.view
        if view is None or self.state.refuse_while_busy(self.window) or self.loader.busy:
            return None
        view.commit_pending_edit()
        doc = view.document
        # Every order goes to the dialog: it sends the valid ones and counts the rest as
        # "skipped because of errors" on its confirmation page.
        records = list(doc.orders)
        valid = 0 if doc.blocked else len(doc.valid_orders)
        if _selection_spans_rows(view):
            selected = view.selected_records()
            answer = choice.ask_choice(
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
            if answer == "cancel":
                return None
            if answer == "selected":
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
        self.state.upload_dialog = dialog
        dialog.open()
        self.upload_started.emit(dialog)
        return dialog

    def stop_before_closing(self) -> bool:
        """The window is closing: True if no upload is running; otherwise ask to stop it (the
        window closes once the last answers are in) and return False."""
        dialog = self.state.upload_dialog
        if dialog is None or not dialog.is_uploading:
            return True
        dialog.request_stop()
        if dialog.is_stopping:
            self._close_after_upload = True
        return False

    def forget_pending(self) -> None:
        """The document is closing: no more repaints for it."""
        self._status_timer.stop()
        self._pending_statuses.clear()

    # ---- the table follows the answers -----------------------------------------------------

    def _on_upload_dialog_statuses_changed(self, records: list[OrderRecord]) -> None:
        for record in records:
            self._pending_statuses[id(record)] = record
            if upload_failed(record):
                self._pending_failures = True
        if not self._status_timer.isActive():
            self._status_timer.start()

    def _flush_statuses(self) -> None:
        """Repaint the rows of the orders answered since the last flush."""
        self._status_timer.stop()
        records = list(self._pending_statuses.values())
        self._pending_statuses.clear()
        view = self.state.view
        if view is None or not records:
            return
        # Accepted orders change only their Status cell; rejected ones get marks on any cell.
        marked = [r for r in records if r.server_issues or upload_failed(r)]
        plain = [r for r in records if not (r.server_issues or upload_failed(r))]
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
        view = self.state.view
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
        dialog = self.state.upload_dialog
        if stage == UploadStage.UPLOADING and dialog is not None:
            self.window.show_status(
                f"Uploading to {dialog.target.name}… each row shows Northbeam's answer as it "
                "arrives.",
                0,
            )

    def _on_upload_dialog_order_activated(self, record: OrderRecord) -> None:
        view = self.state.view
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
        dialog, self.state.upload_dialog = self.state.upload_dialog, None
        self._flush_statuses()
        if self.state.view is not None:
            self.state.view.set_read_only(False)
        if dialog is not None:
            dialog.deleteLater()
        if self._close_after_upload:
            self._close_after_upload = False
            self.window.close()


def _selection_spans_rows(view: DocumentView) -> bool:
    selection = view.table.selectionModel()
    if selection.selectedRows():
        return True
    return len(view.selected_rows()) > 1
