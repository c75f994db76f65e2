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
import math
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.files.errors import SaveError
from northbeam_desktop.core.files.reports import export_upload_results
from northbeam_desktop.core.local.secrets import Credentials
from northbeam_desktop.core.local.settings import Preferences, SessionCredentials
from northbeam_desktop.core.northbeam.environments import (
    EndpointError,
    Environment,
    resolve_endpoint,
)
from northbeam_desktop.core.northbeam.ledger import Ledger, LedgerDamaged, LedgerError, OrderClass
from northbeam_desktop.core.northbeam.outcomes import (
    OrderOutcome,
    Progress,
    UploadReport,
    UploadStatus,
)
from northbeam_desktop.core.northbeam.planning import UploadOptions
from northbeam_desktop.core.northbeam.upload_job import (
    PreparedUpload,
    SettledOrders,
    UploadRun,
    UploadTarget,
)
from northbeam_desktop.core.northbeam.wording import format_bytes, format_seconds
from northbeam_desktop.core.orders.document import OrderDocument, OrderRecord
from northbeam_desktop.ui.dialogs.upload.ledger_question import ask_to_start_new_record
from northbeam_desktop.ui.dialogs.upload.stage import UploadStage
from northbeam_desktop.ui.dialogs.upload.worker import PrepareWorker, UploadWorker
from northbeam_desktop.ui.workers import start_worker, thread_pool

log = logging.getLogger(__name__)

__all__ = ["UploadDialog"]

# Colours are explicit so Production looks the same (unmistakable) in light and dark mode;
# they match the main window's environment badge.
_BANNERS = {
    Environment.PRODUCTION: ("#c2410c", "#ffffff", "#7c2d12"),
    Environment.SANDBOX: ("#dbeafe", "#1e3a8a", "#93c5fd"),
    Environment.CUSTOM: ("#ede9fe", "#4c1d95", "#c4b5fd"),
}
_CONFIRM_WORD = "UPLOAD"
PREPARE_DELAY_MS = 120
STOP_QUESTION = (
    "Stop the upload? Orders already accepted stay in Northbeam; the rest can be sent again later."
)


def _n(count: int) -> str:
    return f"{count:,}"


def _orders(count: int) -> str:
    return f"{count:,} order{'s' if count != 1 else ''}"


