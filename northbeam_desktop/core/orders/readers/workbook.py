"""Workbooks (.xlsx, .xlsm, .xls, .ods) through python-calamine, after `archive`'s checks.

calamine (Rust) is fast, but it builds a sheet's whole rectangle before we see a cell and ends
the process when an allocation fails, so nothing reaches it before `WorkbookGuard` has checked
the workbook (when it opens) and each sheet (before it is built). Values are kept as typed:
numbers stay numbers, whole floats become `int` (an ID typed as 1001 never turns into
"1001.0"), blank cells become None.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from python_calamine import (
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from northbeam_desktop.core.orders.readers.archive import WorkbookGuard
from northbeam_desktop.core.orders.readers.errors import ReadError, header_only, os_error
from northbeam_desktop.core.orders.readers.files import WORKBOOK_EXTENSIONS, extension
from northbeam_desktop.core.orders.readers.header import extent, find_header, make_headers
from northbeam_desktop.core.orders.sheet import CellValue, SheetData, SourceFormat

# A row as calamine gives it: numbers, text ("" when blank), dates, times and durations.
CalamineRow = list[Any]

_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")  # OLE stream of a locked .xlsx


def sheet_names(p: str, name: str, kind: str) -> list[str]:
    with WorkbookGuard(p, name, kind), _open_workbook(p, name, kind) as wb:
        return list(wb.sheet_names)


def read_workbook(p: str, name: str, kind: str, wanted: str | None) -> SheetData:
    with WorkbookGuard(p, name, kind) as guard, _open_workbook(p, name, kind) as wb:
        names = list(wb.sheet_names)
        try:
            if wanted is not None:
                chosen = _match_sheet(names, wanted, name)
                sh = _load(wb, guard, chosen)
                rows: list[CalamineRow] = sh.to_python() if sh.start is not None else []
                if not _has_data(rows):
                    raise ReadError(
                        f"The sheet “{chosen}” in “{name}” is empty; choose the sheet that holds "
                        f"your orders ({_sheet_list(names)})."
                    )
            else:
                chosen, sh, rows = _first_sheet_with_data(wb, guard, name)
            start = sh.start or (0, 0)
        except ReadError:
            raise
        except PasswordError as exc:
            raise _password_error(name) from exc
        except Exception as exc:
            raise _broken_workbook(p, name, kind) from exc
    del sh  # calamine's copy of the sheet: only the Python rows are needed from here
    headers, header_row, data, numbers = _build_from_workbook(rows, start[0], start[1])
    if not data:
        raise header_only(f"The sheet “{chosen}” in “{name}”")
    return SheetData(
        path=p,
        sheet=chosen,
        sheets=names,
        headers=headers,
        header_row=header_row,
        rows=data,
        row_numbers=numbers,
        source=SourceFormat(kind),
    )


def _load(wb: CalamineWorkbook, guard: WorkbookGuard, sheet: str) -> CalamineSheet:
    """Build one sheet, checked before (its XML) and after (its rectangle, before Python sees
    it: a rectangle the check could not foresee still never becomes millions of objects)."""
    guard.check_sheet(sheet)
    sh = wb.get_sheet_by_name(sheet)
    guard.check_built(sheet, sh.height, sh.width)
    return sh


def _open_workbook(p: str, name: str, kind: str) -> CalamineWorkbook:
    ext = extension(name)
    try:
        if WORKBOOK_EXTENSIONS.get(ext) == kind or (ext == ".xlsx" and kind == "xlsm"):
            return CalamineWorkbook.from_path(p)
        # Content and extension disagree (e.g. an .xlsx renamed .xls or .csv): calamine picks
        # the format from the extension for paths, but sniffs the content for file objects.
        with open(p, "rb") as fh:
            return CalamineWorkbook.from_filelike(fh)
    except OSError as exc:
        raise os_error(name, exc) from exc
    except PasswordError as exc:
        raise _password_error(name) from exc
    except Exception as exc:
        raise _broken_workbook(p, name, kind) from exc


def _password_error(name: str) -> ReadError:
    return ReadError(
        f"“{name}” is protected with a password; open it in Excel, remove the password "
        "(File > Info > Protect Workbook > Encrypt with Password), save it and choose it again."
    )


def _broken_workbook(p: str, name: str, kind: str) -> ReadError:
    if kind == "xls":
        # A password-protected .xlsx is stored inside an OLE container like an old .xls.
        try:
            with open(p, "rb") as fh:
                if _ENCRYPTED_STREAM in fh.read(os.path.getsize(p)):
                    return _password_error(name)
        except OSError:
            pass
    app = "LibreOffice or Excel" if kind == "ods" else "Excel"
    return ReadError(
        f"The workbook “{name}” is damaged or incomplete (perhaps an interrupted download or "
        f"copy); open it in {app} and save a fresh copy, or export it again."
    )


def _has_data(rows: list[CalamineRow]) -> bool:
    return any(row.count("") != len(row) for row in rows)


def _sheet_list(names: Sequence[str]) -> str:
    return "this workbook has " + ", ".join(f"“{n}”" for n in names)


def _match_sheet(names: list[str], wanted: str, name: str) -> str:
    if wanted in names:
        return wanted
    # A saved choice may differ in case or stray spaces ("orders " vs "Orders"); if exactly one
    # sheet matches loosely, that is clearly the one meant.
    loose = [n for n in names if n.strip().casefold() == wanted.strip().casefold()]
    if len(loose) == 1:
        return loose[0]
    raise ReadError(
        f"There is no sheet named “{wanted}” in “{name}”; choose one of the sheets it has: "
        + ", ".join(f"“{n}”" for n in names)
        + "."
    )


def _first_sheet_with_data(
    wb: CalamineWorkbook, guard: WorkbookGuard, name: str
) -> tuple[str, CalamineSheet, list[CalamineRow]]:
    """The first sheet with any non-empty cell, preferring visible worksheets.

    A hidden first sheet usually holds lookup lists, not the orders the user looks at; it is
    still used when no visible sheet has data.
    """
    metas = list(wb.sheets_metadata)
    visible = [
        m.name
        for m in metas
        if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet
    ]
    others = [m.name for m in metas if m.name not in visible]
    for sheet_name in visible + others:
        guard.check_sheet(sheet_name)
        try:
            sh = wb.get_sheet_by_name(sheet_name)
        except Exception:
            continue  # a chart or macro sheet has no cells to read
        guard.check_built(sheet_name, sh.height, sh.width)
        if sh.start is None:
            continue
        rows = sh.to_python()
        if _has_data(rows):
            return sheet_name, sh, rows
    raise ReadError(
        f"The workbook “{name}” has no data on any of its sheets; check that you chose the "
        "right file, or that it was saved after the orders were added."
    )


def _build_from_workbook(
    rows: list[CalamineRow], row_offset: int, col_offset: int
) -> tuple[list[str], int, list[list[CellValue]], list[int]]:
    """Header, data rows and row numbers from calamine's rectangular rows.

    `row_offset`/`col_offset` are the 0-based position of rows[0][0] in the sheet (calamine
    skips empty rows and columns before the data), so row numbers match what Excel shows.
    """
    h = max(find_header(rows), 0)  # the caller made sure some cell is non-empty
    header_cells = rows[h]
    full = len(header_cells)  # calamine rows are all the used-range width
    width = extent(header_cells)
    data_rows = rows[h + 1 :]
    if full > width:
        # Columns right of the last heading: keep them if any row has something there
        # (nothing the user loaded may be lost), otherwise drop the empty range.
        for col in range(full - 1, width - 1, -1):
            if any(r[col] != "" for r in data_rows):
                width = col + 1
                break
    headers = make_headers(header_cells[:width], width, col_offset)

    out: list[list[CellValue]] = []
    numbers: list[int] = []
    append = out.append
    number = numbers.append
    first = row_offset + h + 2  # Excel number of the row after the header
    if width == full:
        for i, row in enumerate(data_rows, first):
            # One pass: whole floats -> int (IDs stay "1001"), "" -> None, all else unchanged.
            new = [
                (int(v) if v.__class__ is float and v.is_integer() else (None if v == "" else v))
                for v in row
            ]
            if new.count(None) != width:  # drop fully blank rows, keep their numbering
                append(new)
                number(i)
    else:
        for i, row in enumerate(data_rows, first):
            new = [
                (int(v) if v.__class__ is float and v.is_integer() else (None if v == "" else v))
                for v in row[:width]
            ]
            if new.count(None) != width:
                append(new)
                number(i)
    return headers, row_offset + h + 1, out, numbers
