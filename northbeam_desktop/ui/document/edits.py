"""The cells an editing command changes, worked out without Qt: find and replace in a column,
pasted text as a grid, and whether a new value differs from the old one.

The document view turns what these return into one undo step (`SetCellsCommand`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from northbeam_desktop.core.orders.sheet import CellValue
from northbeam_desktop.ui.document.cell_text import display_text, typed_like

CellChange = tuple[int, int, CellValue]


def same_value(old: CellValue, new: CellValue) -> bool:
    """`new` (typed: "" is empty) would store exactly what the cell holds."""
    if new == "":
        new = None
    return old == new and old.__class__ is new.__class__


def column_matches(
    rows: Sequence[Sequence[CellValue]],
    col_index: int,
    find: str,
    *,
    match_case: bool = False,
    whole_cell: bool = False,
) -> list[tuple[int, str]]:
    """(row_index, text) of every cell of the column containing (or being) `find`."""
    if not find:
        return []
    wanted = find if match_case else find.casefold()
    found: list[tuple[int, str]] = []
    for r, row in enumerate(rows):
        value = row[col_index]
        if value is None:
            continue
        text = display_text(value)
        folded = text if match_case else text.casefold()
        if (folded == wanted) if whole_cell else (wanted in folded):
            found.append((r, text))
    return found


def replacements(
    rows: Sequence[Sequence[CellValue]],
    col_index: int,
    find: str,
    replace: str,
    *,
    match_case: bool = False,
    whole_cell: bool = False,
) -> list[CellChange]:
    """The cells of the column with `find` replaced by `replace` (an emptied cell is None)."""
    pattern = re.compile(re.escape(find), 0 if match_case else re.IGNORECASE)
    changes: list[CellChange] = []
    for r, text in column_matches(
        rows, col_index, find, match_case=match_case, whole_cell=whole_cell
    ):
        new_text = replace if whole_cell else pattern.sub(lambda _m: replace, text)
        old = rows[r][col_index]
        changes.append((r, col_index, typed_like(old, new_text) if new_text else None))
    return changes


def text_grid(text: str) -> list[list[str]]:
    """Tab-separated lines (as spreadsheets copy cells) as rows of values."""
    lines = text.rstrip("\r\n").replace("\r\n", "\n").split("\n")
    return [line.split("\t") for line in lines]
