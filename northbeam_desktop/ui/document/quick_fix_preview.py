"""“Preview Quick Fix”: every cell a fix for many orders will change, before it changes them.

Shown by the problems panel before a quick fix "for all N" (one order's fix is previewed in the
panel itself). It lists each cell — row, order, column, the value now and the value after — says
how many cells on how many orders change and why, and applies on Enter or the Apply button; Esc
or Cancel changes nothing. `QuickFixPreviewDialog.ask(parent, fixer, fix)` is the one call the
panel makes (tests replace it, like the static QMessageBox calls).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.orders.quick_fixes import GroupFix, QuickFixer
from northbeam_desktop.ui.document.cell_text import cells_word, escape_html

# Rows listed at most; the rest is counted ("and 1,200 more cells").
MAX_LISTED = 2_000


def orders_word(count: int) -> str:
    return f"{count:,} order" if count == 1 else f"{count:,} orders"


class QuickFixPreviewDialog(QDialog):
    """What a quick fix for many orders changes; Apply (the default) or Cancel."""

    def __init__(self, fixer: QuickFixer, fix: GroupFix, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preview Quick Fix")
        self.setAccessibleName("Preview quick fix")
        self.setSizeGripEnabled(True)
        lines = fixer.preview_lines(fix.changes)
        heading = QLabel(f"<b>{escape_html(fix.label)}</b>")
        heading.setWordWrap(True)
        heading.setAccessibleName("Quick fix")
        what = (
            f"Changes {cells_word(len(lines))} on {orders_word(fix.orders)}. "
            f"{escape_html(fix.explanation)}"
        )
        if fix.fixed < fix.total:
            what += (
                f" {fix.total - fix.fixed:,} of the {fix.total:,} problems have no quick fix and "
                "stay as they are."
            )
        self.summary_label = QLabel(what)
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName("What changes")

        self.list = QTreeWidget()
        self.list.setObjectName("QuickFixChanges")
        self.list.setAccessibleName("Cells that change")
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.list.setHeaderLabels(["Row", "Order", "Column", "Now", "After"])
        for line in lines[:MAX_LISTED]:
            item = QTreeWidgetItem(
                [
                    str(line.row),
                    line.order_id or "",
                    line.column,
                    line.before or "empty",
                    line.after or "empty",
                ]
            )
            item.setTextAlignment(0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(4, line.text())
            self.list.addTopLevelItem(item)
        header = self.list.header()
        header.setStretchLastSection(True)
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        more = QLabel(
            f"…and {cells_word(len(lines) - MAX_LISTED)} more." if len(lines) > MAX_LISTED else ""
        )
        more.setVisible(len(lines) > MAX_LISTED)
        note = QLabel("One Undo (Ctrl+Z) takes the whole fix back.")
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = buttons.addButton(
            f"Apply to {orders_word(fix.orders)}", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setAccessibleName(f"Apply the fix to {orders_word(fix.orders)}")
        self.apply_button.setDefault(True)
        self.apply_button.setAutoDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.list, 1)
        layout.addWidget(more)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(640, 420)
        self.apply_button.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, fixer: QuickFixer, fix: GroupFix) -> bool:
        """Show the preview; True when the user chose Apply."""
        dialog = cls(fixer, fix, parent)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
