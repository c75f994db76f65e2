"""Saving an .xlsx/.xlsm writes the changed cells into the user's own workbook and keeps the rest.

The workbook of these tests has what shops' workbooks have: a second sheet with a text cell that
looks like a formula and a real formula, a merged title, a bold filled header, custom date
formats, an orders-sheet formula with its cached value, frozen panes and column widths. Cells are
edited through `OrderDocument.set_cell` and rows deleted through `delete_rows`, the calls the
GUI's undo commands make.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill

from northbeam_desktop.core.files.errors import SaveError
from northbeam_desktop.core.files.save import save_document, save_notice, save_sheet
from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument, load_document
from northbeam_desktop.core.orders.readers import read_file
from tests.core import filemakers

NOW = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)
HEADER = ["Order ID", "Order Date", "Currency", "Qty", "Price", "Total", "ZIP", "Note"]
LONG_DATE = "d mmmm yyyy"
YELLOW = "FFFFFF00"
# Excel rows 3-6 hold the orders; row 1 is a merged title, row 2 the header.
ORDERS = [
    [1001, dt.datetime(2026, 3, 8), "USD", 2, 25, "=D3*E3", "02134", "first"],
    [1002, dt.datetime(2026, 3, 9), "USD", 1, 30, "=D4*E4", "10001", "=1+1"],
    [1003, dt.datetime(2026, 3, 10), "EUR", 3, 10, "=D5*E5", "02135", "-12.50"],
    [1004, dt.datetime(2026, 3, 11), "USD", 1, 99, "=D6*E6", "02136", "last"],
]
CACHED = {"F3": 50, "F4": 30, "F5": 30, "F6": 99}


def opts() -> LoadOptions:
    return LoadOptions(timezone="America/New_York", now=NOW)


def shop_workbook(path: Path) -> Path:
    """The workbook described in the module docstring."""
    book = openpyxl.Workbook()
    orders = book.active
    assert orders is not None
    orders.title = "Orders"
    orders["A1"] = "Orders export — March 2026"
    orders.merge_cells("A1:D1")
    orders.append(HEADER)
    for row in ORDERS:
        orders.append(row)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=YELLOW)
    for cell in orders[2]:
        cell.font, cell.fill = bold, fill
    for number in range(3, 7):
        orders.cell(row=number, column=2).number_format = LONG_DATE
        orders.cell(row=number, column=7).number_format = "@"
    orders["H4"].data_type = "s"  # typed as text: '=1+1
    orders.freeze_panes = "A3"
    orders.column_dimensions["B"].width = 24
    orders.column_dimensions["H"].width = 40

    notes = book.create_sheet("Notes")
    notes["A1"] = "=1+1"
    notes["A1"].data_type = "s"  # a text cell that looks like a formula
    notes["A2"] = "=SUM(Orders!E3:E6)"
    notes["A3"] = dt.date(2026, 1, 31)
    notes["A3"].number_format = "dddd d mmmm yyyy"
    notes["A3"].font = Font(bold=True, italic=True)
    book.save(path)
    return filemakers.set_cached_formula_values(path, 0, CACHED)


def edited(path: Path) -> OrderDocument:
    """The document with the edits a user makes in the table (as the GUI stores them)."""
    doc = load_document(path, opts())
    col = doc.sheet.column_index
    assert doc.sheet.row_numbers == [3, 4, 5, 6]
    assert doc.sheet.rows[0][col("Total")] == 50  # calamine reads the cached result
    doc.set_cell(0, col("Currency"), "CAD")  # row 3
    doc.set_cell(1, col("Price"), 31.5)  # row 4: typed over a number (see typed_like)
    doc.set_cell(2, col("Order Date"), "2026-04-01 09:30")  # row 5
    doc.set_cell(2, col("ZIP"), "02199")  # row 5: a text cell stays text
    doc.set_cell(0, col("Note"), '=HYPERLINK("http://x")')  # typed: text, not a formula
    doc.delete_rows([3])  # row 6
    return doc


def test_saving_keeps_everything_it_does_not_touch(tmp_path: Path) -> None:
    path = shop_workbook(tmp_path / "shop.xlsx")
    doc = edited(path)
    copy = tmp_path / "shop (corrected).xlsx"

    save_document(doc, copy)  # Save As
    save_document(doc, path)  # Replace Original

    for saved in (copy, path):
        book = openpyxl.load_workbook(saved)
        assert book.sheetnames == ["Orders", "Notes"]
        ws = book["Orders"]
        # The edits, typed as the cells they replace.
        assert ws["C3"].value == "CAD"
        assert ws["E4"].value == 31.5 and ws["E4"].data_type == "n"
        assert ws["B5"].value == dt.datetime(2026, 4, 1, 9, 30)
        assert ws["B5"].number_format == LONG_DATE  # the cell's own date format is kept
        assert (ws["G5"].value, ws["G5"].data_type, ws["G5"].number_format) == ("02199", "s", "@")
        assert (ws["H3"].value, ws["H3"].data_type) == ('=HYPERLINK("http://x")', "s")
        # The deleted row is empty; no row moved.
        assert [ws.cell(row=6, column=c).value for c in range(1, 9)] == [None] * 8
        assert ws["A5"].value == 1003
        # Untouched cells: formulas, text that looks like a formula, types and formats.
        assert [ws[f"F{n}"].value for n in (3, 4, 5)] == ["=D3*E3", "=D4*E4", "=D5*E5"]
        assert (ws["H4"].value, ws["H4"].data_type) == ("=1+1", "s")
        assert (ws["H5"].value, ws["H5"].data_type) == ("-12.50", "s")
        assert [ws[f"B{n}"].number_format for n in (3, 4)] == [LONG_DATE, LONG_DATE]
        assert ws["B3"].value == dt.datetime(2026, 3, 8)
        assert ws["A3"].value == 1001 and ws["A3"].data_type == "n"
        # Layout and looks.
        assert ws["A1"].value == "Orders export — March 2026"
        assert [str(r) for r in ws.merged_cells.ranges] == ["A1:D1"]
        assert all(c.font.bold and c.fill.fgColor.rgb == YELLOW for c in ws[2])
        assert [c.value for c in ws[2]] == HEADER
        assert ws.freeze_panes == "A3"
        assert (ws.column_dimensions["B"].width, ws.column_dimensions["H"].width) == (24, 40)
        # The other sheet, exactly.
        notes = book["Notes"]
        assert (notes["A1"].value, notes["A1"].data_type) == ("=1+1", "s")
        assert notes["A2"].value == "=SUM(Orders!E3:E6)"
        assert notes["A3"].value == dt.datetime(2026, 1, 31)
        assert notes["A3"].number_format == "dddd d mmmm yyyy"
        assert notes["A3"].font.bold and notes["A3"].font.italic

    # Unchanged cells keep their cached results; the app reads back what it saved.
    again = load_document(path, opts())
    assert again.sheet.row_numbers == [3, 4, 5]
    doc.sheet.rows[2][1] = dt.datetime(2026, 4, 1, 9, 30)  # the typed date is a date cell now
    assert again.sheet.rows == doc.sheet.rows
    assert save_notice(doc.sheet, path) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop (corrected).xlsx", "shop.xlsx"]


def test_the_other_parts_of_the_workbook_are_copied_byte_for_byte(tmp_path: Path) -> None:
    path = shop_workbook(tmp_path / "shop.xlsx")
    doc = edited(path)
    target = tmp_path / "saved.xlsx"

    save_document(doc, target)

    before, after = _parts(path), _parts(target)
    assert list(after) == list(before)  # same parts, same order
    changed = {name for name in before if before[name] != after[name]}
    # The edited sheet; styles.xml gains the one format an edit needed (none here: "@" and the
    # long date were there); workbook.xml asks Excel to recalculate.
    assert changed <= {"xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/workbook.xml"}
    assert b'fullCalcOnLoad="1"' in after["xl/workbook.xml"]
    sheet_before = before["xl/worksheets/sheet1.xml"]
    sheet_after = after["xl/worksheets/sheet1.xml"]
    assert _row(sheet_after, 2) == _row(sheet_before, 2)  # untouched rows are the same bytes
    assert b"<v>50</v>" in _row(sheet_after, 3)  # the cached result beside the kept formula


def test_a_date_typed_into_a_general_cell_gets_a_date_format(tmp_path: Path) -> None:
    path = filemakers.write_xlsx(
        tmp_path / "plain.xlsx",
        {"Orders": [["Order ID", "Order Date", "Total"], [1, "soon", 5], [2, "later", 6]]},
    )
    doc = load_document(path, opts())
    doc.set_cell(0, 1, "2026-03-10")
    doc.set_cell(1, 1, "2026-03-11 08:15")
    doc.set_cell(1, 2, "7")  # typed over a number: the cell stays a number

    save_document(doc, path)

    ws = openpyxl.load_workbook(path)["Orders"]
    assert ws["B2"].value == dt.datetime(2026, 3, 10) and ws["B2"].is_date
    assert ws["B2"].number_format == "yyyy-mm-dd"
    assert ws["B3"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert (ws["C3"].value, ws["C3"].data_type) == (7, "n")


def test_rows_put_back_by_undo_and_rows_below_the_end(tmp_path: Path) -> None:
    path = shop_workbook(tmp_path / "shop.xlsx")
    sheet = read_file(path, "Orders")
    saved_rows = [list(r) for r in sheet.rows]
    numbers = list(sheet.row_numbers)
    doc = OrderDocument(sheet, opts())
    doc.delete_rows([1, 2])
    doc.insert_rows(1, saved_rows[1:3], numbers[1:3])  # undo
    sheet.rows.append([1005, dt.datetime(2026, 3, 12), "USD", 1, 5, None, "02137", "new"])
    sheet.row_numbers.append(9)

    save_document(doc, path)

    ws = openpyxl.load_workbook(path)["Orders"]
    assert [ws.cell(row=n, column=1).value for n in range(3, 10)] == [
        1001, 1002, 1003, 1004, None, None, 1005,
    ]  # fmt: skip
    assert ws["F4"].value == "=D4*E4"  # the rows put back were never changed
    assert ws["B9"].value == dt.datetime(2026, 3, 12) and ws["B9"].is_date
    assert ws["G9"].value == "02137" and ws["G9"].data_type == "s"
    assert read_file(path, "Orders").row_numbers == [3, 4, 5, 6, 9]


def test_an_edited_formula_that_others_shared_is_copied_to_them(tmp_path: Path) -> None:
    """Excel stores a filled-down formula once, in its first cell; the others refer to it."""
    path = shop_workbook(tmp_path / "shop.xlsx")

    def share(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        data = data.replace(b"<f>D3*E3</f>", b'<f t="shared" ref="F3:F6" si="0">D3*E3</f>')
        for n in (4, 5, 6):
            data = data.replace(f"<f>D{n}*E{n}</f>".encode(), b'<f t="shared" si="0"/>')
        return data

    _rewrite(path, share)
    _add_calc_chain(path)
    doc = load_document(path, opts())
    doc.set_cell(0, doc.sheet.column_index("Total"), 51)

    save_document(doc, path)

    ws = openpyxl.load_workbook(path)["Orders"]
    assert ws["F3"].value == 51
    assert [ws[f"F{n}"].value for n in (4, 5, 6)] == ["=D4*E4", "=D5*E5", "=D6*E6"]
    parts = _parts(path)
    # Excel's calculation-order cache named the replaced formula: dropped, with its references.
    assert "xl/calcChain.xml" not in parts
    assert b"calcChain" not in parts["[Content_Types].xml"]
    assert b"calcChain" not in parts["xl/_rels/workbook.xml.rels"]


def test_macros_are_kept_in_an_xlsm_and_announced_when_saving_as_xlsx(tmp_path: Path) -> None:
    path = shop_workbook(tmp_path / "shop.xlsm")
    vba = b"\xd0\xcf\x11\xe0 a VBA project " * 50
    _add_vba(path, vba)
    doc = load_document(path, opts())
    doc.set_cell(0, doc.sheet.column_index("Currency"), "GBP")
    as_xlsx = tmp_path / "shop.xlsx"

    assert save_notice(doc.sheet, path) is None
    assert save_notice(doc.sheet, as_xlsx) == (
        "The macros in “shop.xlsm” cannot be kept in an .xlsx workbook; save it as an .xlsm "
        "workbook to keep them."
    )
    save_document(doc, path)
    save_document(doc, as_xlsx)

    kept = _parts(path)
    assert kept["xl/vbaProject.bin"] == vba
    assert b"macroEnabled.main+xml" in kept["[Content_Types].xml"]
    assert openpyxl.load_workbook(path, keep_vba=True)["Orders"]["C3"].value == "GBP"
    dropped = _parts(as_xlsx)
    assert "xl/vbaProject.bin" not in dropped
    assert b"vbaProject" not in dropped["[Content_Types].xml"]
    assert b"vbaProject" not in dropped["xl/_rels/workbook.xml.rels"]
    assert b"spreadsheetml.sheet.main+xml" in dropped["[Content_Types].xml"]
    assert openpyxl.load_workbook(as_xlsx)["Orders"]["C3"].value == "GBP"


def test_what_cannot_be_kept_is_said_before_saving(tmp_path: Path) -> None:
    path = shop_workbook(tmp_path / "shop.xlsx")
    sheet = read_file(path, "Orders")

    assert save_notice(sheet, tmp_path / "shop.csv") == (
        "A CSV file holds only the values of the sheet “Orders”: the other sheets, the formulas "
        "and the formatting of “shop.xlsx” are not saved in it."
    )
    ods = filemakers.write_ods(tmp_path / "old.ods", {"Orders": [HEADER, ORDERS[0][:5]]})
    assert save_notice(read_file(ods), tmp_path / "old.xlsx") == (
        "“old.ods” is an OpenDocument spreadsheet, so the new .xlsx file keeps the values of its "
        "sheets but not their formulas, formatting or column widths."
    )
    csv = filemakers.write_text(tmp_path / "orders.csv", "Order ID,Total\n1,5\n")
    assert save_notice(read_file(csv), tmp_path / "orders.xlsx") is None

    path.unlink()  # moved away since it was opened
    assert save_notice(sheet, tmp_path / "new.xlsx") == (
        "“shop.xlsx” can no longer be read where it was opened from, so the saved workbook keeps "
        "this sheet's values but not its formatting or the other sheets."
    )
    sheet.rows[0][2] = "CAD"
    save_sheet(sheet, tmp_path / "new.xlsx")  # the values, in a new workbook
    assert read_file(tmp_path / "new.xlsx").rows[0][2] == "CAD"


def test_a_header_moved_by_another_program_stops_the_save(tmp_path: Path) -> None:
    path = shop_workbook(tmp_path / "shop.xlsx")
    sheet = read_file(path, "Orders")
    book = openpyxl.load_workbook(path)
    book["Orders"].insert_rows(1)  # Excel inserted a row above everything meanwhile
    book.save(path)
    before = path.read_bytes()

    with pytest.raises(SaveError, match="no longer in row 2"):
        save_sheet(sheet, path)
    assert path.read_bytes() == before


def test_a_sheet_with_a_namespace_prefix_and_implicit_references(tmp_path: Path) -> None:
    """Some programs write `<x:row>` and leave out the optional row and cell references."""
    path = filemakers.write_xlsx(
        tmp_path / "odd.xlsx",
        {"Orders": [["Order ID", "Currency"], [1, "USD"], [2, "USD"], [3, "USD"]]},
    )
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    def prefixed(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        data = data.replace(b'xmlns="' + main + b'"', b'xmlns:x="' + main + b'"')
        data = re.sub(rb"<(/?)(?!\?)([A-Za-z])", rb"<\1x:\2", data)
        return re.sub(rb' r="[A-Z]*\d+"', b"", data)

    _rewrite(path, prefixed)
    doc = load_document(path, opts())
    assert doc.sheet.rows[1] == [2, "USD"]
    doc.set_cell(1, 1, "EUR")

    save_document(doc, path)

    assert read_file(path).rows == [[1, "USD"], [2, "EUR"], [3, "USD"]]
    assert openpyxl.load_workbook(path)["Orders"]["B3"].value == "EUR"


# ---- helpers --------------------------------------------------------------------------------


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _row(sheet_xml: bytes, number: int) -> bytes:
    match = re.search(rb'<row r="%d".*?</row>' % number, sheet_xml, re.S)
    assert match is not None
    return match.group(0)


def _rewrite(
    path: Path, edit: Callable[[str, bytes], bytes], add: dict[str, bytes] | None = None
) -> None:
    parts = _parts(path)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, edit(name, data))
        for name, data in (add or {}).items():
            out.writestr(name, data)
    path.write_bytes(buf.getvalue())


def _add_relation(data: bytes, rid: str, kind: str, target: str) -> bytes:
    rel = f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>'.encode()
    return data.replace(b"</Relationships>", rel + b"</Relationships>")


def _add_calc_chain(path: Path) -> None:
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain"
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"

    def edit(name: str, data: bytes) -> bytes:
        if name == "xl/_rels/workbook.xml.rels":
            return _add_relation(data, "rIdCalc", kind, "calcChain.xml")
        if name == "[Content_Types].xml":
            override = f'<Override PartName="/xl/calcChain.xml" ContentType="{mime}"/>'
            return data.replace(b"</Types>", override.encode() + b"</Types>")
        return data

    chain = (
        b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"".join(b'<c r="F%d" i="1"/>' % n for n in range(3, 7))
        + b"</calcChain>"
    )
    _rewrite(path, edit, {"xl/calcChain.xml": chain})


def _add_vba(path: Path, project: bytes) -> None:
    kind = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    macro = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"

    def edit(name: str, data: bytes) -> bytes:
        if name == "xl/_rels/workbook.xml.rels":
            return _add_relation(data, "rIdVba", kind, "vbaProject.bin")
        if name == "[Content_Types].xml":
            default = (
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
            )
            data = data.replace(main.encode(), macro.encode())
            return data.replace(b"</Types>", default + b"</Types>")
        return data

    _rewrite(path, edit, {"xl/vbaProject.bin": project})


def test_a_date_typed_into_a_1904_workbook(tmp_path: Path) -> None:
    """Old Mac workbooks count days from 1904; a typed date must land on the same day."""
    path = filemakers.write_xlsx(
        tmp_path / "mac.xlsx",
        {"Orders": [["Order ID", "Order Date"], [1, dt.datetime(2026, 3, 8)], [2, None]]},
    )
    # The flag moves the stored serial number of 2026-03-08 four years on, to 2030-03-09.
    _rewrite(path, lambda name, data: data.replace(b"<workbookPr", b'<workbookPr date1904="1"'))
    doc = load_document(path, opts())
    assert doc.sheet.rows[0][1] == dt.date(2030, 3, 9)
    doc.set_cell(1, 1, "2026-03-09")

    save_document(doc, path)

    assert read_file(path).rows[1][1] == dt.date(2026, 3, 9)
    assert openpyxl.load_workbook(path)["Orders"]["B3"].value == dt.datetime(2026, 3, 9)


def test_a_table_that_starts_away_from_a1(tmp_path: Path) -> None:
    """Rows and columns before the table are empty: the edits still land in the right cells."""
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Orders"
    for r, row in enumerate([["Order ID", "Currency"], [1, "USD"], [2, "USD"]], start=4):
        for c, value in enumerate(row, start=3):
            ws.cell(row=r, column=c, value=value)
    path = tmp_path / "offset.xlsx"
    book.save(path)
    doc = load_document(path, opts())
    assert (doc.sheet.header_row, doc.sheet.row_numbers) == (4, [5, 6])
    doc.set_cell(1, 1, "EUR")
    doc.delete_rows([0])

    save_document(doc, path)

    ws = openpyxl.load_workbook(path)["Orders"]
    assert [[c.value for c in row] for row in ws["C4:D6"]] == [
        ["Order ID", "Currency"],
        [None, None],
        [2, "EUR"],
    ]
