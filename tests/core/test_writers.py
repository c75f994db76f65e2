"""Saving edited sheets back in their own format, the problem-rows export and upload results."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from northbeam_desktop.core.files import writers
from northbeam_desktop.core.files.writers import (
    EXCEL_ROW_COLUMN,
    PROBLEMS_COLUMN,
    SaveError,
    export_problems,
    export_upload_results,
    save_document,
    save_sheet,
    suggested_save_path,
)
from northbeam_desktop.core.northbeam.uploader import OrderOutcome, UploadReport
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
    assert read_file(path, "Orders").rows[0][6] == 9.99


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
    assert not writers.can_save_in_place(sheet)
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

    def explode(path: Path, tables: Any) -> None:
        path.write_bytes(b"PK half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writers, "_write_new_workbook", explode)
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


# ---- the problems export -------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_problems_reopens_with_the_same_issues(tmp_path: Path, suffix: str) -> None:
    doc = load_document(orderfiles.template_defects(tmp_path), opts())
    expected = {key for key in issue_keys(doc)}
    assert expected
    target = tmp_path / f"problems{suffix}"

    written = export_problems(doc, target)

    problem_orders = [r for r in doc.orders if r.issues]
    assert written == sum(len(r.row_indices) for r in problem_orders)
    again = load_document(target, opts())
    assert again.sheet.headers[:2] == [EXCEL_ROW_COLUMN, PROBLEMS_COLUMN]
    assert issue_keys(again) == expected
    by_origin = {str(row[0]): row for row in again.sheet.rows}
    assert set(by_origin) == {
        str(doc.sheet.row_numbers[i]) for r in problem_orders for i in r.row_indices
    }
    # Row 5 has an error (purchase_total "abc") and a warning ("us"): error first.
    problems = str(by_origin["5"][1])
    assert problems.index("abc") < problems.index("USA")
    assert ".; " not in problems and ". " in problems  # whole sentences, one after another
    # Order 1002 has the tax problem; its text is on its own row only.
    assert "Tax" in str(by_origin["4"][1]) or "tax" in str(by_origin["4"][1])
    assert leftovers(tmp_path, Path(doc.sheet.path), target) == []


def test_export_problems_of_an_exported_file_keeps_the_original_rows(tmp_path: Path) -> None:
    doc = load_document(orderfiles.template_defects(tmp_path), opts())
    first = tmp_path / "problems.xlsx"
    export_problems(doc, first)
    again = load_document(first, opts())
    second = tmp_path / "problems-again.xlsx"

    export_problems(again, second)

    third = read_file(second)
    assert third.headers.count(PROBLEMS_COLUMN) == 1
    assert third.headers.count(EXCEL_ROW_COLUMN) == 1
    assert sorted(int(r[0]) for r in third.rows) == sorted(int(r[0]) for r in again.sheet.rows)


def test_export_problems_lists_file_problems_on_a_second_sheet(tmp_path: Path) -> None:
    header = [h for h in orderfiles.TEMPLATE_HEADER if h != "products_price"]
    rows = [
        [v for h, v in zip(orderfiles.TEMPLATE_HEADER, r, strict=True) if h != "products_price"]
        for r in orderfiles.TEMPLATE_CLEAN
    ]
    path = orderfiles.write_csv(tmp_path / "no_price.csv", header, rows)
    doc = load_document(path, opts())
    assert doc.blocked
    target = tmp_path / "problems.xlsx"

    export_problems(doc, target)

    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Problems", "File problems"]
    assert "price" in book["File problems"]["A2"].value.lower()


# ---- upload results ------------------------------------------------------------------------


def make_report() -> UploadReport:
    outcomes = [
        OrderOutcome("1001", "accepted", rows=[2, 3]),
        OrderOutcome(
            "1002",
            "failed",
            "products[0].price: must be a number",
            [("products[0].price", "must be a number")],
            rows=[4],
        ),
        OrderOutcome("1003", "not_sent", "Not sent: the upload was cancelled.", rows=[5]),
    ]
    return UploadReport(
        endpoint="http://127.0.0.1:1/v2", outcomes=outcomes, accepted=1, failed=1, not_sent=1
    )


def test_export_upload_results_csv(tmp_path: Path) -> None:
    doc = load_document(orderfiles.template_clean(tmp_path), opts())
    target = tmp_path / "results.csv"

    assert export_upload_results(make_report(), doc, target) == 3

    data = target.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["order_id", "status", "rows", "message", "cells"]
    assert rows[1] == ["1001", "accepted", "2, 3", "", ""]
    assert rows[2][:3] == ["1002", "failed", "4"]
    assert rows[2][4] == "row 4, products_price"
    assert rows[3][1] == "not_sent"


def test_export_upload_results_xlsx_with_skipped_orders(tmp_path: Path) -> None:
    doc = load_document(orderfiles.template_defects(tmp_path), opts())
    skipped = [r for r in doc.orders if r.has_errors]
    target = tmp_path / "results.xlsx"

    count = export_upload_results(make_report(), doc, target, skipped=skipped)

    sheet = read_file(target)
    assert count == 3 + len(skipped) == len(sheet.rows)
    assert sheet.headers == ["order_id", "status", "rows", "message", "cells"]
    statuses = [r[1] for r in sheet.rows]
    assert statuses.count("skipped") == len(skipped)
    assert all(r[3].startswith("Not sent because of a problem") for r in sheet.rows[3:])


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
