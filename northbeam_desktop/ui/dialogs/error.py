"""The friendly dialog shown instead of a crash when something unexpected goes wrong.

It says what happened in one plain sentence, where the full report was written, and offers
"Copy details" so the user can paste the report into an email to support. The details are the
traceback text with every registered secret redacted (see `core/local/redaction.py`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.local.redaction import redact

DEFAULT_SUMMARY = (
    "Something went wrong that Northbeam Desktop did not expect. The app is still running; "
    "if anything looks wrong, save your work under a new name and restart the app."
)


class ErrorDialog(QDialog):
    """Shows `summary`, a pointer to `log_path`, and the `details` behind a toggle."""

    def __init__(
        self,
        details: str,
        *,
        summary: str = DEFAULT_SUMMARY,
        log_path: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Northbeam Desktop — unexpected problem")
        self.setAccessibleName("Unexpected problem")
        self.details = redact(details)
        self.log_path = log_path

        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(48, 48)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)

        self.summary_label = QLabel(summary)
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.summary_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.summary_label.setFont(font)

        if log_path is not None:
            log_text = f"A report was saved to:\n{log_path}"
        else:
            log_text = "The report could not be saved to a log file; use Copy details instead."
        self.log_label = QLabel(log_text)
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_label.setAccessibleName("Log file location")

        self.details_view = QPlainTextEdit(self.details)
        self.details_view.setReadOnly(True)
        self.details_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details_view.setAccessibleName("Error details")
        self.details_view.setMinimumHeight(180)
        self.details_view.setVisible(False)

        self.details_button = QPushButton("Show &details")
        self.details_button.setCheckable(True)
        self.details_button.setAccessibleName("Show details")
        self.details_button.toggled.connect(self._on_details_button_toggled)

        self.copy_button = QPushButton("&Copy details")
        self.copy_button.setAccessibleName("Copy details to the clipboard")
        self.copy_button.clicked.connect(self._on_copy_button_clicked)

        self.open_log_button = QPushButton("Open &log folder")
        self.open_log_button.setAccessibleName("Open the folder with the log file")
        self.open_log_button.setEnabled(log_path is not None)
        self.open_log_button.clicked.connect(self._on_open_log_button_clicked)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.details_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.open_log_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)

        text_column = QVBoxLayout()
        text_column.addWidget(self.summary_label)
        text_column.addWidget(self.log_label)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(text_column, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details_view, 1)
        layout.addWidget(buttons)
        self.setMinimumWidth(540)

    def append_details(self, details: str) -> None:
        """Add the report of a further error that happened while this dialog was open."""
        self.details = f"{self.details}\n{redact(details)}"
        self.details_view.setPlainText(self.details)

    def _on_details_button_toggled(self, checked: bool) -> None:
        self.details_view.setVisible(checked)
        self.details_button.setText("Hide &details" if checked else "Show &details")
        self.adjustSize()

    def _on_copy_button_clicked(self) -> None:
        text = self.details
        if self.log_path is not None:
            text = f"{text}\nLog file: {self.log_path}\n"
        QGuiApplication.clipboard().setText(text)
        self.copy_button.setText("Copied")

    def _on_open_log_button_clicked(self) -> None:
        if self.log_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_path.parent)))
