"""The row above the order table: which rows to show, how many are shown, and the search box.

```
[ All | Errors | Warnings | Cancelled | Selected | Failed upload ]  Showing 37 of 6,000 rows  [ search ]
```

The Cancelled button shows only for a file with orders the shop cancelled (`show_cancelled`).

`FilterBar` is a layout (it sits in the document view's own layout); `mode_chosen(FilterMode)`
when a filter button is clicked, `search_requested(str)` once typing in the search box pauses.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from northbeam_desktop.ui.document.proxy import FilterMode

# Segmented buttons drawn from the palette, so they follow light and dark themes.
SEGMENT_STYLE = """
QToolButton[segment] {
    padding: 4px 14px;
    border: 1px solid palette(mid);
    border-left-width: 0px;
    background: palette(button);
    color: palette(button-text);
}
QToolButton[segment="first"] {
    border-left-width: 1px;
    border-top-left-radius: 5px;
    border-bottom-left-radius: 5px;
}
QToolButton[segment="last"] {
    border-top-right-radius: 5px;
    border-bottom-right-radius: 5px;
}
QToolButton[segment]:hover { background: palette(midlight); }
QToolButton[segment]:checked {
    background: palette(highlight);
    color: palette(highlighted-text);
    border-color: palette(highlight);
}
QToolButton[segment]:disabled { color: palette(mid); }
"""

FILTER_BUTTONS = [
    (FilterMode.ALL, "All", "Show every row"),
    (FilterMode.ERRORS, "Errors", "Show only rows with errors"),
    (FilterMode.WARNINGS, "Warnings", "Show only rows with warnings"),
    (FilterMode.CANCELLED, "Cancelled", "Show only orders cancelled in your shop"),
    (FilterMode.SELECTED, "Selected", "Show only the rows selected now"),
    (FilterMode.FAILED, "Failed upload", "Show only orders Northbeam did not accept"),
]


class FilterBar(QHBoxLayout):
    """The filter buttons (`buttons`), the row count (`count_label`) and `search_edit`.

    `search_delay_ms()` says how long to wait for a pause in typing (longer for big files).
    """

    mode_chosen = Signal(object)
    search_requested = Signal(str)

    def __init__(self, owner: QWidget, search_delay_ms: Callable[[], int]) -> None:
        super().__init__()
        self._search_delay_ms = search_delay_ms
        self.setSpacing(0)
        segments = QWidget()
        segments.setObjectName("FilterSegments")
        segments.setStyleSheet(SEGMENT_STYLE)
        segment_layout = QHBoxLayout(segments)
        segment_layout.setContentsMargins(0, 0, 0, 0)
        segment_layout.setSpacing(0)
        self.group = QButtonGroup(owner)
        self.group.setExclusive(True)
        self.buttons: dict[FilterMode, QToolButton] = {}
        last = len(FILTER_BUTTONS) - 1
        for position, (mode, text, tip) in enumerate(FILTER_BUTTONS):
            button = QToolButton()
            button.setObjectName(f"Filter{mode.value.title()}Button")
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(f"Filter: {text}")
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            segment = "first" if position == 0 else "last" if position == last else "middle"
            button.setProperty("segment", segment)
            self.group.addButton(button)
            self.buttons[mode] = button
            segment_layout.addWidget(button)
            button.clicked.connect(self._chooser(mode))
        self.addWidget(segments)
        self.buttons[FilterMode.ALL].setChecked(True)
        self.addSpacing(12)
        self.count_label = QLabel()
        self.count_label.setObjectName("RowCount")
        self.addWidget(self.count_label)
        self.addStretch(1)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("SearchEdit")
        self.search_edit.setPlaceholderText("Search all cells (Ctrl+F)")
        self.search_edit.setAccessibleName("Search all cells")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(240)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.addWidget(self.search_edit)
        self._search_timer = QTimer(owner)
        self._search_timer.setSingleShot(True)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)

    def _chooser(self, mode: FilterMode) -> Callable[[], None]:
        def slot() -> None:
            self.mode_chosen.emit(mode)

        return slot

    def check(self, mode: FilterMode) -> None:
        """Show `mode` as the chosen filter (without emitting `mode_chosen`)."""
        self.buttons[mode].setChecked(True)

    def set_search_text(self, text: str) -> None:
        """Put `text` in the search box without waiting for a pause or emitting anything."""
        if self.search_edit.text() != text:
            self.search_edit.blockSignals(True)
            self.search_edit.setText(text)
            self.search_edit.blockSignals(False)
        self._search_timer.stop()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def show_cancelled(self, shown: bool) -> None:
        """The Cancelled filter, for a file that has cancelled orders (hidden otherwise)."""
        self.buttons[FilterMode.CANCELLED].setVisible(shown)

    def set_busy(self, busy: bool, message: str = "") -> None:
        """While the document is rebuilt: no filtering or searching, and `message` instead of
        the row count."""
        for button in self.buttons.values():
            button.setEnabled(not busy)
        self.search_edit.setEnabled(not busy)
        self.count_label.setText(message if busy else "")

    def show_count(self, shown: int, total: int, *, nothing_selected: bool) -> None:
        if nothing_selected:
            self.count_label.setText("Select rows first, then choose Selected")
        elif shown == total:
            self.count_label.setText(f"{total:,} rows")
        else:
            self.count_label.setText(f"Showing {shown:,} of {total:,} rows")

    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._search_timer.start(self._search_delay_ms())

    def _on_search_timer_timeout(self) -> None:
        self.search_requested.emit(self.search_edit.text())
