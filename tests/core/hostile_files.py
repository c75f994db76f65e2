"""Makers of hostile and broken files for the bounded-reading tests, small or full size.

Each maker writes a real file into the given path. The workbooks are minimal but valid Office
Open XML packages written part by part (streamed, so the multi-gigabyte versions never sit in
memory); every "size" argument lets a test make a small fast version of the same file and the
hand-run tests (marker `big`) the full-size one from the bug report.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_BLOCK = 1024 * 1024

HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>order_id</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>purchase_total</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>1001</t></is></c><c r="B2"><v>19.99</v></c></row>'
)


def _content_types(shared: bool) -> str:
    shared_part = (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        if shared
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        f"{shared_part}</Types>"
    )


def write_package(
    path: Path,
    sheet_body: Callable[[IO[bytes]], None],
    shared_strings: Callable[[IO[bytes]], None] | None = None,
    extra_parts: Iterable[tuple[str, bytes]] = (),
) -> Path:
    """An .xlsx with one sheet 'Orders' whose <sheetData> content `sheet_body` writes."""
    rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        + (
            f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            if shared_strings
            else ""
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _content_types(shared_strings is not None))
        zf.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        zf.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_REL}"><sheets><sheet name="Orders" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        zf.writestr("xl/_rels/workbook.xml.rels", rels)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'.encode())
            out.write(b"<sheetData>")
            sheet_body(out)
            out.write(b"</sheetData></worksheet>")
        if shared_strings is not None:
            with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
                out.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">'.encode())
                shared_strings(out)
                out.write(b"</sst>")
        for name, data in extra_parts:
            zf.writestr(name, data)
    return path


def far_cell_xlsx(path: Path, ref: str) -> Path:
    """A 2 KB workbook: a header, one order, and one stray value at `ref` (e.g. XFD1048576)."""
    row = int("".join(ch for ch in ref if ch.isdigit()))

    def body(out: IO[bytes]) -> None:
        out.write(HEADER_ROW.encode())
        out.write(f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>'.encode())

    return write_package(path, body)


def zip_bomb_xlsx(path: Path, unpacked: int) -> Path:
    """A workbook whose sheet XML unpacks to `unpacked` bytes of identical rows (~1000x)."""
    block = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * (_BLOCK // 50)

    def body(out: IO[bytes]) -> None:
        out.write(HEADER_ROW.encode())
        written = 0
        while written < unpacked:
            out.write(block)
            written += len(block)

    return write_package(path, body)


def many_rows_xlsx(path: Path, rows: int) -> Path:
    """A workbook with `rows` rows of one number each (10,000,000 makes the 48 MB file)."""

    def body(out: IO[bytes]) -> None:
        out.write(HEADER_ROW.encode())
        batch: list[bytes] = []
        for r in range(3, rows + 1):
            batch.append(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r))
            if len(batch) == 10_000:
                out.write(b"".join(batch))
                batch.clear()
        out.write(b"".join(batch))

    return write_package(path, body)


def row_past_excel_xlsx(path: Path) -> Path:
    """The small version of `many_rows_xlsx`: one row numbered past Excel's 1,048,576."""

    def body(out: IO[bytes]) -> None:
        out.write(HEADER_ROW.encode())
        out.write(b'<row r="1048577"><c r="A1048577"><v>1</v></c></row>')

    return write_package(path, body)


def long_shared_string_xlsx(path: Path, chars: int) -> Path:
    """A workbook whose one shared string has `chars` characters (the report's: 1.5 GB)."""

    def body(out: IO[bytes]) -> None:
        out.write(HEADER_ROW.encode())
        out.write(b'<row r="3"><c r="A3" t="s"><v>0</v></c></row>')

    def strings(out: IO[bytes]) -> None:
        out.write(b"<si><t>")
        left = chars
        block = b"a" * _BLOCK
        while left > 0:
            out.write(block[: min(left, _BLOCK)])
            left -= _BLOCK
        out.write(b"</t></si>")

    return write_package(path, body, strings)


def many_parts_xlsx(path: Path, parts: int) -> Path:
    """A workbook with `parts` extra (tiny) parts in its zip."""
    extra = ((f"xl/media/image{i}.bin", b"") for i in range(parts))
    return write_package(path, lambda out: out.write(HEADER_ROW.encode()), extra_parts=extra)


def repeated_ods(path: Path, rows_repeated: int, columns_repeated: int) -> Path:
    """An .ods whose one row of one value is repeated across and down (a few hundred bytes)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        "<office:document-content"
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Orders">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>order_id</text:p>'
        "</table:table-cell></table:table-row>"
        f'<table:table-row table:number-rows-repeated="{rows_repeated}">'
        f'<table:table-cell table:number-columns-repeated="{columns_repeated}" '
        'office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
        "</table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    mime = "application/vnd.oasis.opendocument.spreadsheet"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), mime, compress_type=zipfile.ZIP_STORED)
        zf.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mime}"/>'
            "</manifest:manifest>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


# ---- delimited text -------------------------------------------------------------------------


def wide_csv(path: Path, columns: int, rows: int = 2) -> Path:
    """A CSV with `columns` columns (the report's: 1,000,000)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(f"c{i}" for i in range(columns)) + "\n")
        line = ",".join("1" for _ in range(columns)) + "\n"
        for _ in range(rows):
            out.write(line)
    return path


def single_line_csv(path: Path, size: int) -> Path:
    """One line of `size` bytes of short fields and no line break (the report's: 200 MB)."""
    block = b"ab," * (_BLOCK // 3)
    with path.open("wb") as out:
        written = 0
        while written < size:
            out.write(block)
            written += len(block)
    return path


def long_cell_csv(path: Path, chars: int) -> Path:
    """A normal CSV whose third row has one unquoted cell of `chars` characters."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("order_id,note\n1001,ok\n1002,")
        out.write("x" * chars)
        out.write("\n1003,ok\n")
    return path


def nul_after_sample_csv(path: Path) -> Path:
    """A CSV whose product ID on row 1500 (past the first 8 KiB) holds a NUL byte."""
    lines = ["order_id,products_id"] + [f"{1000 + i},SKU-{i:04d}" for i in range(1, 2000)]
    lines[1499] = "2499,SKU-\x001499"
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    return path


def mixed_encoding_csv(path: Path) -> Path:
    """Rows 2-3 saved as UTF-8 and rows 4-5 as Windows-1252, as when two exports are joined."""
    utf8 = "order_id,products_name\n1001,Crème brûlée\n1002,Café\n".encode()
    windows = "1003,Crème brûlée\n1004,Café\n".encode("cp1252")
    path.write_bytes(utf8 + windows)
    return path


def fifo_csv(path: Path) -> Path:
    os.mkfifo(path)
    return path
