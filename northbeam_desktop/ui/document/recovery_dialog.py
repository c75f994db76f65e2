"""The “Restore unsaved changes?” dialog shown at start when a crash left edits behind."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.local.recovery import RecoveryInfo


class RecoveryDialog(QDialog):
    """The “Restore unsaved changes?” dialog: the journals a crash left behind, newest first.

    `choice` is "restore", "discard" or "later" after the dialog closes; `chosen()` is the
    journal the choice is about.
    """

    RESTORE = "restore"
    DISCARD = "discard"
    LATER = "later"

    def __init__(self, infos: Sequence[RecoveryInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore Unsaved Changes")
        self.setAccessibleName("Restore unsaved changes")
        self.infos = list(infos)
        self.choice = self.LATER

        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(40, 40)
        )
        heading = QLabel(
            "<b>Northbeam Desktop did not close properly last time.</b><br>"
            "Your unsaved changes were kept. Restore them now?"
        )
        heading.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Unsaved changes")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        for info in self.infos:
            item = QListWidgetItem(info.describe())
            item.setToolTip(info.source_path)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(self._on_list_item_double_clicked)
        note = QLabel(
            "Restore opens the file and puts your changes back. Later keeps them: you are "
            "asked again at the next start."
        )
        note.setWordWrap(True)

        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton("&Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.discard_button = buttons.addButton(
            "&Discard Changes", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.later_button = buttons.addButton("&Later", QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.discard_button.clicked.connect(self._on_discard_button_clicked)
        self.later_button.clicked.connect(self.reject)

        head = QHBoxLayout()
        head.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(heading, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.list, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(560, 320)

    def chosen(self) -> RecoveryInfo | None:
        row = self.list.currentRow()
        return self.infos[row] if 0 <= row < len(self.infos) else None

    def _on_restore_button_clicked(self) -> None:
        self.choice = self.RESTORE
        self.accept()

    def _on_discard_button_clicked(self) -> None:
        self.choice = self.DISCARD
        self.accept()

    def _on_list_item_double_clicked(self, _item: QListWidgetItem) -> None:
        self._on_restore_button_clicked()

    def reject(self) -> None:  # Qt override: Esc and the title bar's close button mean Later
        self.choice = self.LATER
        super().reject()

    @classmethod
    def ask(
        cls, parent: QWidget | None, infos: Sequence[RecoveryInfo]
    ) -> tuple[str, RecoveryInfo | None]:
        """Show the dialog and return (choice, journal)."""
        dialog = cls(infos, parent)
        try:
            dialog.exec()
            return dialog.choice, dialog.chosen()
        finally:
            dialog.deleteLater()
