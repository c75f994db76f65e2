"""Open a user's order file (Excel, OpenDocument or delimited text) as a `SheetData`.

This is the only module that opens user files. It turns whatever a shop owner brings into the
same shape: one header row, data rows padded to the header width, and every row's real row
number, so later stages can point at a cell the user can find in Excel.

Design notes:
- The file's *content* decides how it is read, the extension only whether we try at all: an
  .xlsx that is really a CSV (a common rename) is read as CSV, a .csv that is really a workbook
  is read as a workbook, and a password-protected or HTML "Excel export" gets a message saying
  exactly that.
- Spreadsheets go through python-calamine (Rust, fast); delimited text through the csv module.
  Both paths end in one tight loop per row; the loops avoid per-cell function calls because
  this runs on files of 100k+ rows while the user waits.
- Values are kept as typed: CSV cells stay `str`, spreadsheet numbers stay numbers (whole floats
  become `int`, so an ID typed as 1001 never turns into "1001.0"). Understanding values is
  `core/orders/values/`'s job, not ours.
- Every failure becomes `ReadError` with a sentence a shop owner can act on; the original
  exception is chained (`__cause__`) for the log, never shown.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import errno
import gc
import io
import itertools
import os
import re
from collections.abc import Iterator, Sequence

from python_calamine import (
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from northbeam_desktop.core.orders.sheet import CellValue, SheetData, SourceFormat

__all__ = ["ReadError", "list_sheets", "read_file"]


class ReadError(Exception):
    """A file we cannot read; `str(error)` is a sentence for the user, with what to do next."""


# --- what we accept --------------------------------------------------------------------------

_WORKBOOK_EXTENSIONS = {".xlsx": "xlsx", ".xlsm": "xlsm", ".xls": "xls", ".ods": "ods"}
_TEXT_EXTENSIONS = {".csv", ".tsv", ".txt"}

# Extensions people plausibly pick by mistake, with the way out that works for each.
_UNSUPPORTED_HINTS = {
    ".numbers": "Apple Numbers files can't be read directly; in Numbers choose File > Export "
    "To > Excel and open the .xlsx file it makes.",
    ".xlsb": "Excel Binary Workbooks (.xlsb) aren't supported; in Excel choose File > Save As "
    "> Excel Workbook (.xlsx) and open that file.",
    ".pdf": "A PDF can't be read as a spreadsheet; export your orders from your shop as CSV or "
    "Excel instead and open that file.",
}

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and also encrypted .xlsx
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")  # OLE stream of a locked .xlsx
_ODS_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"

# --- header detection ------------------------------------------------------------------------

_HEADER_SCAN_ROWS = 30  # the header is looked for among the first 30 non-blank rows
_HEADER_LOOKAHEAD = 30  # compared with the widest of the next 30 non-blank rows
_HEADER_MIN_SHARE = 0.6  # a header fills at least 60% as many cells as the widest data row

# Text that is really a number, amount, date or time ("1.234,50 €", "08.03.2026", "(12.50)"):
# such cells don't make a row look like a header.
_NUMBERISH = re.compile(r"[\d\s.,:/'()+\-$€£¥%TZ]*\d[\d\s.,:/'()+\-$€£¥%TZ]*")

# --- delimited text --------------------------------------------------------------------------

_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_CHARS = 64 * 1024
_SNIFF_RECORDS = 50
_BINARY_SAMPLE = 8192


# ============================================================================================
# Public API
# ============================================================================================


def list_sheets(path: str | os.PathLike[str]) -> list[str]:
    """Every sheet name of a workbook, in workbook order; `[]` for delimited text files."""
    p, name = _path_and_name(path)
    try:
        kind = _detect(p, name)
        if kind == "csv":
            return []
        with _open_workbook(p, name, kind) as wb:
            return list(wb.sheet_names)
    except ReadError:
        raise
    except BaseException as exc:  # the contract: nothing but ReadError leaves this module
        raise _unexpected_or_reraise(name, exc) from exc


def read_file(path: str | os.PathLike[str], sheet: str | None = None) -> SheetData:
    """Read one sheet of `path` (the first sheet with data unless `sheet` names one).

    `sheet` is ignored for delimited text files, which have exactly one table.
    """
    p, name = _path_and_name(path)
    try:
        kind = _detect(p, name)
        with _gc_paused():
            if kind == "csv":
                return _read_text(p, name, _read_bytes(p, name))
            return _read_workbook(p, name, kind, sheet)
    except ReadError:
        raise
    except MemoryError as exc:
        raise ReadError(
            f"“{name}” is too large to open on this computer; split it into smaller files "
            "(for example one per month) and upload them one after another."
        ) from exc
    except BaseException as exc:  # the contract: nothing but ReadError leaves this module
        raise _unexpected_or_reraise(name, exc) from exc


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of cells are created.

    Every new list counts towards a collection, and each collection walks all the cells read so
    far although rows of str/float/None can never form cycles; pausing it roughly halves the time
    of a 100k-row CSV read. Reference counting still frees memory as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# ============================================================================================
# Finding out what the file is
# ============================================================================================


def _path_and_name(path: str | os.PathLike[str]) -> tuple[str, str]:
    p = os.fspath(path)
    return p, os.path.basename(p) or p


def _unexpected_or_reraise(name: str, exc: BaseException) -> ReadError:
    """The catch-all: a bug or a library failure still reaches the user as a ReadError.

    BaseException is caught because a Rust panic inside calamine surfaces as pyo3's
    PanicException, which derives from BaseException; Ctrl+C and exits still pass through.
    """
    if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
        raise exc
    return ReadError(
        f"Something unexpected went wrong while reading “{name}”; open it in Excel, save it "
        "again as .xlsx or .csv, and try once more."
    )


def _os_error(name: str, exc: OSError) -> ReadError:
    if isinstance(exc, FileNotFoundError):
        msg = (
            f"We can't find the file “{name}” (it may have been moved, renamed or deleted); "
            "check where it is and choose it again."
        )
    elif isinstance(exc, PermissionError):
        # On Windows this is what a workbook that is open in Excel looks like.
        msg = (
            f"We aren't allowed to open “{name}”; if it is open in Excel or another program, "
            "close it there and try again, or copy it to your Documents folder first."
        )
    elif isinstance(exc, IsADirectoryError) or exc.errno == errno.EISDIR:
        msg = f"“{name}” is a folder, not a file; open the folder and choose the spreadsheet in it."
    else:
        msg = (
            f"We couldn't read “{name}” from the disk (it may be on a disconnected drive or a "
            "cloud folder that hasn't finished syncing); copy it to your computer and try again."
        )
    return ReadError(msg)


def _read_bytes(p: str, name: str, limit: int = -1) -> bytes:
    try:
        with open(p, "rb") as fh:
            return fh.read(limit)
    except OSError as exc:
        raise _os_error(name, exc) from exc


def _detect(p: str, name: str) -> str:
    """Return "xlsx", "xlsm", "xls", "ods" or "csv" from the extension and the first bytes."""
    ext = os.path.splitext(name)[1].lower()
    if ext not in _WORKBOOK_EXTENSIONS and ext not in _TEXT_EXTENSIONS:
        # Check existence first so a mistyped path gets "can't find", not "wrong type".
        _read_bytes(p, name, 0)
        if ext in _UNSUPPORTED_HINTS:
            raise ReadError(_UNSUPPORTED_HINTS[ext])
        what = f"“{ext}” files" if ext else f"“{name}” (it has no file extension)"
        raise ReadError(
            f"We can't open {what}; save your orders as an Excel workbook (.xlsx) or a CSV "
            "file (.csv) and choose that file."
        )
    head = _read_bytes(p, name, 4096)
    if not head:
        raise _empty_file(name)
    if head.startswith(_ZIP_MAGIC):
        # ODF requires "mimetype" as the first, uncompressed zip member, so its content shows.
        if _ODS_MIMETYPE in head[:256]:
            return "ods"
        return "xlsm" if ext == ".xlsm" else "xlsx"
    if head.startswith(_OLE_MAGIC):
        return "xls"
    # Not a workbook container: a text file, or something we can't read. Deciding between the
    # two needs the text, so it is left to the text reader (which reports binary files).
    return "csv"


def _empty_file(name: str) -> ReadError:
    return ReadError(
        f"“{name}” is empty, perhaps from an interrupted download or export; "
        "export your orders again and choose the new file."
    )


# ============================================================================================
# Workbooks (python-calamine)
# ============================================================================================


def _open_workbook(p: str, name: str, kind: str) -> CalamineWorkbook:
    ext = os.path.splitext(name)[1].lower()
    try:
        if _WORKBOOK_EXTENSIONS.get(ext) == kind or (ext == ".xlsx" and kind == "xlsm"):
            return CalamineWorkbook.from_path(p)
        # Content and extension disagree (e.g. an .xlsx renamed .xls or .csv): calamine picks
        # the format from the extension for paths, but sniffs the content for file objects.
        with open(p, "rb") as fh:
            return CalamineWorkbook.from_filelike(fh)
    except OSError as exc:
        raise _os_error(name, exc) from exc
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
                if _ENCRYPTED_STREAM in fh.read():
                    return _password_error(name)
        except OSError:
            pass
    app = "LibreOffice or Excel" if kind == "ods" else "Excel"
    return ReadError(
        f"The workbook “{name}” is damaged or incomplete (perhaps an interrupted download or "
        f"copy); open it in {app} and save a fresh copy, or export it again."
    )


def _has_data(rows: list[list[CellValue]]) -> bool:
    return any(row.count("") != len(row) for row in rows)


def _read_workbook(p: str, name: str, kind: str, wanted: str | None) -> SheetData:
    with _open_workbook(p, name, kind) as wb:
        names = list(wb.sheet_names)
        try:
            if wanted is not None:
                chosen = _match_sheet(names, wanted, name)
                sh = wb.get_sheet_by_name(chosen)
                rows = sh.to_python() if sh.start is not None else []
                if not _has_data(rows):
                    raise ReadError(
                        f"The sheet “{chosen}” in “{name}” is empty; choose the sheet that holds "
                        f"your orders ({_sheet_list(names)})."
                    )
            else:
                chosen, sh, rows = _first_sheet_with_data(wb, name)
            start = sh.start or (0, 0)
        except ReadError:
            raise
        except PasswordError as exc:
            raise _password_error(name) from exc
        except Exception as exc:
            raise _broken_workbook(p, name, kind) from exc
    headers, header_row, data, numbers = _build_from_workbook(rows, start[0], start[1])
    if not data:
        raise _header_only(f"The sheet “{chosen}” in “{name}”")
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
    wb: CalamineWorkbook, name: str
) -> tuple[str, CalamineSheet, list[list[CellValue]]]:
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
        try:
            sh = wb.get_sheet_by_name(sheet_name)
        except Exception:
            continue  # a chart or macro sheet has no cells to read
        if sh.start is None:
            continue
        rows = sh.to_python()
        if _has_data(rows):
            return sheet_name, sh, rows
    raise ReadError(
        f"The workbook “{name}” has no data on any of its sheets; check that you chose the "
        "right file, or that it was saved after the orders were added."
    )


def _header_only(where: str) -> ReadError:
    return ReadError(
        f"{where} has column headings but no orders under them; add the order rows below the "
        "headings (or choose the file or sheet that has them) and open it again."
    )


def _build_from_workbook(
    rows: list[list[CellValue]], row_offset: int, col_offset: int
) -> tuple[list[str], int, list[list[CellValue]], list[int]]:
    """Header, data rows and row numbers from calamine's rectangular rows.

    `row_offset`/`col_offset` are the 0-based position of rows[0][0] in the sheet (calamine
    skips empty rows and columns before the data), so row numbers match what Excel shows.
    """
    h = max(_find_header(rows), 0)  # the caller made sure some cell is non-empty
    header_cells = rows[h]
    full = len(header_cells)  # calamine rows are all the used-range width
    width = _extent(header_cells)
    data_rows = rows[h + 1 :]
    if full > width:
        # Columns right of the last heading: keep them if any row has something there
        # (nothing the user loaded may be lost), otherwise drop the empty range.
        for col in range(full - 1, width - 1, -1):
            if any(r[col] != "" for r in data_rows):
                width = col + 1
                break
    headers = _make_headers(header_cells[:width], width, col_offset)

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


# ============================================================================================
# Delimited text (csv module)
# ============================================================================================


def _decode(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) using the BOM, else strict UTF-8, else Windows-1252; None if neither."""
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text"; the utf-16 codec reads the BOM to pick the byte order.
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # What Excel on Windows writes for "CSV (Comma delimited)" in Western Europe and the US.
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return None


