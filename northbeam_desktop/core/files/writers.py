"""Writing orders back to disk: Save / Save As, the problem rows for Excel, and upload results.

`save_sheet(sheet, path)` writes the (edited) sheet in the format the path asks for:

- **CSV / TSV / TXT** in the original file's encoding (UTF-8, UTF-8 with BOM, UTF-16 with BOM,
  Windows-1252) and delimiter, so Excel opens the saved file exactly like the original. A
  character the encoding cannot hold is a `SaveError` naming its cell, never a silent `?`.
- **XLSX / XLSM** via openpyxl. The other sheets of the original workbook are copied (values
  and formulas), the rows above the header (titles) are copied from the original, IDs, ZIP
  codes and phone numbers are text cells (number format `@`) so leading zeros survive, and
  dates are real date cells. An `.xlsm` original is updated in place so its macros survive;
  other workbooks are rebuilt, which keeps every value but not cell colours or column widths.
  Formulas inside the orders table are written as their values.
- `.xls` and `.ods` cannot be written: such originals are saved as `.xlsx`
  (`suggested_save_path` gives the name to offer).

Row numbers never move. The header goes back to its original row and every data row to the row
it came from, so the row numbers the app shows (and the recovery journal uses) stay true for the
saved file; rows deleted in the app are left empty. If the original is gone (moved, deleted), the
rows above the header are written empty.

Every write goes to a temporary file in the destination folder that replaces the destination
with `os.replace` only when complete: a crash, a full disk or Excel holding the file open never
leaves a half-written file behind.

`export_problems(doc, path)` writes the orders that have problems with two added columns,
"Excel row" (where the row is in the user's file) and "Problems" (every message, errors first),
for fixing in Excel and opening again. `export_upload_results(report, doc, path)` writes what
Northbeam answered for each order.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from northbeam_desktop.core.orders.fields import FIELDS_BY_KEY, Kind
from northbeam_desktop.core.orders.mapping import Mapping, auto_map
from northbeam_desktop.core.orders.sheet import CellValue, SheetData, SourceFormat

if TYPE_CHECKING:
    from northbeam_desktop.core.northbeam.uploader import UploadReport
    from northbeam_desktop.core.orders.document import OrderDocument, OrderRecord

__all__ = [
    "EXCEL_ROW_COLUMN",
    "PROBLEMS_COLUMN",
    "SaveError",
    "can_save_in_place",
    "export_problems",
    "export_upload_results",
    "save_document",
    "save_format_for",
    "save_sheet",
    "suggested_save_path",
]

PROBLEMS_COLUMN = "Problems"
EXCEL_ROW_COLUMN = "Excel row"

_TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
_WORKBOOK_SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsm"}
_READ_ONLY_SUFFIXES = {".xls": "Excel 97-2003 (.xls)", ".ods": "OpenDocument (.ods)"}

# Field kinds whose values are codes, not quantities: always written as text cells.
_TEXT_KINDS = frozenset(
    {
        Kind.TEXT,
        Kind.PHONE,
        Kind.EMAIL,
        Kind.HASH,
        Kind.IP,
        Kind.CURRENCY,
        Kind.COUNTRY,
        Kind.LIST,
    }
)

# A string that is unmistakably one number: no thousands separators, no leading zeros.
_PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9]\d{0,14})(?:\.\d+)?")
# Digits with a leading zero (ZIP codes, IDs) or too long for Excel's 15 significant digits.
_CODE_LIKE = re.compile(r"0\d+|\d{16,}")
# A date or date and time without a zone, as people and this app type them.
_NAIVE_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?")

_DATE_FORMAT = "yyyy-mm-dd"
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_TIME_FORMAT = "hh:mm:ss"
_TEXT_FORMAT = "@"

# Excel's limit on sheet names and the characters it refuses in them.
_SHEET_NAME_LIMIT = 31
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


class SaveError(Exception):
    """A file we cannot write; `str(error)` says why and what to do, for a shop owner."""


# ============================================================================================
# Public API
# ============================================================================================


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
    if suffix in _TEXT_SUFFIXES:
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
    if suffix in _WORKBOOK_SUFFIXES:
        return SourceFormat(_WORKBOOK_SUFFIXES[suffix])
    if suffix in _READ_ONLY_SUFFIXES:
        raise SaveError(
            f"{_READ_ONLY_SUFFIXES[suffix]} files can be opened but not written; save as an "
            f"Excel workbook instead (“{target.with_suffix('.xlsx').name}”)."
        )
    raise SaveError(
        f"“{target.name}” has no file type we can write; end the name with .xlsx (Excel "
        "workbook) or .csv."
    )


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
    text) and dates (written as date cells) in a workbook; without it the columns are mapped
    automatically, as on opening. Raises `SaveError` with a message for the user.
    """
    target = Path(path)
    chosen = fmt if fmt is not None else save_format_for(sheet, target)
    if chosen.kind in ("xls", "ods"):
        raise SaveError(
            f"{chosen.kind.upper()} files can be opened but not written; save as an Excel "
            f"workbook instead (“{target.with_suffix('.xlsx').name}”)."
        )
    if chosen.kind == "csv":
        if fmt is not None and (not chosen.encoding or not chosen.delimiter):
            default = save_format_for(sheet, target.with_suffix(".csv"))
            chosen = SourceFormat(
                "csv",
                encoding=chosen.encoding or default.encoding,
                delimiter=chosen.delimiter or default.delimiter,
            )
        encoding = chosen.encoding or "utf-8-sig"
        delimiter = chosen.delimiter or ","
        data = _csv_bytes(sheet, encoding, delimiter, target.name)
        _atomic_write(target, lambda tmp: tmp.write_bytes(data))
        return target
    if chosen.kind not in ("xlsx", "xlsm"):
        raise SaveError(f"Saving as “{chosen.kind}” is not supported; save as .xlsx or .csv.")
    roles = _column_roles(sheet, mapping)
    _atomic_write(target, lambda tmp: _write_workbook(sheet, tmp, chosen.kind, roles))
    return target


