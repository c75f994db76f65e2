"""Checks on a workbook's zip and XML before python-calamine sees it.

calamine builds the whole rectangle of a sheet (from the first to the last used row and column)
in memory before we get any cell, and a failed allocation in its Rust code aborts the process
(no exception: the app would vanish). So before calamine opens a workbook we check, cheaply:

- the zip: how many parts it has, how big its parts unpack (the sizes in the zip's directory are
  enforced by calamine's zip reader, so they bound what it unpacks), and how much they grow when
  unpacked (a zip bomb grows ~1000x, real spreadsheets 5-30x);
- shared strings (.xlsx, read by calamine when the workbook opens): no single one longer than
  Excel allows in a cell;
- every sheet before it is loaded: the highest row and column any cell or row names, streamed
  through a regular expression that only stops at references beyond the largest seen so far,
  so a 100 MB sheet is checked in well under a second;
- .ods content (all sheets are built when the file opens): repeated rows and cells multiplied
  out, the way calamine expands them.

The rectangle and the unpacked XML then give the memory the open needs (`limits.workbook_need`),
which must fit this computer.
"""

from __future__ import annotations

import html
import itertools
import os
import posixpath
import queue
import re
import struct
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from northbeam_desktop.core.orders.readers.errors import ReadError, format_bytes, too_large
from northbeam_desktop.core.orders.readers.limits import (
    APP_BASELINE_BYTES,
    EXCEL_MAX_CELL_CHARS,
    EXCEL_MAX_COLUMNS,
    EXCEL_MAX_ROWS,
    MAX_SHARED_STRING_XML,
    SPARSE_MIN_CELLS,
    WORKBOOK_BYTES_PER_SHEET_XML_BYTE,
    XLS_BYTES_PER_FILE_BYTE,
    ZIP_MAX_ENTRIES,
    ZIP_MAX_RATIO,
    ZIP_RATIO_FLOOR,
    column_letters,
    column_number,
    memory_budget,
    workbook_need,
)

_CHUNK = 1024 * 1024
_OVERLAP = 256  # bytes of the previous chunk searched again: a reference may straddle chunks
_ROW_STEP = 4096  # the row bound rises in steps, so an ordered sheet stops the search rarely
_SMALL_PART = 16 * 1024 * 1024  # workbook.xml and relationship parts larger than this: odd


@dataclass(frozen=True, slots=True)
class Extent:
    """The rectangle calamine will build for a sheet, at most."""

    rows: int
    columns: int
    xml_bytes: int  # the unpacked XML behind it (the sheet, and the shared strings)
    corner: str = ""  # the farthest cell seen, as Excel names it ("ZZ200000")

    @property
    def cells(self) -> int:
        return self.rows * self.columns


