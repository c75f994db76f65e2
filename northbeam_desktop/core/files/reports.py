"""Reports for people to read in Excel: the rows with problems, and what Northbeam answered.

`export_problems(doc, path)` writes the orders that have problems with two added columns,
"Excel row" (where the row is in the user's file) and "Problems" (every message, errors first),
for fixing in Excel and opening again. `export_upload_results(report, doc, path)` writes what
Northbeam answered for each order.

Both write an .xlsx workbook (text cells, a bold frozen header, wrapped messages) or, by the
file name, a CSV/TSV/TXT file in UTF-8 with BOM whose cells are neutralised against formula
injection (`delimited.neutralised`): these files carry text from customers and from a server,
and are meant to be opened in a spreadsheet program.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from northbeam_desktop.core.files.cells import column_roles
from northbeam_desktop.core.files.delimited import report_bytes
from northbeam_desktop.core.files.errors import SaveError, write_for_user
from northbeam_desktop.core.files.save import TEXT_SUFFIXES, WORKBOOK_SUFFIXES
from northbeam_desktop.core.files.xlsx import Table, write_new_workbook
from northbeam_desktop.core.orders.sheet import CellValue

if TYPE_CHECKING:
    from northbeam_desktop.core.northbeam.uploader import UploadReport
    from northbeam_desktop.core.orders.document import OrderDocument, OrderRecord

__all__ = ["EXCEL_ROW_COLUMN", "PROBLEMS_COLUMN", "export_problems", "export_upload_results"]

PROBLEMS_COLUMN = "Problems"
EXCEL_ROW_COLUMN = "Excel row"


def export_problems(doc: OrderDocument, path: str | os.PathLike[str]) -> int:
    """Write every order that has a problem to `path` (.xlsx, or .csv/.tsv/.txt by extension).

    Whole orders are written (every row of an order with a problem), so the file validates
    the same when opened again. Columns: "Excel row" (the row in the user's file), "Problems"
    (that row's messages, errors first, one sentence after the other), then every original
    column. Problems that belong to the whole file (an unmapped column) go to a second sheet
    "File problems" in a workbook. Returns the number of rows written.
    """
    target = Path(path)
    sheet = doc.sheet
    suffix = target.suffix.lower()
    if suffix not in TEXT_SUFFIXES and suffix not in WORKBOOK_SUFFIXES:
        raise SaveError(f"“{target.name}” must end in .xlsx or .csv to export the problem rows.")

    # Re-exporting an exported file replaces its two added columns instead of adding more.
    keep = [i for i, h in enumerate(sheet.headers) if h not in (PROBLEMS_COLUMN, EXCEL_ROW_COLUMN)]
    excel_row_col = (
        sheet.headers.index(EXCEL_ROW_COLUMN) if EXCEL_ROW_COLUMN in sheet.headers else None
    )
    headers = [EXCEL_ROW_COLUMN, PROBLEMS_COLUMN, *(sheet.headers[i] for i in keep)]

    rows: list[list[CellValue]] = []
    for row_index in _problem_rows(doc):
        raw = sheet.rows[row_index]
        origin: CellValue = sheet.row_numbers[row_index]
        if excel_row_col is not None and raw[excel_row_col] not in (None, ""):
            origin = raw[excel_row_col]
        rows.append([origin, _problem_text(doc, row_index), *(raw[i] for i in keep)])

    if suffix in TEXT_SUFFIXES:
        delimiter = "\t" if suffix == ".tsv" else (sheet.source.delimiter or ",")
        if sheet.source.kind != "csv":
            delimiter = "\t" if suffix in (".tsv", ".txt") else ","
        data = report_bytes(headers, rows, delimiter)
        write_for_user(target, lambda tmp: tmp.write_bytes(data))
        return len(rows)

    mapping_roles = column_roles(sheet, doc.mapping)
    roles = ["number", "text", *(mapping_roles[i] for i in keep)]
    file_issues = [issue.message for issue in doc.file_issues]

    def write(tmp: Path) -> None:
        tables = [
            Table(
                title="Problems",
                headers=headers,
                rows=rows,
                roles=roles,
                widths={1: 60},
                wrap={1},
                styled=True,
            )
        ]
        if file_issues:
            tables.append(
                Table(
                    title="File problems",
                    headers=["Problem"],
                    rows=[[message] for message in file_issues],
                    roles=["text"],
                    widths={0: 100},
                    wrap={0},
                    styled=True,
                )
            )
        write_new_workbook(tmp, tables)

    write_for_user(target, write)
    return len(rows)


def export_upload_results(
    report: UploadReport,
    doc: OrderDocument | None,
    path: str | os.PathLike[str],
    *,
    skipped: Sequence[OrderRecord] = (),
) -> int:
    """Write one line per order of `report` (.csv/.tsv/.txt or .xlsx by extension).

    Columns: order_id, status (accepted / failed / not_sent / unchanged / skipped), rows (the
    Excel rows it came from), message, and cells (the cells Northbeam named, when `doc` still
    knows the order). `skipped` adds orders that were not sent because of their errors.
    Returns the number of orders written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in TEXT_SUFFIXES and suffix not in WORKBOOK_SUFFIXES:
        raise SaveError(f"“{target.name}” must end in .xlsx or .csv to export the results.")
    headers = ["order_id", "status", "rows", "message", "cells"]
    rows: list[list[CellValue]] = []
    for outcome in report.outcomes:
        cells = ""
        record = doc.order_by_id(outcome.order_id) if doc is not None else None
        if doc is not None and record is not None and outcome.server_errors:
            cells = "; ".join(
                _describe_cell(doc, record, json_path) for json_path, _ in outcome.server_errors
            )
        rows.append(
            [
                outcome.order_id,
                outcome.status,
                _rows_text(outcome.rows),
                outcome.message or "",
                cells,
            ]
        )
    for record in skipped:
        numbers = [doc.sheet.row_numbers[i] for i in record.row_indices] if doc is not None else []
        first_error = next((issue.message for issue in record.issues if issue.is_error), "")
        rows.append(
            [
                record.order_id or "",
                "skipped",
                _rows_text(numbers),
                f"Not sent because of a problem in the file: {first_error}".strip(),
                "",
            ]
        )
    if suffix in TEXT_SUFFIXES:
        delimiter = "\t" if suffix in (".tsv", ".txt") else ","
        data = report_bytes(headers, rows, delimiter)
        write_for_user(target, lambda tmp: tmp.write_bytes(data))
    else:
        table = Table(
            title="Upload results",
            headers=headers,
            rows=rows,
            roles=["text", "text", "text", "text", "text"],
            widths={0: 18, 1: 12, 2: 14, 3: 80, 4: 40},
            wrap={3},
            styled=True,
        )
        write_for_user(target, lambda tmp: write_new_workbook(tmp, [table]))
    return len(rows)


# ============================================================================================
# Problems export helpers
# ============================================================================================


def _problem_rows(doc: OrderDocument) -> list[int]:
    """Row indices of every order with at least one issue, in file order."""
    wanted: set[int] = set()
    for record in doc.orders:
        if record.issues:
            wanted.update(record.row_indices)
    return sorted(wanted)


def _problem_text(doc: OrderDocument, row_index: int) -> str:
    issues = doc.issues_for_row(row_index)
    ordered = [i for i in issues if i.is_error] + [i for i in issues if not i.is_error]
    messages: list[str] = []
    for issue in ordered:
        if issue.message not in messages:
            messages.append(issue.message)
    # Each message is a whole sentence: one after the other reads right ("…if there was
    # none. Order total is…"), where a "; " between them would not.
    return " ".join(messages)


def _describe_cell(doc: OrderDocument, record: OrderRecord, json_path: str) -> str:
    row, column = doc.cell_of(record, json_path)
    if row is not None and column is not None:
        return f"row {row}, {column}"
    if row is not None:
        return f"row {row}"
    return json_path or "order"


def _rows_text(rows: Iterable[int]) -> str:
    return ", ".join(str(n) for n in rows)
