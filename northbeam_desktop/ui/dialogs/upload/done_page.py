"""The Upload dialog's *Done* page: accepted / rejected / not sent / unchanged / skipped counts,
what to do next, the orders Northbeam rejected (the dialog connects `failed_list` to show one
in the table), Export Results…, Connection Settings… (after a refused key) and Close."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.files.errors import SaveError
from northbeam_desktop.core.files.reports import export_upload_results
from northbeam_desktop.core.northbeam.environments import Environment
from northbeam_desktop.core.northbeam.outcomes import UploadReport, UploadStatus
from northbeam_desktop.core.northbeam.upload_job import PreparedUpload, UploadRun, UploadTarget
from northbeam_desktop.core.orders.document import OrderDocument, OrderRecord
from northbeam_desktop.ui.dialogs.upload.results import outcome_text
from northbeam_desktop.ui.dialogs.upload.widgets import CountGrid, heading, wrapped
from northbeam_desktop.ui.dialogs.upload.wording import (
    CANCELLED_NOTE,
    count_text,
    held_back,
    orders_text,
)

__all__ = ["DonePage"]


class DonePage(QWidget):
    """What Northbeam said about the upload; `fill()` once it ended."""

    def __init__(self, target: UploadTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        box = QVBoxLayout(self)
        box.setSpacing(10)
        head = QHBoxLayout()
        self.done_icon = QLabel()
        self.done_icon.setAlignment(Qt.AlignmentFlag.AlignVCenter)
        head.addWidget(self.done_icon)
        self.done_title = heading("")
        head.addWidget(self.done_title, 1)
        box.addLayout(head)
        self.done_counts = CountGrid()
        self.done_counts.add("accepted", "Accepted by Northbeam")
        self.done_counts.add("failed", "Rejected by Northbeam")
        self.done_counts.add("not_sent", "Not sent")
        self.done_counts.add("unchanged", "Unchanged (not sent again)")
        self.done_counts.add("skipped", "Skipped (listed twice)")
        self.done_counts.add("errors", "Skipped because of errors")
        self.done_counts.add("cancelled", "Cancelled in your shop")
        box.addWidget(self.done_counts)
        self.done_note = wrapped()
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
        box.addWidget(self.failed_list, 1)
        box.addStretch(0)  # takes the slack when there is no list

        buttons = QHBoxLayout()
        self.done_settings_button = QPushButton("Connection &Settings…")
        buttons.addWidget(self.done_settings_button)
        self.export_button = QPushButton("&Export Results…")
        buttons.addWidget(self.export_button)
        self.export_label = QLabel("")
        buttons.addWidget(self.export_label, 1)
        self.close_button = QPushButton("Close")
        self.close_button.setDefault(True)
        buttons.addWidget(self.close_button)
        box.addLayout(buttons)

    def fill(self, run: UploadRun, prepared: PreparedUpload, doc: OrderDocument) -> None:
        report = run.report
        cancelled = held_back(prepared.skipped)
        errors = len(prepared.skipped) - cancelled
        self._fill_title(run)
        self._fill_counts(report, errors, cancelled)
        self._fill_notes(run)
        self.done_settings_button.setVisible(run.auth_failed)

        self.failed_list.clear()
        # Orders not sent are counted above (and listed in the exported results); the list
        # is for what needs fixing: the orders Northbeam rejected.
        warn = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
        shown = report.with_status(UploadStatus.FAILED)
        for outcome in shown:
            text = outcome_text(doc, prepared, outcome)
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

    def _fill_title(self, run: UploadRun) -> None:
        report = run.report
        name = self.target.name
        if report.complete and report.accepted:
            title = f"All {orders_text(report.accepted)} were accepted by {name}."
            if report.accepted == 1:
                title = f"The order was accepted by {name}."
            icon = QStyle.StandardPixmap.SP_DialogApplyButton
        elif report.complete:
            title = f"Nothing needed sending: {name} already has these orders."
            icon = QStyle.StandardPixmap.SP_MessageBoxInformation
        elif report.cancelled:
            title = f"Upload cancelled: {orders_text(report.accepted)} accepted by {name}."
            icon = QStyle.StandardPixmap.SP_MessageBoxWarning
        elif run.auth_failed:
            title = f"{name} did not accept the API key."
            icon = QStyle.StandardPixmap.SP_MessageBoxCritical
        elif report.error:
            title = "The upload stopped early."
            icon = QStyle.StandardPixmap.SP_MessageBoxCritical
        else:
            title = (
                f"{orders_text(report.accepted)} accepted, {count_text(report.failed)} "
                f"rejected by {name}."
            )
            icon = QStyle.StandardPixmap.SP_MessageBoxWarning
        self.done_title.setText(title)
        self.done_icon.setPixmap(self.style().standardIcon(icon).pixmap(32, 32))

    def _fill_counts(self, report: UploadReport, errors: int, cancelled: int) -> None:
        counts = self.done_counts
        name = self.target.name
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
        counts.set("cancelled", cancelled, CANCELLED_NOTE, visible=cancelled > 0)

    def _fill_notes(self, run: UploadRun) -> None:
        report = run.report
        name = self.target.name
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

    def export_results(
        self, report: UploadReport, doc: OrderDocument, skipped: list[OrderRecord]
    ) -> None:
        """Export Results…: ask where, write the workbook (or CSV), say where it went."""
        stem = Path(doc.sheet.path).stem or "orders"
        folder = Path(doc.sheet.path).parent if doc.sheet.path else Path.home()
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
        try:
            count = export_upload_results(report, doc, path, skipped=skipped)
        except SaveError as err:
            QMessageBox.warning(self, "Export Upload Results", str(err))
            return
        self.export_label.setText(f"Saved {orders_text(count)} to “{Path(path).name}”.")