class WorkbookGuard:
    """Refuses a workbook, or one of its sheets, that calamine could not read within limits."""

    def __init__(self, p: str, name: str, kind: str) -> None:
        self.name = name
        self.kind = kind
        self.budget = memory_budget()
        self.file_size = os.path.getsize(p)
        self._xml_bytes: dict[str, int] = {}  # per sheet checked: its XML and shared strings
        self._zip: zipfile.ZipFile | None = None
        self._sheet_parts: dict[str, str] = {}
        self._shared_bytes = 0
        self._ods_extents: list[Extent] = []
        if kind not in ("xlsx", "xlsm", "ods"):
            return  # legacy .xls: a sheet is at most 65,536 x 256 cells by its format
        self._zip = _open_zip(p, name)
        try:
            _check_container(self._zip, name)
            if kind == "ods":
                self._check_ods()
            else:
                self._sheet_parts = _sheet_parts(self._zip)
                self._check_shared_strings()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def __enter__(self) -> WorkbookGuard:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- per sheet ------------------------------------------------------------------------

    def check_sheet(self, sheet: str) -> None:
        """Refuse `sheet` before calamine builds it, if it is past Excel's limits or too big."""
        if self._zip is None or self.kind == "ods":
            return  # .ods was checked as a whole when it opened
        part = self._sheet_parts.get(sheet)
        infos = (
            [self._zip.getinfo(part)]
            if part is not None and part in self._zip.NameToInfo
            else _all_xml_parts(self._zip)  # odd structure: every part could be the sheet
        )
        for info in infos:
            extent = _scan_sheet(self._zip, info, self.name, sheet)
            self._xml_bytes[sheet] = info.file_size + self._shared_bytes
            self._check_extent(extent, sheet, self._xml_bytes[sheet])

    def check_built(self, sheet: str, rows: int, columns: int) -> None:
        """Refuse a sheet calamine has built (its height and width) before it becomes Python
        objects: the last line of defence, and the only one for .xls files."""
        xml_bytes = self._xml_bytes.get(sheet, self.file_size)
        self._check_extent(Extent(rows, columns, xml_bytes), sheet, xml_bytes)

    def _check_extent(self, extent: Extent, sheet: str, xml_bytes: int) -> None:
        if extent.rows > EXCEL_MAX_ROWS or extent.columns > EXCEL_MAX_COLUMNS:
            raise _past_excel(self.name, sheet, extent)
        need = workbook_need(extent.cells, xml_bytes)
        sparse = extent.cells > xml_bytes  # less than a byte of XML per cell: mostly empty
        if sparse and (need > self.budget.limit or extent.cells > SPARSE_MIN_CELLS):
            raise _sparse(self.name, sheet, extent, need)
        if need > self.budget.limit:
            raise too_large(self.name, need, self.budget.total)

    # ---- whole workbook ---------------------------------------------------------------------

    def _check_shared_strings(self) -> None:
        assert self._zip is not None
        info = _shared_strings_part(self._zip)
        if info is None:
            return
        self._shared_bytes = info.file_size
        need = workbook_need(0, info.file_size)
        if need > self.budget.limit:
            raise too_large(self.name, need, self.budget.total)
        starts = re.compile(rb"<(?:[\w.-]+:)?si[\s>/]")
        since_last = 0  # bytes from the start of the current string to the end of the data
        for chunk in _inflate(self._zip, info, self.name):
            positions = [m.start() for m in starts.finditer(chunk)]
            if not positions:
                since_last += len(chunk)
            else:
                gaps = [positions[0] + since_last]
                gaps += [b - a for a, b in itertools.pairwise(positions)]
                if max(gaps) > MAX_SHARED_STRING_XML:
                    raise _cell_too_long(self.name)
                since_last = len(chunk) - positions[-1]
            if since_last > MAX_SHARED_STRING_XML:
                raise _cell_too_long(self.name)

    def _check_ods(self) -> None:
        assert self._zip is not None
        try:
            info = self._zip.getinfo("content.xml")
        except KeyError:
            return  # calamine reports the damaged file
        extents = _scan_ods(self._zip, info, self.name)
        for sheet, extent in extents.items():
            if extent.rows > EXCEL_MAX_ROWS or extent.columns > EXCEL_MAX_COLUMNS:
                raise _past_excel(self.name, sheet, extent)
        # calamine builds every sheet of an .ods when the file opens.
        cells = sum(extent.cells for extent in extents.values())
        need = workbook_need(cells, info.file_size)
        if need > self.budget.limit:
            raise too_large(self.name, need, self.budget.total)


def estimate_workbook(p: str, kind: str, size: int) -> int:
    """A quick estimate of the memory opening a workbook needs, from its zip directory only
    (the largest sheet and the shared strings, as unpacked XML); raises ReadError when the file
    is not a readable workbook."""
    if kind not in ("xlsx", "xlsm", "ods"):
        return APP_BASELINE_BYTES + size * XLS_BYTES_PER_FILE_BYTE
    with _open_zip(p, os.path.basename(p)) as zf:
        if kind == "ods":
            parts = [i.file_size for i in zf.infolist() if i.filename == "content.xml"]
        else:
            sheets = [i.file_size for i in zf.infolist() if "worksheets/" in i.filename]
            shared = _shared_strings_part(zf)
            parts = [max(sheets, default=0), shared.file_size if shared else 0]
    return APP_BASELINE_BYTES + sum(parts) * WORKBOOK_BYTES_PER_SHEET_XML_BYTE