def save_document(
    doc: OrderDocument, path: str | os.PathLike[str], *, fmt: SourceFormat | None = None
) -> Path:
    """`save_sheet` for a loaded document, using its column mapping for cell types."""
    return save_sheet(doc.sheet, path, fmt=fmt, mapping=doc.mapping)


def export_problems(doc: OrderDocument, path: str | os.PathLike[str]) -> int:
    """Write every order that has a problem to `path` (.xlsx, or .csv/.tsv/.txt by extension).

    Whole orders are written (every row of an order with a problem), so the file validates
    the same when opened again. Columns: "Excel row" (the row in the user's file), "Problems"
    (that row's messages, errors first, one sentence after the other), then every original
    column. Problems that belong to the whole file (an unmapped column) go to a second sheet
    "File problems" in a workbook. Returns the number of rows written.
    """
    target = Path(path)
    sheet = doc.sheet
    suffix = target.suffix.lower()
    if suffix not in _TEXT_SUFFIXES and suffix not in _WORKBOOK_SUFFIXES:
        raise SaveError(f"“{target.name}” must end in .xlsx or .csv to export the problem rows.")

    # Re-exporting an exported file replaces its two added columns instead of adding more.
    keep = [i for i, h in enumerate(sheet.headers) if h not in (PROBLEMS_COLUMN, EXCEL_ROW_COLUMN)]
    excel_row_col = (
        sheet.headers.index(EXCEL_ROW_COLUMN) if EXCEL_ROW_COLUMN in sheet.headers else None
    )
    headers = [EXCEL_ROW_COLUMN, PROBLEMS_COLUMN, *(sheet.headers[i] for i in keep)]

    rows: list[list[CellValue]] = []
    for row_index in _problem_rows(doc):
        raw = sheet.rows[row_index]
        origin: CellValue = sheet.row_numbers[row_index]
        if excel_row_col is not None and raw[excel_row_col] not in (None, ""):
            origin = raw[excel_row_col]
        rows.append([origin, _problem_text(doc, row_index), *(raw[i] for i in keep)])

    if suffix in _TEXT_SUFFIXES:
        delimiter = "\t" if suffix == ".tsv" else (sheet.source.delimiter or ",")
        if sheet.source.kind != "csv":
            delimiter = "\t" if suffix in (".tsv", ".txt") else ","
        table = _plain_sheet(headers, rows)
        data = _csv_bytes(table, "utf-8-sig", delimiter, target.name, preamble=[])
        _atomic_write(target, lambda tmp: tmp.write_bytes(data))
        return len(rows)

    mapping_roles = _column_roles(sheet, doc.mapping)
    roles = ["number", "text", *(mapping_roles[i] for i in keep)]
    file_issues = [issue.message for issue in doc.file_issues]

    def write(tmp: Path) -> None:
        tables = [
            _Table(
                title="Problems",
                headers=headers,
                rows=rows,
                roles=roles,
                widths={1: 60},
                wrap={1},
                styled=True,
            )
        ]
        if file_issues:
            tables.append(
                _Table(
                    title="File problems",
                    headers=["Problem"],
                    rows=[[message] for message in file_issues],
                    roles=["text"],
                    widths={0: 100},
                    wrap={0},
                    styled=True,
                )
            )
        _write_new_workbook(tmp, tables)

    _atomic_write(target, write)
    return len(rows)


