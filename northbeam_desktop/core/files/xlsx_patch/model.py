"""What a patch is made of: the edits, the problem it may raise, shared constants."""

from __future__ import annotations

from dataclasses import dataclass

from northbeam_desktop.core.orders.sheet import CellValue

CHUNK = 1 << 20
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA_TYPES = (
    "application/vnd.ms-office.vbaProject",
    "application/vnd.ms-office.vbaProjectSignature",
)
GENERAL = "General"


class PatchProblem(Exception):
    """The workbook cannot be updated in place (damaged, or a shape this module does not know);
    the caller writes a new workbook instead or tells the user."""


@dataclass(frozen=True, slots=True)
class CellEdit:
    """A cell's new value. `role` is its column's role (see `cells.column_roles`); `keep_text`
    keeps a cell that held text a text cell (an edited "12.50" stays the text "12.50")."""

    value: CellValue
    role: str = "auto"
    keep_text: bool = False


# Row number -> column number (both 1-based) -> the edit.
Edits = dict[int, dict[int, CellEdit]]
