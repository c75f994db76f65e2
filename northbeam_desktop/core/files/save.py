"""Save and Save As: the user's (edited) orders written back in the format the path asks for.

- **.xlsx / .xlsm from an .xlsx / .xlsm** (`xlsx_patch.py`): only the cells that differ from
  the workbook the sheet was read from are written into a copy of that workbook; everything
  else — other sheets, formulas, cell types, number and date formats, fonts, fills, merged
  cells, frozen panes, column widths, macros — stays exactly as it was.
- **.xlsx from a CSV, .xls or .ods** (`xlsx.py`): a new workbook. IDs, ZIP codes and phone
  numbers are text cells so leading zeros survive, dates are date cells, the rows above the
  header are copied, and so are the values of an .xls/.ods workbook's other sheets.
- **CSV / TSV / TXT** (`delimited.py`): in the original text file's encoding, delimiter and
  line ending.

`save_notice(sheet, path)` is the one sentence to show *before* saving when something of the
original cannot be kept in the file asked for (an .xls's formatting, a workbook's other sheets
in a CSV, an .xlsm's macros in an .xlsx, an original that is gone); None when nothing is lost.

Row numbers never move: the header stays in its row and every data row goes back to the row
it came from, so the row numbers the app shows (and the recovery journal uses) stay true for
the saved file; rows deleted in the app are left empty. Every write is atomic (`atomic.py`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from northbeam_desktop.core.files.cells import column_roles, row_positions, workbook_cell
from northbeam_desktop.core.files.delimited import sheet_bytes
from northbeam_desktop.core.files.errors import SaveError, write_for_user
from northbeam_desktop.core.files.original import (
    OriginalWorkbook,
    header_column,
    trim,
)
from northbeam_desktop.core.files.xlsx import CopiedSheet, Table, write_new_workbook
from northbeam_desktop.core.files.xlsx_patch import (
    CellEdit,
    Edits,
    PatchProblem,
    has_macros,
    patch_workbook,
    sheet_part,
)
from northbeam_desktop.core.orders.mapping import Mapping
from northbeam_desktop.core.orders.sheet import SheetData, SourceFormat

if TYPE_CHECKING:
    from northbeam_desktop.core.orders.document import OrderDocument

__all__ = [
    "TEXT_SUFFIXES",
    "WORKBOOK_SUFFIXES",
    "can_save_in_place",
    "save_document",
    "save_format_for",
    "save_notice",
    "save_sheet",
    "suggested_save_path",
]

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
WORKBOOK_SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsm"}
_READ_ONLY_SUFFIXES = {".xls": "Excel 97-2003 (.xls)", ".ods": "OpenDocument (.ods)"}
_WORKBOOK_KINDS = ("xlsx", "xlsm", "xls", "ods")
_OLD_KINDS = {"xls": "an Excel 97-2003 workbook", "ods": "an OpenDocument spreadsheet"}


def can_save_in_place(sheet: SheetData) -> bool:
    """True when Save can write the original file's own format (not for .xls / .ods)."""
    return sheet.source.kind in ("csv", "xlsx", "xlsm")


def suggested_save_path(sheet: SheetData) -> Path:
    """Where Save should offer to write: the original, or `<name>.xlsx` next to an .xls/.ods."""
    path = Path(sheet.path)
    if can_save_in_place(sheet):
        return path
    return path.with_suffix(".xlsx")


