"""The small widgets the Upload dialog's pages are built from: headings, wrapped labels, button
rows, the grid of counts, the environment banner and the page switcher."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from northbeam_desktop.core.northbeam.environments import Environment
from northbeam_desktop.core.northbeam.upload_job import UploadTarget
from northbeam_desktop.ui.dialogs.upload.wording import count_text

__all__ = ["CountGrid", "Pages", "button", "button_row", "environment_banner", "heading", "wrapped"]

# Colours are explicit so Production looks the same (unmistakable) in light and dark mode;
# they match the main window's environment badge.
BANNERS = {
    Environment.PRODUCTION: ("#c2410c", "#ffffff", "#7c2d12"),
    Environment.SANDBOX: ("#dbeafe", "#1e3a8a", "#93c5fd"),
    Environment.CUSTOM: ("#ede9fe", "#4c1d95", "#c4b5fd"),
}


def heading(text: str, scale: float = 1.35) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def button(text: str, slot: Callable[[], object]) -> QPushButton:
    push = QPushButton(text)
    push.clicked.connect(slot)
    return push


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    """Buttons at the right edge of a page, in the order given."""
    row = QHBoxLayout()
    row.addStretch(1)
    for push in buttons:
        row.addWidget(push)
    return row


def wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def environment_banner(target: UploadTarget) -> QLabel:
    """Where the orders go, in the environment's colours (Production in bold orange)."""
    env = target.environment
    background, foreground, border = BANNERS[env]
    if env is Environment.PRODUCTION:
        text = "PRODUCTION — these orders will be used in your live attribution."
    elif env is Environment.SANDBOX:
        text = "Sandbox (Northbeam UAT) — orders are checked but not stored."
    else:
        text = f"Custom URL — orders go to {target.host}."
    banner = QLabel(text)
    banner.setWordWrap(True)
    weight = "bold" if env is Environment.PRODUCTION else "normal"
    banner.setStyleSheet(
        f"QLabel {{ background: {background}; color: {foreground};"
        f" border: 1px solid {border}; border-radius: 6px; padding: 8px 12px;"
        f" font-weight: {weight}; }}"
    )
    banner.setAccessibleName(text)
    return banner


class CountGrid(QWidget):
    """Rows of "label — number — what happens to them", numbers right-aligned."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(2, 1)
        self.rows: dict[str, tuple[QLabel, QLabel, QLabel]] = {}

    def add(self, key: str, label: str, *, bold: bool = False) -> None:
        row = len(self.rows)
        cells = (QLabel(label), QLabel("0"), QLabel(""))
        cells[1].setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        cells[2].setStyleSheet("color: palette(placeholder-text);")
        if bold:
            for cell in cells[:2]:
                font = QFont(cell.font())
                font.setBold(True)
                cell.setFont(font)
        for col, cell in enumerate(cells):
            self.grid.addWidget(cell, row, col)
        self.rows[key] = cells

    def set(self, key: str, count: int, note: str = "", *, visible: bool = True) -> None:
        label, number, hint = self.rows[key]
        number.setText(count_text(count))
        hint.setText(note)
        for cell in (label, number, hint):
            cell.setVisible(visible)
        label.setAccessibleName(f"{label.text()}: {count_text(count)}")

    def value(self, key: str) -> int:
        return int(self.rows[key][1].text().replace(",", ""))

    def label(self, key: str) -> str:
        return self.rows[key][0].text()

    def relabel(self, key: str, label: str) -> None:
        self.rows[key][0].setText(label)


class Pages(QWidget):
    """Pages of which one shows; unlike QStackedWidget, the dialog takes the height of the page
    on show (QStackedLayout's height-for-width is that of its tallest page, wrapped labels
    included), so the short progress page is not drawn in the summary page's space."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._pages: list[QWidget] = []
        self._current: QWidget | None = None

    def add(self, page: QWidget) -> None:
        self._pages.append(page)
        self._box.addWidget(page)
        page.setVisible(self._current is None)
        if self._current is None:
            self._current = page

    def set_current(self, page: QWidget) -> None:
        self._current = page
        for other in self._pages:
            if other is not page:
                other.setVisible(False)
        page.setVisible(True)

    def current(self) -> QWidget | None:
        return self._current
