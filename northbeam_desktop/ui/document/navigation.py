"""Next Problem (F8) and Previous Problem (Shift+F8): the next cell with a problem in view
order, wrapping around, worked out without Qt."""

from __future__ import annotations

from collections.abc import Callable


def next_problem_cell(
    row_count: int,
    current: tuple[int, int] | None,
    problem_columns: Callable[[int], list[int]],
    *,
    column_count: int,
    backwards: bool = False,
) -> tuple[int, int] | None:
    """(view row, table column) of the next (previous) problem cell after `current` (a view
    row and column, or None to start at the top, or at the bottom going backwards).
    `problem_columns(view_row)` lists the table columns with a problem in that row, sorted."""
    if row_count == 0:
        return None
    if current is not None:
        start_row, start_col = current
        inclusive = False
    elif backwards:
        start_row, start_col, inclusive = row_count - 1, column_count, True
    else:
        start_row, start_col, inclusive = 0, -1, True
    step = -1 if backwards else 1
    for offset in range(row_count + 1):
        view_row = (start_row + step * offset) % row_count
        columns = problem_columns(view_row)
        if not columns:
            continue
        if offset == 0 and not inclusive:
            columns = [c for c in columns if (c < start_col if backwards else c > start_col)]
        elif offset == row_count:
            columns = [c for c in columns if (c >= start_col if backwards else c <= start_col)]
        if columns:
            return view_row, (columns[-1] if backwards else columns[0])
    return None
