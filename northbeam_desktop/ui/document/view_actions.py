"""The document view's actions: their words, keys and status tips.

`create_actions(owner, undo_stack, slots)` makes one QAction per `ActionName` (Undo and Redo come
from the undo stack; every other action calls its slot) and adds each to `owner`, where its keys
work while the focus is inside it. The session later makes some of them window-wide.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QWidget

from northbeam_desktop.ui.actions import ActionName

StandardKey = QKeySequence.StandardKey


class ActionSpec(NamedTuple):
    text: str
    keys: tuple[QKeySequence | StandardKey | str, ...]
    tip: str


def _key(key: QKeySequence | StandardKey | str) -> list[QKeySequence]:
    if isinstance(key, StandardKey):
        return list(QKeySequence.keyBindings(key))
    return [key if isinstance(key, QKeySequence) else QKeySequence(key)]


SPECS: dict[ActionName, ActionSpec] = {
    ActionName.NEXT_PROBLEM: ActionSpec(
        "&Next Problem", (QKeySequence(Qt.Key.Key_F8),), "Go to the next cell with a problem"
    ),
    ActionName.PREVIOUS_PROBLEM: ActionSpec(
        "&Previous Problem", ("Shift+F8",), "Go to the previous cell with a problem"
    ),
    ActionName.COPY: ActionSpec("&Copy", (StandardKey.Copy,), "Copy the selected cells"),
    ActionName.PASTE: ActionSpec(
        "&Paste", (StandardKey.Paste,), "Paste cells copied from a spreadsheet"
    ),
    ActionName.CLEAR_CELLS: ActionSpec(
        "C&lear Cells",
        (QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Backspace)),
        "Empty the selected cells",
    ),
    ActionName.DELETE_ROWS: ActionSpec(
        "&Delete Rows", ("Ctrl+Delete", "Ctrl+-"), "Remove the selected rows from the file"
    ),
    ActionName.FILL_DOWN: ActionSpec(
        "Fill Do&wn",
        ("Ctrl+D",),
        "Copy the top selected value into the selected cells below it",
    ),
    ActionName.SET_VALUE: ActionSpec(
        "Set &Value for Selected Cells…",
        ("Ctrl+Shift+E",),
        "Type one value for every selected cell",
    ),
    ActionName.FIND_REPLACE: ActionSpec(
        "Find and R&eplace in Column…",
        ("Ctrl+H", StandardKey.Replace),
        "Replace text in one column",
    ),
    ActionName.EDIT_MAPPING: ActionSpec(
        "Edit &Mapping…",
        ("Ctrl+Shift+M",),  # Ctrl+M is Minimize on macOS
        "Choose which column holds which Northbeam field",
    ),
    ActionName.FIND: ActionSpec("&Find…", (StandardKey.Find,), "Search all cells"),
    ActionName.NEXT_PANE: ActionSpec(
        "&Go to Next Pane",
        (QKeySequence(Qt.Key.Key_F6),),
        "Move between the table, the problems list and what will be sent",
    ),
    ActionName.PREVIOUS_PANE: ActionSpec(
        "Go to Previous Pan&e",
        ("Shift+F6",),
        "Move between the table, the problems list and what will be sent, backwards",
    ),
    ActionName.TIME_ZONE: ActionSpec(
        "&Time Zone of Times Without One…",
        (),
        "Choose the time zone in which times without one are read",
    ),
}


def unique_keys(keys: list[QKeySequence]) -> list[QKeySequence]:
    """Each key once, without empty ones: a key listed twice is an "ambiguous shortcut" and
    does nothing."""
    result: list[QKeySequence] = []
    for sequence in keys:
        if not sequence.isEmpty() and sequence not in result:
            result.append(sequence)
    return result


def create_actions(
    owner: QWidget, undo_stack: QUndoStack, slots: Mapping[ActionName, Callable[[], object]]
) -> dict[ActionName, QAction]:
    """Every action of `SPECS` calling its slot, plus Undo and Redo; added to `owner`."""
    actions: dict[ActionName, QAction] = {}

    def add(name: ActionName, action: QAction) -> None:
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        owner.addAction(action)
        actions[name] = action

    undo = undo_stack.createUndoAction(owner, "&Undo")
    undo.setShortcuts(QKeySequence.StandardKey.Undo)
    redo = undo_stack.createRedoAction(owner, "&Redo")
    # The platform's Redo keys usually include Ctrl+Shift+Z again.
    redo.setShortcuts(
        unique_keys(
            [
                QKeySequence("Ctrl+Shift+Z"),
                QKeySequence("Ctrl+Y"),
                *QKeySequence.keyBindings(StandardKey.Redo),
            ]
        )
    )
    add(ActionName.UNDO, undo)
    add(ActionName.REDO, redo)
    for name, spec in SPECS.items():
        action = QAction(spec.text, owner)
        keys = [sequence for key in spec.keys for sequence in _key(key)]
        if name is ActionName.FIND_REPLACE:
            keys = unique_keys(keys)
        if keys:
            action.setShortcuts(keys)
        action.setStatusTip(spec.tip)
        action.setToolTip(spec.tip)
        action.triggered.connect(_caller(slots[name]))
        add(name, action)
    return actions


def _caller(slot: Callable[[], object]) -> Callable[[bool], None]:
    def call(_checked: bool = False) -> None:
        slot()

    return call