# ============================================================================================
# The zip container
# ============================================================================================


def _open_zip(p: str, name: str) -> zipfile.ZipFile:
    """The zip directory, after checking how many parts it claims (each costs memory)."""
    count = _zip_entry_count(p)
    if count is not None and count > ZIP_MAX_ENTRIES:
        raise _not_a_workbook(name, f"it holds {count:,} parts, far more than any real workbook")
    try:
        return zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _damaged(name) from exc


def _zip_entry_count(p: str) -> int | None:
    """The part count from the zip's end record (read without loading the directory)."""
    try:
        with open(p, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            tail_size = min(size, 65_536 + 22)
            fh.seek(size - tail_size)
            tail = fh.read(tail_size)
            at = tail.rfind(b"PK\x05\x06")
            if at < 0 or at + 22 > len(tail):
                return None
            count = int(struct.unpack_from("<H", tail, at + 10)[0])
            if count != 0xFFFF or at < 20 or tail[at - 20 : at - 16] != b"PK\x06\x07":
                return count
            # Zip64: the locator before the end record points at the zip64 end record.
            (offset,) = struct.unpack_from("<Q", tail, at - 20 + 8)
            fh.seek(offset)
            record = fh.read(56)
            if len(record) < 56 or not record.startswith(b"PK\x06\x06"):
                return None
            return int(struct.unpack_from("<Q", record, 32)[0])
    except (OSError, struct.error):
        return None


def _check_container(zf: zipfile.ZipFile, name: str) -> None:
    for info in zf.infolist():
        grows = info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_FLOOR and grows:
            raise _not_a_workbook(
                name,
                f"one of its parts would unpack from {format_bytes(info.compress_size)} to "
                f"{format_bytes(info.file_size)}, which real spreadsheets never do",
            )


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> Iterator[bytes]:
    """The unpacked bytes of a part, 1 MiB at a time, unpacked on a helper thread.

    zlib releases the interpreter lock while it inflates, so unpacking the next megabyte
    overlaps with searching the last one.
    """
    chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=4)
    stop = threading.Event()

    def produce() -> None:
        try:
            with zf.open(info) as member:
                while not stop.is_set() and (chunk := member.read(_CHUNK)):
                    chunks.put(chunk)
        except BaseException as exc:  # handed to the consumer, which raises it
            chunks.put(exc)
            return
        chunks.put(None)

    if info.file_size <= 4 * _CHUNK:  # small parts: a thread costs more than it saves
        try:
            with zf.open(info) as member:
                while chunk := member.read(_CHUNK):
                    yield chunk
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise _damaged(name) from exc
        return

    worker = threading.Thread(target=produce, name="unpack-check", daemon=True)
    worker.start()
    try:
        while (item := chunks.get()) is not None:
            if isinstance(item, BaseException):
                raise _damaged(name) from item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # unblock a producer waiting on a full queue
            try:
                chunks.get_nowait()
            except queue.Empty:
                worker.join(0.01)


