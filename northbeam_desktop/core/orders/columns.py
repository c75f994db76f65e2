"""One mapped column of a sheet, understood as a whole (see `OrderDocument._build_columns`).

Its own module so the document that builds columns and the rules that read them share the type
without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from northbeam_desktop.core.orders.fields import FieldSpec
from northbeam_desktop.core.orders.records import Bad
from northbeam_desktop.core.orders.sheet import CellValue
from northbeam_desktop.core.orders.values import Converter, ValueProblem


@dataclass(slots=True)
class Column:
    """One mapped column, understood as a whole."""

    spec: FieldSpec
    index: int  # position in SheetData.headers
    header: str
    values: list[Any]  # per row: converted value, None when blank, or Bad
    notes: dict[Any, str]  # raw value -> warning sentence about how it was converted
    convert: Converter
    fmt: Any = None  # NumberFormat or DateFormat decided for the column
    # Whether any cell could not be understood when the column was built (lets the bulk
    # prescreen skip scanning clean columns; edits later do not update it).
    had_bad: bool = True
    # Made from other columns (core/orders/derive.py), not read from one: an edit of the
    # cell at `index` changes a source of it, never the value itself.
    derived: bool = False

    def reconvert(self, raw: CellValue) -> Any:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        try:
            value, note = self.convert(raw)
        except ValueProblem as problem:
            return Bad(problem)
        if note:
            self.notes[raw] = note
        return value
