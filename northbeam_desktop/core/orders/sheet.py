"""The in-memory form of one sheet of a user's file, as the readers produce it.

Everything downstream (mapping, coercion, grouping, validation, the GUI table) works on a
`SheetData`. Values keep what the user typed: text stays text, numbers from spreadsheets are
`int` when whole (so an ID typed as 1001 never becomes "1001.0"), dates are `datetime`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# One cell as read from the file. CSV cells are always `str` (or None when blank).
CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | None


@dataclass(frozen=True, slots=True)
class SourceFormat:
    """How the file was stored, so it can be written back the same way."""

    kind: str  # "xlsx", "xlsm", "xls", "ods", "csv"
    encoding: str | None = None  # csv only: "utf-8", "utf-8-sig", "utf-16", "cp1252"
    delimiter: str | None = None  # csv only: "," ";" "\t" "|"


@dataclass(slots=True)
class SheetData:
    """One sheet: its header and data rows, each row exactly `len(headers)` cells long."""

    path: str
    sheet: str | None  # None for csv files
    sheets: list[str]  # every sheet name of the workbook ([] for csv)
    headers: list[str]  # header text exactly as in the file (blank headers become "Column N")
    header_row: int  # 1-based row number of the header as Excel shows it
    rows: list[list[CellValue]]  # data rows (blank rows dropped), padded with None
    row_numbers: list[int]  # 1-based row number of each data row as Excel shows it
    source: SourceFormat = field(default_factory=lambda: SourceFormat("csv"))

    def column_index(self, header: str) -> int:
        return self.headers.index(header)
