"""Writing changed cells into the user's own .xlsx/.xlsm, leaving everything else as it was.

`patch_workbook(source, target, sheet, edits)` copies the workbook part by part and rewrites
only the rows of `edits` in the orders sheet's XML. Every other part is copied as it is —
other sheets, formulas (and their cached values), shared strings, styles, number formats,
merged cells, frozen panes, column widths, conditional formats, data validation, charts,
pictures, comments, defined names and macros — so nothing the user did not change can be
lost or turn into something else (a text cell `=1+1` stays text).

An edited cell keeps its style (font, fill, borders, alignment). Only its number format may
change, and only when the new value needs one the cell lacks: a date written into a cell
formatted as a number gets a date format, a code such as a ZIP code with a leading zero gets
Excel's text format, a number written into a date-formatted cell gets the General format.
Those variants are added to styles.xml; existing styles are never changed.

Around the edited cells:
- a formula in an edited cell is replaced by the value typed (that is what the user did);
  if other cells shared that formula (Excel stores a filled-down formula once, in the first
  cell), each of them gets its own copy, translated to its position;
- Excel is told to recalculate on opening (formulas that depend on edited cells), and its
  calculation-order cache (calcChain.xml, rebuilt by Excel) is dropped when an edited cell
  held a formula, since it would name a formula that is gone;
- saving an .xlsm as .xlsx drops the macros (an .xlsx cannot hold them; `save_notice` says so
  first), saving an .xlsx as .xlsm only changes the file's declared type.

The orders sheet's XML is streamed in chunks, row by row: memory stays small and a
100,000-row sheet takes seconds (bench/bench_save.py). Text is written as inline strings, so
the shared-strings part is never rewritten.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape, unescape

from northbeam_desktop.core.files.cells import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    TEXT_FORMAT,
    TIME_FORMAT,
    excel_serial,
    workbook_cell,
)
from northbeam_desktop.core.files.xlsx import column_letter, xml_text
from northbeam_desktop.core.orders.sheet import CellValue

__all__ = ["CellEdit", "PatchProblem", "has_macros", "patch_workbook", "sheet_part"]

_CHUNK = 1 << 20
_XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_VBA_TYPES = (
    "application/vnd.ms-office.vbaProject",
    "application/vnd.ms-office.vbaProjectSignature",
)
_GENERAL = "General"


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


# ============================================================================================
# Finding the parts
# ============================================================================================


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _resolve(owner: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(owner), target))


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _relationships(zf: zipfile.ZipFile, owner: str) -> list[tuple[str, str, str]]:
    """(id, type, resolved target) of every internal relationship of `owner` ("" = package)."""
    name = _rels_name(owner) if owner else "_rels/.rels"
    try:
        root = ElementTree.fromstring(zf.read(name))
    except KeyError:
        return []
    out = []
    for rel in root:
        if _local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
            continue
        out.append((rel.get("Id", ""), rel.get("Type", ""), _resolve(owner, rel.get("Target", ""))))
    return out


@dataclass
class _Parts:
    workbook: str
    sheet: str
    styles: str | None
    calc_chain: str | None
    vba: list[str] = field(default_factory=list)


def _locate(zf: zipfile.ZipFile, sheet_name: str) -> _Parts:
    workbook = next(
        (t for _i, kind, t in _relationships(zf, "") if kind.endswith("/officeDocument")), None
    )
    if workbook is None or workbook not in zf.NameToInfo:
        raise PatchProblem("no workbook part")
    rels = _relationships(zf, workbook)
    by_id = {rid: target for rid, _kind, target in rels}
    root = ElementTree.fromstring(zf.read(workbook))
    sheet = None
    for element in root.iter():
        if _local(element.tag) == "sheet" and element.get("name") == sheet_name:
            rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            sheet = by_id.get(rid or "")
            break
    if sheet is None or sheet not in zf.NameToInfo:
        raise PatchProblem(f"no sheet named {sheet_name!r}")

    def first(suffix: str) -> str | None:
        found = [t for _i, kind, t in rels if kind.endswith(suffix) and t in zf.NameToInfo]
        return found[0] if found else None

    vba = [t for _i, kind, t in rels if kind.endswith("/vbaProject") and t in zf.NameToInfo]
    for part in list(vba):
        vba += [t for _i, _k, t in _relationships(zf, part) if t in zf.NameToInfo]
        if _rels_name(part) in zf.NameToInfo:
            vba.append(_rels_name(part))
    return _Parts(workbook, sheet, first("/styles"), first("/calcChain"), vba)


def sheet_part(path: str | Path, sheet_name: str) -> str:
    """The zip part that holds `sheet_name`; raises `PatchProblem` when it cannot be updated."""
    try:
        with zipfile.ZipFile(path) as zf:
            parts = _locate(zf, sheet_name)
            with zf.open(parts.sheet) as stream:
                head = stream.read(_CHUNK)
    except (OSError, zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError) as exc:
        raise PatchProblem(str(exc)) from exc
    if not re.search(rb"<(?:[\w.-]+:)?worksheet\b", head):
        raise PatchProblem("not a worksheet")  # a chart sheet or dialog sheet
    return parts.sheet


def has_macros(path: str | Path) -> bool:
    """True when the workbook at `path` holds a VBA project."""
    try:
        with zipfile.ZipFile(path) as zf:
            return any(name.lower().endswith("vbaproject.bin") for name in zf.namelist())
    except (OSError, zipfile.BadZipFile):
        return False


# ============================================================================================
# Styles
# ============================================================================================


def _is_date_format(num_fmt_id: int, code: str | None) -> bool:
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    if code is None:
        code = BUILTIN_FORMATS.get(num_fmt_id)
        if code is None:  # East Asian built-in date formats openpyxl does not list
            return 27 <= num_fmt_id <= 36 or 50 <= num_fmt_id <= 58
    return bool(is_date_format(code))


_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attrs(tag: bytes) -> dict[bytes, bytes]:
    return {
        m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
        for m in _ATTR.finditer(tag)
    }


def _set_attr(tag: bytes, name: bytes, value: bytes) -> bytes:
    """`tag` (an element's start tag) with attribute `name` set to `value`."""
    pattern = re.compile(rb"(\s" + re.escape(name) + rb"""\s*=\s*)(?:"[^"]*"|'[^']*')""")
    if pattern.search(tag):
        return pattern.sub(lambda m: m.group(1) + b'"' + value + b'"', tag, count=1)
    end = len(tag) - (2 if tag.endswith(b"/>") else 1)
    return tag[:end] + b" " + name + b'="' + value + b'"' + tag[end:]


def _drop_attr(tag: bytes, name: bytes) -> bytes:
    return re.sub(rb"\s" + re.escape(name) + rb"""\s*=\s*(?:"[^"]*"|'[^']*')""", b"", tag)


class _Styles:
    """The cell formats of styles.xml, and the variants an edit needs (added at the end)."""

    def __init__(self, xml: bytes | None) -> None:
        self.xml = xml
        self.prefix = b""
        self.formats: dict[int, str] = {}  # custom number formats: id -> code
        self.xfs: list[bytes] = []  # <xf> elements of cellXfs
        self.added_formats: dict[int, str] = {}
        self.added_xfs: list[bytes] = []
        self._variants: dict[tuple[int, str], int] = {}
        self._dates: dict[int, bool] = {}
        if xml is None:
            return
        root = re.search(rb"<([\w.-]+:)?styleSheet\b", xml)
        self.prefix = root.group(1) or b"" if root else b""
        p = re.escape(self.prefix)
        for m in re.finditer(rb"<" + p + rb"numFmt\b[^>]*>", xml):
            a = _attrs(m.group(0))
            if b"numFmtId" in a:
                self.formats[int(a[b"numFmtId"])] = unescape(
                    a.get(b"formatCode", b"").decode("utf-8"), {"&quot;": '"', "&apos;": "'"}
                )
        section = re.search(rb"<" + p + rb"cellXfs\b[^>]*>(.*?)</" + p + rb"cellXfs>", xml, re.S)
        if section:
            element = rb"<" + p + rb"xf\b[^>]*?(?:/>|>.*?</" + p + rb"xf>)"
            self.xfs = re.findall(element, section.group(1), re.S)

    def _xf(self, index: int) -> bytes:
        every = self.xfs + self.added_xfs
        return every[index] if 0 <= index < len(every) else b'<xf numFmtId="0"/>'

    def format_of(self, index: int) -> tuple[int, str | None]:
        start = self._xf(index).split(b">", 1)[0]
        num_fmt_id = int(_attrs(start).get(b"numFmtId", b"0") or 0)
        return num_fmt_id, {**self.formats, **self.added_formats}.get(num_fmt_id)

    def is_date(self, index: int) -> bool:
        known = self._dates.get(index)
        if known is None:
            known = self._dates[index] = _is_date_format(*self.format_of(index))
        return known

    def is_general(self, index: int) -> bool:
        return not self.is_date(index) and self.format_of(index)[0] == 0

    def with_format(self, index: int, code: str) -> int:
        """A style like `index` with number format `code`: added once, then reused."""
        key = (index, code)
        if key in self._variants:
            return self._variants[key]
        if self.xml is None:
            raise PatchProblem("the workbook has no styles")
        num_fmt_id = self._format_id(code)
        xf = self._xf(index)
        start, sep, rest = xf.partition(b">")
        start = start + sep
        start = _set_attr(start, b"numFmtId", str(num_fmt_id).encode())
        start = _set_attr(start, b"applyNumberFormat", b"1")
        variant = start + rest
        if not self.xfs and not self.added_xfs:
            raise PatchProblem("styles.xml has no cell formats")
        self.added_xfs.append(variant)
        new_index = len(self.xfs) + len(self.added_xfs) - 1
        self._variants[key] = new_index
        return new_index

    def _format_id(self, code: str) -> int:
        builtin = {_GENERAL: 0, TEXT_FORMAT: 49}
        if code in builtin:
            return builtin[code]
        known = {**self.formats, **self.added_formats}
        for num_fmt_id, existing in known.items():
            if existing == code:
                return num_fmt_id
        num_fmt_id = max([163, *known]) + 1
        self.added_formats[num_fmt_id] = code
        return num_fmt_id

    def render(self) -> bytes | None:
        """styles.xml with the added formats, or None when nothing was added."""
        if self.xml is None or not (self.added_xfs or self.added_formats):
            return None
        xml = self.xml
        p = self.prefix
        pe = re.escape(p)
        if self.added_formats:
            elements = b"".join(
                b"<"
                + p
                + b'numFmt numFmtId="'
                + str(i).encode()
                + b'" formatCode="'
                + escape(code, {'"': "&quot;"}).encode("utf-8")
                + b'"/>'
                for i, code in self.added_formats.items()
            )
            section = re.search(rb"<" + pe + rb"numFmts\b[^>]*?(/?)>", xml)
            count = len(self.formats) + len(self.added_formats)
            if section is None:
                root = re.search(rb"<" + pe + rb"styleSheet\b[^>]*>", xml)
                assert root is not None  # found in __init__
                block = b"<" + p + b'numFmts count="' + str(count).encode() + b'">' + elements
                block += b"</" + p + b"numFmts>"
                xml = xml[: root.end()] + block + xml[root.end() :]
            elif section.group(1):  # <numFmts count="0"/>
                block = b"<" + p + b'numFmts count="' + str(count).encode() + b'">' + elements
                block += b"</" + p + b"numFmts>"
                xml = xml[: section.start()] + block + xml[section.end() :]
            else:
                start = _set_attr(section.group(0), b"count", str(count).encode())
                close = xml.index(b"</" + p + b"numFmts>", section.end())
                xml = (
                    xml[: section.start()]
                    + start
                    + xml[section.end() : close]
                    + elements
                    + xml[close:]
                )
        if self.added_xfs:
            section = re.search(rb"<" + pe + rb"cellXfs\b[^>]*>", xml)
            if section is None:
                raise PatchProblem("styles.xml has no cell formats")
            count = len(self.xfs) + len(self.added_xfs)
            start = _set_attr(section.group(0), b"count", str(count).encode())
            close = xml.index(b"</" + p + b"cellXfs>", section.end())
            xml = (
                xml[: section.start()]
                + start
                + xml[section.end() : close]
                + b"".join(self.added_xfs)
                + xml[close:]
            )
        return xml


# ============================================================================================
# Streaming the sheet
# ============================================================================================


class _RowMissing(Exception):
    """A row `_SheetXml.seek_row` did not find."""


@dataclass
class _Row:
    number: int
    xml: bytes
    explicit: bool  # has its own r="…"


class _SheetXml:
    """The parts of a worksheet's XML: the head (up to `<sheetData>`), rows, the tail."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.buf = b""
        self.pos = 0
        self.eof = False
        self.prefix = b""
        self.empty = False  # <sheetData/>

    def _more(self) -> bool:
        if self.eof:
            return False
        data = self.stream.read(_CHUNK)
        if not data:
            self.eof = True
            return False
        self.buf = self.buf[self.pos :] + data
        self.pos = 0
        return True

    def head(self) -> bytes:
        """Everything before the rows, including the `<sheetData>` start tag."""
        pattern = re.compile(rb"<(?:([\w.-]+):)?sheetData\b[^>]*?(/?)>")
        while True:
            match = pattern.search(self.buf)
            if match:
                break
            if not self._more():
                raise PatchProblem("the sheet has no cell data")
        self.prefix = match.group(1) + b":" if match.group(1) else b""
        self.empty = bool(match.group(2))
        head = self.buf[: match.end()]
        self.pos = match.end()
        return head

    def rows(self) -> Iterator[bytes | _Row]:
        """Rows, and the bytes between them (kept as they are)."""
        if self.empty:
            return
        p = re.escape(self.prefix)
        start = re.compile(rb"<" + p + rb"row\b|</" + p + rb"sheetData>")
        close = b"</" + self.prefix + b"row>"
        number = 0
        while True:
            match = start.search(self.buf, self.pos)
            if match is None:
                if not self._more():
                    raise PatchProblem("the sheet data never ends")
                continue
            if match.group(0).startswith(b"</"):
                if match.start() > self.pos:
                    yield self.buf[self.pos : match.start()]
                self.pos = match.start()
                return
            tag_end = self.buf.find(b">", match.end())
            if tag_end < 0:
                if not self._more():
                    raise PatchProblem("a row never ends")
                continue
            if self.buf[tag_end - 1 : tag_end] == b"/":
                row_end = tag_end + 1
            else:
                found = self.buf.find(close, tag_end)
                if found < 0:
                    if not self._more():
                        raise PatchProblem("a row never ends")
                    continue
                row_end = found + len(close)
            if match.start() > self.pos:
                yield self.buf[self.pos : match.start()]
            r = _ROW_NUMBER.search(self.buf, match.end(), tag_end)
            number = int(r.group(1)) if r else number + 1
            yield _Row(number, self.buf[match.start() : row_end], r is not None)
            self.pos = row_end

    def seek_row(self, number: int) -> Iterator[bytes | _Row]:
        """The bytes up to row `number`, then that row, found by its reference without
        parsing the rows before it. Raises `_RowMissing` when the sheet data ends first (the
        row does not exist, or rows are written without references)."""
        needle = b"<" + self.prefix + b'row r="' + str(number).encode() + b'"'
        stop = b"</" + self.prefix + b"sheetData>"
        close = b"</" + self.prefix + b"row>"
        while True:
            at = self.buf.find(needle, self.pos)
            ends = self.buf.find(stop, self.pos, at if at >= 0 else len(self.buf))
            if ends >= 0:
                raise _RowMissing(number)
            if at >= 0:
                tag_end = self.buf.find(b">", at)
                found = -1
                if tag_end >= 0 and self.buf[tag_end - 1 : tag_end] == b"/":
                    found, row_end = tag_end, tag_end + 1
                elif tag_end >= 0:
                    found = self.buf.find(close, tag_end)
                    row_end = found + len(close)
                if found >= 0:
                    if at > self.pos:
                        yield self.buf[self.pos : at]
                    self.pos = row_end
                    yield _Row(number, self.buf[at:row_end], True)
                    return
            else:  # pass on what cannot hold the start of the row or of the end tag
                keep = max(self.pos, len(self.buf) - len(needle) - len(stop))
                if keep > self.pos:
                    yield self.buf[self.pos : keep]
                    self.pos = keep
            if not self._more():
                raise _RowMissing(number)

    def tail(self) -> Iterator[bytes]:
        """`</sheetData>` and everything after it."""
        if self.pos < len(self.buf):
            yield self.buf[self.pos :]
        self.buf = b""
        self.pos = 0
        while True:
            data = self.stream.read(_CHUNK)
            if not data:
                return
            yield data


_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")
_CELL_REF = re.compile(rb"""\sr\s*=\s*["']([A-Z]{1,3})\d+["']""")
_STYLE = re.compile(rb"""\ss\s*=\s*["'](\d+)["']""")
_CUSTOM_FORMAT = re.compile(rb"""\scustomFormat\s*=\s*["'](?:1|true)["']""")
_SPANS = re.compile(rb"""\sspans\s*=\s*["'][^"']*["']""")


@functools.cache
def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


@functools.cache
def _letters(column: int) -> bytes:
    return column_letter(column).encode("ascii")


class _Syntax:
    """The patterns for one sheet's elements (which may carry a namespace prefix)."""

    def __init__(self, prefix: bytes) -> None:
        p = re.escape(prefix)
        self.prefix = prefix
        self.cell = re.compile(rb"<" + p + rb"c\b([^>]*?)(?:/>|>.*?</" + p + rb"c>)", re.S)
        self.formula = re.compile(rb"<" + p + rb"f\b([^>]*?)(/?)>(?:(.*?)</" + p + rb"f>)?", re.S)
        self.has_formula = b"<" + prefix + b"f"
        self.row_close = b"</" + prefix + b"row>"


@dataclass(slots=True)
class _Cell:
    column: int
    start: int  # where the cell's XML begins and ends in its row's XML
    end: int
    attrs: bytes  # the attributes of its start tag

    @property
    def style(self) -> int:
        found = _STYLE.search(self.attrs)
        return int(found.group(1)) if found else 0


def _cells(row_xml: bytes, syntax: _Syntax) -> tuple[int, list[_Cell]]:
    """(end of the row's start tag, the row's cells)."""
    tag_end = row_xml.index(b">") + 1
    cells: list[_Cell] = []
    if row_xml[tag_end - 2 : tag_end] == b"/>":
        return tag_end, cells
    column = 0
    for match in syntax.cell.finditer(row_xml, tag_end):
        ref = _CELL_REF.search(match.group(1))
        column = _column_number(ref.group(1)) if ref else column + 1
        cells.append(_Cell(column, match.start(), match.end(), match.group(1)))
    return tag_end, cells


def _find_cells(
    row_xml: bytes, number: int, wanted: dict[int, CellEdit], syntax: _Syntax
) -> list[_Cell] | None:
    """The cells of `wanted`, found by their references (fast: the rest of the row is not
    parsed); None when one is missing or written differently (then the row is parsed)."""
    row = str(number).encode()
    cells = []
    for column in sorted(wanted):
        at = row_xml.find(b' r="' + _letters(column) + row + b'"')
        if at < 0:
            return None
        begin = row_xml.rfind(b"<", 0, at)
        tag_end = row_xml.find(b">", at)
        if begin < 0 or tag_end < 0 or row_xml[begin + 1 : at] != syntax.prefix + b"c":
            return None
        if row_xml[tag_end - 1 : tag_end] == b"/":
            end = tag_end + 1
        else:
            close = row_xml.find(b"</" + syntax.prefix + b"c>", tag_end)
            if close < 0:
                return None
            end = close + len(syntax.prefix) + 4
        cells.append(_Cell(column, begin, end, row_xml[at:tag_end]))
    return cells


def _formula(cell_xml: bytes, syntax: _Syntax) -> tuple[dict[bytes, bytes], str | None] | None:
    """(attributes, text) of a cell's formula, or None."""
    if syntax.has_formula not in cell_xml:
        return None
    match = syntax.formula.search(cell_xml)
    if match is None:
        return None
    text = None if match.group(2) else (match.group(3) or b"").decode("utf-8")
    return _attrs(match.group(1)), text


# ============================================================================================
# Writing
# ============================================================================================


@dataclass
class _Plan:
    """What the first pass over the sheet found out for the second."""

    styles: _Styles
    mac_1904: bool = False  # dates count from 1904 (old Mac Excel) instead of 1900
    syntax: _Syntax = field(default_factory=lambda: _Syntax(b""))
    column_styles: dict[int, int] = field(default_factory=dict)
    # Shared formulas whose first cell is edited: si -> (formula text, that cell's reference)
    orphans: dict[bytes, tuple[str, str]] = field(default_factory=dict)
    replaced_formula: bool = False
    # The new XML of every edited row (made in the first pass, which settles the styles).
    rows: dict[int, bytes] = field(default_factory=dict)
    # Every edited row exists and nothing else changes: skip from one to the next unread.
    skip_ahead: bool = False


def patch_workbook(
    source: str | Path,
    target: str | Path,
    sheet_name: str,
    edits: Edits,
    *,
    macros: bool,
) -> None:
    """Write `source` with `edits` applied to sheet `sheet_name` to `target` (a new file).

    `macros`: the target is an .xlsm (keep or declare macros) rather than an .xlsx (drop them).
    Raises `PatchProblem` when the workbook cannot be updated in place, `OSError` when the disk
    refuses.
    """
    try:
        with zipfile.ZipFile(source) as zf:
            parts = _locate(zf, sheet_name)
            styles = _Styles(zf.read(parts.styles) if parts.styles else None)
            plan = _Plan(styles, mac_1904=_uses_1904(zf.read(parts.workbook)))
            _first_pass(zf, parts.sheet, edits, plan)
            new_styles = styles.render()
            dropped = set(parts.vba) if not macros else set()
            if plan.replaced_formula and parts.calc_chain:
                dropped.add(parts.calc_chain)
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
                for info in zf.infolist():
                    name = info.filename
                    if name in dropped:
                        continue
                    if name == parts.sheet:
                        with zf.open(info) as stream, _open_like(out, info) as sink:
                            _write_sheet(stream, sink, edits, plan)
                    elif name == parts.styles and new_styles is not None:
                        out.writestr(_info_like(info), new_styles)
                    elif name == parts.workbook and edits:
                        out.writestr(_info_like(info), _recalculate_on_open(zf.read(info)))
                    elif name == _rels_name(parts.workbook) and dropped:
                        out.writestr(
                            _info_like(info), _without_relations(zf.read(info), name, dropped)
                        )
                    elif name == "[Content_Types].xml":
                        types = _content_types(
                            zf.read(info), parts.workbook, dropped, macros, zf.namelist()
                        )
                        out.writestr(_info_like(info), types)
                    else:
                        with zf.open(info) as stream, _open_like(out, info) as sink:
                            shutil.copyfileobj(stream, sink, _CHUNK)
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError) as exc:
        raise PatchProblem(str(exc)) from exc


def _info_like(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    copy.compress_type = info.compress_type
    copy.external_attr = info.external_attr
    return copy


def _open_like(out: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[bytes]:
    return out.open(_info_like(info), "w", force_zip64=info.file_size > (1 << 30))


def _uses_1904(workbook_xml: bytes) -> bool:
    """True for a workbook whose dates count from 1904 (old Mac Excel)."""
    match = re.search(rb"<(?:[\w.-]+:)?workbookPr\b[^>]*>", workbook_xml)
    flag = _attrs(match.group(0)).get(b"date1904", b"0") if match else b"0"
    return flag.lower() in (b"1", b"true")


def _first_pass(zf: zipfile.ZipFile, part: str, edits: Edits, plan: _Plan) -> None:
    """Make the edited rows, which settles the styles they need (styles.xml usually comes
    before the sheet in the file) and finds the formulas they replace.

    The edited rows are first looked up by their references, skipping the rows between them
    unread; when one is not there (a new row, or rows written without references) the sheet
    is read row by row instead."""
    try:
        with zf.open(part) as stream:
            sheet = _SheetXml(stream)
            head = sheet.head()
            plan.syntax = _Syntax(sheet.prefix)
            plan.column_styles = _column_styles(head, sheet.prefix)
            for number in sorted(edits):
                for item in sheet.seek_row(number):
                    if isinstance(item, _Row):
                        plan.rows[number] = _rewrite_row(item, edits[number], plan)
        plan.skip_ahead = not plan.orphans
        return
    except _RowMissing:
        plan.rows.clear()
        plan.orphans.clear()
    with zf.open(part) as stream:
        sheet = _SheetXml(stream)
        sheet.head()
        for item in sheet.rows():
            if isinstance(item, _Row) and item.number in edits:
                plan.rows[item.number] = _rewrite_row(item, edits[item.number], plan)
    for number, wanted in edits.items():
        if number not in plan.rows:
            plan.rows[number] = _new_row(number, wanted, plan)


def _note_formula(cell_xml: bytes, ref: str, plan: _Plan) -> None:
    """Remember that an edited cell held a formula, and whether other cells shared it."""
    formula = _formula(cell_xml, plan.syntax)
    if formula is None:
        return
    plan.replaced_formula = True
    attrs, text = formula
    spans = b":" in attrs.get(b"ref", b"")
    if attrs.get(b"t") == b"shared" and text and spans and b"si" in attrs:
        plan.orphans[attrs[b"si"]] = (_xml_unescape(text), ref)


def _xml_unescape(text: str) -> str:
    return unescape(text, {"&quot;": '"', "&apos;": "'"})


def _column_styles(head: bytes, prefix: bytes) -> dict[int, int]:
    styles: dict[int, int] = {}
    for match in re.finditer(rb"<" + re.escape(prefix) + rb"col\b[^>]*>", head):
        a = _attrs(match.group(0))
        if b"style" not in a:
            continue
        low, high = int(a.get(b"min", b"1")), int(a.get(b"max", a.get(b"min", b"1")))
        for column in range(low, min(high, 16384) + 1):
            styles[column] = int(a[b"style"])
    return styles


def _write_sheet(stream: IO[bytes], sink: IO[bytes], edits: Edits, plan: _Plan) -> None:
    sheet = _SheetXml(stream)
    head = sheet.head()
    new_rows = sorted(edits)
    if plan.skip_ahead:
        sink.write(_with_dimension(head, edits, sheet.prefix))
        for number in new_rows:
            for item in sheet.seek_row(number):
                sink.write(plan.rows[number] if isinstance(item, _Row) else item)
        for chunk in sheet.tail():
            sink.write(chunk)
        return
    out: list[bytes] = [_with_dimension(head, edits, sheet.prefix)]
    size = 0
    if sheet.empty:
        out[0] = out[0][: out[0].rindex(b"/>")] + b">"
    pending = 0  # index into new_rows of the next edited row not yet written
    implicit = False  # rows without r="…": every later row gets one (rows may be inserted)
    orphan_marks = [b"si=" + q + si + q for si in plan.orphans for q in (b'"', b"'")]

    def flush() -> None:
        nonlocal size
        sink.write(b"".join(out))
        out.clear()
        size = 0

    for item in sheet.rows():
        if not isinstance(item, _Row):
            out.append(item)
            continue
        while pending < len(new_rows) and new_rows[pending] < item.number:
            out.append(plan.rows[new_rows[pending]])
            pending += 1
        if item.number in plan.rows:
            xml = plan.rows[item.number]
            pending += 1
        elif orphan_marks and any(mark in item.xml for mark in orphan_marks):
            xml = _rewrite_row(item, {}, plan)
        elif not item.explicit and (implicit or pending):
            implicit = True
            tag_end = item.xml.index(b">") + 1
            xml = _set_attr(item.xml[:tag_end], b"r", str(item.number).encode())
            xml += item.xml[tag_end:]
        else:
            xml = item.xml
        out.append(xml)
        size += len(xml)
        if size >= _CHUNK:
            flush()
    out.extend(plan.rows[number] for number in new_rows[pending:])
    if sheet.empty:
        out.append(b"</" + sheet.prefix + b"sheetData>")
    flush()
    for chunk in sheet.tail():
        sink.write(chunk)


def _with_dimension(head: bytes, edits: Edits, prefix: bytes) -> bytes:
    """The head with its used range (`<dimension ref>`) grown to hold every edited cell."""
    from openpyxl.utils.cell import range_boundaries

    filled = [(r, c) for r, cols in edits.items() for c, e in cols.items() if e.value is not None]
    match = re.search(rb"<" + re.escape(prefix) + rb"dimension\b[^>]*>", head)
    if not filled or match is None:
        return head
    ref = _attrs(match.group(0)).get(b"ref", b"A1").decode("ascii", "replace")
    try:
        low_col, low_row, high_col, high_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return head
    low_col, low_row = low_col or 1, low_row or 1
    high_col, high_row = high_col or low_col, high_row or low_row
    rows = [r for r, _c in filled]
    cols = [c for _r, c in filled]
    grown = (
        f"{column_letter(min(low_col, *cols))}{min(low_row, *rows)}:"
        f"{column_letter(max(high_col, *cols))}{max(high_row, *rows)}"
    )
    tag = _set_attr(match.group(0), b"ref", grown.encode())
    return head[: match.start()] + tag + head[match.end() :]


def _rewrite_row(row: _Row, wanted: dict[int, CellEdit], plan: _Plan) -> bytes:
    """The row with the cells of `wanted` replaced (or added, in column order) and the
    formulas it shared with a replaced cell copied in; every other byte as it was."""
    syntax = plan.syntax
    xml = row.xml
    cells = _find_cells(xml, row.number, wanted, syntax) if not plan.orphans else None
    if cells is None:
        tag_end, cells = _cells(xml, syntax)
    else:
        tag_end = xml.index(b">") + 1
    start = _SPANS.sub(b"", xml[:tag_end])  # the optional "columns used" hint may be wrong now
    if start.endswith(b"/>"):
        start, body_end = start[:-2] + b">", tag_end
    else:
        body_end = len(xml) - len(syntax.row_close)
    if not row.explicit:
        start = _set_attr(start, b"r", str(row.number).encode())
    number = str(row.number).encode()
    present = {cell.column for cell in cells}
    missing = sorted(c for c in wanted if c not in present)
    row_style = _row_style(start)
    pieces = [start]
    pos = tag_end
    next_missing = 0
    for cell in cells:
        while next_missing < len(missing) and missing[next_missing] < cell.column:
            column = missing[next_missing]
            style = row_style if row_style is not None else plan.column_styles.get(column, 0)
            ref = _letters(column) + number
            pieces += [xml[pos : cell.start], _cell_xml(ref, style, wanted[column], plan)]
            pos = cell.start
            next_missing += 1
        edit = wanted.get(cell.column)
        explicit = _CELL_REF.search(cell.attrs) is not None
        if edit is None and explicit and not plan.orphans:
            continue
        ref = _letters(cell.column) + number
        old = xml[cell.start : cell.end]
        if edit is not None:
            _note_formula(old, ref.decode(), plan)
            new = _cell_xml(ref, cell.style, edit, plan)
        else:
            new = _own_formula(old, ref.decode(), plan)
            if not explicit:
                tag = len(b"<" + syntax.prefix + b"c")
                new = new[:tag] + b' r="' + ref + b'"' + new[tag:]
        pieces += [xml[pos : cell.start], new]
        pos = cell.end
    pieces.append(xml[pos:body_end])
    for column in missing[next_missing:]:
        style = row_style if row_style is not None else plan.column_styles.get(column, 0)
        pieces.append(_cell_xml(_letters(column) + number, style, wanted[column], plan))
    pieces.append(syntax.row_close)
    return b"".join(pieces)


def _new_row(number: int, wanted: dict[int, CellEdit], plan: _Plan) -> bytes:
    row = str(number).encode()
    cells = [
        _cell_xml(_letters(c) + row, plan.column_styles.get(c, 0), wanted[c], plan)
        for c in sorted(wanted)
    ]
    if not any(cells):
        return b""
    p = plan.syntax.prefix
    return b"<" + p + b'row r="' + row + b'">' + b"".join(cells) + plan.syntax.row_close


def _row_style(start: bytes) -> int | None:
    """The style of a row whose empty cells have their own format (Excel's customFormat)."""
    if b"customFormat" not in start or not _CUSTOM_FORMAT.search(start):
        return None
    found = _STYLE.search(start)
    return int(found.group(1)) if found else None


def _own_formula(cell_xml: bytes, ref: str, plan: _Plan) -> bytes:
    """A cell that shared an edited cell's formula gets its own copy of it."""
    formula = _formula(cell_xml, plan.syntax)
    if formula is None:
        return cell_xml
    attrs, text = formula
    orphan = plan.orphans.get(attrs.get(b"si", b"")) if attrs.get(b"t") == b"shared" else None
    if orphan is None or text:  # not shared with a replaced cell, or a group's own first cell
        return cell_xml
    from openpyxl.formula.translate import Translator

    master_text, master_ref = orphan
    own = Translator("=" + master_text, origin=master_ref).translate_formula(ref)[1:]
    p = plan.syntax.prefix
    element = b"<" + p + b"f>" + xml_text(own).encode("utf-8") + b"</" + p + b"f>"
    match = plan.syntax.formula.search(cell_xml)
    assert match is not None  # _formula found it
    return cell_xml[: match.start()] + element + cell_xml[match.end() :]


def _cell_xml(ref: bytes, style: int, edit: CellEdit, plan: _Plan) -> bytes:
    """The XML of an edited cell (b"" for an empty cell without a style)."""
    styles = plan.styles
    p = plan.syntax.prefix
    if edit.keep_text and isinstance(edit.value, str):
        value: Any = edit.value
        number_format: str | None = TEXT_FORMAT if edit.role == "text" else None
        as_text = True
    else:
        value, number_format, as_text = workbook_cell(edit.value, edit.role)
    if value is None:
        if not style:
            return b""
        return b"<" + p + b'c r="' + ref + b'" s="' + str(style).encode() + b'"/>'
    if number_format in (DATE_FORMAT, DATETIME_FORMAT, TIME_FORMAT):
        if not styles.is_date(style):
            style = styles.with_format(style, number_format)
    elif number_format == TEXT_FORMAT:
        if styles.is_general(style):
            style = styles.with_format(style, TEXT_FORMAT)
    elif not as_text and not isinstance(value, bool) and styles.is_date(style):
        style = styles.with_format(style, _GENERAL)  # a number, not a date
    s = b' s="' + str(style).encode() + b'"' if style else b""
    start = b"<" + p + b'c r="' + ref + b'"' + s
    if as_text or isinstance(value, str):
        body = xml_text(str(value))
        space = b' xml:space="preserve"' if body != body.strip() else b""
        return (
            start
            + b' t="inlineStr"><'
            + p
            + b"is><"
            + p
            + b"t"
            + space
            + b">"
            + body.encode("utf-8")
            + b"</"
            + p
            + b"t></"
            + p
            + b"is></"
            + p
            + b"c>"
        )
    if isinstance(value, bool):
        number = b"1" if value else b"0"
        return start + b' t="b"><' + p + b"v>" + number + b"</" + p + b"v></" + p + b"c>"
    if isinstance(value, dt.date | dt.time):
        number = repr(excel_serial(value, mac_1904=plan.mac_1904)).encode()
    else:
        number = (str(value) if isinstance(value, int) else repr(value)).encode()
    return start + b"><" + p + b"v>" + number + b"</" + p + b"v></" + p + b"c>"


# ============================================================================================
# Workbook-level parts
# ============================================================================================


def _recalculate_on_open(xml: bytes) -> bytes:
    """workbook.xml asking Excel to recalculate every formula when the file is opened."""
    match = re.search(rb"<([\w.-]+:)?calcPr\b[^>]*>", xml)
    if match:
        tag = _set_attr(match.group(0), b"fullCalcOnLoad", b"1")
        return xml[: match.start()] + tag + xml[match.end() :]
    root = re.search(rb"<([\w.-]+:)?workbook\b", xml)
    prefix = (root.group(1) or b"") if root else b""
    element = b"<" + prefix + b'calcPr fullCalcOnLoad="1"/>'
    # calcPr comes after definedNames and before these (the schema's order).
    later = (
        b"oleSize",
        b"customWorkbookViews",
        b"pivotCaches",
        b"smartTagPr",
        b"smartTagTypes",
        b"webPublishing",
        b"fileRecoveryPr",
        b"webPublishObjects",
        b"extLst",
    )
    pe = re.escape(prefix)
    anchor = re.search(rb"<" + pe + rb"(?:" + b"|".join(later) + rb")\b", xml)
    if anchor is None:
        anchor = re.search(rb"</" + pe + rb"workbook>", xml)
    if anchor is None:
        return xml
    return xml[: anchor.start()] + element + xml[anchor.start() :]


_EMPTY_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?(Relationship|Override|Default)\b[^>]*?/>")


def _without_relations(xml: bytes, rels_part: str, dropped: set[str]) -> bytes:
    owner = rels_part.replace("/_rels/", "/").removesuffix(".rels")

    def keep(match: re.Match[bytes]) -> bytes:
        a = _attrs(match.group(0))
        target = a.get(b"Target", b"").decode("utf-8", "replace")
        if a.get(b"TargetMode") != b"External" and _resolve(owner, target) in dropped:
            return b""
        return match.group(0)

    return _EMPTY_ELEMENT.sub(keep, xml)


def _content_types(
    xml: bytes, workbook: str, dropped: set[str], macros: bool, names: list[str]
) -> bytes:
    """[Content_Types].xml without the dropped parts, declaring the workbook an .xlsm or an
    .xlsx as `macros` says."""
    overrides = {
        n.decode("utf-8", "replace").lstrip("/") for n in re.findall(rb'PartName="([^"]+)"', xml)
    }
    # A .bin part without its own entry (printer settings, usually) still needs the Default.
    untyped_bins = [
        n for n in names if n.lower().endswith(".bin") and n not in dropped and n not in overrides
    ]

    def edit(match: re.Match[bytes]) -> bytes:
        element = match.group(0)
        a = _attrs(element)
        kind = a.get(b"ContentType", b"").decode("utf-8", "replace")
        if match.group(1) == b"Override":
            part = a.get(b"PartName", b"").decode("utf-8", "replace").lstrip("/")
            if part in dropped:
                return b""
            if part == workbook and kind in (_XLSX_MAIN, _XLSM_MAIN):
                wanted = _XLSM_MAIN if macros else _XLSX_MAIN
                return _set_attr(element, b"ContentType", wanted.encode())
        if match.group(1) == b"Default" and not macros and kind in _VBA_TYPES and not untyped_bins:
            return b""
        return element

    return _EMPTY_ELEMENT.sub(edit, xml)
