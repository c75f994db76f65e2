"""Writing the patched workbook: the edited rows, their cells and the formulas they replace."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree
from xml.sax.saxutils import unescape

from northbeam_desktop.core.files.cells import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    TEXT_FORMAT,
    TIME_FORMAT,
    excel_serial,
    workbook_cell,
)
from northbeam_desktop.core.files.xlsx import column_letter, xml_text
from northbeam_desktop.core.files.xlsx_patch.model import (
    CHUNK,
    GENERAL,
    CellEdit,
    Edits,
    PatchProblem,
)
from northbeam_desktop.core.files.xlsx_patch.package import locate_parts, rels_name
from northbeam_desktop.core.files.xlsx_patch.sheet_cells import (
    CELL_REF,
    CUSTOM_FORMAT,
    SPANS,
    STYLE,
    XmlSyntax,
    cell_formula,
    column_letters,
    find_row_cells,
    row_cells,
)
from northbeam_desktop.core.files.xlsx_patch.sheet_stream import RowMissing, SheetRow, SheetXml
from northbeam_desktop.core.files.xlsx_patch.styles import StyleSheet
from northbeam_desktop.core.files.xlsx_patch.workbook_parts import (
    content_types,
    recalculate_on_open,
    without_relations,
)
from northbeam_desktop.core.files.xlsx_patch.xml_attrs import tag_attrs, with_attr


@dataclass
class _Plan:
    """What the first pass over the sheet found out for the second."""

    styles: StyleSheet
    mac_1904: bool = False  # dates count from 1904 (old Mac Excel) instead of 1900
    syntax: XmlSyntax = field(default_factory=lambda: XmlSyntax(b""))
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
            parts = locate_parts(zf, sheet_name)
            styles = StyleSheet(zf.read(parts.styles) if parts.styles else None)
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
                        out.writestr(_info_like(info), recalculate_on_open(zf.read(info)))
                    elif name == rels_name(parts.workbook) and dropped:
                        out.writestr(
                            _info_like(info), without_relations(zf.read(info), name, dropped)
                        )
                    elif name == "[Content_Types].xml":
                        types = content_types(
                            zf.read(info), parts.workbook, dropped, macros, zf.namelist()
                        )
                        out.writestr(_info_like(info), types)
                    else:
                        with zf.open(info) as stream, _open_like(out, info) as sink:
                            shutil.copyfileobj(stream, sink, CHUNK)
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
    flag = tag_attrs(match.group(0)).get(b"date1904", b"0") if match else b"0"
    return flag.lower() in (b"1", b"true")


def _first_pass(zf: zipfile.ZipFile, part: str, edits: Edits, plan: _Plan) -> None:
    """Make the edited rows, which settles the styles they need (styles.xml usually comes
    before the sheet in the file) and finds the formulas they replace.

    The edited rows are first looked up by their references, skipping the rows between them
    unread; when one is not there (a new row, or rows written without references) the sheet
    is read row by row instead."""
    try:
        with zf.open(part) as stream:
            sheet = SheetXml(stream)
            head = sheet.head()
            plan.syntax = XmlSyntax(sheet.prefix)
            plan.column_styles = _column_styles(head, sheet.prefix)
            for number in sorted(edits):
                for item in sheet.seek_row(number):
                    if isinstance(item, SheetRow):
                        plan.rows[number] = _rewrite_row(item, edits[number], plan)
        plan.skip_ahead = not plan.orphans
        return
    except RowMissing:
        plan.rows.clear()
        plan.orphans.clear()
    with zf.open(part) as stream:
        sheet = SheetXml(stream)
        sheet.head()
        for item in sheet.rows():
            if isinstance(item, SheetRow) and item.number in edits:
                plan.rows[item.number] = _rewrite_row(item, edits[item.number], plan)
    for number, wanted in edits.items():
        if number not in plan.rows:
            plan.rows[number] = _new_row(number, wanted, plan)


def _note_formula(cell_xml: bytes, ref: str, plan: _Plan) -> None:
    """Remember that an edited cell held a formula, and whether other cells shared it."""
    formula = cell_formula(cell_xml, plan.syntax)
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
        a = tag_attrs(match.group(0))
        if b"style" not in a:
            continue
        low, high = int(a.get(b"min", b"1")), int(a.get(b"max", a.get(b"min", b"1")))
        for column in range(low, min(high, 16384) + 1):
            styles[column] = int(a[b"style"])
    return styles


def _write_sheet(stream: IO[bytes], sink: IO[bytes], edits: Edits, plan: _Plan) -> None:
    sheet = SheetXml(stream)
    head = sheet.head()
    new_rows = sorted(edits)
    if plan.skip_ahead:
        sink.write(_with_dimension(head, edits, sheet.prefix))
        for number in new_rows:
            for item in sheet.seek_row(number):
                sink.write(plan.rows[number] if isinstance(item, SheetRow) else item)
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
        if not isinstance(item, SheetRow):
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
            xml = with_attr(item.xml[:tag_end], b"r", str(item.number).encode())
            xml += item.xml[tag_end:]
        else:
            xml = item.xml
        out.append(xml)
        size += len(xml)
        if size >= CHUNK:
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
    ref = tag_attrs(match.group(0)).get(b"ref", b"A1").decode("ascii", "replace")
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
    tag = with_attr(match.group(0), b"ref", grown.encode())
    return head[: match.start()] + tag + head[match.end() :]


def _rewrite_row(row: SheetRow, wanted: dict[int, CellEdit], plan: _Plan) -> bytes:
    """The row with the cells of `wanted` replaced (or added, in column order) and the
    formulas it shared with a replaced cell copied in; every other byte as it was."""
    syntax = plan.syntax
    xml = row.xml
    cells = find_row_cells(xml, row.number, wanted, syntax) if not plan.orphans else None
    if cells is None:
        tag_end, cells = row_cells(xml, syntax)
    else:
        tag_end = xml.index(b">") + 1
    start = SPANS.sub(b"", xml[:tag_end])  # the optional "columns used" hint may be wrong now
    if start.endswith(b"/>"):
        start, body_end = start[:-2] + b">", tag_end
    else:
        body_end = len(xml) - len(syntax.row_close)
    if not row.explicit:
        start = with_attr(start, b"r", str(row.number).encode())
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
            ref = column_letters(column) + number
            pieces += [xml[pos : cell.start], _cell_xml(ref, style, wanted[column], plan)]
            pos = cell.start
            next_missing += 1
        edit = wanted.get(cell.column)
        explicit = CELL_REF.search(cell.attrs) is not None
        if edit is None and explicit and not plan.orphans:
            continue
        ref = column_letters(cell.column) + number
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
        pieces.append(_cell_xml(column_letters(column) + number, style, wanted[column], plan))
    pieces.append(syntax.row_close)
    return b"".join(pieces)


def _new_row(number: int, wanted: dict[int, CellEdit], plan: _Plan) -> bytes:
    row = str(number).encode()
    cells = [
        _cell_xml(column_letters(c) + row, plan.column_styles.get(c, 0), wanted[c], plan)
        for c in sorted(wanted)
    ]
    if not any(cells):
        return b""
    p = plan.syntax.prefix
    return b"<" + p + b'row r="' + row + b'">' + b"".join(cells) + plan.syntax.row_close


def _row_style(start: bytes) -> int | None:
    """The style of a row whose empty cells have their own format (Excel's customFormat)."""
    if b"customFormat" not in start or not CUSTOM_FORMAT.search(start):
        return None
    found = STYLE.search(start)
    return int(found.group(1)) if found else None


def _own_formula(cell_xml: bytes, ref: str, plan: _Plan) -> bytes:
    """A cell that shared an edited cell's formula gets its own copy of it."""
    formula = cell_formula(cell_xml, plan.syntax)
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
    assert match is not None  # cell_formula found it
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
        style = styles.with_format(style, GENERAL)  # a number, not a date
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
