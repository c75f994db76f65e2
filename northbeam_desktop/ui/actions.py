"""The names of the document's actions, and which of them go where.

`DocumentView.named_actions` maps each `ActionName` to its QAction; the document session puts them
into the window's Edit and Problems menus. The names are a `StrEnum`, so a misspelt name fails
where it is written instead of finding no action.
"""

from __future__ import annotations

from enum import StrEnum


class ActionName(StrEnum):
    UNDO = "undo"
    REDO = "redo"
    NEXT_PROBLEM = "next_problem"
    PREVIOUS_PROBLEM = "previous_problem"
    NEXT_PANE = "next_pane"
    PREVIOUS_PANE = "previous_pane"
    COPY = "copy"
    PASTE = "paste"
    CLEAR_CELLS = "clear_cells"
    DELETE_ROWS = "delete_rows"
    FILL_DOWN = "fill_down"
    SET_VALUE = "set_value"
    FIND_REPLACE = "find_replace"
    EDIT_MAPPING = "edit_mapping"
    FIND = "find"
    TIME_ZONE = "time_zone"


# Actions that change the document: off while it is read-only (saving, uploading).
EDITING_ACTIONS = frozenset(
    {
        ActionName.UNDO,
        ActionName.REDO,
        ActionName.PASTE,
        ActionName.CLEAR_CELLS,
        ActionName.DELETE_ROWS,
        ActionName.FILL_DOWN,
        ActionName.SET_VALUE,
        ActionName.FIND_REPLACE,
        ActionName.EDIT_MAPPING,
    }
)

# The table's own actions (its context menu and keys), in menu order; Delete Rows comes last,
# after a separator.
CELL_ACTIONS = (
    ActionName.COPY,
    ActionName.PASTE,
    ActionName.CLEAR_CELLS,
    ActionName.FILL_DOWN,
    ActionName.SET_VALUE,
    ActionName.FIND_REPLACE,
)

# The Edit menu (None: a separator).
EDIT_MENU: tuple[ActionName | None, ...] = (
    ActionName.UNDO,
    ActionName.REDO,
    None,
    ActionName.COPY,
    ActionName.PASTE,
    ActionName.CLEAR_CELLS,
    None,
    ActionName.SET_VALUE,
    ActionName.FILL_DOWN,
    ActionName.FIND_REPLACE,
    ActionName.FIND,
    None,
    ActionName.DELETE_ROWS,
    None,
    ActionName.EDIT_MAPPING,
)

# The Problems menu: moving between problems and panes; the quick fixes of what is selected
# are added each time the menu opens; then the time zone of times written without one.
PROBLEMS_MENU: tuple[ActionName | None, ...] = (
    ActionName.NEXT_PROBLEM,
    ActionName.PREVIOUS_PROBLEM,
    None,
    ActionName.NEXT_PANE,
    ActionName.PREVIOUS_PANE,
)

# Actions that work wherever the focus is in the window (the rest act on the table's cells).
WINDOW_WIDE = frozenset(
    {
        ActionName.UNDO,
        ActionName.REDO,
        ActionName.NEXT_PROBLEM,
        ActionName.PREVIOUS_PROBLEM,
        ActionName.NEXT_PANE,
        ActionName.PREVIOUS_PANE,
        ActionName.FIND,
        ActionName.EDIT_MAPPING,
        ActionName.TIME_ZONE,
    }
)
