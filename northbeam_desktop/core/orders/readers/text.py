"""Delimited text (.csv, .tsv, .txt): encoding, delimiter and rows, read in bounded steps.

1. One pass over the bytes, 1 MiB at a time, decides the encoding (a byte-order mark, else strict
   UTF-8, else Windows-1252) and refuses what would come out wrong or never end: a NUL byte
   anywhere, rows saved in two encodings (UTF-8 and Windows) in one file, which no single
   encoding reads without garbling accents, and a line longer than `CSV_MAX_LINE_BYTES`. Only
   the first megabyte is kept, to find the delimiter.
2. The csv module then reads the file through a decoding stream in slices of at most
   `_SLICE_CELLS` cells, so a row with too many columns (more than Excel's 16,384) is refused
   before thousands like it fill the memory. Equal cell values share one string object (files
   repeat values a lot: order values on every line, products, currencies), which keeps a
   2,000,000-row file in a laptop's memory; blank cells become None in the same step.
3. The header row is found and the rows are padded to its width.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice, repeat

from northbeam_desktop.core.orders.readers.errors import (
    ReadError,
    empty_file,
    format_bytes,
    header_only,
    os_error,
    too_large,
)
from northbeam_desktop.core.orders.readers.files import WORKBOOK_EXTENSIONS, extension
from northbeam_desktop.core.orders.readers.header import extent, find_header, make_headers
from northbeam_desktop.core.orders.readers.limits import (
    CSV_MAX_FIELD_CHARS,
    CSV_MAX_LINE_BYTES,
    EXCEL_MAX_COLUMNS,
    memory_budget,
    text_need,
)
from northbeam_desktop.core.orders.sheet import CellValue, SheetData, SourceFormat

_CHUNK = 1024 * 1024
_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_CHARS = 64 * 1024
_SNIFF_RECORDS = 50
_BINARY_SAMPLE = 8192
# Rows per slice of csv.reader: one list() over 100,000 rows holds the interpreter lock for
# ~0.2 s, which the app's window (reading runs on a worker thread) would feel as a freeze.
_SLICE_ROWS = 5_000
_SLICE_CELLS = 200_000  # and fewer rows when rows are wide

# Bytes Windows-1252 leaves undefined: a file with them is neither UTF-8 nor Windows text.
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
# Accented letters (U+00A0-U+017F), typographic quotes and dashes, and the euro sign as UTF-8
# writes them. In Windows-1252 text these byte pairs read "Ã©", "Å“", "â€™": garbled text that
# a real Windows file does not contain, so finding them next to bytes that are not UTF-8 means
# the file mixes the two encodings.
_UTF8_TEXT = re.compile(rb"[\xc3-\xc5][\x80-\xbf]|\xc2[\xa0-\xbf]|\xe2\x80[\x90-\xbf]|\xe2\x82\xac")


@dataclass(slots=True)
class _Scan:
    encoding: str
    head: str  # the first megabyte, decoded
    truncated: bool  # the file is longer than `head`


def read_text(p: str, name: str, size: int) -> SheetData:
    need, budget = text_need(size), memory_budget()
    if need > budget.limit:
        raise too_large(name, need, budget.total)
    ext = extension(name)
    scan = _scan(p, name, ext)
    start = scan.head[:1000].lstrip()[:200].lower()
    if start.startswith(("<!doctype html", "<html", "<?xml", "<table")):
        # Many "export to Excel" buttons make an HTML table or XML named .xls; a failed
        # download can also leave a sign-in page named .csv.
        raise ReadError(
            f"“{name}” is a web page or XML file, not a spreadsheet; open it in Excel and save "
            "it as an Excel Workbook (.xlsx) or CSV, or export your orders again."
        )
    delimiter = _sniff_delimiter(scan.head, ext, scan.truncated)
    rows = _read_rows(p, name, scan, delimiter)
    last = rows[-1][-1] if rows and rows[-1] else None
    if last.__class__ is str and last[-1:] in ("\n", "\r") and _odd_quotes(p, scan.encoding):
        # The csv module silently swallows the rest of the file into one cell when a quote is
        # never closed; say so instead of showing the user one giant, wrong row.
        raise _quote_error(name, len(rows))

    headers, header_row, data_rows, numbers = _build_from_text(rows)
    if not headers:
        raise empty_file(name)  # only delimiters and line breaks, no cell with anything in it
    if not data_rows:
        raise header_only(f"“{name}”")
    return SheetData(
        path=p,
        sheet=None,
        sheets=[],
        headers=headers,
        header_row=header_row,
        rows=data_rows,
        row_numbers=numbers,
        source=SourceFormat("csv", encoding=scan.encoding, delimiter=delimiter),
    )


# ============================================================================================
# Pass 1: encoding, NULs, line lengths
# ============================================================================================


def _open(p: str, name: str) -> io.BufferedReader:
    try:
        return open(p, "rb")
    except OSError as exc:
        raise os_error(name, exc) from exc


def _chunks(fh: io.BufferedReader, name: str) -> Iterator[bytes]:
    try:
        while chunk := fh.read(_CHUNK):
            yield chunk
    except OSError as exc:
        raise os_error(name, exc) from exc


def _scan(p: str, name: str, ext: str) -> _Scan:
    with _open(p, name) as fh:
        chunks = _chunks(fh, name)
        first = next(chunks, b"")
        if not first:
            raise empty_file(name)
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # Excel's "Unicode Text"; the utf-16 codec reads the BOM to pick the byte order.
            return _scan_utf16(p, name, ext, first, chunks)
        if _looks_binary(first[:_BINARY_SAMPLE].decode("latin-1")):
            raise _not_text_error(name, ext)
        bom = first.startswith(codecs.BOM_UTF8)
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        utf8_ok = True
        not_utf8_at = utf8_text_at = undefined_at = None  # byte offsets of the first of each
        lines = _LineLengths(name, b"\n", b"\r")
        blank = True
        offset = 0
        for chunk in _prepend(first, chunks):
            if b"\x00" in chunk:
                raise _nul_error(name, _line_at(p, offset + chunk.index(b"\x00")))
            lines.feed(chunk, offset, p)
            if blank and not (chunk.isspace() or (offset == 0 and bom and _bom_blank(chunk))):
                blank = False
            if not chunk.isascii():
                if utf8_ok:
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError as exc:
                        utf8_ok = False
                        not_utf8_at = offset + max(exc.start, 0)
                if utf8_text_at is None and (match := _UTF8_TEXT.search(chunk)):
                    utf8_text_at = offset + match.start()
                if (
                    not utf8_ok
                    and undefined_at is None
                    and (match := _CP1252_UNDEFINED.search(chunk))
                ):
                    undefined_at = offset + match.start()
            elif utf8_ok and decoder.getstate()[0]:
                try:  # a letter cut by the chunk boundary that this chunk does not complete
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok, not_utf8_at = False, offset
            offset += len(chunk)
        if utf8_ok:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8_ok, not_utf8_at = False, offset - 1
    if blank:
        raise empty_file(name)
    if utf8_ok:
        encoding = "utf-8-sig" if bom else "utf-8"
    else:
        assert not_utf8_at is not None
        if utf8_text_at is not None or bom:
            raise _mixed_error(
                name,
                _line_at(p, utf8_text_at if utf8_text_at is not None else 0),
                _line_at(p, not_utf8_at),
            )
        if undefined_at is not None:
            raise ReadError(
                f"“{name}” uses a character encoding we can't recognise; open it in Excel and "
                "save it as 'CSV UTF-8 (Comma delimited)', then choose the new file."
            )
        # What Excel on Windows writes for "CSV (Comma delimited)" in Western Europe and the US.
        encoding = "cp1252"
    head = codecs.getincrementaldecoder(encoding)("replace").decode(first)
    return _Scan(encoding, head, offset > len(first))


def _scan_utf16(p: str, name: str, ext: str, first: bytes, chunks: Iterator[bytes]) -> _Scan:
    decoder = codecs.getincrementaldecoder("utf-16")("strict")
    lines = _LineLengths(name, "\n", "\r")
    head = ""
    offset = 0  # in characters
    blank = True
    try:
        for chunk in _prepend(first, chunks):
            text = decoder.decode(chunk)
            if not head:
                head = text
                if _looks_binary(head[:_BINARY_SAMPLE]):
                    raise _not_text_error(name, ext)
            if "\x00" in text:
                raise _nul_error(name, _line_at(p, offset + text.index("\x00"), "utf-16"))
            lines.feed(text, offset, p, "utf-16")
            blank = blank and text.isspace()
            offset += len(text)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"“{name}” is damaged: it starts as Unicode text but part of it is not; export your "
            "orders again and choose the new file."
        ) from exc
    if blank:
        raise empty_file(name)
    return _Scan("utf-16", head, offset > len(head))


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _bom_blank(chunk: bytes) -> bool:
    rest = chunk[len(codecs.BOM_UTF8) :]
    return not rest or rest.isspace()


class _LineLengths:
    """Refuses a physical line longer than CSV_MAX_LINE_BYTES, fed one chunk after another.

    Only the first and last line break of each chunk are looked at: a line that starts and ends
    inside one chunk is shorter than the chunk, which is shorter than the limit.
    """

    def __init__(self, name: str, lf: bytes | str, cr: bytes | str) -> None:
        self.name = name
        self.lf, self.cr = lf, cr
        self.line_start = 0  # offset where the current line began

    def feed(self, chunk: bytes | str, offset: int, p: str, encoding: str | None = None) -> None:
        lf, cr = self.lf, self.cr
        first = min((i for i in (chunk.find(lf), chunk.find(cr)) if i >= 0), default=-1)  # type: ignore[arg-type]
        end = offset + (first if first >= 0 else len(chunk))
        if end - self.line_start > CSV_MAX_LINE_BYTES:
            raise _long_line_error(self.name, _line_at(p, self.line_start, encoding))
        if first >= 0:
            self.line_start = offset + max(chunk.rfind(lf), chunk.rfind(cr)) + 1  # type: ignore[arg-type]


def _line_at(p: str, offset: int, encoding: str | None = None) -> int:
    """The 1-based line number of `offset` (bytes, or characters of a UTF-16 file)."""
    counts = [0, 0]  # line feeds, carriage returns (old Mac files use only those)
    with open(p, "rb") as fh:
        if encoding == "utf-16":
            text = io.TextIOWrapper(fh, encoding="utf-16", newline="").read(offset)
            counts = [text.count("\n"), text.count("\r")]
        else:
            left = offset
            while left > 0 and (chunk := fh.read(min(_CHUNK, left))):
                counts[0] += chunk.count(b"\n")
                counts[1] += chunk.count(b"\r")
                left -= len(chunk)
    return 1 + (counts[0] or counts[1])


def _odd_quotes(p: str, encoding: str) -> bool:
    """Whether the file holds an odd number of quotation marks (one is never closed)."""
    with open(p, encoding=encoding, newline="") as fh:
        return sum(chunk.count('"') for chunk in iter(lambda: fh.read(_CHUNK), "")) % 2 == 1


def _looks_binary(sample: str) -> bool:
    """True when text has NULs or more than 1% control characters: not a real text file."""
    if "\x00" in sample:
        return True
    bad = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v")
    return bad > max(2, len(sample) // 100)


def _not_text_error(name: str, ext: str) -> ReadError:
    if ext in WORKBOOK_EXTENSIONS:
        return ReadError(
            f"“{name}” is not a real Excel workbook (it may be damaged, or another kind of file "
            "renamed); open it in Excel and save it as .xlsx, or export your orders again."
        )
    return ReadError(
        f"“{name}” is not a text file, so it can't be a CSV (it may be damaged, or another kind "
        "of file renamed); export your orders again as CSV or Excel and choose the new file."
    )


def _nul_error(name: str, row: int) -> ReadError:
    return ReadError(
        f"“{name}” contains an invisible NUL character around row {row}, which a real export "
        "never has, so the file is probably damaged; export your orders again and choose the "
        "new file."
    )


def _mixed_error(name: str, utf8_row: int, windows_row: int) -> ReadError:
    return ReadError(
        f"“{name}” mixes two kinds of text encoding (row {utf8_row} is saved as UTF-8 and row "
        f"{windows_row} as Windows text), so letters such as é would come out garbled; export "
        "all the orders again as one file, or save each part as 'CSV UTF-8' before joining them."
    )


def _long_line_error(name: str, row: int) -> ReadError:
    return ReadError(
        f"“{name}” has a line of more than {format_bytes(CSV_MAX_LINE_BYTES)} starting at row "
        f"{row}, far longer than any row of orders (its line breaks may be missing); export your "
        "orders again as CSV and choose the new file."
    )


def _quote_error(name: str, row: int) -> ReadError:
    return ReadError(
        f'In “{name}” a quotation mark (") opened around row {row} is never closed, so the rest '
        "of the file runs together; fix that cell in a text editor or export the file again."
    )


# ============================================================================================
# Pass 2: the rows
# ============================================================================================


def _read_rows(p: str, name: str, scan: _Scan, delimiter: str) -> list[list[CellValue]]:
    # Equal values share one string; blanks become None on the way.
    shared: dict[str | None, str | None] = {"": None}
    share = shared.setdefault
    rows: list[list[CellValue]] = []
    first_line = scan.head.split("\n", 1)[0]
    per_slice = _slice_rows(first_line.count(delimiter) + 1)
    with _open(p, name) as fh, io.TextIOWrapper(fh, encoding=scan.encoding, newline="") as stream:
        reader = csv.reader(stream, delimiter=delimiter)
        try:
            while chunk := list(islice(reader, per_slice)):
                widest = max(map(len, chunk))
                if widest > EXCEL_MAX_COLUMNS:
                    at = next(i for i, row in enumerate(chunk) if len(row) == widest)
                    raise _too_many_columns(name, widest, len(rows) + at + 1)
                # map(share, row, row) for every row, in C: no Python code runs per row.
                rows.extend(map(list, map(map, repeat(share), chunk, chunk)))  # type: ignore[arg-type]
                per_slice = _slice_rows(widest)
        except csv.Error as exc:
            raise _csv_error(p, name, scan.encoding, delimiter, exc) from exc
        except UnicodeDecodeError as exc:  # the file changed since it was checked
            raise ReadError(
                f"“{name}” changed while it was being read; wait until it is completely saved "
                "and open it again."
            ) from exc
    return rows


def _slice_rows(width: int) -> int:
    return max(1, min(_SLICE_ROWS, _SLICE_CELLS // max(width, 1)))


def _too_many_columns(name: str, columns: int, row: int) -> ReadError:
    return ReadError(
        f"“{name}” has {columns:,} columns in row {row}, more than the "
        f"{EXCEL_MAX_COLUMNS:,} that Excel and this app can handle; check that it is an order "
        "export with one heading per column, and remove the extra columns."
    )


def _csv_error(p: str, name: str, encoding: str, delimiter: str, exc: csv.Error) -> ReadError:
    """Which record failed, and whether it is one huge cell or a quote that never closes."""
    record, one_line = _failing_record(p, encoding, delimiter)
    if "field larger than field limit" in str(exc) and one_line:
        return ReadError(
            f"In “{name}” a cell in row {record} holds more than {CSV_MAX_FIELD_CHARS:,} "
            "characters, far more than any order value (Excel itself stops at 32,767); shorten "
            "or clear that cell in a text editor, or export the file again."
        )
    return _quote_error(name, record)


def _failing_record(p: str, encoding: str, delimiter: str) -> tuple[int, bool]:
    """(1-based number of the record the csv module rejects, whether it is on one line)."""
    with open(p, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        records = line = 0
        try:
            for _ in reader:
                records += 1
                line = reader.line_num
        except csv.Error:
            return records + 1, reader.line_num == line + 1
    return records + 1, True  # the file read cleanly this time: report where it ended


def _sniff_delimiter(text: str, ext: str, truncated: bool) -> str:
    """Pick the delimiter that splits the first records into the most, most consistent fields.

    Each candidate parses a sample with the csv module (so quoted delimiters and line breaks are
    respected); its score is (share of non-blank records having the most common field count) x
    (that count). A candidate that never splits a record scores 0. This copes with title rows
    above the header and with decimal commas in ';' files, where csv.Sniffer often guesses ','.
    """
    sample = text[:_SNIFF_CHARS]
    truncated = truncated or len(text) > _SNIFF_CHARS
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
    rows: list[list[CellValue]],
) -> tuple[list[str], int, list[list[CellValue]], list[int]]:
    """Header, data rows and row numbers from the records (one record = one Excel row)."""
    h = find_header(rows)
    if h < 0:
        return [], 0, [], []
    header_cells = rows[h]
    width = extent(header_cells)
    data_rows = rows[h + 1 :]
    if data_rows and max(map(len, data_rows)) > width:
        # Cells beyond the last heading: widen to the last non-empty one (usually they are
        # just trailing delimiters, which are dropped).
        for r in data_rows:
            if len(r) > width and any(r[width:]):
                width = extent(r)
    headers = make_headers(header_cells[:width], width, 0)

    out: list[list[CellValue]] = []
    numbers: list[int] = []
    append = out.append
    number = numbers.append
    for i, row in enumerate(data_rows, h + 2):
        # The rows are our own fresh lists, so they are fixed in place, never copied twice.
        n = len(row)
        if n != width:
            if n < width:
                row += [None] * (width - n)
            else:
                del row[width:]  # only empty cells live past `width`
        if None in row and row.count(None) == width:
            continue  # a fully blank row: dropped, but later rows keep their numbers
        append(row)
        number(i)
    return headers, h + 1, out, numbers
