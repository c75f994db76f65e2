"""Upload → Send Cancelled Orders: one checkable action for the open document.

Orders the shop cancelled (a filled “Cancelled at”, a cancelled status) are held back by
default; the messages on them say to "turn on Upload → Send Cancelled Orders
(--include-cancelled on the command line)". This is that switch. It shows the open document's
own choice (remembered for files with the same columns), is off with no document, and asks
the view to apply a change (`DocumentView.set_include_cancelled`), which refuses while the
document is saved or uploaded; the check mark then goes back to what holds.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from northbeam_desktop.ui.document.view import DocumentView

LABEL = "&Send Cancelled Orders"  # S: Upload and Connection Settings have U and C
TIP = (
    "Also send orders your shop marked as cancelled (they are held back by default); "
    "remembered for files with these columns"
)


class CancelledOrdersSwitch(QObject):
    """The action (`action`), placed in `menu` before `before`."""

    def __init__(self, menu: QMenu, before: QAction | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view: DocumentView | None = None
        action = QAction(LABEL, self)
        action.setObjectName("SendCancelledOrdersAction")
        action.setCheckable(True)
        action.setStatusTip(TIP)
        action.setToolTip(TIP)
        action.setWhatsThis(TIP)
        action.setEnabled(False)
        action.triggered.connect(self._on_action_triggered)
        if before is not None:
            menu.insertAction(before, action)
        else:
            menu.addAction(action)
        self.action = action

    def show_for(self, view: DocumentView | None) -> None:
        """Follow the open document (None: no document, the action is off)."""
        self._view = view
        self.action.setEnabled(view is not None)
        self.action.setChecked(view is not None and view.document.options.include_cancelled)

    def _on_action_triggered(self, checked: bool) -> None:
        view = self._view
        if view is None:
            self.action.setChecked(False)
            return
        if not view.set_include_cancelled(checked):
            view.status_message.emit(
                "Please wait: the orders are being saved, uploaded or checked. Try again then."
            )
        self.action.setChecked(view.document.options.include_cancelled)
