"""Saving edited sheets back as CSV, as new workbooks, and atomically (workbooks updated in place:
test_save_workbook.py)."""

from __future__ import annotations

import codecs
import datetime as dt
import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from northbeam_desktop.core.files import save
from northbeam_desktop.core.files.errors import SaveError
from northbeam_desktop.core.files.save import save_document, save_sheet, suggested_save_path
from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument, load_document
from northbeam_desktop.core.orders.readers import read_file
from northbeam_desktop.core.orders.sheet import SheetData, SourceFormat
from tests.core import orderfiles

NOW = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)


def opts(**kwargs: Any) -> LoadOptions:
    kwargs.setdefault("timezone", "America/New_York")
    kwargs.setdefault("now", NOW)
    return LoadOptions(**kwargs)


def leftovers(folder: Path, *keep: Path) -> list[str]:
    """Files in `folder` other than `keep`: temporary files a save must never leave behind."""
    kept = {p.name for p in keep}
    return sorted(p.name for p in folder.iterdir() if p.name not in kept)


def issue_keys(doc: OrderDocument) -> set[tuple[Any, ...]]:
    return {(i.order_id, i.code, i.column, i.severity.value) for r in doc.orders for i in r.issues}


# ---- CSV -------------------------------------------------------------------------------------

CSV_CASES = [
    ("utf-8", ",", b""),
    ("utf-8-sig", ",", codecs.BOM_UTF8),
    ("utf-16", "\t", codecs.BOM_UTF16_LE),
    ("cp1252", ";", b""),
]


@pytest.mark.parametrize(("encoding", "delimiter", "bom"), CSV_CASES)
def test_csv_round_trip_keeps_encoding_delimiter_and_edits(
    tmp_path: Path, encoding: str, delimiter: str, bom: bytes
) -> None:
    rows = [list(r) for r in orderfiles.TEMPLATE_CLEAN]
    rows[0][13] = "Crème brûlée mug; “large”"  # quotes, the delimiter and accents in one cell
    path = orderfiles.write_csv(
        tmp_path / "orders.csv",
        orderfiles.TEMPLATE_HEADER,
        rows,
        delimiter=delimiter,
        encoding=encoding,
    )
    doc = load_document(path, opts())
    assert doc.sheet.source == SourceFormat("csv", encoding=encoding, delimiter=delimiter)
    tax = doc.sheet.column_index("tax")
    doc.set_cell(2, tax, "1.50")
    doc.set_cell(1, doc.sheet.column_index("products_name"), "Pâté €5")

    save_document(doc, path)

    data = path.read_bytes()
    assert data.startswith(bom) if bom else not data.startswith((codecs.BOM_UTF8, b"\xff\xfe"))
    again = read_file(path)
    assert again.source == doc.sheet.source
    assert again.headers == doc.sheet.headers
    assert again.rows == doc.sheet.rows
    assert again.row_numbers == doc.sheet.row_numbers
    assert again.rows[0][13] == "Crème brûlée mug; “large”" or encoding == "cp1252"
    assert leftovers(tmp_path, path) == []


def test_csv_keeps_original_line_endings_and_title_rows(tmp_path: Path) -> None:
    text = "Orders export\n\n" + ",".join(orderfiles.TEMPLATE_HEADER) + "\n"
    text += "\n".join(",".join(r) for r in orderfiles.TEMPLATE_CLEAN) + "\n"
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8", newline="")
    sheet = read_file(path)
    assert sheet.header_row == 3

    save_sheet(sheet, path)

    assert path.read_bytes().decode("utf-8") == text


def test_deleted_rows_leave_row_numbers_unchanged(tmp_path: Path) -> None:
    path = orderfiles.template_defects(tmp_path)
    doc = load_document(path, opts())
    doc.delete_rows([3])  # Excel row 5
    numbers = list(doc.sheet.row_numbers)
    assert 5 not in numbers

    save_document(doc, path)

    again = load_document(path, opts())
    assert again.sheet.row_numbers == numbers
    assert again.sheet.rows == doc.sheet.rows
    assert issue_keys(again) == issue_keys(doc)


def test_cp1252_file_refuses_a_character_it_cannot_hold(tmp_path: Path) -> None:
    path = orderfiles.european_csv(tmp_path)
    before = path.read_bytes()
    sheet = read_file(path)
    sheet.rows[1][9] = "Kaffee 咖啡"

    with pytest.raises(SaveError) as err:
        save_sheet(sheet, path)

    message = str(err.value)
    assert "咖" in message and "row 3" in message and "“Product”" in message
    assert "Save As" in message
    assert path.read_bytes() == before
    assert leftovers(tmp_path, path) == []