def export_upload_results(
    report: UploadReport,
    doc: OrderDocument | None,
    path: str | os.PathLike[str],
    *,
    skipped: Sequence[OrderRecord] = (),
) -> int:
    """Write one line per order of `report` (.csv/.tsv/.txt or .xlsx by extension).

    Columns: order_id, status (accepted / failed / not_sent / unchanged / skipped), rows (the
    Excel rows it came from), message, and cells (the cells Northbeam named, when `doc` still
    knows the order). `skipped` adds orders that were not sent because of their errors.
    Returns the number of orders written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in _TEXT_SUFFIXES and suffix not in _WORKBOOK_SUFFIXES:
        raise SaveError(f"“{target.name}” must end in .xlsx or .csv to export the results.")
    headers = ["order_id", "status", "rows", "message", "cells"]
    rows: list[list[CellValue]] = []
    for outcome in report.outcomes:
        cells = ""
        record = doc.order_by_id(outcome.order_id) if doc is not None else None
        if record is not None and outcome.server_errors:
            cells = "; ".join(
                _describe_cell(doc, record, json_path) for json_path, _ in outcome.server_errors
            )
        rows.append(
            [
                outcome.order_id,
                outcome.status,
                _rows_text(outcome.rows),
                outcome.message or "",
                cells,
            ]
        )
    for record in skipped:
        numbers = [doc.sheet.row_numbers[i] for i in record.row_indices] if doc is not None else []
        first_error = next((issue.message for issue in record.issues if issue.is_error), "")
        rows.append(
            [
                record.order_id or "",
                "skipped",
                _rows_text(numbers),
                f"Not sent because of a problem in the file: {first_error}".strip(),
                "",
            ]
        )
    if suffix in _TEXT_SUFFIXES:
        delimiter = "\t" if suffix in (".tsv", ".txt") else ","
        data = _csv_bytes(
            _plain_sheet(headers, rows), "utf-8-sig", delimiter, target.name, preamble=[]
        )
        _atomic_write(target, lambda tmp: tmp.write_bytes(data))
    else:
        table = _Table(
            title="Upload results",
            headers=headers,
            rows=rows,
            roles=["text", "text", "text", "text", "text"],
            widths={0: 18, 1: 12, 2: 14, 3: 80, 4: 40},
            wrap={3},
            styled=True,
        )
        _atomic_write(target, lambda tmp: _write_new_workbook(tmp, [table]))
    return len(rows)


# ============================================================================================
# Problems export helpers
# ============================================================================================


def _problem_rows(doc: OrderDocument) -> list[int]:
    """Row indices of every order with at least one issue, in file order."""
    wanted: set[int] = set()
    for record in doc.orders:
        if record.issues:
            wanted.update(record.row_indices)
    return sorted(wanted)


def _problem_text(doc: OrderDocument, row_index: int) -> str:
    issues = doc.issues_for_row(row_index)
    ordered = [i for i in issues if i.is_error] + [i for i in issues if not i.is_error]
    messages: list[str] = []
    for issue in ordered:
        if issue.message not in messages:
            messages.append(issue.message)
    # Each message is a whole sentence: one after the other reads right ("…if there was
    # none. Order total is…"), where a "; " between them would not.
    return " ".join(messages)


def _describe_cell(doc: OrderDocument, record: OrderRecord, json_path: str) -> str:
    row, column = doc.cell_of(record, json_path)
    if row is not None and column is not None:
        return f"row {row}, {column}"
    if row is not None:
        return f"row {row}"
    return json_path or "order"


def _rows_text(rows: Iterable[int]) -> str:
    return ", ".join(str(n) for n in rows)


def _plain_sheet(headers: list[str], rows: list[list[CellValue]]) -> SheetData:
    return SheetData(
        path="",
        sheet=None,
        sheets=[],
        headers=headers,
        header_row=1,
        rows=rows,
        row_numbers=list(range(2, len(rows) + 2)),
    )


# ============================================================================================
# Row placement (shared by CSV and workbooks)
# ============================================================================================


def _row_positions(sheet: SheetData) -> list[int]:
    """The row each data row is written to: its own row number when those still increase
    (always, unless rows were added out of order), else one after another under the header."""
    numbers = sheet.row_numbers
    previous = sheet.header_row
    ok = len(numbers) == len(sheet.rows)
    for number in numbers if ok else ():
        if number <= previous:
            ok = False
            break
        previous = number
    if ok:
        return list(numbers)
    return list(range(sheet.header_row + 1, sheet.header_row + 1 + len(sheet.rows)))


# ============================================================================================
# CSV
# ============================================================================================


def _csv_text(value: CellValue) -> str:
    if value is None:
        return ""
    if value.__class__ is str:
        return value  # type: ignore[return-value]
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


def _csv_preamble(sheet: SheetData, delimiter: str) -> tuple[list[list[str]], str]:
    """(rows above the header, line ending) read from the original text file when it is there.

    The line ending follows the original (Shopify writes \\n, Excel \\r\\n); rows above the
    header come back as they were, or empty when the original cannot be read any more.
    """
    blank: list[list[str]] = [[] for _ in range(max(sheet.header_row - 1, 0))]
    source = sheet.source
    if source.kind != "csv" or not sheet.path:
        return _workbook_preamble_as_text(sheet) or blank, "\r\n"
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


def _workbook_preamble_as_text(sheet: SheetData) -> list[list[str]] | None:
    rows = _workbook_title_rows(sheet)
    if rows is None:
        return None
    return [[_csv_text(v) for v in _trim(row)] for row in rows]


def _csv_bytes(
    sheet: SheetData,
    encoding: str,
    delimiter: str,
    name: str,
    *,
    preamble: list[list[str]] | None = None,
) -> bytes:
    if preamble is None:
        preamble, ending = _csv_preamble(sheet, delimiter)
    else:
        ending = "\r\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=ending)
    writer.writerows(preamble)
    for _ in range(len(preamble), sheet.header_row - 1):
        writer.writerow([])
    writer.writerow(sheet.headers)
    line = sheet.header_row
    for number, row in zip(_row_positions(sheet), sheet.rows, strict=True):
        for _ in range(line + 1, number):
            writer.writerow([])  # a deleted row: left empty so later rows keep their numbers
        writer.writerow([_csv_text(v) for v in row])
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


# ============================================================================================
# Workbooks
# ============================================================================================


def _column_roles(sheet: SheetData, mapping: Mapping | None) -> list[str]:
    """Per column: "text" (codes: keep as text), "number", "date", "bool" or "auto"."""
    mapping = mapping if mapping is not None else auto_map(sheet.headers)
    roles: list[str] = []
    for index, header in enumerate(sheet.headers):
        key = mapping.field_for(header)
        spec = FIELDS_BY_KEY.get(key) if key else None
        if spec is not None:
            if spec.kind in _TEXT_KINDS:
                roles.append("text")
            elif spec.kind is Kind.NUMBER:
                roles.append("number")
            elif spec.kind is Kind.DATETIME:
                roles.append("date")
            else:
                roles.append("bool")
            continue
        roles.append(_guess_role(row[index] for row in sheet.rows))
    return roles


def _guess_role(values: Iterable[CellValue]) -> str:
    dates = others = 0
    for value in values:
        if value is None:
            continue
        if value.__class__ is str and _CODE_LIKE.fullmatch(value):  # type: ignore[arg-type]
            return "text"
        if isinstance(value, dt.datetime | dt.date):
            dates += 1
        else:
            others += 1
    return "date" if dates and dates >= others else "auto"


def _cell(value: CellValue, role: str) -> tuple[Any, str | None, bool]:
    """(value for openpyxl, number format or None, force a text cell)."""
    if value is None:
        return None, None, False
    if value.__class__ is str:
        text: str = value  # type: ignore[assignment]
        if role == "text":
            return text, _TEXT_FORMAT, True
        if role == "date" and _NAIVE_DATETIME.fullmatch(text.strip()):
            with contextlib.suppress(ValueError):
                parsed = dt.datetime.fromisoformat(text.strip())
                has_time = len(text.strip()) > 10
                return parsed, _DATETIME_FORMAT if has_time else _DATE_FORMAT, False
        if role in ("number", "auto") and _PLAIN_NUMBER.fullmatch(text):
            number = float(text) if "." in text else int(text)
            return number, None, False
        return text, None, True  # text, even when it starts with "="
    if isinstance(value, bool):
        return value, None, False
    if isinstance(value, int):
        if abs(value) >= 10**15:  # beyond Excel's 15 digits: keep every digit as text
            return str(value), _TEXT_FORMAT, True
        return value, None, False
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value), None, True
        return value, None, False
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:  # Excel has no time zones: keep the exact text
            return value.isoformat(), None, True
        midnight = value.time() == dt.time(0)
        return value, _DATE_FORMAT if midnight else _DATETIME_FORMAT, False
    if isinstance(value, dt.date):
        return value, _DATE_FORMAT, False
    if isinstance(value, dt.time):
        if value.tzinfo is not None:
            return value.isoformat(), None, True
        return value, _TIME_FORMAT, False
    return str(value), None, True


@dataclass
class _Table:
    """A sheet to write into a new workbook."""

    title: str
    headers: list[str]
    rows: list[list[CellValue]]
    roles: list[str]
    header_row: int = 1
    positions: list[int] | None = None  # row of each data row; None: one after another
    title_rows: list[list[Any]] = field(default_factory=list)
    col_offset: int = 0
    widths: dict[int, float] = field(default_factory=dict)
    wrap: set[int] = field(default_factory=set)
    styled: bool = False  # bold header, frozen header row (exports)


def _sheet_title(name: str | None, taken: set[str]) -> str:
    title = _SHEET_NAME_BAD.sub("_", name or "Orders").strip("'")[:_SHEET_NAME_LIMIT] or "Orders"
    base, n = title, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title = base[: _SHEET_NAME_LIMIT - len(suffix)] + suffix
        n += 1
    taken.add(title.casefold())
    return title


def _write_new_workbook(
    path: Path,
    tables: Sequence[_Table | tuple[str, Iterable[Sequence[Any]]]],
) -> None:
    """A new workbook. A tuple is a sheet copied row by row through openpyxl (other sheets of
    the user's workbook: usually small); a `_Table` is written by `_TableXml`.

    openpyxl serializes about 75,000 cells a second, which makes a 100,000-row order sheet
    take most of a minute. So openpyxl writes the workbook with each table's sheet holding
    only one row of sample cells, one per cell style the table needs (that puts those styles in
    styles.xml and tells their numbers), and that sheet's rows are then replaced by XML written
    directly, ten times faster.
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    taken: set[str] = set()
    ours: dict[str, _Table] = {}  # sheet part name -> table
    for number, item in enumerate(tables, start=1):
        if isinstance(item, tuple):
            name, copied = item
            ws = workbook.create_sheet(_sheet_title(name, taken))
            for row in copied:
                ws.append(list(row))
            continue
        table = item
        ws = workbook.create_sheet(_sheet_title(table.title, taken))
        for col, width in table.widths.items():
            ws.column_dimensions[_column_letter(table.col_offset + col + 1)].width = width
        if table.styled:
            ws.freeze_panes = f"A{table.header_row + 1}"
        samples = []
        for number_format, wrap, bold in _STYLE_KEYS:
            cell = WriteOnlyCell(ws, value="")
            _style_cell(cell, number_format, wrap, bold)
            samples.append(cell)
        ws.append(samples)
        ours[f"xl/worksheets/sheet{number}.xml"] = table
    if not taken:
        workbook.create_sheet("Orders")
    workbook.save(path)
    if ours:
        _replace_sheet_rows(path, ours)


# Every cell style a table can use: (number format, wrapped text, bold).
_STYLE_KEYS: tuple[tuple[str | None, bool, bool], ...] = (
    *(
        (number_format, wrap, False)
        for number_format in (None, _TEXT_FORMAT, _DATE_FORMAT, _DATETIME_FORMAT, _TIME_FORMAT)
        for wrap in (False, True)
    ),
    (None, False, True),  # a bold header
)


def _style_cell(cell: Any, number_format: str | None, wrap: bool, bold: bool) -> None:
    from openpyxl.styles import Alignment, Font

    if number_format:
        cell.number_format = number_format
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    if bold:
        cell.font = Font(bold=True)


_SAMPLE_CELL = re.compile(rb'<c r="([A-Z]+)1"(?: s="(\d+)")?')
_DIMENSION = re.compile(rb'<dimension ref="[^"]*" ?/>')
_SHEET_DATA = re.compile(rb"<sheetData>.*</sheetData>|<sheetData/>", re.DOTALL)


def _replace_sheet_rows(path: Path, ours: dict[str, _Table]) -> None:
    """Rewrite the workbook at `path`, replacing the sample rows of `ours` by the tables."""
    import shutil
    import zipfile

    with zipfile.ZipFile(path) as source:
        names = source.namelist()
        parts = {name: source.read(name) for name in names}
    tmp = path.with_name(path.name + ".rows")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as target:
            for name in names:
                data = parts.pop(name)
                table = ours.get(name)
                if table is None:
                    target.writestr(name, data)
                    continue
                styles = [int(s) if s else 0 for _col, s in _SAMPLE_CELL.findall(data)]
                style_of = dict(zip(_STYLE_KEYS, styles, strict=True))
                match = _SHEET_DATA.search(data)
                assert match is not None, "openpyxl wrote a sheet without sheetData"
                head = _with_dimension(data[: match.start()], _TableXml.dimension(table))
                with target.open(name, "w") as out:
                    out.write(head)
                    for chunk in _TableXml(table, style_of).chunks():
                        out.write(chunk.encode("utf-8"))
                    out.write(data[match.end() :])
        shutil.move(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _with_dimension(head: bytes, dimension: str) -> bytes:
    """The sheet's XML before `<sheetData>`, with the used range set (readers such as
    openpyxl's read-only mode rely on it; it comes before the sheet views)."""
    element = dimension.encode()
    if _DIMENSION.search(head):
        return _DIMENSION.sub(element, head)
    for anchor in (b"<sheetViews", b"<sheetFormatPr", b"<cols"):
        at = head.find(anchor)
        if at >= 0:
            return head[:at] + element + head[at:]
    return head + element


# Characters XML 1.0 does not allow (they cannot be stored in a workbook at all).
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if _XML_ILLEGAL.search(text):
        text = _XML_ILLEGAL.sub("", text)
    return text


class _TableXml:
    """The `<sheetData>` of one table, as text chunks (a few hundred rows each)."""

    def __init__(self, table: _Table, style_of: dict[tuple[str | None, bool, bool], int]) -> None:
        self.table = table
        self.style_of = style_of
        width = max([table.col_offset + len(table.headers), *map(len, table.title_rows)])
        self.letters = [_column_letter(i + 1) for i in range(max(width, 1))]

    @staticmethod
    def dimension(table: _Table) -> str:
        width = max([table.col_offset + len(table.headers), *map(len, table.title_rows)])
        last = table.positions[-1] if table.positions else table.header_row + len(table.rows)
        return f'<dimension ref="A1:{_column_letter(max(width, 1))}{max(last, 1)}"/>'

    def _cell(
        self,
        ref: str,
        value: Any,
        number_format: str | None,
        text: bool,
        wrap: bool,
        bold: bool = False,
    ) -> str:
        from openpyxl.utils.datetime import to_excel

        style = self.style_of.get((number_format, wrap, bold), 0)
        s = f' s="{style}"' if style else ""
        if text or isinstance(value, str):
            body = _xml_text(str(value))
            space = ' xml:space="preserve"' if body != body.strip() else ""
            return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{body}</t></is></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):
            return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
        return f'<c r="{ref}"{s}><v>{to_excel(value)!r}</v></c>'  # date, datetime, time

    def chunks(self) -> Iterator[str]:
        table = self.table
        letters = self.letters
        offset = table.col_offset
        yield "<sheetData>"
        out: list[str] = []
        for number, row in enumerate(table.title_rows, start=1):
            cells = []
            for col, value in enumerate(row):
                converted, number_format, text = _cell(value, "auto")
                if converted is not None:
                    ref = f"{letters[col]}{number}"
                    cells.append(self._cell(ref, converted, number_format, text, False))
            if cells:
                out.append(f'<row r="{number}">{"".join(cells)}</row>')
        header = table.header_row
        out.append(
            f'<row r="{header}">'
            + "".join(
                self._cell(
                    f"{letters[offset + col]}{header}", text, None, True, False, table.styled
                )
                for col, text in enumerate(table.headers)
            )
            + "</row>"
        )
        positions = table.positions or range(header + 1, header + 1 + len(table.rows))
        roles = table.roles
        wrap = table.wrap
        for number, row in zip(positions, table.rows, strict=True):
            cells = []
            for col, value in enumerate(row):
                if value is None:
                    continue
                converted, number_format, text = _cell(value, roles[col])
                if converted is None:
                    continue
                ref = f"{letters[offset + col]}{number}"
                cells.append(self._cell(ref, converted, number_format, text, col in wrap))
            if cells:
                out.append(f'<row r="{number}">{"".join(cells)}</row>')
            if len(out) >= 500:
                yield "".join(out)
                out.clear()
        yield "".join(out)
        yield "</sheetData>"


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _trim(row: Sequence[Any]) -> list[Any]:
    out = list(row)
    while out and (out[-1] is None or out[-1] == ""):
        out.pop()
    return out


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


def _find_col_offset(header_cells: Sequence[Any], headers: Sequence[str]) -> int | None:
    """Which column of the original header row the first header sits in (0-based)."""
    cells = list(header_cells)
    for offset in range(len(cells)):
        window = cells[offset : offset + len(headers)]
        window += [None] * (len(headers) - len(window))
        if all(_header_matches(c, h) for c, h in zip(window, headers, strict=True)):
            return offset
    return None


def _workbook_title_rows(sheet: SheetData) -> list[list[Any]] | None:
    """The original sheet's rows above the header, read from the original workbook."""
    if sheet.header_row <= 1:
        return []
    original = _OriginalWorkbook.open(sheet)
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
            out.append(_trim(row))
        return out
    finally:
        original.close()


class _OriginalWorkbook:
    """Read access to the workbook a sheet came from: openpyxl for xlsx/xlsm (formulas kept),
    python-calamine for xls/ods (values)."""

    def __init__(self, kind: str, book: Any) -> None:
        self.kind = kind
        self.book = book

    @classmethod
    def open(cls, sheet: SheetData) -> _OriginalWorkbook | None:
        kind = sheet.source.kind
        if kind not in ("xlsx", "xlsm", "xls", "ods") or not sheet.path:
            return None
        try:
            if kind in ("xlsx", "xlsm"):
                import openpyxl

                book = openpyxl.load_workbook(sheet.path, read_only=True, rich_text=False)
            else:
                from python_calamine import CalamineWorkbook

                book = CalamineWorkbook.from_path(sheet.path)
        except Exception:  # gone, changed into something else, damaged: write without it
            return None
        return cls(kind, book)

    @property
    def sheet_names(self) -> list[str]:
        return list(
            self.book.sheetnames if self.kind in ("xlsx", "xlsm") else self.book.sheet_names
        )

    def rows(self, name: str | None) -> Iterator[Sequence[Any]] | None:
        if name is None or name not in self.sheet_names:
            return None
        try:
            if self.kind in ("xlsx", "xlsm"):
                ws = self.book[name]
                if not hasattr(ws, "iter_rows"):
                    return None  # a chart sheet
                return ws.iter_rows(min_row=1, min_col=1, values_only=True)
            sh = self.book.get_sheet_by_name(name)
            return iter(
                [
                    [None if v == "" else v for v in row]
                    for row in sh.to_python(skip_empty_area=False)
                ]
            )
        except Exception:
            return None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.book.close()


def _write_workbook(sheet: SheetData, tmp: Path, kind: str, roles: list[str]) -> None:
    if kind == "xlsm" and sheet.source.kind == "xlsm" and _update_in_place(sheet, tmp, roles):
        return
    original = _OriginalWorkbook.open(sheet)
    try:
        tables: list[_Table | tuple[str, Iterable[Sequence[Any]]]] = []
        ours = _Table(
            title=sheet.sheet or Path(sheet.path).stem or "Orders",
            headers=sheet.headers,
            rows=sheet.rows,
            roles=roles,
            header_row=sheet.header_row,
            positions=_row_positions(sheet),
            styled=original is None,
        )
        if original is None or sheet.sheet not in original.sheet_names:
            ours.title_rows = []
            tables.append(ours)
        else:
            for name in original.sheet_names:
                if name != sheet.sheet:
                    rows = original.rows(name)
                    tables.append((name, rows if rows is not None else []))
                    continue
                above: list[list[Any]] = []
                header_cells: Sequence[Any] = ()
                for number, row in enumerate(original.rows(name) or [], start=1):
                    if number < sheet.header_row:
                        above.append(_trim(row))
                    else:
                        header_cells = row
                        break
                ours.title_rows = above
                ours.col_offset = _find_col_offset(header_cells, sheet.headers) or 0
                tables.append(ours)
        _write_new_workbook(tmp, tables)
    finally:
        if original is not None:
            original.close()


def _update_in_place(sheet: SheetData, tmp: Path, roles: list[str]) -> bool:
    """Rewrite the orders table inside the original workbook (keeps macros, styles and every
    other sheet as they are). False when the original cannot be used that way."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(sheet.path, keep_vba=True, rich_text=False)
    except Exception:
        return False
    if sheet.sheet not in workbook.sheetnames:
        return False
    ws = workbook[sheet.sheet]
    width = len(sheet.headers)
    header_cells = [c.value for c in ws[sheet.header_row]] if ws.max_row >= sheet.header_row else []
    offset = _find_col_offset(header_cells, sheet.headers)
    if offset is None:
        offset = 0
    first_col, last_col = offset + 1, offset + width
    for row in ws.iter_rows(min_row=sheet.header_row, max_row=max(ws.max_row, sheet.header_row)):
        for cell in row:
            if first_col <= cell.column <= last_col and cell.value is not None:
                cell.value = None
    for col, header in enumerate(sheet.headers):
        ws.cell(row=sheet.header_row, column=first_col + col).value = header
    for number, row in zip(_row_positions(sheet), sheet.rows, strict=True):
        for col, (value, role) in enumerate(zip(row, roles, strict=False)):
            converted, number_format, as_text = _cell(value, role)
            if converted is None:
                continue
            cell = ws.cell(row=number, column=first_col + col)
            cell.value = converted
            if as_text:
                cell.data_type = "s"
            if number_format == _TEXT_FORMAT or (number_format and not cell.is_date):
                cell.number_format = number_format
    workbook.save(tmp)
    return True


# ============================================================================================
# Atomic replace
# ============================================================================================


def _atomic_write(target: Path, write: Callable[[Path], None]) -> None:
    """Run `write(tmp)` on a temporary file next to `target`, then move it over `target`."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise SaveError(
            f"The folder “{folder}” does not exist (any more); choose another place to save."
        )
    try:
        handle, tmp_name = tempfile.mkstemp(
            prefix=f".~{target.stem[:40]}.", suffix=f".tmp{target.suffix}", dir=folder
        )
        os.close(handle)
    except OSError as exc:
        raise _os_save_error(target, exc) from None
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
        _copy_permissions(target, tmp)
        os.replace(tmp, target)
    except SaveError:
        _remove(tmp)
        raise
    except OSError as exc:
        _remove(tmp)
        raise _os_save_error(target, exc) from None
    except BaseException:
        _remove(tmp)
        raise
    _fsync_folder(folder)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _copy_permissions(target: Path, tmp: Path) -> None:
    """The saved file gets the original's permissions (or the usual ones for a new file)."""
    if os.name != "posix":
        return
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with contextlib.suppress(OSError):
        os.chmod(tmp, mode)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _os_save_error(target: Path, exc: OSError) -> SaveError:
    import errno

    name = target.name
    if isinstance(exc, PermissionError):
        return SaveError(
            f"“{name}” could not be saved because another program is using it or the folder "
            "is read-only. If it is open in Excel, close it there and save again, or use Save "
            "As to save a copy elsewhere."
        )
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return SaveError(
            f"“{name}” could not be saved: the disk is full. Free some space and save again; "
            "your changes are still here."
        )
    return SaveError(
        f"“{name}” could not be saved ({exc.strerror or type(exc).__name__}). Your changes are "
        "still here; try Save As to save to another folder."
    )
