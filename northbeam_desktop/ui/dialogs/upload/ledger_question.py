"""The question a damaged upload record raises: start a new record, or stop here?

The ledger has already moved the damaged file aside (it is kept for a closer look). Without a
record the app cannot tell which orders Northbeam already has, so a new record means every
order counts as new and is sent again; Northbeam updates orders it already has, so none is
doubled. That is the user's call, never a silent default.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from northbeam_desktop.core.northbeam.ledger import LedgerDamaged

__all__ = ["NEW_RECORD_BUTTON", "QUESTION_TITLE", "ask_to_start_new_record"]

QUESTION_TITLE = "The upload record was damaged"
NEW_RECORD_BUTTON = "Start a New Record"
CONSEQUENCE = (
    "Without it, Northbeam Desktop cannot tell which orders were sent before, so a new record "
    "sends every order again (Northbeam updates the orders it already has, so none is doubled)."
)


def ask_to_start_new_record(parent: QWidget, err: LedgerDamaged) -> bool:
    """Ask; True when the user chose to start a new record and go on."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QUESTION_TITLE)
    box.setText(f"{err.problem}.")
    box.setInformativeText(CONSEQUENCE)
    start = box.addButton(NEW_RECORD_BUTTON, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is start
