"""Help → Download template: Northbeam's columns, a sample order that adds up, and notes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from northbeam_desktop.core.files.template import (
    NOTES_SHEET,
    ORDERS_SHEET,
    template_columns,
    template_fields,
    write_template,
)
from northbeam_desktop.core.orders.fields import FIELDS, Kind

SFTP_COLUMNS = [
    "order_id", "customer_id", "time_of_purchase", "customer_email", "customer_phone_number",
    "customer_name", "currency", "purchase_total", "tax", "shipping_cost", "discount_codes",
    "discount_amount", "order_tags", "is_recurring_order", "products_id", "products_name",
    "products_quantity", "products_price", "products_variant_id", "products_variant_name",
    "customer_shipping_address_address1", "customer_shipping_address_address2",
    "customer_shipping_address_city", "customer_shipping_address_state",
    "customer_shipping_address_zip", "customer_shipping_address_country_code",
    "refunds_product_id", "refunds_quantity", "refunds_refund_amount", "refunds_refund_cost",
    "refunds_refund_made_at",
]  # fmt: skip


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("template") / "template.xlsx"
    assert write_template(path) == path
    return openpyxl.load_workbook(path)


def rows_as_dicts(workbook: openpyxl.Workbook) -> list[dict[str, object]]:
    sheet = workbook[ORDERS_SHEET]
    header = [cell.value for cell in sheet[1]]
    return [
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]


def test_orders_sheet_has_northbeams_columns(workbook: openpyxl.Workbook) -> None:
    header = [cell.value for cell in workbook[ORDERS_SHEET][1]]
    assert header == template_columns()
    assert set(SFTP_COLUMNS) <= set(header)
    # Derived from the catalogue: every field except the pre-hashed ones.
    assert header == [spec.template_column for spec in FIELDS if spec.kind is not Kind.HASH]
    assert workbook.sheetnames == [ORDERS_SHEET, NOTES_SHEET]


def test_header_is_bold_and_frozen(workbook: openpyxl.Workbook) -> None:
    sheet = workbook[ORDERS_SHEET]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "B2"
    assert all(sheet.column_dimensions[c].width >= 10 for c in ("A", "B", "C"))


def test_sample_is_one_order_of_two_products_that_adds_up(workbook: openpyxl.Workbook) -> None:
    rows = rows_as_dicts(workbook)
    assert len(rows) == 2
    assert {row["order_id"] for row in rows} == {"1001"}
    first, second = rows
    assert first["products_id"] != second["products_id"]
    products = sum(row["products_quantity"] * row["products_price"] for row in rows)
    total = products - first["discount_amount"] + first["tax"] + first["shipping_cost"]
    assert first["purchase_total"] == pytest.approx(total)
    for column in ("order_id", "customer_id", "tax", "currency", "purchase_total"):
        assert first[column] == second[column]
    assert first["customer_shipping_address_zip"] == "02134"  # leading zero kept


def test_id_zip_and_phone_columns_are_text(workbook: openpyxl.Workbook) -> None:
    sheet = workbook[ORDERS_SHEET]
    header = [cell.value for cell in sheet[1]]
    for name in ("order_id", "customer_id", "products_id", "customer_shipping_address_zip",
                 "customer_phone_number"):  # fmt: skip
        col = header.index(name) + 1
        letter = openpyxl.utils.get_column_letter(col)
        assert sheet.cell(row=2, column=col).number_format == "@", name
        assert sheet.column_dimensions[letter].number_format == "@", name  # rows typed later
    price = header.index("products_price") + 1
    assert isinstance(sheet.cell(row=2, column=price).value, int | float)


def test_notes_explain_every_column(workbook: openpyxl.Workbook) -> None:
    notes = workbook[NOTES_SHEET]
    table = {
        row[0]: row for row in notes.iter_rows(values_only=True) if row[0] in template_columns()
    }
    assert set(table) == set(template_columns())
    by_column = {spec.template_column: spec for spec in template_fields()}
    for column, (_, required, meaning, fmt, example) in table.items():
        spec = by_column[column]
        assert required.startswith("Required") == spec.required, column
        assert spec.description in meaning
        assert fmt and example == spec.example
    assert table["tax"][1] == "Required"
    assert table["customer_email"][1] == "Optional"
    assert "refund" in table["refunds_quantity"][1]


def test_template_can_be_read_back_by_the_app(tmp_path: Path) -> None:
    readers = pytest.importorskip("northbeam_desktop.core.orders.readers")
    path = write_template(tmp_path / "t.xlsx")
    sheet = readers.read_file(str(path))
    assert sheet.sheet == ORDERS_SHEET
    assert sheet.headers == template_columns()
    assert len(sheet.rows) == 2
    zip_col = sheet.headers.index("customer_shipping_address_zip")
    assert sheet.rows[0][zip_col] == "02134"


def test_write_replaces_an_existing_file_only_whole(tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"old")
    write_template(target)
    assert openpyxl.load_workbook(target).sheetnames == [ORDERS_SHEET, NOTES_SHEET]
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]
