"""Edit → Find and Replace in Column…: replace text in one column, with a live count of the
cells that match."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.orders.document import OrderDocument
from northbeam_desktop.ui.document.cell_text import cells_word


class ColumnReplacer(Protocol):
    """What the dialog works on (the document view)."""

    @property
    def document(self) -> OrderDocument: ...

    def count_matches(
        self, col_index: int, find: str, *, match_case: bool = False, whole_cell: bool = False
    ) -> int: ...

    def replace_in_column(
        self,
        col_index: int,
        find: str,
        replace: str,
        *,
        match_case: bool = False,
        whole_cell: bool = False,
    ) -> int: ...


class FindReplaceDialog(QDialog):
    """Find and replace within one column, with a live count of matching cells."""

    def __init__(self, view: ColumnReplacer, col_index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Find and Replace in Column")
        self._view = view
        self.column_combo = QComboBox()
        headers = view.document.sheet.headers
        for index, header in enumerate(headers):
            self.column_combo.addItem(header, index)
        self.column_combo.setCurrentIndex(min(col_index, len(headers) - 1))
        self.find_edit = QLineEdit()
        self.replace_edit = QLineEdit()
        self.replace_edit.setPlaceholderText("(empty: clear the matching cells)")
        self.match_case_box = QCheckBox("Match case")
        self.whole_cell_box = QCheckBox("Whole cell only")
        self.count_label = QLabel()
        form = QFormLayout()
        form.addRow("&Column:", self.column_combo)
        form.addRow("&Find:", self.find_edit)
        form.addRow("&Replace with:", self.replace_edit)
        options = QHBoxLayout()
        options.addWidget(self.match_case_box)
        options.addWidget(self.whole_cell_box)
        options.addStretch(1)
        form.addRow("", options)
        form.addRow("", self.count_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.replace_button = self.buttons.addButton(
            "Replace &All", QDialogButtonBox.ButtonRole.ApplyRole
        )
        self.replace_button.clicked.connect(self._on_replace_button_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        for signal in (
            self.find_edit.textChanged,
            self.column_combo.currentIndexChanged,
            self.match_case_box.toggled,
            self.whole_cell_box.toggled,
        ):
            signal.connect(self._on_inputs_changed)
        self._on_inputs_changed()
        self.resize(460, self.sizeHint().height())

    def _options(self) -> tuple[int, str, bool, bool]:
        return (
            int(self.column_combo.currentData()),
            self.find_edit.text(),
            self.match_case_box.isChecked(),
            self.whole_cell_box.isChecked(),
        )

    def _on_inputs_changed(self, *_args: object) -> None:
        column, find, match_case, whole = self._options()
        count = (
            self._view.count_matches(column, find, match_case=match_case, whole_cell=whole)
            if find
            else 0
        )
        self.count_label.setText(f"{cells_word(count)} match" if find else "")
        self.replace_button.setEnabled(count > 0)

    def _on_replace_button_clicked(self) -> None:
        column, find, match_case, whole = self._options()
        count = self._view.replace_in_column(
            column, find, self.replace_edit.text(), match_case=match_case, whole_cell=whole
        )
        self.count_label.setText(f"Replaced in {cells_word(count)}.")
        self.replace_button.setEnabled(False)
