"""The Upload dialog: confirm where orders go, watch them go, and see what Northbeam said.

Pages, in order:

1. *Preparing* — payloads are built and classified against the upload ledger on a pool thread
   (`upload_job.prepare_upload`); a large file takes a second or two.
2. *Confirm* — destination (environment and host), how many orders are new / changed /
   unchanged / failed last time / skipped for errors / cancelled in the shop (held back unless
   Upload → Send Cancelled Orders is on), and the bytes to send, with "Send unchanged orders
   too". Production gets an orange banner and a deliberate confirmation: the Upload button
   stays disabled until the user types UPLOAD or the number of orders.
3. *Uploading* — progress bar, orders per second, time left, Cancel. The upload runs on the
   app's thread pool (`worker.UploadWorker`); each batch's answers come back as signals
   and are applied to the document's records here, on the GUI thread, followed by
   `statuses_changed(records)` so the table repaints.
4. *Done* — accepted / rejected / not sent / unchanged / skipped counts, the orders Northbeam
   rejected (click one: `order_activated(record)`), "Export Results…" and Close.

A credentials problem (no keyring, no key saved, or Northbeam refusing the key) is shown in plain
words with a "Connection Settings…" button, which emits `settings_requested` and closes.
A damaged upload record (moved aside by the ledger) asks whether to start a new record, which
sends every order again; another upload holding the record is named on the problem page.

Closing the dialog while orders are being sent asks first; stopping waits for the answers to
requests already on the wire so nothing is reported accepted that Northbeam did not acknowledge.
The ledger makes the next upload resume truthfully: accepted orders count as unchanged, the rest
are sent.

Each page is its own widget (`status_pages.PreparingPage` and `ProblemPage`,
`confirm_page.ConfirmPage`, `progress_page.ProgressPage`, `done_page.DonePage`), built from
`widgets` and worded with `wording`; `results` writes Northbeam's answers into the records.
This module is the flow between them.

Use (from the main window)::

    dialog = UploadDialog.for_preferences(doc, records, window.preferences,
                                          window.session_credentials, parent=window)
    dialog.statuses_changed.connect(table_model.refresh_orders)
    dialog.order_activated.connect(view.show_order)
    dialog.settings_requested.connect(window.open_connection_settings)
    dialog.open()
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QMessageBox,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.local.secrets import Credentials
from northbeam_desktop.core.local.settings import Preferences, SessionCredentials
from northbeam_desktop.core.northbeam.environments import (
    EndpointError,
    Environment,
    resolve_endpoint,
)
from northbeam_desktop.core.northbeam.ledger import Ledger, LedgerDamaged, LedgerError
from northbeam_desktop.core.northbeam.outcomes import Progress, UploadReport
from northbeam_desktop.core.northbeam.planning import UploadOptions
from northbeam_desktop.core.northbeam.upload_job import (
    PreparedUpload,
    SettledOrders,
    UploadRun,
    UploadTarget,
)
from northbeam_desktop.core.orders.document import OrderDocument, OrderRecord
from northbeam_desktop.ui.dialogs.upload.confirm_page import ConfirmPage
from northbeam_desktop.ui.dialogs.upload.done_page import DonePage
from northbeam_desktop.ui.dialogs.upload.ledger_holder import LedgerHolder
from northbeam_desktop.ui.dialogs.upload.ledger_question import ask_to_start_new_record
from northbeam_desktop.ui.dialogs.upload.progress_page import ProgressPage
from northbeam_desktop.ui.dialogs.upload.results import apply_report, apply_settled
from northbeam_desktop.ui.dialogs.upload.stage import UploadStage
from northbeam_desktop.ui.dialogs.upload.status_pages import PreparingPage, ProblemPage
from northbeam_desktop.ui.dialogs.upload.widgets import Pages
from northbeam_desktop.ui.dialogs.upload.worker import PrepareWorker, UploadWorker
from northbeam_desktop.ui.workers import start_worker, thread_pool

log = logging.getLogger(__name__)

__all__ = ["UploadDialog"]

PREPARE_DELAY_MS = 120
STOP_QUESTION = (
    "Stop the upload? Orders already accepted stay in Northbeam; the rest can be sent again later."
)


class UploadDialog(QDialog):
    """Upload `records` of `doc` to one environment (see the module docstring).

    Signals:

    * `statuses_changed(list[OrderRecord])` — these records' `upload_status` (accepted,
      failed, not_sent, unchanged, skipped) and cell marks changed; repaint them.
    * `order_activated(OrderRecord)` — the user clicked an order in the summary; show it.
    * `settings_requested()` — open Connection settings (the dialog closes itself).
    * `upload_finished(UploadReport)` — the upload ended (completely, stopped or cancelled).
    * `stage_changed(str)` — "preparing", "confirm", "problem", "uploading" or "done".
    """

    statuses_changed = Signal(list)
    order_activated = Signal(object)
    settings_requested = Signal()
    upload_finished = Signal(object)
    stage_changed = Signal(str)

    def __init__(
        self,
        doc: OrderDocument,
        records: Sequence[OrderRecord],
        *,
        environment: Environment | str,
        base_url: str,
        credentials: Credentials | None = None,
        ledger: Ledger | None = None,
        options: UploadOptions | None = None,
        pool: QThreadPool | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.records = list(records)
        self.target = UploadTarget(Environment(environment), base_url.rstrip("/"))
        self.credentials = credentials
        self.options = options
        self.pool = pool or thread_pool()
        self._ledger = LedgerHolder(ledger)
        self.prepared: PreparedUpload | None = None
        self.report: UploadReport | None = None
        self.run_result: UploadRun | None = None
        self.stage = UploadStage.NOT_STARTED
        self._prepare_worker: PrepareWorker | None = None
        self._upload_worker: UploadWorker | None = None
        self._close_when_stopped = False
        self._accepted_live = 0
        self._failed_live = 0

        self.setWindowTitle(f"Upload to {self.target.name}")
        self.setModal(True)
        self.setMinimumWidth(560)
        self.setAccessibleName("Upload orders")

        self.pages = Pages()
        self.preparing_page = PreparingPage(self.target)
        self.confirm_page = ConfirmPage(self.target)
        self.problem_page = ProblemPage(self.target)
        self.progress_page = ProgressPage(self.target)
        self.done_page = DonePage(self.target)
        for page in (
            self.preparing_page,
            self.confirm_page,
            self.problem_page,
            self.progress_page,
            self.done_page,
        ):
            self.pages.add(page)
        self._connect_pages()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.addWidget(self.pages)

        if not self.target.base_url:
            self._show_problem(
                "No address is set for the custom URL. Enter it in Connection settings.",
                settings_hint=True,
            )
        else:
            self._start_preparing()

    def _connect_pages(self) -> None:
        self.preparing_page.cancel_button.clicked.connect(self.reject)
        self.confirm_page.cancel_button.clicked.connect(self.reject)
        self.confirm_page.upload_button.clicked.connect(self._on_upload_button_clicked)
        self.problem_page.problem_settings_button.clicked.connect(self._on_settings_button_clicked)
        self.problem_page.close_button.clicked.connect(self.reject)
        self.progress_page.stop_button.clicked.connect(self._on_stop_button_clicked)
        done = self.done_page
        done.failed_list.itemActivated.connect(self._on_failed_list_item_activated)
        done.failed_list.itemClicked.connect(self._on_failed_list_item_activated)
        done.done_settings_button.clicked.connect(self._on_settings_button_clicked)
        done.export_button.clicked.connect(self._on_export_button_clicked)
        done.close_button.clicked.connect(self.accept)

    # -- construction from the main window's state -----------------------------------------------

    @classmethod
    def for_preferences(
        cls,
        doc: OrderDocument,
        records: Sequence[OrderRecord],
        preferences: Preferences,
        session: SessionCredentials | None = None,
        *,
        ledger: Ledger | None = None,
        parent: QWidget | None = None,
    ) -> UploadDialog:
        """A dialog for the environment in `preferences`, using this session's key if any."""
        env = preferences.environment
        try:
            base_url = resolve_endpoint(env, preferences.custom_url)
        except EndpointError as err:
            dialog = cls(doc, records, environment=env, base_url="", ledger=ledger, parent=parent)
            dialog._show_problem(str(err), settings_hint=True)
            return dialog
        creds = session.get(env) if session is not None else None
        return cls(
            doc,
            records,
            environment=env,
            base_url=base_url,
            credentials=creds,
            ledger=ledger,
            parent=parent,
        )

    # -- state -------------------------------------------------------------------------------------

    @property
    def is_uploading(self) -> bool:
        return self._upload_worker is not None

    @property
    def is_stopping(self) -> bool:
        """The user chose to stop: the dialog closes itself once the last answers are in."""
        return self._upload_worker is not None and self._close_when_stopped

    @property
    def ledger(self) -> Ledger:
        """The upload record, opened on first use (raises LedgerError with a sentence)."""
        return self._ledger.get()

    def force(self) -> bool:
        return self.confirm_page.force()

    def _set_stage(self, stage: UploadStage, page: QWidget) -> None:
        self.stage = stage
        self.pages.set_current(page)
        layout = self.layout()
        if layout is not None:
            layout.activate()
        # Each page gets the height it needs; the width the user chose is kept.
        self.resize(max(self.width(), self.sizeHint().width()), self.sizeHint().height())
        self.stage_changed.emit(stage)

    # -- preparing -------------------------------------------------------------------------------

    def _start_preparing(self) -> None:
        self._set_stage(UploadStage.PREPARING, self.preparing_page)
        # The worker starts a moment later: the dialog is shown and the window behind it
        # repainted as inactive first, while the interpreter is still free for painting
        # (a worker building payloads makes every paint wait for the interpreter lock).
        QTimer.singleShot(PREPARE_DELAY_MS, self._start_prepare_worker)

    def _start_prepare_worker(self) -> None:
        if self.stage is not UploadStage.PREPARING or self._prepare_worker is not None:
            return  # closed meanwhile
        try:
            ledger = self.ledger
        except LedgerError as err:
            self._ledger_failed(err)
            return
        worker = PrepareWorker(
            self.doc,
            self.records,
            self.target,
            credentials=self.credentials,
            ledger=ledger,
        )
        worker.signals.finished.connect(self._on_prepare_worker_finished)
        worker.signals.failed.connect(self._on_prepare_worker_failed)
        self._prepare_worker = worker
        start_worker(worker, self.pool)

    def _on_prepare_worker_finished(self, prepared: PreparedUpload) -> None:
        self._prepare_worker = None
        if self.stage is not UploadStage.PREPARING:
            self._ledger.close_owned()  # the dialog was closed meanwhile
            return
        self.prepared = prepared
        self.confirm_page.fill(prepared)
        self._set_stage(UploadStage.CONFIRM, self.confirm_page)
        self.confirm_page.focus_first()

    def _on_prepare_worker_failed(self, message: str) -> None:
        worker, self._prepare_worker = self._prepare_worker, None
        if self.stage is not UploadStage.PREPARING:
            self._ledger.close_owned()
            return
        if worker is not None and worker.ledger_error is not None:
            self._ledger_failed(worker.ledger_error)
            return
        self._show_problem(message, settings_hint=bool(worker and worker.credentials_problem))

    def _ledger_failed(self, err: LedgerError) -> None:
        """A damaged record was moved aside: the user decides whether to start a new one (and
        send every order again); anything else about the record is shown as the problem."""
        if isinstance(err, LedgerDamaged) and err.moved_to is not None:
            self._ledger.forget()
            if ask_to_start_new_record(self, err):
                self._start_preparing()
            else:
                self.reject()
            return
        self._show_problem(str(err), settings_hint=False)

    def _show_problem(self, message: str, *, settings_hint: bool) -> None:
        self.problem_page.show_problem(message, settings_hint=settings_hint)
        self._set_stage(UploadStage.PROBLEM, self.problem_page)

    # -- confirm ---------------------------------------------------------------------------------

    def _on_upload_button_clicked(self) -> None:
        if not self.confirm_page.upload_button.isEnabled() or self.prepared is None:
            return
        self._start_upload()

    # -- uploading -------------------------------------------------------------------------------

    def _start_upload(self) -> None:
        prepared = self.prepared
        assert prepared is not None
        force = self.force()
        self.progress_page.start(prepared.to_send(force))
        self._accepted_live = self._failed_live = 0
        worker = UploadWorker(prepared, ledger=self.ledger, options=self.options, force=force)
        worker.signals.progress.connect(self._on_upload_worker_progress)
        worker.signals.finished.connect(self._on_upload_worker_finished)
        worker.signals.failed.connect(self._on_upload_worker_failed)
        self._upload_worker = worker
        self._set_stage(UploadStage.UPLOADING, self.progress_page)
        self.progress_page.stop_button.setFocus()
        start_worker(worker, self.pool)

    def _on_upload_worker_progress(self, event: object) -> None:
        if isinstance(event, SettledOrders):
            self._apply_settled(event)
        elif isinstance(event, Progress) and self.progress_page.show_progress(event):
            self._fit_height()

    def _fit_height(self) -> None:
        """Grow (never shrink) when a longer message wraps onto another line."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        wanted = self.heightForWidth(self.width()) if self.hasHeightForWidth() else -1
        wanted = max(wanted, self.sizeHint().height())
        if wanted > self.height():
            self.resize(self.width(), wanted)

    def _apply_settled(self, event: SettledOrders) -> None:
        """Turn rows green (or red) as Northbeam answers, batch by batch."""
        prepared = self.prepared
        if prepared is None:
            return
        changed = apply_settled(self.doc, prepared, event)
        self._accepted_live += len(event.accepted)
        self._failed_live += len(event.failed)
        self.progress_page.show_tally(self._accepted_live, self._failed_live)
        if changed:
            self.statuses_changed.emit(changed)

    def _on_stop_button_clicked(self) -> None:
        self._stop_upload()

    def _stop_upload(self) -> None:
        worker = self._upload_worker
        if worker is None:
            return
        worker.cancel()
        self.progress_page.show_stopping()
        self._fit_height()

    def _on_upload_worker_finished(self, run: UploadRun) -> None:
        self._upload_worker = None
        self.run_result = run
        self.report = run.report
        prepared = self.prepared
        assert prepared is not None
        changed = apply_report(self.doc, prepared, run.report)
        if changed:
            self.statuses_changed.emit(changed)
        self.done_page.fill(run, prepared, self.doc)
        self._set_stage(UploadStage.DONE, self.done_page)
        self.done_page.close_button.setFocus()
        self.upload_finished.emit(run.report)
        if self._close_when_stopped:
            self.reject()

    def _on_upload_worker_failed(self, message: str) -> None:
        # run_upload never raises for Northbeam's answers: another upload holds the record,
        # the record is damaged, or a bug.
        worker, self._upload_worker = self._upload_worker, None
        if self._close_when_stopped:
            self.reject()
            return
        if worker is not None and worker.ledger_error is not None:
            self._ledger_failed(worker.ledger_error)
            return
        self._show_problem(message, settings_hint=False)

    # -- done ------------------------------------------------------------------------------------

    def _on_failed_list_item_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        prepared = self.prepared
        order_id = item.data(0, Qt.ItemDataRole.UserRole)
        record = prepared.records.get(order_id) if prepared is not None else None
        if record is not None:
            self.order_activated.emit(record)

    def _on_export_button_clicked(self) -> None:
        if self.report is None:
            return
        skipped = self.prepared.skipped if self.prepared is not None else []
        self.done_page.export_results(self.report, self.doc, skipped)

    def _on_settings_button_clicked(self) -> None:
        self.settings_requested.emit()
        self.reject()

    # -- closing ---------------------------------------------------------------------------------

    def request_stop(self) -> bool:
        """Ask before stopping a running upload. True if nothing is running any more (the
        caller may close); False while an upload is stopping (the dialog closes itself when
        the last answers are in) or when the user chose to let it run."""
        if self._upload_worker is None:
            return True
        answer = QMessageBox.question(
            self,
            "Stop the upload?",
            STOP_QUESTION,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._close_when_stopped = True
            self._stop_upload()
        return False

    def reject(self) -> None:  # Qt override: Esc, the title bar's close button, Cancel
        if self._upload_worker is not None:
            self.request_stop()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        if self._upload_worker is not None:
            event.ignore()
            self.request_stop()
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        # Enter must never start a Production upload by accident; only the button does.
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.stage is UploadStage.CONFIRM
            and self.target.is_production
        ):
            event.accept()
            return
        super().keyPressEvent(event)

    def done(self, result: int) -> None:  # Qt override: every way of closing ends here
        if self._upload_worker is not None:
            return
        self.stage = UploadStage.CLOSED
        super().done(result)
        if self._prepare_worker is None:
            self._ledger.close_owned()
