"""A button whose text is cut with “…” when it does not fit, the whole text in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import (
    QSize,
    Qt,
)
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QPushButton,
    QSizePolicy,
    QWidget,
)


class ElidingButton(QPushButton):
    """A push button whose long text ends in "…" when the panel is narrow (the whole text is in
    its tooltip and accessible name), so a long fix never widens the panel."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.set_full_text(text)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text if text else "")
        self._elide()
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # Qt override: as wide as the whole text wants
        hint = super().sizeHint()
        width = self.fontMetrics().horizontalAdvance(self._full) + 32
        return QSize(max(hint.width(), width), hint.height())

    def minimumSizeHint(self) -> QSize:  # Qt override
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 96), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        available = max(self.width() - 28, 40)
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, available)
        if shown != self.text():
            super().setText(shown)
