"""Reading back the workbook a sheet came from, for what a saved file carries over from it.

`OriginalWorkbook.open(sheet)` gives the values of the original workbook's sheets through
python-calamine (the reader the app opens workbooks with, so the values are exactly those the
app showed): the rows above the header of a workbook saved as CSV, the other sheets of an
.xls/.ods saved as .xlsx, and the cells an .xlsx save compares the edited sheet against.
None when the original is gone or cannot be read any more.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Iterator, Sequence
from typing import Any

from northbeam_desktop.core.orders.sheet import CellValue, SheetData

__all__ = ["OriginalWorkbook", "header_column", "trim", "workbook_title_rows"]


class OriginalWorkbook:
    """Values of the workbook `sheet` was read from."""

    def __init__(self, book: Any) -> None:
        self.book = book

    @classmethod
    def open(cls, sheet: SheetData) -> OriginalWorkbook | None:
        if sheet.source.kind not in ("xlsx", "xlsm", "xls", "ods") or not sheet.path:
            return None
        try:
            from python_calamine import CalamineWorkbook

            book = CalamineWorkbook.from_path(sheet.path)
        except Exception:  # gone, changed into something else, damaged: write without it
            return None
        return cls(book)

    @property
    def sheet_names(self) -> list[str]:
        return list(self.book.sheet_names)

    def cells(self, name: str | None) -> tuple[int, int, list[list[Any]]] | None:
        """(first row, first column, rows) of a sheet's used range, 0-based, as calamine reads
        them ("" for an empty cell); None for a missing or unreadable sheet."""
        if name is None or name not in self.sheet_names:
            return None
        try:
            sh = self.book.get_sheet_by_name(name)
            if sh.start is None:
                return 0, 0, []
            start_row, start_col = sh.start
            return start_row, start_col, sh.to_python()
        except Exception:  # a chart or macro sheet, or a damaged part
            return None

    def row_stream(self, name: str | None) -> tuple[int, int, Iterator[list[Any]]] | None:
        """Like `cells`, but the rows are made one at a time as they are read (a sheet of a
        hundred thousand rows is never held twice as Python values)."""
        if name is None or name not in self.sheet_names:
            return None
        try:
            sh = self.book.get_sheet_by_name(name)
            if sh.start is None:
                return 0, 0, iter(())
            start_row, start_col = sh.start
            rows = sh.iter_rows()
        except Exception:  # a chart or macro sheet, or a damaged part
            return None
        # calamine's iter_rows starts at the sheet's first row (to_python at the used range's);
        # both start at the used range's first column.
        return start_row, start_col, itertools.islice(rows, start_row, None)

    def rows(self, name: str | None) -> Iterator[Sequence[CellValue]] | None:
        """A sheet's rows from row 1 and column A, empty cells as None."""
        found = self.cells(name)
        if found is None:
            return None
        start_row, start_col, rows = found
        lead: list[CellValue] = [None] * start_col

        def generate() -> Iterator[Sequence[CellValue]]:
            for _ in range(start_row):
                yield []
            for row in rows:
                yield lead + [None if v == "" else v for v in row]

        return generate()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.book.close()


def trim(row: Sequence[Any]) -> list[Any]:
    """`row` without its empty cells at the end."""
    out = list(row)
    while out and (out[-1] is None or out[-1] == ""):
        out.pop()
    return out


def workbook_title_rows(sheet: SheetData) -> list[list[Any]] | None:
    """The original sheet's rows above the header; None when the original cannot be read."""
    if sheet.header_row <= 1:
        return []
    original = OriginalWorkbook.open(sheet)
    if original is None:
        return None
    try:
        rows = original.rows(sheet.sheet)
        if rows is None:
            return None
        out: list[list[Any]] = []
        for row in rows:
            if len(out) >= sheet.header_row - 1:
                break
            out.append(trim(row))
        return out
    finally:
        original.close()


def _header_matches(cell: Any, header: str) -> bool:
    text = "" if cell is None else str(cell).strip().strip("\ufeff").strip()
    if isinstance(cell, float) and cell.is_integer():
        text = str(int(cell))
    if text == header:
        return True
    if not text and re.fullmatch(r"Column \d+", header):
        return True
    base = re.sub(r" \(\d+\)$", "", header)  # "SKU (2)": the reader's name for a repeat
    return base != header and text == base


def header_column(header_cells: Sequence[Any], headers: Sequence[str]) -> int | None:
    """Which column of the original header row (0-based) the first header sits in; None when
    the headers are not in that row (the file was changed since it was read)."""
    cells = list(header_cells)
    for offset in range(len(cells)):
        window = cells[offset : offset + len(headers)]
        window += [None] * (len(headers) - len(window))
        if all(_header_matches(c, h) for c, h in zip(window, headers, strict=True)):
            return offset
    return None
