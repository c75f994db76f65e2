"""Delimited text (CSV, TSV, TXT): the user's own orders saved back, and the reports we export.

**The user's orders** (`sheet_bytes`) are written in the original file's encoding, delimiter
and line ending, with the rows above the header as they were, so Excel opens the saved file
exactly like the original. A character the encoding cannot hold is a `SaveError` naming its
cell, never a silent `?`. Deleted rows are left empty so later rows keep their numbers.

Cells are written exactly as they are, including text such as `=SUM(A1)`, `+1+1` or `-12.50`:
this is the shop's own data, Northbeam receives exactly these values, and the file must read
back the same. A quote mark in front would become part of the value for every program but
Excel (and is what Excel's own "Save As CSV" leaves out, too).

**Reports** (`report_bytes`: the problem rows, upload results) are files we make for people to
open in Excel, so they follow OWASP's rule against CSV (formula) injection: a cell that starts
with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, which makes Excel show
it as text instead of running it (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`). Plain numbers such
as `-12.50`, `-1,234.50` or `+3` stay as they are: they cannot run anything, and a quote would turn a
refund amount into text.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence

from northbeam_desktop.core.files.cells import row_positions
from northbeam_desktop.core.files.errors import SaveError
from northbeam_desktop.core.files.original import trim, workbook_title_rows
from northbeam_desktop.core.orders.sheet import CellValue, SheetData

__all__ = ["csv_text", "neutralised", "report_bytes", "sheet_bytes"]

# What makes a spreadsheet treat a cell as a formula (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain number (a sign, digits with separators, an exponent): nothing in it can run.
_PLAIN_NUMBER = re.compile(r"[+-]?[\d.,']*\d(?:[eE][+-]?\d+)?")


def neutralised(text: str) -> str:
    """`text` made safe to open in a spreadsheet program (OWASP: a leading `'` before a
    formula character); plain numbers are left alone."""
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(value: CellValue) -> str:
    """A cell value as the text a CSV file holds."""
    if value is None:
        return ""
    if value.__class__ is str:
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
        return text.replace(".000000", "")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def report_bytes(
    headers: Sequence[str], rows: Iterable[Sequence[CellValue]], delimiter: str
) -> bytes:
    """A report as CSV in UTF-8 with BOM (what Excel reads without asking), every cell
    neutralised against formula injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutralised(h) for h in headers])
    writer.writerows([neutralised(csv_text(v)) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def sheet_bytes(sheet: SheetData, encoding: str, delimiter: str, name: str) -> bytes:
    """The user's sheet as delimited text in `encoding` (see the module docstring)."""
    preamble, ending = _preamble(sheet, delimiter)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=ending)
    writer.writerows(preamble)
    for _ in range(len(preamble), sheet.header_row - 1):
        writer.writerow([])
    writer.writerow(sheet.headers)
    line = sheet.header_row
    for number, row in zip(row_positions(sheet), sheet.rows, strict=True):
        for _ in range(line + 1, number):
            writer.writerow([])  # a deleted row: left empty so later rows keep their numbers
        writer.writerow([csv_text(v) for v in row])
        line = number
    text = buffer.getvalue()
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise _encoding_error(sheet, encoding, name, text[exc.start : exc.end]) from None
    except LookupError:
        raise SaveError(
            f"The character encoding “{encoding}” is unknown; save as CSV UTF-8 instead."
        ) from None


def _preamble(sheet: SheetData, delimiter: str) -> tuple[list[list[str]], str]:
    """(rows above the header, line ending) read from the original text file when it is there.

    The line ending follows the original (Shopify writes \\n, Excel \\r\\n); rows above the
    header come back as they were, or empty when the original cannot be read any more.
    """
    blank: list[list[str]] = [[] for _ in range(max(sheet.header_row - 1, 0))]
    source = sheet.source
    if source.kind != "csv" or not sheet.path:
        titles = workbook_title_rows(sheet)
        if titles is None:
            return blank, "\r\n"
        return [[csv_text(v) for v in trim(row)] for row in titles] or blank, "\r\n"
    try:
        with open(sheet.path, "rb") as handle:
            raw = handle.read(4 * 1024 * 1024)
    except OSError:
        return blank, "\r\n"
    text = raw.decode(source.encoding or "utf-8", errors="replace").lstrip("\ufeff")
    ending = "\r\n" if "\r\n" in text[:65536] or "\n" not in text[:65536] else "\n"
    if sheet.header_row <= 1:
        return [], ending
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=source.delimiter or delimiter)
    preamble: list[list[str]] = []
    with contextlib.suppress(csv.Error):
        for record in reader:
            if len(preamble) >= sheet.header_row - 1:
                break
            preamble.append(record)
    preamble += blank[len(preamble) :]
    return preamble, ending


def _encoding_error(sheet: SheetData, encoding: str, name: str, chars: str) -> SaveError:
    label = {
        "cp1252": "Windows (Western European)",
        "windows-1252": "Windows (Western European)",
        "latin-1": "Latin-1",
        "ascii": "ASCII",
    }.get(encoding.lower(), encoding)
    where = ""
    for number, row in zip(sheet.row_numbers, sheet.rows, strict=False):
        for header, value in zip(sheet.headers, row, strict=False):
            if isinstance(value, str) and chars and chars[0] in value:
                where = f" (row {number}, column “{header}”)"
                break
        if where:
            break
    return SaveError(
        f"“{name}” is a {label} text file, which cannot hold the character “{chars}”{where}. "
        "Use Save As and choose an Excel workbook (.xlsx) or a CSV UTF-8 file, or change that "
        "cell."
    )