def save_format_for(sheet: SheetData, path: str | os.PathLike[str]) -> SourceFormat:
    """The format `save_sheet(sheet, path)` writes: the original's encoding and delimiter when
    the original is a text file, else UTF-8 with BOM (what Excel reads without asking) and a
    comma (a tab for .tsv)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        source = sheet.source
        from_text = source.kind == "csv"
        encoding = source.encoding if from_text and source.encoding else "utf-8-sig"
        if suffix == ".tsv":
            delimiter = "\t"
        elif from_text and source.delimiter:
            delimiter = source.delimiter
        else:
            delimiter = "\t" if suffix == ".txt" else ","
        return SourceFormat("csv", encoding=encoding, delimiter=delimiter)
    if suffix in WORKBOOK_SUFFIXES:
        return SourceFormat(WORKBOOK_SUFFIXES[suffix])
    if suffix in _READ_ONLY_SUFFIXES:
        raise SaveError(
            f"{_READ_ONLY_SUFFIXES[suffix]} files can be opened but not written; save as an "
            f"Excel workbook instead (“{target.with_suffix('.xlsx').name}”)."
        )
    raise SaveError(
        f"“{target.name}” has no file type we can write; end the name with .xlsx (Excel "
        "workbook) or .csv."
    )


def save_notice(sheet: SheetData, path: str | os.PathLike[str]) -> str | None:
    """One sentence naming what of the original the file at `path` cannot keep, or None."""
    try:
        kind = save_format_for(sheet, path).kind
    except SaveError:
        return None  # saving says why
    source = sheet.source.kind
    name = Path(sheet.path).name
    if source not in _WORKBOOK_KINDS:
        return None
    if kind == "csv":
        others = " the other sheets," if len(sheet.sheets) > 1 else ""
        return (
            f"A {Path(path).suffix.lstrip('.').upper() or 'CSV'} file holds only the values of "
            f"the sheet “{sheet.sheet}”:{others} the formulas and the formatting of “{name}” "
            "are not saved in it."
        )
    if source in _OLD_KINDS:
        return (
            f"“{name}” is {_OLD_KINDS[source]}, so the new .xlsx file keeps the values of its "
            "sheets but not their formulas, formatting or column widths."
        )
    if not _can_update(sheet):
        return (
            f"“{name}” can no longer be read where it was opened from, so the saved workbook "
            "keeps this sheet's values but not its formatting or the other sheets."
        )
    if kind == "xlsx" and has_macros(sheet.path):
        return (
            f"The macros in “{name}” cannot be kept in an .xlsx workbook; save it as an .xlsm "
            "workbook to keep them."
        )
    return None


def save_sheet(
    sheet: SheetData,
    path: str | os.PathLike[str],
    *,
    fmt: SourceFormat | None = None,
    mapping: Mapping | None = None,
) -> Path:
    """Write `sheet` to `path` atomically and return the path written.

    `fmt` overrides the format chosen from the file name (see `save_format_for`); for CSV its
    `encoding` and `delimiter` are used. `mapping` tells which columns hold codes (written as
    text) and dates (written as date cells); without it the columns are mapped automatically,
    as on opening. Raises `SaveError` with a message for the user.
    """
    target = Path(path)
    chosen = fmt if fmt is not None else save_format_for(sheet, target)
    if chosen.kind in ("xls", "ods"):
        raise SaveError(
            f"{chosen.kind.upper()} files can be opened but not written; save as an Excel "
            f"workbook instead (“{target.with_suffix('.xlsx').name}”)."
        )
    if chosen.kind == "csv":
        default = save_format_for(sheet, target.with_suffix(".csv"))
        encoding = chosen.encoding or default.encoding or "utf-8-sig"
        delimiter = chosen.delimiter or default.delimiter or ","
        data = sheet_bytes(sheet, encoding, delimiter, target.name)
        write_for_user(target, lambda tmp: tmp.write_bytes(data))
        return target
    if chosen.kind not in ("xlsx", "xlsm"):
        raise SaveError(f"Saving as “{chosen.kind}” is not supported; save as .xlsx or .csv.")
    roles = column_roles(sheet, mapping)
    if _can_update(sheet):
        edits = _changed_cells(sheet, roles)
        if edits is not None:
            macros = chosen.kind == "xlsm"

            def patch(tmp: Path) -> None:
                assert sheet.sheet is not None  # _can_update checked it
                patch_workbook(sheet.path, tmp, sheet.sheet, edits, macros=macros)

            try:
                write_for_user(target, patch)
                return target
            except PatchProblem:
                pass  # damaged in a way calamine tolerates: a new workbook keeps the values
    write_for_user(target, lambda tmp: _write_new(sheet, tmp, roles))
    return target


def save_document(
    doc: OrderDocument, path: str | os.PathLike[str], *, fmt: SourceFormat | None = None
) -> Path:
    """`save_sheet` for a loaded document, using its column mapping for cell types."""
    return save_sheet(doc.sheet, path, fmt=fmt, mapping=doc.mapping)


# ============================================================================================
# Updating the user's workbook
# ============================================================================================


def _can_update(sheet: SheetData) -> bool:
    if sheet.source.kind not in ("xlsx", "xlsm") or not sheet.path or sheet.sheet is None:
        return False
    try:
        sheet_part(sheet.path, sheet.sheet)
    except PatchProblem:
        return False
    return True


def _plain(value: Any) -> Any:
    """A cell as the reader gives it: whole numbers as int, empty as None."""
    if value.__class__ is float and value.is_integer():
        return int(value)
    return None if value == "" else value


def _changed_cells(sheet: SheetData, roles: list[str]) -> Edits | None:
    """Every cell of the orders table whose value differs from the original workbook's (where
    rows were deleted, the cells that held something); None when the original cannot be read.
    Raises `SaveError` when the original's header is no longer where it was read from.

    The original's rows are compared one at a time as calamine hands them over, so only one
    copy of the sheet (the document's) is ever held as Python values."""
    original = OriginalWorkbook.open(sheet)
    if original is None:
        return None
    try:
        found = original.row_stream(sheet.sheet)
        if found is None:
            return None
        start_row, start_col, rows = found
        return _compare_rows(sheet, roles, start_row, start_col, rows)
    finally:
        original.close()


def _moved(sheet: SheetData) -> SaveError:
    return SaveError(
        f"“{Path(sheet.path).name}” was changed by another program since it was opened "
        f"(its column headings are no longer in row {sheet.header_row}), so your changes "
        "cannot be written into it safely; use Save As to save them as a CSV file."
    )


def _compare_rows(
    sheet: SheetData,
    roles: list[str],
    start_row: int,
    start_col: int,
    rows: Iterator[list[Any]],
) -> Edits:
    width = len(sheet.headers)
    blank: list[Any] = [None] * width
    current = dict(zip(row_positions(sheet), sheet.rows, strict=True))
    edits: Edits = {}
    first = lo = hi = -1  # the table's first column (0-based), its slice of calamine's rows

    def compare(number: int, old: list[Any], new: list[Any]) -> None:
        changed = {
            first + 1 + k: CellEdit(new[k], roles[k], _kept_as_text(old[k], new[k], roles[k]))
            for k in range(width)
            if old[k] != new[k] or old[k].__class__ is not new[k].__class__
        }
        if changed:
            edits[number] = changed

    if sheet.header_row <= start_row:
        raise _moved(sheet)  # the header's row is empty now
    for number, raw in enumerate(rows, start=start_row + 1):
        if number < sheet.header_row:
            continue
        if number == sheet.header_row:
            header = header_column([None] * start_col + [_plain(v) for v in raw], sheet.headers)
            if header is None:
                raise _moved(sheet)
            first, lo, hi = header, header - start_col, header - start_col + width
            continue
        if lo >= 0 and hi <= len(raw):
            # _plain, inlined: this runs for every cell of the sheet
            old = [
                (int(v) if v.__class__ is float and v.is_integer() else (None if v == "" else v))
                for v in raw[lo:hi]
            ]
        else:
            old = [_plain(raw[j]) if 0 <= j < len(raw) else None for j in range(lo, hi)]
        new = current.pop(number, blank)
        if old != new:
            compare(number, old, new)
    if first < 0:
        raise _moved(sheet)  # the sheet ends above the header now
    for number, new in current.items():  # rows below the original's last row
        compare(number, blank, new)
    return edits


def _kept_as_text(old: Any, new: Any, role: str) -> bool:
    """True when typed text replaces text the file deliberately stored as text: a number or
    date kept as text ("12.50", "2026-03-08") stays text. Text that was not a valid value
    ("soon" in a date column) gives way to a real number or date cell."""
    return isinstance(old, str) and isinstance(new, str) and not workbook_cell(old, role)[2]


# ============================================================================================
# A new workbook (the original is a CSV, .xls or .ods, or cannot be updated)
# ============================================================================================


def _write_new(sheet: SheetData, tmp: Path, roles: list[str]) -> None:
    original = OriginalWorkbook.open(sheet)
    try:
        ours = Table(
            title=sheet.sheet or Path(sheet.path).stem or "Orders",
            headers=sheet.headers,
            rows=sheet.rows,
            roles=roles,
            header_row=sheet.header_row,
            positions=row_positions(sheet),
            styled=original is None,
        )
        tables: list[Table | CopiedSheet] = []
        if original is None or sheet.sheet not in original.sheet_names:
            tables.append(ours)
        else:
            for name in original.sheet_names:
                rows = original.rows(name)
                if name != sheet.sheet:
                    tables.append(CopiedSheet(name, rows if rows is not None else []))
                    continue
                above: list[list[Any]] = []
                header_cells: list[Any] = []
                for number, row in enumerate(rows or [], start=1):
                    if number < sheet.header_row:
                        above.append(trim(row))
                    else:
                        header_cells = list(row)
                        break
                ours.title_rows = above
                ours.col_offset = header_column(header_cells, sheet.headers) or 0
                tables.append(ours)
        write_new_workbook(tmp, tables)
    finally:
        if original is not None:
            original.close()