def test_save_as_csv_with_explicit_format(tmp_path: Path) -> None:
    sheet = read_file(orderfiles.template_clean(tmp_path))
    target = tmp_path / "copy.txt"
    save_sheet(sheet, target, fmt=SourceFormat("csv", encoding="utf-16", delimiter="\t"))
    again = read_file(target)
    assert again.source == SourceFormat("csv", encoding="utf-16", delimiter="\t")
    assert again.rows == sheet.rows


def test_the_users_own_csv_keeps_formula_like_text_and_negative_numbers(tmp_path: Path) -> None:
    """Saving the shop's own file back changes only what was edited: a quote in front of
    `=…`, `+…` or `-12.50` would become part of the value (see core/files/delimited.py)."""
    rows = [list(r) for r in orderfiles.TEMPLATE_CLEAN]
    name = orderfiles.TEMPLATE_HEADER.index("products_name")
    discount = orderfiles.TEMPLATE_HEADER.index("discount_amount")
    rows[0][name], rows[1][name] = '=HYPERLINK("http://x")', "+1+1"
    rows[0][discount] = rows[1][discount] = "-12.50"
    path = orderfiles.write_csv(tmp_path / "mine.csv", orderfiles.TEMPLATE_HEADER, rows)
    before = path.read_bytes()
    doc = load_document(path, opts())

    save_document(doc, path)
    assert path.read_bytes() == before

    doc.set_cell(0, orderfiles.TEMPLATE_HEADER.index("currency"), "EUR")
    save_document(doc, path)
    assert path.read_bytes() == before.replace(b",USD,", b",EUR,", 1)


# ---- workbooks -------------------------------------------------------------------------------


def test_xlsx_keeps_title_rows_leading_zeros_and_date_cells(tmp_path: Path) -> None:
    path = orderfiles.xlsx_with_dates_and_title(tmp_path)
    doc = load_document(path, opts())
    assert doc.sheet.header_row == 3
    zip_col = doc.sheet.column_index("ZIP")
    date_col = doc.sheet.column_index("Order Date")
    doc.set_cell(0, zip_col, "01001")  # typed in the app: text
    doc.set_cell(1, date_col, "2026-03-10 09:30")  # typed in the app: becomes a date cell
    doc.set_cell(1, doc.sheet.column_index("Price"), "25.5")  # typed: stays a number

    save_document(doc, path)

    book = openpyxl.load_workbook(path)
    ws = book["Orders"]
    assert ws["A1"].value == "Orders export — March 2026"
    assert [c.value for c in ws[3]][:3] == ["Order ID", "Customer ID", "Order Date"]
    zip_cell = ws.cell(row=4, column=zip_col + 1)
    assert (zip_cell.value, zip_cell.data_type, zip_cell.number_format) == ("01001", "s", "@")
    assert ws.cell(row=5, column=zip_col + 1).value == "10001"
    first_date = ws.cell(row=4, column=date_col + 1)
    assert first_date.is_date and first_date.value == dt.datetime(2026, 3, 8, 13, 45)
    edited_date = ws.cell(row=5, column=date_col + 1)
    assert edited_date.is_date and edited_date.value == dt.datetime(2026, 3, 10, 9, 30)
    assert ws.cell(row=5, column=doc.sheet.column_index("Price") + 1).value == 25.5

    again = load_document(path, opts())
    assert again.sheet.header_row == 3
    assert again.sheet.row_numbers == [4, 5]
    assert again.sheet.rows[0][zip_col] == "01001"
    assert again.payloads(again.orders)[1]["time_of_purchase"] == "2026-03-10T09:30:00-04:00"
    assert leftovers(tmp_path, path) == []


def test_csv_saved_as_xlsx_keeps_zip_codes_and_validates_the_same(tmp_path: Path) -> None:
    source = orderfiles.template_defects(tmp_path)
    doc = load_document(source, opts())
    target = tmp_path / "orders.xlsx"

    save_document(doc, target)

    again = load_document(target, opts())
    assert again.sheet.source.kind == "xlsx"
    assert [r[16] for r in again.sheet.rows] == [r[16] for r in doc.sheet.rows]  # "02134"
    assert issue_keys(again) == issue_keys(doc)
    assert again.payloads(again.valid_orders) == doc.payloads(doc.valid_orders)
    header = openpyxl.load_workbook(target).active[1]
    assert header[0].font.bold  # a new workbook gets a readable header


