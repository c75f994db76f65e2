"""“Times: Europe/Berlin” in the status bar: the zone that times written without one are read
in, in sight while the open file has such times; a click changes it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton, QWidget

from northbeam_desktop.ui.document.view import DocumentView


class ZoneButton(QToolButton):
    """Shows the time zone of `view` (see `show_for`); clicking asks for another."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ZoneButton")
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clicked.connect(self._on_clicked)
        self._view: DocumentView | None = None
        self.hide()

    def show_for(self, view: DocumentView | None) -> None:
        """Follow `view` (None: no document, hidden); call again after it changed."""
        self._view = view
        notice = view.zone_notice() if view is not None else None
        self.setVisible(bool(notice))
        if view is None or not notice:
            return
        zone = view.document.timezone_name
        self.setText(f"Times: {zone}")
        self.setToolTip(f"{notice} Click to change it.")
        self.setAccessibleName(f"Time zone for times without one: {zone}")
        self.setAccessibleDescription("Click to change it")

    def _on_clicked(self) -> None:
        if self._view is not None:
            self._view.change_zone()
