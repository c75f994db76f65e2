"""The Upload dialog's two pages that only say something: *Preparing* (busy while payloads are
built and classified against the upload record) and the *problem* page (why the upload cannot
start, with “Connection Settings…” when the key is the problem). The dialog connects their
buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.northbeam.upload_job import UploadTarget
from northbeam_desktop.ui.dialogs.upload.widgets import button_row, heading, wrapped

__all__ = ["PreparingPage", "ProblemPage"]

SETTINGS_HINT = "Open Connection settings to enter or check the API key and Data Client ID."


class PreparingPage(QWidget):
    """A busy bar and Cancel (`cancel_button`)."""

    def __init__(self, target: UploadTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QVBoxLayout(self)
        box.addWidget(heading(f"Upload to {target.name}"))
        box.addWidget(wrapped("Checking which orders Northbeam already has…"))
        busy = QProgressBar()
        busy.setRange(0, 0)
        busy.setTextVisible(False)
        busy.setAccessibleName("Preparing the upload")
        box.addWidget(busy)
        box.addStretch(1)
        self.cancel_button = QPushButton("Cancel")
        box.addLayout(button_row(self.cancel_button))


class ProblemPage(QWidget):
    """Why the upload cannot start; `problem_settings_button` and `close_button`."""

    def __init__(self, target: UploadTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QVBoxLayout(self)
        box.addWidget(heading(f"Cannot upload to {target.name}"))
        row = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(32, 32)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        row.addWidget(icon)
        self.problem_label = wrapped()
        self.problem_label.setAccessibleName("Why the upload cannot start")
        row.addWidget(self.problem_label, 1)
        box.addLayout(row)
        box.addStretch(1)
        self.problem_settings_button = QPushButton("Connection &Settings…")
        self.close_button = QPushButton("Close")
        box.addLayout(button_row(self.problem_settings_button, self.close_button))

    def show_problem(self, message: str, *, settings_hint: bool) -> None:
        text = message
        if settings_hint:
            text += f"\n\n{SETTINGS_HINT}"
        self.problem_label.setText(text)
        self.problem_settings_button.setVisible(settings_hint)
