"""Help → About: what this app is, its version, the Qt and PySide versions, and useful links.

Links are shown as plain, selectable text (not clickable), so they can be copied into a browser
or a support email and nothing opens by surprise.
"""

from __future__ import annotations

import platform
import sys

import PySide6
from PySide6.QtCore import QSize, Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop import APP_NAME, __version__
from northbeam_desktop.core.local import secrets
from northbeam_desktop.core.local.appdirs import app_dirs

LINKS = (
    ("Northbeam Orders API", "https://docs.northbeam.io/docs/orders-api"),
    ("API keys (Northbeam dashboard)", "Settings → API Keys"),
    ("Sandbox host", "https://api-uat.northbeam.io/v2"),
    ("Production host", "https://api.northbeam.io/v2"),
)


def version_lines() -> list[str]:
    """The facts support asks for, one per line (also what "Copy" puts on the clipboard)."""
    dirs = app_dirs(create=False)
    return [
        f"{APP_NAME} {__version__}",
        f"Qt {qVersion()} · PySide6 {PySide6.__version__}",
        f"Python {platform.python_version()} · {platform.system()} {platform.release()}"
        f" ({platform.machine()})",
        f"Frozen build: {'yes' if getattr(sys, 'frozen', False) else 'no'}",
        "Password store: "
        + (secrets.password_store_name() or "none on this computer (keys last one session)"),
        f"Settings: {dirs.config}",
        f"Upload history and recovery files: {dirs.data}",
        f"Logs: {dirs.log}",
    ]


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.setAccessibleName(f"About {APP_NAME}")

        icon = QLabel()
        app_icon = QGuiApplication.windowIcon()
        if not app_icon.isNull():
            icon.setPixmap(app_icon.pixmap(QSize(96, 96)))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)

        title = QLabel(f"<h2>{APP_NAME}</h2>")
        blurb = QLabel(
            "Open an order spreadsheet, see every cell Northbeam would reject explained, fix it "
            "in place, and upload the orders — to Sandbox first, then Production."
        )
        blurb.setWordWrap(True)

        self.versions_label = QLabel("\n".join(version_lines()))
        self.versions_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.versions_label.setAccessibleName("Version information")

        links_text = "\n".join(f"{name}: {where}" for name, where in LINKS)
        self.links_label = QLabel(links_text)
        self.links_label.setTextFormat(Qt.TextFormat.PlainText)
        self.links_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.links_label.setAccessibleName("Links")

        copy_button = QPushButton("&Copy version info")
        copy_button.setAccessibleName("Copy version information")
        copy_button.clicked.connect(self._on_copy_button_clicked)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(blurb)
        text.addSpacing(8)
        text.addWidget(self.versions_label)
        text.addSpacing(8)
        text.addWidget(self.links_label)
        row = QHBoxLayout()
        row.addWidget(icon)
        row.addSpacing(12)
        row.addLayout(text, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
        # The wrapped blurb would let the layout squeeze the dialog below what the fact lines
        # need; folders and addresses must be readable in full.
        for label in (self.versions_label, self.links_label):
            label.setMinimumWidth(label.sizeHint().width())
        self.setMinimumWidth(520)

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText("\n".join(version_lines()))
