"""Work that waits for a widget's first paint: a big file's table is shown first, and its
problems are grouped and counted right after."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class AfterFirstPaint(QObject):
    """Runs `actions` once `widget` has painted for the first time, each on its own turn of
    the event loop (so the window stays responsive between them)."""

    def __init__(self, widget: QWidget, *actions: Callable[[], object]) -> None:
        super().__init__(widget)
        self._actions = list(actions)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._run)
        return False

    def _run(self) -> None:
        if self._actions:
            self._actions.pop(0)()
        if self._actions:
            QTimer.singleShot(0, self._run)
        else:
            self.deleteLater()