def _looks_binary(sample: str) -> bool:
    """True when text has NULs or more than 1% control characters: not a real text file."""
    if "\x00" in sample:
        return True
    bad = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v")
    return bad > max(2, len(sample) // 100)


def _not_text_error(name: str, ext: str) -> ReadError:
    if ext in _WORKBOOK_EXTENSIONS:
        return ReadError(
            f"“{name}” is not a real Excel workbook (it may be damaged, or another kind of file "
            "renamed); open it in Excel and save it as .xlsx, or export your orders again."
        )
    return ReadError(
        f"“{name}” is not a text file, so it can't be a CSV (it may be damaged, or another kind "
        "of file renamed); export your orders again as CSV or Excel and choose the new file."
    )


_CSV_SLICE_ROWS = 5_000


def _read_text(p: str, name: str, data: bytes) -> SheetData:
    ext = os.path.splitext(name)[1].lower()
    decoded = _decode(data)
    if decoded is None:
        if _looks_binary(data[:_BINARY_SAMPLE].decode("latin-1")):
            raise _not_text_error(name, ext)
        raise ReadError(
            f"“{name}” uses a character encoding we can't recognise; open it in Excel and save "
            "it as 'CSV UTF-8 (Comma delimited)', then choose the new file."
        )
    text, encoding = decoded
    if _looks_binary(text[:_BINARY_SAMPLE]):
        raise _not_text_error(name, ext)
    start = text[:1000].lstrip()[:200].lower()
    if start.startswith(("<!doctype html", "<html", "<?xml", "<table")):
        # Many "export to Excel" buttons make an HTML table or XML named .xls; a failed
        # download can also leave a sign-in page named .csv.
        raise ReadError(
            f"“{name}” is a web page or XML file, not a spreadsheet; open it in Excel and save "
            "it as an Excel Workbook (.xlsx) or CSV, or export your orders again."
        )
    if not text or text.isspace():  # unlike strip(), isspace() copies nothing
        raise _empty_file(name)

    delimiter = _sniff_delimiter(text, ext)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        # In slices: one list() over 100,000 rows holds the interpreter lock for ~0.2 s, which
        # the app's window (reading runs on a worker thread) would feel as a freeze.
        while chunk := list(itertools.islice(reader, _CSV_SLICE_ROWS)):
            rows.extend(chunk)
    except csv.Error as exc:
        raise _quote_error(name, reader.line_num) from exc
    if rows and rows[-1] and rows[-1][-1][-1:] in ("\n", "\r") and text.count('"') % 2:
        # The csv module silently swallows the rest of the file into one cell when a quote is
        # never closed; say so instead of showing the user one giant, wrong row.
        raise _quote_error(name, len(rows))

    headers, header_row, data_rows, numbers = _build_from_text(rows)
    if not headers:
        raise _empty_file(name)  # only delimiters and line breaks, no cell with anything in it
    if not data_rows:
        raise _header_only(f"“{name}”")
    return SheetData(
        path=p,
        sheet=None,
        sheets=[],
        headers=headers,
        header_row=header_row,
        rows=data_rows,
        row_numbers=numbers,
        source=SourceFormat("csv", encoding=encoding, delimiter=delimiter),
    )


def _quote_error(name: str, row: int) -> ReadError:
    return ReadError(
        f'In “{name}” a quotation mark (") opened around row {row} is never closed, so the rest '
        "of the file runs together; fix that cell in a text editor or export the file again."
    )


def _sniff_delimiter(text: str, ext: str) -> str:
    """Pick the delimiter that splits the first records into the most, most consistent fields.

    Each candidate parses a sample with the csv module (so quoted delimiters and line breaks are
    respected); its score is (share of non-blank records having the most common field count) x
    (that count). A candidate that never splits a record scores 0. This copes with title rows
    above the header and with decimal commas in ';' files, where csv.Sniffer often guesses ','.
    """
    sample = text[:_SNIFF_CHARS]
    truncated = len(text) > _SNIFF_CHARS
    # Ties go to what the extension suggests (Excel saves "Text (Tab delimited)" as .txt).
    preferred = "\t" if ext in (".tsv", ".txt") else ","
    best, best_score = preferred, 0.0
    for delimiter in (preferred, *(d for d in _DELIMITERS if d != preferred)):
        counts: list[int] = []
        try:
            for record in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
                if any(record):
                    counts.append(len(record))
                    if len(counts) > _SNIFF_RECORDS:
                        break
        except csv.Error:
            continue
        if truncated and len(counts) > 1:
            counts.pop()  # the last record may be cut off mid-way by the sample
        if not counts:
            continue
        mode = max(set(counts), key=lambda n: (counts.count(n), n))
        if mode < 2:
            continue
        score = mode * counts.count(mode) / len(counts)
        if score > best_score:  # ties keep the earlier (preferred) candidate
            best, best_score = delimiter, score
    return best


def _build_from_text(
    rows: list[list[str]],
) -> tuple[list[str], int, list[list[CellValue]], list[int]]:
    """Header, data rows and row numbers from csv.reader records (one record = one Excel row)."""
    h = _find_header(rows)
    if h < 0:
        return [], 0, [], []
    header_cells = rows[h]
    width = _extent(header_cells)
    data_rows = rows[h + 1 :]
    if data_rows and max(map(len, data_rows)) > width:
        # Cells beyond the last heading: widen to the last non-empty one (usually they are
        # just trailing delimiters, which are dropped).
        for r in data_rows:
            if len(r) > width and any(r[width:]):
                width = _extent(r)
    headers = _make_headers(header_cells[:width], width, 0)

    out: list[list[CellValue]] = []
    numbers: list[int] = []
    append = out.append
    number = numbers.append
    for i, row in enumerate(data_rows, h + 2):
        # csv.reader gives us fresh lists, so rows are fixed in place, never copied twice.
        n = len(row)
        if n != width:
            if n < width:
                row += [""] * (width - n)
            else:
                del row[width:]  # only empty cells live past `width`
        if "" in row:
            if row.count("") == width:
                continue  # a fully blank row: dropped, but later rows keep their numbers
            row = [v or None for v in row]
        append(row)
        number(i)
    return headers, h + 1, out, numbers


# ============================================================================================
# Shared: header row and header names
# ============================================================================================


def _extent(row: Sequence[CellValue]) -> int:
    """Position after the last non-empty cell."""
    n = len(row)
    while n and (row[n - 1] == "" or row[n - 1] is None):
        n -= 1
    return n


def _find_header(rows: Sequence[Sequence[CellValue]]) -> int:
    """Index of the header row, skipping title rows ("Orders export March 2026") above it.

    The header is the first of the first 30 non-blank rows whose cells are mostly text and
    which fills at least 60% as many cells as the widest of the 30 non-blank rows below it.
    Without such a row, the first non-blank row is the header; -1 when every cell is empty.
    """
    stats: list[tuple[int, int]] = []  # (row index, filled cells) of non-blank rows
    texty: list[bool] = []
    for index, row in enumerate(rows):
        filled = text = 0
        for v in row:
            if v.__class__ is str:
                if v:
                    filled += 1
                    if not v.isspace() and not _NUMBERISH.fullmatch(v):
                        text += 1
            elif v is not None:
                filled += 1
        if filled:
            stats.append((index, filled))
            texty.append(text * 2 > filled)
            if len(stats) >= _HEADER_SCAN_ROWS + _HEADER_LOOKAHEAD:
                break
    if not stats:
        return -1
    for k in range(min(len(stats), _HEADER_SCAN_ROWS)):
        if not texty[k]:
            continue
        widest = max((f for _, f in stats[k + 1 : k + 1 + _HEADER_LOOKAHEAD]), default=0)
        if stats[k][1] >= _HEADER_MIN_SHARE * widest:
            return stats[k][0]
    return stats[0][0]


def _header_text(value: CellValue) -> str:
    if value is None:
        return ""
    if value.__class__ is float and value.is_integer():  # a heading typed as 2026
        return str(int(value))
    # Strip spaces, line breaks and a stray byte-order mark (from files joined together).
    return str(value).strip().strip("\ufeff").strip()


def _make_headers(cells: Sequence[CellValue], width: int, col_offset: int) -> list[str]:
    """Unique, non-blank header names: blank -> "Column N", repeats -> "Name (2)", "Name (3)"."""
    names = [_header_text(v) for v in cells]
    names += [""] * (width - len(names))
    names = [n or f"Column {col_offset + i + 1}" for i, n in enumerate(names)]
    originals = set(names)
    taken: set[str] = set()
    unique: list[str] = []
    for n in names:
        if n in taken:
            k = 2
            while f"{n} ({k})" in taken or f"{n} ({k})" in originals:
                k += 1
            n = f"{n} ({k})"
        taken.add(n)
        unique.append(n)
    return unique
