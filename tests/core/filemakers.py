"""Make real spreadsheet and text files for the reader tests, inside a test's tmp_path.

Every fixture is generated rather than checked in, so a test shows exactly what its file holds.
xlsx files come from openpyxl; two things openpyxl cannot make are produced here by hand:
- cached formula results (openpyxl writes a formula with an empty cached value because it cannot
  calculate), added by patching the worksheet XML the way Excel stores them;
- .ods files, written as a minimal OpenDocument spreadsheet (mimetype + manifest + content.xml,
  per the ODF 1.2 packaging rules) since no ODS writer is installed.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import openpyxl

Cell = str | int | float | bool | dt.datetime | dt.date | dt.time | None


def write_xlsx(
    path: Path,
    sheets: Mapping[str, Sequence[Sequence[Cell]]],
    *,
    hidden: Sequence[str] = (),
    text_cells: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    """Write a workbook with one sheet per entry, rows starting at A1 (None leaves a cell empty).

    `text_cells` maps a sheet name to cell references (e.g. "C2") stored with the Text number
    format "@", as when a user formats a ZIP column as Text so '02134' keeps its zero.
    """
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for ref in (text_cells or {}).get(name, ()):
            ws[ref].number_format = "@"
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def set_cached_formula_values(path: Path, sheet_index: int, values: Mapping[str, Cell]) -> Path:
    """Give formula cells a cached result, as Excel does when it saves a workbook.

    openpyxl writes `<c r="B2"><f>A2*2</f><v /></c>`; Excel would write `<v>2002</v>`, which is
    what readers (and calamine) return for a formula cell.
    """
    member = f"xl/worksheets/sheet{sheet_index + 1}.xml"
    with zipfile.ZipFile(path) as zin:
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            if info.filename == member:
                xml = data.decode("utf-8")
                for ref, value in values.items():
                    start = xml.index(f'<c r="{ref}"')
                    end = xml.index("</c>", start)
                    cell = xml[start:end]
                    if isinstance(value, str):
                        cell = cell.replace("<c ", '<c t="str" ', 1)
                    cell = cell.replace("<v />", f"<v>{escape(str(value))}</v>")
                    xml = xml[:start] + cell + xml[end:]
                data = xml.encode("utf-8")
            zout.writestr(info, data)
    path.write_bytes(buf.getvalue())
    return path


_ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
    ' manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_ODS_MIME}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _ods_cell(value: Cell) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, bool):
        attrs = f'office:value-type="boolean" office:boolean-value="{str(value).lower()}"'
    elif isinstance(value, int | float):
        attrs = f'office:value-type="float" office:value="{value}"'
    elif isinstance(value, dt.datetime | dt.date):
        attrs = f'office:value-type="date" office:date-value="{value.isoformat()}"'
    else:
        attrs = 'office:value-type="string"'
    return f"<table:table-cell {attrs}><text:p>{escape(str(value))}</text:p></table:table-cell>"


def write_ods(path: Path, sheets: Mapping[str, Sequence[Sequence[Cell]]]) -> Path:
    """Write a minimal but valid OpenDocument spreadsheet (what LibreOffice Calc saves)."""
    tables = []
    for name, rows in sheets.items():
        body = "".join(
            "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        tables.append(f"<table:table table:name={quoteattr(name)}>{body}</table:table>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<office:document-content"
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' office:version="1.2">'
        f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as z:
        # ODF requires "mimetype" to be the first entry and stored uncompressed.
        z.writestr(zipfile.ZipInfo("mimetype"), _ODS_MIME, compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", _ODS_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def write_text(path: Path, text: str, encoding: str = "utf-8", *, bom: bool = False) -> Path:
    """Write `text` exactly (no newline translation) in `encoding`, with an optional BOM.

    For "utf-16" Python already writes a BOM; `bom=True` is for UTF-8 ("utf-8-sig").
    """
    data = text.encode(encoding)
    if bom and encoding.lower().replace("_", "-") in {"utf-8", "utf8"}:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return path


def truncate_half(path: Path) -> Path:
    """Cut a file to half its size, like an interrupted download or copy."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path
