"""Quick fixes as menu items: the Problems menu and the table's context menu list the fixes of
the selected problem or of the cell, each named for what it writes ("Use 20.32 for Tax"); the
table's context menu puts them before the editing actions (`table_menu`)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from northbeam_desktop.core.orders.quick_fixes import GroupFix, QuickFix
from northbeam_desktop.ui.document.issues_panel import IssuesPanel
from northbeam_desktop.ui.document.model import OrdersTableModel


def menu_text(text: str) -> str:
    """A label for a menu item: an "&" in it is shown, not a keyboard shortcut."""
    return text.replace("&", "&&")


def apply_later(panel: IssuesPanel, fix: QuickFix | GroupFix) -> Callable[[], None]:
    """A slot applying `fix` once the menu that offered it is closed."""

    def slot() -> None:
        QTimer.singleShot(0, lambda: panel.apply_fix(fix))

    return slot


def selection_fix_actions(panel: IssuesPanel, parent: QObject) -> list[QAction]:
    """The fixes of the problem selected in the problems list."""
    actions: list[QAction] = []
    for fix in panel.fixes_for_selection():
        action = QAction(menu_text(fix.label), parent)
        action.setStatusTip(fix.explanation)
        action.triggered.connect(apply_later(panel, fix))
        actions.append(action)
    return actions


def cell_fix_actions(
    panel: IssuesPanel,
    model: OrdersTableModel,
    cell: tuple[int, int],
    parent: QObject,
    *,
    enabled: bool,
) -> list[QAction]:
    """The fixes of the problems of one cell (row_index, col_index), named with the field."""
    actions: list[QAction] = []
    for issue, fix in panel.fixes_for_cell(*cell):
        label = model.field_label(issue.col_index) if issue.col_index is not None else ""
        text = f"{fix.label} for {label}" if label else fix.label
        action = QAction(menu_text(text), parent)
        action.setToolTip(fix.explanation)
        action.setStatusTip(fix.explanation)
        action.setEnabled(enabled)
        action.triggered.connect(apply_later(panel, fix))
        actions.append(action)
    return actions


def table_menu(
    panel: IssuesPanel,
    model: OrdersTableModel,
    cell: tuple[int, int] | None,
    editing: list[list[QAction]],
    parent: QWidget,
    *,
    enabled: bool,
) -> QMenu:
    """The table's context menu: the fixes of `cell`'s problems first (none for no cell), then
    the `editing` actions, a separator between groups."""
    menu = QMenu(parent)
    if cell is not None:
        fixes = cell_fix_actions(panel, model, cell, menu, enabled=enabled)
        menu.addActions(fixes)
        if fixes:
            menu.addSeparator()
    for number, group in enumerate(editing):
        if number:
            menu.addSeparator()
        menu.addActions(group)
    return menu