def _time_left(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return ""
    return f"about {format_seconds(seconds)} left"


def _heading(text: str, scale: float = 1.35) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def _button(text: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.clicked.connect(slot)
    return button


def _button_row(*buttons: QPushButton) -> QHBoxLayout:
    """Buttons at the right edge of a page, in the order given."""
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


def _wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


# What happens to orders the shop cancelled, and where to change it.
_CANCELLED_NOTE = "not sent (Upload → Send Cancelled Orders sends them)"


def _held_back(records: list[OrderRecord]) -> int:
    """Of the orders not sent, those held back only because the shop cancelled them."""
    return sum(1 for record in records if record.held_back and not record.has_errors)


class _CountGrid(QWidget):
    """Rows of "label — number — what happens to them", numbers right-aligned."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(2, 1)
        self.rows: dict[str, tuple[QLabel, QLabel, QLabel]] = {}

    def add(self, key: str, label: str, *, bold: bool = False) -> None:
        row = len(self.rows)
        cells = (QLabel(label), QLabel("0"), QLabel(""))
        cells[1].setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        cells[2].setStyleSheet("color: palette(placeholder-text);")
        if bold:
            for cell in cells[:2]:
                font = QFont(cell.font())
                font.setBold(True)
                cell.setFont(font)
        for col, cell in enumerate(cells):
            self.grid.addWidget(cell, row, col)
        self.rows[key] = cells

    def set(self, key: str, count: int, note: str = "", *, visible: bool = True) -> None:
        label, number, hint = self.rows[key]
        number.setText(_n(count))
        hint.setText(note)
        for cell in (label, number, hint):
            cell.setVisible(visible)
        label.setAccessibleName(f"{label.text()}: {_n(count)}")

    def value(self, key: str) -> int:
        return int(self.rows[key][1].text().replace(",", ""))

    def label(self, key: str) -> str:
        return self.rows[key][0].text()

    def relabel(self, key: str, label: str) -> None:
        self.rows[key][0].setText(label)


class _Pages(QWidget):
    """Pages of which one shows; unlike QStackedWidget, the dialog takes the height of the page
    on show (QStackedLayout's height-for-width is that of its tallest page, wrapped labels
    included), so the short progress page is not drawn in the summary page's space."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._pages: list[QWidget] = []
        self._current: QWidget | None = None

    def add(self, page: QWidget) -> None:
        self._pages.append(page)
        self._box.addWidget(page)
        page.setVisible(self._current is None)
        if self._current is None:
            self._current = page

    def set_current(self, page: QWidget) -> None:
        self._current = page
        for other in self._pages:
            if other is not page:
                other.setVisible(False)
        page.setVisible(True)

    def current(self) -> QWidget | None:
        return self._current


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
        self._owns_ledger = ledger is None
        self._ledger = ledger
        self._ledger_path: Path | None = None  # None: the default place
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

        self.pages = _Pages()
        self.preparing_page = self._build_preparing_page()
        self.confirm_page = self._build_confirm_page()
        self.problem_page = self._build_problem_page()
        self.progress_page = self._build_progress_page()
        self.done_page = self._build_done_page()
        for page in (
            self.preparing_page,
            self.confirm_page,
            self.problem_page,
            self.progress_page,
            self.done_page,
        ):
            self.pages.add(page)
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
        if self._ledger is None:
            self._ledger = Ledger(self._ledger_path)
        return self._ledger

    def force(self) -> bool:
        return self.force_check.isChecked()

    def _set_stage(self, stage: UploadStage, page: QWidget) -> None:
        self.stage = stage
        self.pages.set_current(page)
        layout = self.layout()
        if layout is not None:
            layout.activate()
        # Each page gets the height it needs; the width the user chose is kept.
        self.resize(max(self.width(), self.sizeHint().width()), self.sizeHint().height())
        self.stage_changed.emit(stage)

    # -- pages -------------------------------------------------------------------------------------

    def _banner(self) -> QLabel:
        env = self.target.environment
        background, foreground, border = _BANNERS[env]
        if env is Environment.PRODUCTION:
            text = "PRODUCTION — these orders will be used in your live attribution."
        elif env is Environment.SANDBOX:
            text = "Sandbox (Northbeam UAT) — orders are checked but not stored."
        else:
            text = f"Custom URL — orders go to {self.target.host}."
        banner = QLabel(text)
        banner.setWordWrap(True)
        weight = "bold" if env is Environment.PRODUCTION else "normal"
        banner.setStyleSheet(
            f"QLabel {{ background: {background}; color: {foreground};"
            f" border: 1px solid {border}; border-radius: 6px; padding: 8px 12px;"
            f" font-weight: {weight}; }}"
        )
        banner.setAccessibleName(text)
        return banner

    def _build_preparing_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(_heading(f"Upload to {self.target.name}"))
        box.addWidget(_wrapped("Checking which orders Northbeam already has…"))
        busy = QProgressBar()
        busy.setRange(0, 0)
        busy.setTextVisible(False)
        busy.setAccessibleName("Preparing the upload")
        box.addWidget(busy)
        box.addStretch(1)
        box.addLayout(_button_row(_button("Cancel", self.reject)))
        return page

    def _build_confirm_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setSpacing(10)
        self.confirm_title = _heading("Upload orders")
        box.addWidget(self.confirm_title)
        self.confirm_banner = self._banner()
        box.addWidget(self.confirm_banner)

        self.destination_label = _wrapped()
        self.destination_label.setTextFormat(Qt.TextFormat.RichText)
        box.addWidget(self.destination_label)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        box.addWidget(line)

        self.counts = _CountGrid()
        self.counts.add("new", "New orders")
        self.counts.add("changed", "Changed since the last upload")
        self.counts.add("failed", "Rejected or interrupted last time")
        self.counts.add("unchanged", f"Unchanged ({self.target.already_there})")
        self.counts.add("duplicate", "Listed twice in the file")
        self.counts.add("errors", "Skipped because of errors")
        self.counts.add("cancelled", "Cancelled in your shop")
        self.counts.add("send", "To send", bold=True)
        box.addWidget(self.counts)

        self.force_check = QCheckBox("Send &unchanged orders too")
        self.force_check.setToolTip(
            f"Send orders again even though {self.target.name} already accepted exactly this "
            "content."
        )
        self.force_check.toggled.connect(self._on_force_check_toggled)
        box.addWidget(self.force_check)

        self.nothing_label = _wrapped()
        self.nothing_label.setVisible(False)
        box.addWidget(self.nothing_label)

        self.confirm_frame = QWidget()
        confirm_box = QVBoxLayout(self.confirm_frame)
        confirm_box.setContentsMargins(0, 6, 0, 0)
        self.confirm_prompt = _wrapped()
        confirm_box.addWidget(self.confirm_prompt)
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setPlaceholderText(_CONFIRM_WORD)
        self.confirm_edit.setAccessibleName("Type UPLOAD or the number of orders to confirm")
        self.confirm_edit.textChanged.connect(self._on_confirm_edit_text_changed)
        self.confirm_prompt.setBuddy(self.confirm_edit)
        confirm_box.addWidget(self.confirm_edit)
        self.confirm_frame.setVisible(self.target.is_production)
        box.addWidget(self.confirm_frame)

        box.addStretch(1)
        self.cancel_button = _button("Cancel", self.reject)
        self.upload_button = _button("Upload", self._on_upload_button_clicked)
        if self.target.is_production:
            font = QFont(self.upload_button.font())
            font.setBold(True)
            self.upload_button.setFont(font)
            self.upload_button.setStyleSheet(
                "QPushButton:enabled { background: #c2410c; color: white;"
                " border: 1px solid #7c2d12; border-radius: 4px; padding: 5px 16px; }"
            )
        else:
            self.upload_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowUp))
            self.upload_button.setDefault(True)
        box.addLayout(_button_row(self.cancel_button, self.upload_button))
        return page

    def _build_problem_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(_heading(f"Cannot upload to {self.target.name}"))
        row = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(32, 32)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        row.addWidget(icon)
        self.problem_label = _wrapped()
        self.problem_label.setAccessibleName("Why the upload cannot start")
        row.addWidget(self.problem_label, 1)
        box.addLayout(row)
        box.addStretch(1)
        self.problem_settings_button = _button(
            "Connection &Settings…", self._on_settings_button_clicked
        )
        box.addLayout(_button_row(self.problem_settings_button, _button("Close", self.reject)))
        return page

    def _build_progress_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setSpacing(10)
        self.progress_title = _heading("Uploading…")
        box.addWidget(self.progress_title)
        box.addWidget(self._banner())
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Upload progress")
        self.progress_bar.setFormat("%p %")
        box.addWidget(self.progress_bar)
        self.rate_label = QLabel("Starting…")
        self.rate_label.setAccessibleName("Orders sent, speed and time left")
        box.addWidget(self.rate_label)
        self.tally_label = QLabel("")
        box.addWidget(self.tally_label)
        self.detail_label = _wrapped()
        self.detail_label.setStyleSheet("color: palette(placeholder-text);")
        box.addWidget(self.detail_label)
        box.addStretch(1)
        self.stop_button = _button("&Cancel Upload", self._on_stop_button_clicked)
        box.addLayout(_button_row(self.stop_button))
        return page

    def _build_done_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setSpacing(10)
        head = QHBoxLayout()
        self.done_icon = QLabel()
        self.done_icon.setAlignment(Qt.AlignmentFlag.AlignVCenter)
        head.addWidget(self.done_icon)
        self.done_title = _heading("")
        head.addWidget(self.done_title, 1)
        box.addLayout(head)
        self.done_counts = _CountGrid()
        self.done_counts.add("accepted", "Accepted by Northbeam")
        self.done_counts.add("failed", "Rejected by Northbeam")
        self.done_counts.add("not_sent", "Not sent")
        self.done_counts.add("unchanged", "Unchanged (not sent again)")
        self.done_counts.add("skipped", "Skipped (listed twice)")
        self.done_counts.add("errors", "Skipped because of errors")
        self.done_counts.add("cancelled", "Cancelled in your shop")
        box.addWidget(self.done_counts)
        self.done_note = _wrapped()
        box.addWidget(self.done_note)

        self.failed_hint = QLabel("Click an order to show its cells in the table.")
        box.addWidget(self.failed_hint)
        self.failed_list = QTreeWidget()
        self.failed_list.setHeaderLabels(["Order", "Rows", "What Northbeam said"])
        self.failed_list.setRootIsDecorated(False)
        self.failed_list.setUniformRowHeights(False)
        self.failed_list.setWordWrap(True)
        self.failed_list.setAlternatingRowColors(True)
        self.failed_list.setAccessibleName("Orders Northbeam rejected")
        header = self.failed_list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(True)
        self.failed_list.itemActivated.connect(self._on_failed_list_item_activated)
        self.failed_list.itemClicked.connect(self._on_failed_list_item_activated)
        box.addWidget(self.failed_list, 1)
        box.addStretch(0)  # takes the slack when there is no list

        buttons = QHBoxLayout()
        self.done_settings_button = QPushButton("Connection &Settings…")
        self.done_settings_button.clicked.connect(self._on_settings_button_clicked)
        buttons.addWidget(self.done_settings_button)
        self.export_button = QPushButton("&Export Results…")
        self.export_button.clicked.connect(self._on_export_button_clicked)
        buttons.addWidget(self.export_button)
        self.export_label = QLabel("")
        buttons.addWidget(self.export_label, 1)
        self.close_button = QPushButton("Close")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        buttons.addWidget(self.close_button)
        box.addLayout(buttons)
        return page

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
            self._close_owned_ledger()  # the dialog was closed meanwhile
            return
        self.prepared = prepared
        self._fill_confirm_page()
        self._set_stage(UploadStage.CONFIRM, self.confirm_page)
        if self.target.is_production:
            self.confirm_edit.setFocus()
        else:
            self.upload_button.setFocus()

    def _on_prepare_worker_failed(self, message: str) -> None:
        worker, self._prepare_worker = self._prepare_worker, None
        if self.stage is not UploadStage.PREPARING:
            self._close_owned_ledger()
            return
        if worker is not None and worker.ledger_error is not None:
            self._ledger_failed(worker.ledger_error)
            return
        self._show_problem(message, settings_hint=bool(worker and worker.credentials_problem))

    def _ledger_failed(self, err: LedgerError) -> None:
        """A damaged record was moved aside: the user decides whether to start a new one (and
        send every order again); anything else about the record is shown as the problem."""
        if isinstance(err, LedgerDamaged) and err.moved_to is not None:
            self._forget_ledger()
            if ask_to_start_new_record(self, err):
                self._start_preparing()
            else:
                self.reject()
            return
        self._show_problem(str(err), settings_hint=False)

    def _show_problem(self, message: str, *, settings_hint: bool) -> None:
        text = message
        if settings_hint:
            text += "\n\nOpen Connection settings to enter or check the API key and Data Client ID."
        self.problem_label.setText(text)
        self.problem_settings_button.setVisible(settings_hint)
        self._set_stage(UploadStage.PROBLEM, self.problem_page)

    # -- confirm ---------------------------------------------------------------------------------

    def _fill_confirm_page(self) -> None:
        prepared = self.prepared
        assert prepared is not None
        target = self.target
        env_label = (
            target.environment.label
            if target.environment is not Environment.CUSTOM
            else ("Custom URL")
        )
        client = prepared.credentials.client_id
        account = (
            "Northbeam's public test account"
            if prepared.credentials.is_sandbox_test
            else f"Data Client ID {client}"
        )
        self.destination_label.setText(
            f"<b>Destination:</b> {env_label} — <code>{target.host}</code><br>"
            f"<b>Account:</b> {account}"
        )
        unchanged = prepared.count(OrderClass.UNCHANGED)
        self.force_check.setEnabled(unchanged > 0)
        self._update_confirm_counts()

    def _update_confirm_counts(self) -> None:
        prepared = self.prepared
        if prepared is None:
            return
        force = self.force()
        unchanged = prepared.count(OrderClass.UNCHANGED)
        failed = prepared.count(OrderClass.FAILED) + prepared.count(OrderClass.IN_FLIGHT)
        self.counts.set("new", prepared.count(OrderClass.NEW), "will be sent")
        self.counts.set("changed", prepared.count(OrderClass.CHANGED), "will be sent")
        self.counts.set("failed", failed, "will be sent again", visible=failed > 0)
        self.counts.set(
            "unchanged",
            unchanged,
            "will be sent again" if force else "not sent again",
        )
        self.counts.set(
            "duplicate",
            prepared.duplicates,
            "only the first copy is sent",
            visible=prepared.duplicates > 0,
        )
        cancelled = _held_back(prepared.skipped)
        errors = len(prepared.skipped) - cancelled
        self.counts.set("errors", errors, "fix them in the table first" if errors else "")
        self.counts.set("cancelled", cancelled, _CANCELLED_NOTE, visible=cancelled > 0)
        to_send = prepared.to_send(force)
        self.counts.set(
            "send", to_send, f"{format_bytes(prepared.bytes_to_send(force))} of order data"
        )
        name = self.target.name
        self.confirm_title.setText(f"Upload {_orders(to_send)} to {name}")
        if self.target.is_production:
            text = f"Upload {_orders(to_send)} to Production"
            self.upload_button.setText(text)
            # The bold font and the style sheet's padding are not in the size hint.
            metrics = QFontMetrics(self.upload_button.font())
            self.upload_button.setMinimumWidth(metrics.horizontalAdvance(text) + 40)
        else:
            self.upload_button.setText(f"Upload {_orders(to_send)}")
        if to_send == 0:
            if unchanged and not force and errors:
                they = "it is" if unchanged == 1 else "they are"
                text = (
                    f"Nothing new to send: the {_orders(unchanged)} without errors "
                    f"{'is' if unchanged == 1 else 'are'} {self.target.already_there} exactly as "
                    f"{they}, and the other {_orders(errors)} can't be sent until "
                    f"{'its' if errors == 1 else 'their'} errors are fixed. Tick “Send unchanged "
                    "orders too” to send the unchanged ones again."
                )
            elif unchanged and not force:
                text = (
                    f"Nothing new to send: every one of these orders is {self.target.already_there} "
                    "exactly as it is. Tick “Send unchanged orders too” to send them again."
                )
            elif errors:
                text = "No order can be sent yet: fix the errors marked in the table first."
            elif cancelled:
                these = "this order was" if cancelled == 1 else "these orders were"
                text = (
                    f"Nothing to send: {these} cancelled in your shop. To send "
                    f"{'it' if cancelled == 1 else 'them'}, close this and turn on Upload → "
                    "Send Cancelled Orders."
                )
            else:
                text = "There are no orders to send."
            self.nothing_label.setText(text)
        self.nothing_label.setVisible(to_send == 0)
        self.confirm_prompt.setText(
            f"To confirm, type <b>{_CONFIRM_WORD}</b> or the number of orders "
            f"(<b>{_n(to_send)}</b>):"
        )
        self._update_upload_button()

    def _confirmed(self) -> bool:
        if not self.target.is_production:
            return True
        assert self.prepared is not None
        typed = self.confirm_edit.text().strip()
        to_send = self.prepared.to_send(self.force())
        digits = typed.replace(",", "").replace(".", "").replace(" ", "").replace("\u202f", "")
        return typed.upper() == _CONFIRM_WORD or (digits.isdigit() and int(digits) == to_send)

    def _update_upload_button(self) -> None:
        prepared = self.prepared
        ready = prepared is not None and prepared.to_send(self.force()) > 0 and self._confirmed()
        self.upload_button.setEnabled(ready)

    def _on_force_check_toggled(self, _checked: bool) -> None:
        self._update_confirm_counts()

    def _on_confirm_edit_text_changed(self, _text: str) -> None:
        self._update_upload_button()

    def _on_upload_button_clicked(self) -> None:
        if not self.upload_button.isEnabled() or self.prepared is None:
            return
        self._start_upload()

    # -- uploading -------------------------------------------------------------------------------

    def _start_upload(self) -> None:
        prepared = self.prepared
        assert prepared is not None
        force = self.force()
        total = prepared.to_send(force)
        self.progress_title.setText(f"Uploading {_orders(total)} to {self.target.name}…")
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(0)
        self.rate_label.setText(f"0 of {_n(total)} orders sent")
        self.tally_label.setText("")
        self.detail_label.setText("")
        self.stop_button.setEnabled(True)
        self.stop_button.setText("&Cancel Upload")
        self._accepted_live = self._failed_live = 0
        worker = UploadWorker(prepared, ledger=self.ledger, options=self.options, force=force)
        worker.signals.progress.connect(self._on_upload_worker_progress)
        worker.signals.finished.connect(self._on_upload_worker_finished)
        worker.signals.failed.connect(self._on_upload_worker_failed)
        self._upload_worker = worker
        self._set_stage(UploadStage.UPLOADING, self.progress_page)
        self.stop_button.setFocus()
        start_worker(worker, self.pool)

    def _on_upload_worker_progress(self, event: object) -> None:
        if isinstance(event, SettledOrders):
            self._apply_settled(event)
        elif isinstance(event, Progress):
            self._show_progress(event)

    def _show_progress(self, progress: Progress) -> None:
        total = max(progress.orders_total, 1)
        self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(min(progress.orders_done, total))
        parts = [f"{_n(progress.orders_done)} of {_n(progress.orders_total)} orders sent"]
        if progress.orders_per_second > 0:
            parts.append(f"{progress.orders_per_second:,.0f} orders/s")
        left = _time_left(progress.eta_seconds)
        if left and progress.orders_done < progress.orders_total:
            parts.append(left)
        self.rate_label.setText(" · ".join(parts))
        if self.stop_button.isEnabled():
            # The uploader's routine "Sent n of m orders" line repeats the one above; its
            # other messages (waiting for the rate limit, retrying) are worth showing.
            routine = progress.message.startswith("Sent ")
            self.detail_label.setText("" if routine else progress.message)
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
        changed: list[OrderRecord] = []
        for order_id in event.accepted:
            record = prepared.records.get(order_id)
            if record is not None:
                self.doc.record_upload_result(record, UploadStatus.ACCEPTED)
                changed.append(record)
        for order_id, message in event.failed:
            record = prepared.records.get(order_id)
            if record is not None:
                self.doc.record_upload_result(record, UploadStatus.FAILED, message)
                changed.append(record)
        self._accepted_live += len(event.accepted)
        self._failed_live += len(event.failed)
        tally = f"Accepted: {_n(self._accepted_live)}"
        if self._failed_live:
            tally += f"  ·  Rejected: {_n(self._failed_live)}"
        self.tally_label.setText(tally)
        if changed:
            self.statuses_changed.emit(changed)

    def _on_stop_button_clicked(self) -> None:
        self._stop_upload()

    def _stop_upload(self) -> None:
        worker = self._upload_worker
        if worker is None:
            return
        worker.cancel()
        self.stop_button.setEnabled(False)
        self.stop_button.setText("Stopping…")
        self.detail_label.setText(
            "Stopping… waiting for Northbeam's answer to the orders already sent."
        )
        self._fit_height()

    def _on_upload_worker_finished(self, run: UploadRun) -> None:
        self._upload_worker = None
        self.run_result = run
        self.report = run.report
        self._apply_report(run.report)
        self._fill_done_page(run)
        self._set_stage(UploadStage.DONE, self.done_page)
        self.close_button.setFocus()
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

    def _apply_report(self, report: UploadReport) -> None:
        prepared = self.prepared
        assert prepared is not None
        changed: list[OrderRecord] = []
        for outcome in report.outcomes:
            record = prepared.records.get(outcome.order_id)
            if record is None:
                continue
            already = (
                outcome.status is UploadStatus.ACCEPTED
                and record.upload_status == UploadStatus.ACCEPTED
                and not record.server_issues
            )
            if already:
                continue
            self.doc.record_upload_result(
                record, outcome.status, outcome.message, outcome.server_errors
            )
            changed.append(record)
        if changed:
            self.statuses_changed.emit(changed)

    # -- done ------------------------------------------------------------------------------------

    def _fill_done_page(self, run: UploadRun) -> None:
        report = run.report
        prepared = self.prepared
        assert prepared is not None
        name = self.target.name
        cancelled = _held_back(prepared.skipped)
        errors = len(prepared.skipped) - cancelled
        style = self.style()
        if report.complete and report.accepted:
            title = f"All {_orders(report.accepted)} were accepted by {name}."
            if report.accepted == 1:
                title = f"The order was accepted by {name}."
            icon = QStyle.StandardPixmap.SP_DialogApplyButton
        elif report.complete:
            title = f"Nothing needed sending: {name} already has these orders."
            icon = QStyle.StandardPixmap.SP_MessageBoxInformation
        elif report.cancelled:
            title = f"Upload cancelled: {_orders(report.accepted)} accepted by {name}."
            icon = QStyle.StandardPixmap.SP_MessageBoxWarning
        elif run.auth_failed:
            title = f"{name} did not accept the API key."
            icon = QStyle.StandardPixmap.SP_MessageBoxCritical
        elif report.error:
            title = "The upload stopped early."
            icon = QStyle.StandardPixmap.SP_MessageBoxCritical
        else:
            title = f"{_orders(report.accepted)} accepted, {_n(report.failed)} rejected by {name}."
            icon = QStyle.StandardPixmap.SP_MessageBoxWarning
        self.done_title.setText(title)
        self.done_icon.setPixmap(style.standardIcon(icon).pixmap(32, 32))

        counts = self.done_counts
        # Name the environment that answered (a custom URL is not "Northbeam" for sure).
        counts.relabel("accepted", f"Accepted by {name}")
        counts.relabel("failed", f"Rejected by {name}")
        counts.set("accepted", report.accepted)
        counts.set(
            "failed",
            report.failed,
            "shown on the cells in the table" if report.failed else "",
        )
        counts.set(
            "not_sent", report.not_sent, "will be sent next time", visible=report.not_sent > 0
        )
        counts.set("unchanged", report.unchanged, visible=report.unchanged > 0)
        counts.set("skipped", report.skipped, visible=report.skipped > 0)
        counts.set("errors", errors, "fix them, then upload again", visible=errors > 0)
        counts.set("cancelled", cancelled, _CANCELLED_NOTE, visible=cancelled > 0)

        notes: list[str] = []
        if run.auth_failed:
            notes.append(
                f"Northbeam did not accept the API key / Data Client ID for {name}. Open "
                "Connection settings to check both values (Northbeam dashboard → Settings → "
                "API Keys), then upload again."
            )
        elif report.error:
            notes.append(report.error)
        if (report.cancelled or report.not_sent) and report.accepted:
            notes.append(
                "Orders already accepted stay in Northbeam. Upload again to send the rest; "
                "orders Northbeam already has are not sent twice."
            )
        elif (report.cancelled or report.not_sent) and not report.error:
            # After an error its own sentence already says what happened to these orders
            # (an unconfirmed answer may even have been stored, so "nothing" could be wrong).
            notes.append("Northbeam confirmed none of these orders. Upload again to send them.")
        if self.target.environment is Environment.SANDBOX:
            notes.append(
                "Sandbox checks orders but stores nothing. When you are happy, switch to "
                "Production in Connection settings and upload again."
            )
        unique_notes = list(dict.fromkeys(notes))
        self.done_note.setText("\n\n".join(unique_notes))
        self.done_note.setVisible(bool(unique_notes))
        self.done_settings_button.setVisible(run.auth_failed)

        self.failed_list.clear()
        # Orders not sent are counted above (and listed in the exported results); the list
        # is for what needs fixing: the orders Northbeam rejected.
        warn = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
        shown = report.with_status(UploadStatus.FAILED)
        for outcome in shown:
            text = self._outcome_text(outcome)
            item = QTreeWidgetItem(
                [outcome.order_id, ", ".join(str(n) for n in outcome.rows), text]
            )
            item.setIcon(0, warn)
            item.setToolTip(2, text)
            item.setData(0, Qt.ItemDataRole.UserRole, outcome.order_id)
            self.failed_list.addTopLevelItem(item)
        self.failed_list.setVisible(bool(shown))
        self.failed_hint.setVisible(bool(shown))
        self.export_label.setText("")

    def _outcome_text(self, outcome: OrderOutcome) -> str:
        """What Northbeam said, with each JSON path turned into the cell it came from."""
        prepared = self.prepared
        record = prepared.records.get(outcome.order_id) if prepared is not None else None
        if record is None or not outcome.server_errors:
            return outcome.message or ""
        parts: list[str] = []
        for path, message in outcome.server_errors:
            row, column = self.doc.cell_of(record, path) if path else (None, None)
            if row is not None and column is not None:
                parts.append(f"Row {row}, “{column}”: {message}")
            elif row is not None:
                parts.append(f"Row {row}: {message}")
            else:
                parts.append(f"{path}: {message}" if path else message)
        return "; ".join(dict.fromkeys(parts))

    def _on_failed_list_item_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        prepared = self.prepared
        order_id = item.data(0, Qt.ItemDataRole.UserRole)
        record = prepared.records.get(order_id) if prepared is not None else None
        if record is not None:
            self.order_activated.emit(record)

    def _on_export_button_clicked(self) -> None:
        if self.report is None:
            return
        stem = Path(self.doc.sheet.path).stem or "orders"
        folder = Path(self.doc.sheet.path).parent if self.doc.sheet.path else Path.home()
        path, _filter = QFileDialog.getSaveFileName(
            self,
            "Export Upload Results",
            str(folder / f"{stem} - upload results.xlsx"),
            "Excel workbook (*.xlsx);;CSV (*.csv)",
        )
        if not path:
            return
        if Path(path).suffix.lower() not in (".xlsx", ".csv", ".tsv", ".txt"):
            path += ".xlsx"
        skipped = self.prepared.skipped if self.prepared is not None else []
        try:
            count = export_upload_results(self.report, self.doc, path, skipped=skipped)
        except SaveError as err:
            QMessageBox.warning(self, "Export Upload Results", str(err))
            return
        self.export_label.setText(f"Saved {_orders(count)} to “{Path(path).name}”.")

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
            self._close_owned_ledger()

    def _close_owned_ledger(self) -> None:
        if self._owns_ledger and self._ledger is not None:
            self._ledger.close()
            self._ledger = None

    def _forget_ledger(self) -> None:
        """After the record was moved aside: the next use opens a new one at the same place
        (owned by this dialog, even when the damaged one was handed in)."""
        old, self._ledger = self._ledger, None
        if old is not None:
            old.close()
            self._ledger_path = old.path
        self._owns_ledger = True