def _all_xml_parts(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """Every part that could be a sheet, when the workbook's map of its sheets is unreadable."""
    return [
        info
        for info in zf.infolist()
        if info.filename.lower().endswith(".xml")
        and "sheet" in info.filename.lower()
        and "sharedstrings" not in info.filename.lower()
    ]


def _read_small(zf: zipfile.ZipFile, part: str) -> bytes | None:
    try:
        info = zf.getinfo(part)
    except KeyError:
        return None
    if info.file_size > _SMALL_PART:
        return None
    try:
        return zf.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return None


def _relationships(zf: zipfile.ZipFile, source: str) -> dict[str, tuple[str, str]]:
    """Id -> (type, target part) of the relationships of `source` ("" for the package)."""
    folder, base = posixpath.split(source)
    data = _read_small(zf, posixpath.join(folder, "_rels", f"{base}.rels"))
    found: dict[str, tuple[str, str]] = {}
    for element in _ELEMENT.finditer(data or b""):
        if element.group(1) != b"Relationship":
            continue
        attrs = _attributes(element.group(2))
        target = attrs.get("Target", "")
        if target.startswith("/"):
            part = target.lstrip("/")
        else:
            part = posixpath.normpath(posixpath.join(folder, target))
        found[attrs.get("Id", "")] = (attrs.get("Type", ""), part)
    return found


# Elements and attributes read leniently, as calamine's XML reader does (a parser that insists
# on well-formed XML would lose the map of a workbook calamine still opens).
_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?([\w.-]+)\b([^>]*)>")
_ATTRIBUTE = re.compile(rb"""(?:[\w.-]+:)?([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attributes(text: bytes) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(text):
        value = match.group(2) if match.group(2) is not None else match.group(3)
        found[match.group(1).decode("ascii")] = html.unescape(value.decode("utf-8", "replace"))
    return found


def _workbook_part(zf: zipfile.ZipFile) -> str:
    for kind, part in _relationships(zf, "").values():
        if kind.endswith("/officeDocument"):
            return part
    return "xl/workbook.xml"


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part, as calamine finds them ({} when the structure is odd)."""
    workbook = _workbook_part(zf)
    data = _read_small(zf, workbook)
    rels = _relationships(zf, workbook)
    parts: dict[str, str] = {}
    for element in _ELEMENT.finditer(data or b""):
        if element.group(1) == b"sheet":
            attrs = _attributes(element.group(2))
            rel = rels.get(attrs.get("id", ""))
            if rel is not None:
                parts[attrs.get("name", "")] = rel[1]
    return parts


def _shared_strings_part(zf: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    workbook = _workbook_part(zf)
    candidates = [
        part for kind, part in _relationships(zf, workbook).values() if "sharedStrings" in kind
    ]
    candidates += [i.filename for i in zf.infolist() if "sharedstrings" in i.filename.lower()]
    for part in candidates:
        if part in zf.NameToInfo:
            return zf.getinfo(part)
    return None


# ============================================================================================
# Sheets (.xlsx)
# ============================================================================================

# Every spreadsheet program writes `r="A1"`; XML also allows `r = 'A1'`. Sheets up to this size
# are searched with spaces, tabs and line breaks removed and single quotes made double, so any
# spelling reads `r="A1"`; bigger ones as they are (the normalising pass would add a quarter to
# the time calamine takes, and a file spelled oddly is still stopped by `check_built` before
# Python sees its cells, when calamine could build it).
_NORMALIZE_MAX_BYTES = 16 * 1024 * 1024
_NORMALIZE = bytes.maketrans(b"'", b'"')
_WHITESPACE = b" \t\r\n"
# A cell's or row's reference.
_REF = re.compile(rb'r="([A-Za-z]*)0*(\d*)"')


def _scan_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, sheet: str) -> Extent:
    """The highest row and column named by any cell or row of the sheet part `info`.

    The search pattern matches only references beyond the bounds found so far; at each match
    the bounds rise (columns exactly, rows to the next multiple of 4,096) and the search goes
    on with a new pattern. An ordered sheet of 100,000 rows stops about 25 times.
    """
    columns = rows = 0
    row_bound = _ROW_STEP
    pattern = _beyond(columns, row_bound)
    tail = b""
    normalize = info.file_size <= _NORMALIZE_MAX_BYTES
    for chunk in _inflate(zf, info, name):
        data = tail + (chunk.translate(_NORMALIZE, _WHITESPACE) if normalize else chunk)
        at = 0
        while match := pattern.search(data, at):
            at = match.end()
            ref = _REF.match(data, match.start())
            if ref is None or _closes_empty(data, at):
                continue  # a style-only cell or row: calamine skips it
            letters, digits = ref.group(1), ref.group(2)
            row = int(digits) if digits else 0
            column = column_number(letters.upper().decode("ascii")) if letters else 0
            if row > EXCEL_MAX_ROWS or column > EXCEL_MAX_COLUMNS:
                raise _past_excel(name, sheet, Extent(row, max(column, columns), info.file_size))
            columns = max(columns, column)
            rows = max(rows, row)
            row_bound = max(row_bound, min(EXCEL_MAX_ROWS, (row // _ROW_STEP + 1) * _ROW_STEP))
            pattern = _beyond(columns, row_bound)
        tail = data[-_OVERLAP:]
    # Rows up to the bound may exist unseen (the search skips them): count the bound, which is
    # at most 4,095 rows more than the sheet has.
    corner = f"{column_letters(max(columns, 1))}{max(rows, 1)}"
    return Extent(row_bound, max(columns, 1), info.file_size, corner)


def _closes_empty(data: bytes, at: int) -> bool:
    """Whether the element whose attribute ends at `at` is self-closing (`<c r="Z9" s="1"/>`)."""
    end = data.find(b">", at)
    return end > 0 and data[end - 1 : end] == b"/"


_beyond_cache: dict[tuple[int, int], re.Pattern[bytes]] = {}


def _beyond(columns: int, rows: int) -> re.Pattern[bytes]:
    """A reference to a column after `columns` or a row after `rows`."""
    key = (columns, rows)
    pattern = _beyond_cache.get(key)
    if pattern is None:
        pattern = re.compile(
            rb'r="(?:'
            + _letters_after(columns)
            + rb"0*\d|[A-Za-z]{0,3}0*"
            + _digits_after(rows)
            + rb'")'
        )
        if len(_beyond_cache) > 256:
            _beyond_cache.clear()
        _beyond_cache[key] = pattern
    return pattern


def _digits_after(number: int) -> bytes:
    """A regular expression for whole numbers (no leading zeros) greater than `number`."""
    digits = str(number)
    width = len(digits)
    options = [rf"[1-9]\d{{{width},}}"]
    for i, digit in enumerate(digits):
        if digit != "9":
            options.append(rf"{digits[:i]}[{int(digit) + 1}-9]\d{{{width - i - 1}}}")
    return ("(?:" + "|".join(options) + ")").encode("ascii")


def _letters_after(number: int) -> bytes:
    """A regular expression for column letters (either case) naming a column after `number`."""
    if number <= 0:
        return rb"[A-Za-z]+"
    letters = column_letters(number)
    width = len(letters)
    options = [rf"[A-Za-z]{{{width + 1},}}"]
    for i, letter in enumerate(letters):
        if letter != "Z":
            same = "".join(f"[{ch}{ch.lower()}]" for ch in letters[:i])
            nxt = chr(ord(letter) + 1)
            options.append(f"{same}[{nxt}-Z{nxt.lower()}-z][A-Za-z]{{{width - i - 1}}}")
    return ("(?:" + "|".join(options) + ")").encode("ascii")


# ============================================================================================
# OpenDocument (.ods)
# ============================================================================================

_ODS_TOKEN = re.compile(
    rb"<table:(table-row|table-cell|covered-table-cell|table)\b([^>]*)>|</table:(table-row|table)>"
)
_ODS_NAME = re.compile(rb'table:name\s*=\s*["\']([^"\']*)["\']')
_ODS_ROWS = re.compile(rb'table:number-rows-repeated\s*=\s*["\'](\d+)["\']')
_ODS_COLUMNS = re.compile(rb'table:number-columns-repeated\s*=\s*["\'](\d+)["\']')
_ODS_VALUE = re.compile(rb"office:[\w-]*value|table:formula")


def _scan_ods(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> dict[str, Extent]:
    """Each sheet's rectangle as calamine expands repeated rows and cells.

    A cell counts when it has a value or formula (with its repeats), and the empty cells before
    it; empty cells at the end of a row do not. A row counts with its repeats when it has such a
    cell, and so do the empty rows between two that do.
    """
    extents: dict[str, Extent] = {}
    sheet = ""
    rows_used = pending_rows = widest = 0  # per sheet
    row_repeat = column = last_value_end = 0  # per row
    tail = b""
    for chunk in _inflate(zf, info, name):
        data = tail + chunk
        for token in _ODS_TOKEN.finditer(data):
            element, attrs, closing = token.group(1), token.group(2) or b"", token.group(3)
            if element == b"table":
                sheet = _ods_attr(_ODS_NAME, attrs, b"").decode("utf-8", "replace")
                rows_used = pending_rows = widest = 0
            elif element == b"table-row":
                row_repeat = int(_ods_attr(_ODS_ROWS, attrs, b"1"))
                column = last_value_end = 0
                if attrs.rstrip().endswith(b"/"):
                    pending_rows += row_repeat
            elif element is not None:  # a cell
                repeat = int(_ods_attr(_ODS_COLUMNS, attrs, b"1"))
                column += repeat
                if _ODS_VALUE.search(attrs):
                    last_value_end = column
                    if column > EXCEL_MAX_COLUMNS:
                        raise _past_excel(name, sheet, Extent(1, column, info.file_size))
            elif closing == b"table-row":
                if last_value_end:
                    rows_used += pending_rows + row_repeat
                    pending_rows = 0
                    widest = max(widest, last_value_end)
                    if rows_used > EXCEL_MAX_ROWS:
                        raise _past_excel(name, sheet, Extent(rows_used, widest, info.file_size))
                else:
                    pending_rows += row_repeat
            elif closing == b"table":
                extents[sheet] = Extent(rows_used, widest, info.file_size)
        # A tag cut off by the end of the chunk has no ">" yet: it is searched with the next.
        cut = data.rfind(b"<")
        tail = data[cut:] if cut > data.rfind(b">") and len(data) - cut < _CHUNK else b""
    return extents


def _ods_attr(pattern: re.Pattern[bytes], attrs: bytes, default: bytes) -> bytes:
    match = pattern.search(attrs)
    return match.group(1) if match else default


# ============================================================================================
# Sentences
# ============================================================================================


def _damaged(name: str) -> ReadError:
    return ReadError(
        f"The workbook “{name}” is damaged or incomplete (perhaps an interrupted download or "
        "copy); open it in Excel and save a fresh copy, or export it again."
    )


def _not_a_workbook(name: str, why: str) -> ReadError:
    return ReadError(
        f"“{name}” is not a normal workbook ({why}), so it may be damaged or made to crash "
        "programs; export your orders again and choose the new file."
    )


def _past_excel(name: str, sheet: str, extent: Extent) -> ReadError:
    if extent.columns > EXCEL_MAX_COLUMNS:
        where = (
            f"column {column_letters(extent.columns)}, beyond the last column (XFD) an Excel "
            "sheet can have"
        )
    else:
        where = f"row {extent.rows:,}, beyond the {EXCEL_MAX_ROWS:,} rows an Excel sheet can have"
    return ReadError(
        f"The sheet “{sheet}” in “{name}” reaches {where}, so the file is damaged or was not "
        "made by a spreadsheet program; export your orders again and choose the new file."
    )


def _sparse(name: str, sheet: str, extent: Extent, need: int) -> ReadError:
    corner = extent.corner or f"{column_letters(extent.columns)}{extent.rows}"
    return ReadError(
        f"The sheet “{sheet}” in “{name}” reaches cell {corner}, far beyond your orders, so it "
        f"would open as {extent.cells:,} mostly empty cells needing about {format_bytes(need)} "
        "of memory; in Excel press Ctrl+End to find the stray cells, delete those rows and "
        "columns, save, and open the file again."
    )


def _cell_too_long(name: str) -> ReadError:
    return ReadError(
        f"“{name}” has a cell with more text than Excel allows in one cell "
        f"({EXCEL_MAX_CELL_CHARS:,} characters), so the file is damaged or was not made by a "
        "spreadsheet program; export your orders again and choose the new file."
    )
