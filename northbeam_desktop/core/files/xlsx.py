"""New workbooks: the problem rows and upload results, and orders that come from a CSV, .xls or
.ods file (which have no workbook of their own to update).

`write_new_workbook(target, tables)` writes one sheet per `Table` (a header and data rows,
each cell typed by its column's role, see `cells.py`) and per `CopiedSheet` (the values of
another sheet of an .xls/.ods original). Text that starts with "=" is always a text cell,
never a formula. Report tables get a bold, frozen header row, column widths and wrapped text.

openpyxl serializes about 75,000 cells a second, which makes a 100,000-row order sheet take
most of a minute. So openpyxl writes the workbook (in memory) with each table's sheet holding
only one row of sample cells, one per cell style the table needs (that puts those styles in
styles.xml and tells their numbers), and those rows are then replaced by XML written directly
into the target, ten times faster.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from northbeam_desktop.core.files.cells import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    TEXT_FORMAT,
    TIME_FORMAT,
    excel_serial,
    workbook_cell,
)
from northbeam_desktop.core.orders.sheet import CellValue

__all__ = ["CopiedSheet", "Table", "column_letter", "write_new_workbook", "xml_text"]

# Excel's limit on sheet names and the characters it refuses in them.
_SHEET_NAME_LIMIT = 31
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass
class CopiedSheet:
    """Another sheet of the user's workbook, copied value by value (usually small)."""

    title: str
    rows: Iterable[Sequence[Any]]


@dataclass
class Table:
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


def write_new_workbook(path: Path, tables: Sequence[Table | CopiedSheet]) -> None:
    """Write a new workbook with one sheet per item of `tables` to `path`."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    taken: set[str] = set()
    ours: dict[str, Table] = {}  # sheet part name -> table
    for number, item in enumerate(tables, start=1):
        if isinstance(item, CopiedSheet):
            ws = workbook.create_sheet(_sheet_title(item.title, taken))
            for row in item.rows:
                ws.append([_copied_cell(ws, value) for value in row])
            continue
        table = item
        ws = workbook.create_sheet(_sheet_title(table.title, taken))
        for col, width in table.widths.items():
            ws.column_dimensions[column_letter(table.col_offset + col + 1)].width = width
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
    skeleton = io.BytesIO()
    workbook.save(skeleton)
    _write_with_tables(skeleton, path, ours)


def _copied_cell(ws: Any, value: Any) -> Any:
    """A copied value; text stays text even when it starts with "=" (openpyxl would make it a
    formula)."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


# Every cell style a table can use: (number format, wrapped text, bold).
_STYLE_KEYS: tuple[tuple[str | None, bool, bool], ...] = (
    *(
        (number_format, wrap, False)
        for number_format in (None, TEXT_FORMAT, DATE_FORMAT, DATETIME_FORMAT, TIME_FORMAT)
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


def _write_with_tables(skeleton: io.BytesIO, path: Path, ours: dict[str, Table]) -> None:
    """Copy the workbook openpyxl wrote to `path`, with the sample rows of `ours` replaced by
    the tables' rows."""
    with (
        zipfile.ZipFile(skeleton) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            table = ours.get(info.filename)
            if table is None:
                target.writestr(info.filename, data)
                continue
            styles = [int(s) if s else 0 for _col, s in _SAMPLE_CELL.findall(data)]
            style_of = dict(zip(_STYLE_KEYS, styles, strict=True))
            match = _SHEET_DATA.search(data)
            assert match is not None, "openpyxl wrote a sheet without sheetData"
            head = _with_dimension(data[: match.start()], TableXml.dimension(table))
            with target.open(info.filename, "w", force_zip64=True) as out:
                out.write(head)
                for chunk in TableXml(table, style_of).chunks():
                    out.write(chunk.encode("utf-8"))
                out.write(data[match.end() :])


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


def xml_text(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if _XML_ILLEGAL.search(text):
        text = _XML_ILLEGAL.sub("", text)
    return text


class TableXml:
    """The `<sheetData>` of one table, as text chunks (a few hundred rows each)."""

    def __init__(self, table: Table, style_of: dict[tuple[str | None, bool, bool], int]) -> None:
        self.table = table
        self.style_of = style_of
        width = max([table.col_offset + len(table.headers), *map(len, table.title_rows)])
        self.letters = [column_letter(i + 1) for i in range(max(width, 1))]

    @staticmethod
    def dimension(table: Table) -> str:
        width = max([table.col_offset + len(table.headers), *map(len, table.title_rows)])
        last = table.positions[-1] if table.positions else table.header_row + len(table.rows)
        return f'<dimension ref="A1:{column_letter(max(width, 1))}{max(last, 1)}"/>'

    def _cell(
        self,
        ref: str,
        value: Any,
        number_format: str | None,
        text: bool,
        wrap: bool,
        bold: bool = False,
    ) -> str:
        style = self.style_of.get((number_format, wrap, bold), 0)
        s = f' s="{style}"' if style else ""
        if text or isinstance(value, str):
            body = xml_text(str(value))
            space = ' xml:space="preserve"' if body != body.strip() else ""
            return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{body}</t></is></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):
            return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
        return f'<c r="{ref}"{s}><v>{excel_serial(value)!r}</v></c>'  # date, datetime, time

    def chunks(self) -> Iterator[str]:
        table = self.table
        letters = self.letters
        offset = table.col_offset
        yield "<sheetData>"
        out: list[str] = []
        for number, row in enumerate(table.title_rows, start=1):
            cells = []
            for col, value in enumerate(row):
                converted, number_format, text = workbook_cell(value, "auto")
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
                converted, number_format, text = workbook_cell(value, roles[col])
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


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
