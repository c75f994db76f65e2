"""The Upload dialog's *Uploading* page: progress bar, orders per second, time left, the
accepted / rejected tally as Northbeam answers, and Cancel Upload (the dialog connects
`stop_button`)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from northbeam_desktop.core.northbeam.outcomes import Progress
from northbeam_desktop.core.northbeam.upload_job import UploadTarget
from northbeam_desktop.ui.dialogs.upload.widgets import (
    button_row,
    environment_banner,
    heading,
    wrapped,
)
from northbeam_desktop.ui.dialogs.upload.wording import count_text, orders_text, time_left

__all__ = ["ProgressPage"]

STOP_TEXT = "&Cancel Upload"


class ProgressPage(QWidget):
    """How far the upload is; the dialog feeds it `Progress` events and answered batches."""

    def __init__(self, target: UploadTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        box = QVBoxLayout(self)
        box.setSpacing(10)
        self.progress_title = heading("Uploading…")
        box.addWidget(self.progress_title)
        box.addWidget(environment_banner(target))
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Upload progress")
        self.progress_bar.setFormat("%p %")
        box.addWidget(self.progress_bar)
        self.rate_label = QLabel("Starting…")
        self.rate_label.setAccessibleName("Orders sent, speed and time left")
        box.addWidget(self.rate_label)
        self.tally_label = QLabel("")
        box.addWidget(self.tally_label)
        self.detail_label = wrapped()
        self.detail_label.setStyleSheet("color: palette(placeholder-text);")
        box.addWidget(self.detail_label)
        box.addStretch(1)
        self.stop_button = QPushButton(STOP_TEXT)
        box.addLayout(button_row(self.stop_button))

    def start(self, total: int) -> None:
        """Nothing sent yet of `total` orders."""
        self.progress_title.setText(f"Uploading {orders_text(total)} to {self.target.name}…")
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(0)
        self.rate_label.setText(f"0 of {count_text(total)} orders sent")
        self.tally_label.setText("")
        self.detail_label.setText("")
        self.stop_button.setEnabled(True)
        self.stop_button.setText(STOP_TEXT)

    def show_progress(self, progress: Progress) -> bool:
        """Show `progress`; True if the detail line changed (it may need another line)."""
        total = max(progress.orders_total, 1)
        self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(min(progress.orders_done, total))
        parts = [
            f"{count_text(progress.orders_done)} of {count_text(progress.orders_total)} orders sent"
        ]
        if progress.orders_per_second > 0:
            parts.append(f"{progress.orders_per_second:,.0f} orders/s")
        left = time_left(progress.eta_seconds)
        if left and progress.orders_done < progress.orders_total:
            parts.append(left)
        self.rate_label.setText(" · ".join(parts))
        if not self.stop_button.isEnabled():
            return False
        # The uploader's routine "Sent n of m orders" line repeats the one above; its
        # other messages (waiting for the rate limit, retrying) are worth showing.
        routine = progress.message.startswith("Sent ")
        self.detail_label.setText("" if routine else progress.message)
        return True

    def show_tally(self, accepted: int, failed: int) -> None:
        tally = f"Accepted: {count_text(accepted)}"
        if failed:
            tally += f"  ·  Rejected: {count_text(failed)}"
        self.tally_label.setText(tally)

    def show_stopping(self) -> None:
        self.stop_button.setEnabled(False)
        self.stop_button.setText("Stopping…")
        self.detail_label.setText(
            "Stopping… waiting for Northbeam's answer to the orders already sent."
        )
