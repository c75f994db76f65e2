"""The open document's actions in the window's Edit and Problems menus.

`DocumentMenus.install(view)` adds the view's actions (see `ui/actions.py` for which go where)
and makes the window-wide ones work wherever the focus is; each time the Problems menu opens it
lists the quick fixes of what is selected. `remove()` takes all of it out again.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from northbeam_desktop.ui.actions import EDIT_MENU, PROBLEMS_MENU, WINDOW_WIDE, ActionName
from northbeam_desktop.ui.document.view import DocumentView


class DocumentMenus:
    """The document's part of the `edit_menu` and `problems_menu` given."""

    def __init__(self, edit_menu: QMenu, problems_menu: QMenu) -> None:
        self.edit_menu = edit_menu
        self.problems_menu = problems_menu
        self._view: DocumentView | None = None
        self._added: list[tuple[QMenu, QAction]] = []
        self._fix_actions: list[QAction] = []  # the Problems menu's quick fixes, now
        self._fixes_end: QAction | None = None

    def install(self, view: DocumentView) -> None:
        self.remove()
        self._view = view
        actions = view.named_actions
        for wide in WINDOW_WIDE:
            actions[wide].setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        for menu, names in ((self.edit_menu, EDIT_MENU), (self.problems_menu, PROBLEMS_MENU)):
            for name in names:
                if name is None:
                    self._added.append((menu, menu.addSeparator()))
                else:
                    menu.addAction(actions[name])
                    self._added.append((menu, actions[name]))
        menu = self.problems_menu
        self._added.append((menu, menu.addSeparator()))
        self._fixes_end = menu.addSeparator()
        self._added.append((menu, self._fixes_end))
        menu.addAction(actions[ActionName.TIME_ZONE])
        self._added.append((menu, actions[ActionName.TIME_ZONE]))
        menu.aboutToShow.connect(self._on_problems_menu_about_to_show)

    def remove(self) -> None:
        for menu, action in self._added:
            menu.removeAction(action)
        self._added = []
        for action in self._fix_actions:
            self.problems_menu.removeAction(action)
        self._fix_actions = []
        self._fixes_end = None
        if self._view is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self.problems_menu.aboutToShow.disconnect(self._on_problems_menu_about_to_show)
        self._view = None

    def _on_problems_menu_about_to_show(self) -> None:
        """List the quick fixes of the selected problem (or the current cell's problems)."""
        view = self._view
        menu = self.problems_menu
        for action in self._fix_actions:
            menu.removeAction(action)
            action.deleteLater()
        self._fix_actions = []
        if view is None or self._fixes_end is None:
            return
        actions = view.fix_actions(menu)
        if not actions:
            placeholder = QAction("No Quick Fix for the Current Cell", menu)
            placeholder.setEnabled(False)
            actions = [placeholder]
        menu.insertActions(self._fixes_end, actions)
        self._fix_actions = actions