def test_other_sheets_of_the_workbook_survive_a_save(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes["A1"] = "Read me first"
    notes["B2"] = "=1+1"
    orders = book.create_sheet("Orders")
    orders.append(orderfiles.TEMPLATE_HEADER)
    for row in orderfiles.TEMPLATE_CLEAN:
        orders.append(row)
    path = tmp_path / "book.xlsx"
    book.save(path)
    sheet = read_file(path, "Orders")
    sheet.rows[0][6] = "9.99"

    save_sheet(sheet, path)

    saved = openpyxl.load_workbook(path)
    assert saved.sheetnames == ["Notes", "Orders"]
    assert saved["Notes"]["A1"].value == "Read me first"
    assert saved["Notes"]["B2"].value == "=1+1"  # formulas elsewhere are kept as formulas
    assert read_file(path, "Orders").rows[0][6] == "9.99"  # a text cell stays a text cell


def test_xlsm_is_updated_in_place(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Orders"
    ws.append(orderfiles.TEMPLATE_HEADER)
    for row in orderfiles.TEMPLATE_CLEAN:
        ws.append(row)
    ws["A2"].fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")
    path = tmp_path / "macro.xlsm"
    book.save(path)
    sheet = read_file(path)
    assert sheet.source.kind == "xlsm"
    sheet.rows[2][4] = "EUR"

    save_sheet(sheet, path)

    saved = openpyxl.load_workbook(path, keep_vba=True)
    assert saved["Orders"]["A2"].fill.fgColor.rgb.endswith("FFFF00")  # styles kept
    assert read_file(path).rows[2][4] == "EUR"


def test_xls_and_ods_are_saved_as_xlsx(tmp_path: Path) -> None:
    sheet = SheetData(
        path=str(tmp_path / "old.xls"),
        sheet="Sheet1",
        sheets=["Sheet1"],
        headers=["order_id", "zip"],
        header_row=1,
        rows=[["1001", "02134"]],
        row_numbers=[2],
        source=SourceFormat("xls"),
    )
    assert suggested_save_path(sheet) == tmp_path / "old.xlsx"
    assert not save.can_save_in_place(sheet)
    with pytest.raises(SaveError, match=r"old\.xlsx"):
        save_sheet(sheet, tmp_path / "old.xls")

    save_sheet(sheet, suggested_save_path(sheet))  # the original is gone: written fresh

    assert read_file(tmp_path / "old.xlsx").rows == [["1001", "02134"]]


def test_unknown_extension_is_refused(tmp_path: Path) -> None:
    sheet = read_file(orderfiles.template_clean(tmp_path))
    with pytest.raises(SaveError, match=r"\.xlsx"):
        save_sheet(sheet, tmp_path / "orders.numbers")


# ---- atomic writes -----------------------------------------------------------------------


def test_a_failed_workbook_write_leaves_the_original_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = orderfiles.xlsx_with_dates_and_title(tmp_path)
    before = path.read_bytes()
    sheet = read_file(path)

    def explode(source: Any, target: Path, *args: Any, **kwargs: Any) -> None:
        target.write_bytes(b"PK half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(save, "patch_workbook", explode)
    with pytest.raises(SaveError, match="disk is full"):
        save_sheet(sheet, path)

    assert path.read_bytes() == before
    assert leftovers(tmp_path, path) == []


def test_a_file_held_open_elsewhere_gives_a_plain_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = orderfiles.template_clean(tmp_path)
    before = path.read_bytes()
    sheet = read_file(path)
    sheet.rows[0][6] = "1.00"

    def locked(src: Any, dst: Any) -> None:
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(SaveError, match="close it there"):
        save_sheet(sheet, path)

    assert path.read_bytes() == before
    assert leftovers(tmp_path, path) == []


def test_saving_keeps_the_file_permissions(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    path = orderfiles.template_clean(tmp_path)
    path.chmod(0o640)
    save_sheet(read_file(path), path)
    assert path.stat().st_mode & 0o777 == 0o640


def test_workbook_cells_keep_awkward_text_exactly(tmp_path: Path) -> None:
    sheet = SheetData(
        path="",
        sheet=None,
        sheets=[],
        headers=["order_id", "Note", "Amount"],
        header_row=1,
        rows=[
            ["=1+2", "  padded  ", "12.50"],
            ["<b>&amp;</b>", "bell\x07 removed", "0012"],
            [" 007", None, "1e3"],
        ],
        row_numbers=[2, 3, 4],
    )
    target = tmp_path / "awkward.xlsx"

    save_sheet(sheet, target)

    ws = openpyxl.load_workbook(target).active
    assert [c.value for c in ws["A"]] == ["order_id", "=1+2", "<b>&amp;</b>", " 007"]
    assert ws["A2"].data_type == "s"  # text that looks like a formula stays text
    assert ws["B2"].value == "  padded  "
    assert ws["B3"].value == "bell removed"  # XML cannot hold control characters
    assert (ws["C2"].value, ws["C3"].value, ws["C4"].value) == (12.5, "0012", "1e3")
    read_only = openpyxl.load_workbook(target, read_only=True).active
    assert (read_only.max_row, read_only.max_column) == (4, 3)
