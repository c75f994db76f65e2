"""Tests for core/orders/readers/ on real files generated in tmp_path (see filemakers.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from northbeam_desktop.core.orders.readers import (
    ReadError,
    files,
    list_sheets,
    read_file,
    text,
    workbook,
)
from northbeam_desktop.core.orders.sheet import SourceFormat
from tests.core.filemakers import (
    set_cached_formula_values,
    truncate_half,
    write_ods,
    write_text,
    write_xlsx,
)

# A 2 KB block of bytes that no text encoding makes sense of (includes NULs and control bytes).
RANDOM_BYTES = bytes((i * 167 + 13) % 256 for i in range(2048))


def assert_friendly(message: str, *words: str) -> None:
    """A message for a shop owner: one line, a full sentence, no programmer's vocabulary."""
    assert message
    assert "\n" not in message
    assert message.rstrip().endswith(".")
    assert "Traceback" not in message
    assert not re.search(r"\b[A-Z]\w*(Error|Exception|NotFound)\b", message), message
    assert "errno" not in message.lower()
    assert "os error" not in message.lower()
    lowered = message.lower()
    for word in words:
        assert word.lower() in lowered, f"{word!r} not in {message!r}"


def read_error(path: Path, sheet: str | None = None) -> str:
    with pytest.raises(ReadError) as info:
        read_file(path, sheet)
    return str(info.value)


# ================================================================================================
# Delimited text
# ================================================================================================


def test_utf8_comma_csv(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "orders.csv",
        "order_id,customer_email,purchase_total,zip\n1001,a@example.com,19.99,02134\n1002,,5,\n",
    )
    data = read_file(path)
    assert data.path == str(path)
    assert data.sheet is None
    assert data.sheets == []
    assert data.headers == ["order_id", "customer_email", "purchase_total", "zip"]
    assert data.header_row == 1
    # CSV text is kept exactly: no number guessing, the ZIP keeps its leading zero.
    assert data.rows == [
        ["1001", "a@example.com", "19.99", "02134"],
        ["1002", None, "5", None],
    ]
    assert data.row_numbers == [2, 3]
    assert data.source == SourceFormat("csv", encoding="utf-8", delimiter=",")
    assert list_sheets(path) == []


def test_utf8_bom_tsv(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "orders.tsv", "order_id\tname\r\n1001\tZoë Ørsted\r\n", "utf-8", bom=True
    )
    data = read_file(path)
    assert data.headers == ["order_id", "name"]  # no BOM glued to the first heading
    assert data.rows == [["1001", "Zoë Ørsted"]]
    assert data.source == SourceFormat("csv", encoding="utf-8-sig", delimiter="\t")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_unicode_text_from_excel(tmp_path: Path, encoding: str) -> None:
    # Excel's "Unicode Text": UTF-16 with a BOM, tab-delimited, CRLF, saved as .txt.
    text = "Order ID\tCustomer\tTotal\r\n1001\t東京 Café\t1,234.50\r\n1002\tJosé\t12.00\r\n"
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    path = tmp_path / "orders.txt"
    path.write_bytes(bom + text.encode(encoding))
    data = read_file(path)
    assert data.headers == ["Order ID", "Customer", "Total"]
    assert data.rows == [["1001", "東京 Café", "1,234.50"], ["1002", "José", "12.00"]]
    assert data.source == SourceFormat("csv", encoding="utf-16", delimiter="\t")


def test_cp1252_semicolon_european_csv(tmp_path: Path) -> None:
    text = (
        "Bestellnummer;Datum;Betrag;Kunde;Währung\r\n"
        "1001;08.03.2026;1.234,50;Café Müller;€\r\n"
        "1002;09.03.2026;12,50 €;René;EUR\r\n"
    )
    path = write_text(tmp_path / "export.csv", text, "cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # the fixture really is not UTF-8
    data = read_file(path)
    assert data.headers == ["Bestellnummer", "Datum", "Betrag", "Kunde", "Währung"]
    assert data.rows == [
        ["1001", "08.03.2026", "1.234,50", "Café Müller", "€"],
        ["1002", "09.03.2026", "12,50 €", "René", "EUR"],
    ]
    assert data.source == SourceFormat("csv", encoding="cp1252", delimiter=";")


def test_pipe_delimited(tmp_path: Path) -> None:
    path = write_text(tmp_path / "orders.txt", "order_id|note|total\n1001|a, b; c|10\n1002|x|20\n")
    data = read_file(path)
    assert data.source.delimiter == "|"
    assert data.rows == [["1001", "a, b; c", "10"], ["1002", "x", "20"]]


def test_comma_file_with_semicolons_and_tabs_in_text(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "o.csv",
        'id,name,notes\n1,"Smith; John",a\tb\n2,Lee,c;d\n3,Kim,"e;f;g"\n4,Ann,x\n',
    )
    data = read_file(path)
    assert data.source.delimiter == ","
    assert data.rows[0] == ["1", "Smith; John", "a\tb"]


def test_quoted_delimiters_quotes_and_newlines(tmp_path: Path) -> None:
    text = (
        "order_id,customer,note\r\n"
        '1001,"Smith, John","line one\r\nline two"\r\n'
        '1002,"Say ""hi""","a\nb, c"\r\n'
        "1003,Lee,plain\r\n"
    )
    data = read_file(write_text(tmp_path / "q.csv", text))
    assert data.rows == [
        ["1001", "Smith, John", "line one\r\nline two"],
        ["1002", 'Say "hi"', "a\nb, c"],
        ["1003", "Lee", "plain"],
    ]
    # One record is one row in Excel, however many lines it spans in the file.
    assert data.row_numbers == [2, 3, 4]


@pytest.mark.parametrize(
    "text",
    [
        "id,total\r\n1,2\r\n3,4\r\n",  # Windows
        "id,total\n1,2\n3,4\n\n",  # trailing empty line
        "id,total\r1,2\r3,4\r",  # classic Mac
        "id,total\n1,2\n3,4",  # no final newline
    ],
)
def test_line_endings(tmp_path: Path, text: str) -> None:
    data = read_file(write_text(tmp_path / "e.csv", text))
    assert data.rows == [["1", "2"], ["3", "4"]]
    assert data.row_numbers == [2, 3]


def test_csv_title_rows_above_header(tmp_path: Path) -> None:
    text = (
        "Orders export March 2026\n"
        "\n"
        "order_id;date;total\n"
        "1001;08.03.2026;12,50\n"
        "1002;09.03.2026;7,00\n"
    )
    data = read_file(write_text(tmp_path / "t.csv", text))
    assert data.source.delimiter == ";"
    assert data.header_row == 3
    assert data.headers == ["order_id", "date", "total"]
    assert data.row_numbers == [4, 5]


def test_csv_blank_rows_dropped_keep_row_numbers(tmp_path: Path) -> None:
    text = "id,name\n1,a\n\n,\n2,b\n , \n3,c\n"
    data = read_file(write_text(tmp_path / "b.csv", text))
    # Whitespace is something the user typed, so " , " is kept; "" and "," are blank rows.
    assert data.rows == [["1", "a"], ["2", "b"], [" ", " "], ["3", "c"]]
    assert data.row_numbers == [2, 5, 6, 7]


def test_csv_short_rows_padded_and_extra_cells_kept(tmp_path: Path) -> None:
    text = "id,name,total\n1\n2,b,3,,surprise\n4,d,5,,\n"
    data = read_file(write_text(tmp_path / "x.csv", text))
    assert data.headers == ["id", "name", "total", "Column 4", "Column 5"]
    assert data.rows == [
        ["1", None, None, None, None],
        ["2", "b", "3", None, "surprise"],
        ["4", "d", "5", None, None],
    ]
    assert all(len(row) == len(data.headers) for row in data.rows)


def test_trailing_delimiters_add_no_columns(tmp_path: Path) -> None:
    data = read_file(write_text(tmp_path / "t.csv", "id;total;\n1;2;\n3;4;;\n"))
    assert data.headers == ["id", "total"]
    assert data.rows == [["1", "2"], ["3", "4"]]


def test_header_names_cleaned_blank_and_duplicate(tmp_path: Path) -> None:
    text = "\ufeff Name ,,Email,Name,Name,Name (2),  \n1,2,3,4,5,6,7\n"
    data = read_file(write_text(tmp_path / "h.csv", text))
    assert data.headers == [
        "Name",
        "Column 2",
        "Email",
        "Name (3)",  # "Name (2)" is a real heading further right, so it is skipped
        "Name (4)",
        "Name (2)",
        "Column 7",
    ]
    assert len(set(data.headers)) == len(data.headers)


def test_sheet_argument_ignored_for_csv(tmp_path: Path) -> None:
    data = read_file(write_text(tmp_path / "o.csv", "id,x\n1,2\n"), sheet="Orders")
    assert data.rows == [["1", "2"]]


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@settings(max_examples=60, deadline=None)
@given(
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    width=st.integers(min_value=2, max_value=5),
    cells=st.lists(st.text(alphabet="abcXYZ019 .\"'\r\n€é", max_size=6), min_size=1, max_size=60),
)
def test_round_trip_through_csv_writer(
    delimiter: str, encoding: str, width: int, cells: list[str]
) -> None:
    body = [cells[i : i + width] for i in range(0, len(cells), width)]
    body = [row + [""] * (width - len(row)) for row in body]
    header = [f"col{i}" for i in range(width)]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(body)
    data_bytes = buf.getvalue().encode(encoding)
    expected_encoding = encoding
    if encoding == "cp1252" and data_bytes.isascii():
        expected_encoding = "utf-8"  # plain ASCII is valid UTF-8 too, and writes back the same
    elif encoding == "cp1252":
        # "é€€" in cp1252 happens to be valid UTF-8 ("退"): genuinely ambiguous bytes.
        assume(not _is_utf8(data_bytes))
    kept = [(n, row) for n, row in enumerate(body, start=2) if any(row)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.csv"
        path.write_bytes(data_bytes)
        if not kept:
            with pytest.raises(ReadError):
                read_file(path)
            return
        data = read_file(path)
    assert data.headers == header
    assert data.source == SourceFormat("csv", encoding=expected_encoding, delimiter=delimiter)
    assert data.rows == [[v or None for v in row] for _, row in kept]
    assert data.row_numbers == [n for n, _ in kept]


# ================================================================================================
# Workbooks
# ================================================================================================


def test_xlsx_types(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "orders.xlsx",
        {
            "Orders": [
                ["order_id", "time_of_purchase", "zip", "purchase_total", "is_recurring", "note"],
                [1001, dt.datetime(2026, 3, 8, 13, 45, 12), "02134", 19.99, True, "first"],
                [1002, dt.datetime(2026, 3, 9, 8, 5), "10001", 20.0, False, None],
                [123456789012, dt.date(2026, 3, 10), 2134, 0.5, None, ""],
            ]
        },
        text_cells={"Orders": ["C2", "C3"]},
    )
    data = read_file(path)
    assert data.sheet == "Orders"
    assert data.sheets == ["Orders"]
    assert data.header_row == 1
    assert data.row_numbers == [2, 3, 4]
    assert data.source == SourceFormat("xlsx")
    first, second, third = data.rows
    assert first == [1001, dt.datetime(2026, 3, 8, 13, 45, 12), "02134", 19.99, True, "first"]
    assert type(first[0]) is int  # an ID typed as a number never becomes "1001.0"
    assert type(second[3]) is int and second[3] == 20  # whole floats become int too
    assert isinstance(second[1], dt.datetime)
    assert second[5] is None
    assert third[0] == 123456789012 and type(third[0]) is int
    assert third[1] == dt.date(2026, 3, 10)
    assert third[2] == 2134  # a ZIP stored as a number lost its zero in Excel, not here
    assert third[3] == 0.5
    assert third[4:] == [None, None]
    assert list_sheets(path) == ["Orders"]


def test_xlsx_formula_cells_use_cached_values(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "f.xlsx",
        {
            "Orders": [
                ["order_id", "qty", "price", "total", "label", "uncalculated"],
                [1001, 2, 9.5, "=B2*C2", '=A2&"-A"', "=B2+1"],
            ]
        },
    )
    # openpyxl can't calculate, so store the results the way Excel does on save.
    set_cached_formula_values(path, 0, {"D2": 19, "E2": "1001-A"})
    data = read_file(path)
    assert data.rows == [[1001, 2, 9.5, 19, "1001-A", None]]
    # A formula without a stored result (never opened in Excel) reads as blank, not a crash.


def test_xlsx_title_rows_blank_rows_and_offset(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "t.xlsx",
        {
            "Sheet1": [
                [None, None, "Orders export March 2026"],
                [],
                [None, None, "order_id", "total", None, "email"],
                [None, None, 1001, 10.5, None, "a@example.com"],
                [None, None, 1002, 3, None, None],
                [],
                [None, None, None, None, None, None],
                [None, None, 1003, 7, None, "c@example.com"],
            ]
        },
    )
    data = read_file(path)
    assert data.header_row == 3
    # Blank headings are named after their real column (E is column 5).
    assert data.headers == ["order_id", "total", "Column 5", "email"]
    assert data.rows == [
        [1001, 10.5, None, "a@example.com"],
        [1002, 3, None, None],
        [1003, 7, None, "c@example.com"],
    ]
    assert data.row_numbers == [4, 5, 8]


def test_xlsx_extra_cells_beyond_header_kept(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "x.xlsx",
        {"S": [["id", "total", None, None], [1, 2, None, None], [3, 4, None, "kept!"]]},
    )
    data = read_file(path)
    assert data.headers == ["id", "total", "Column 3", "Column 4"]
    assert data.rows == [[1, 2, None, None], [3, 4, None, "kept!"]]


def test_xlsx_duplicate_and_numeric_headers(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "d.xlsx", {"S": [["SKU", " SKU ", 2026, "Total"], ["a", "b", 1, 2]]}
    )
    assert read_file(path).headers == ["SKU", "SKU (2)", "2026", "Total"]


def test_xlsx_multiple_sheets_first_empty(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "m.xlsx",
        {
            "Cover": [],
            "Orders": [["order_id", "total"], [1001, 5]],
            "Refunds": [["order_id", "amount"], [1001, 2.5], [1002, 1]],
        },
    )
    assert list_sheets(path) == ["Cover", "Orders", "Refunds"]
    data = read_file(path)
    assert data.sheet == "Orders"
    assert data.sheets == ["Cover", "Orders", "Refunds"]
    assert data.rows == [[1001, 5]]

    refunds = read_file(path, sheet="Refunds")
    assert refunds.sheet == "Refunds"
    assert refunds.rows == [[1001, 2.5], [1002, 1]]
    # A saved choice with different case or stray spaces still finds the one sheet meant.
    assert read_file(path, sheet=" refunds").sheet == "Refunds"

    message = read_error(path, sheet="Sales")
    assert_friendly(message, "Sales", "“Cover”", "“Orders”", "“Refunds”")

    message = read_error(path, sheet="Cover")
    assert_friendly(message, "“Cover”", "empty", "“Orders”")


def test_xlsx_hidden_first_sheet_is_not_the_default(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "h.xlsx",
        {"Lookup": [["code", "name"], ["US", "USA"]], "Orders": [["order_id"], [1]]},
        hidden=["Lookup"],
    )
    assert read_file(path).sheet == "Orders"
    assert read_file(path, sheet="Lookup").rows == [["US", "USA"]]  # hidden sheets still read


def test_xlsx_all_sheets_empty(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "e.xlsx", {"Sheet1": [], "Sheet2": []})
    assert_friendly(read_error(path), "no data")


def test_xlsm(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "macro.xlsm", {"S": [["id"], [7]]})
    data = read_file(path)
    assert data.rows == [[7]]
    assert data.source.kind == "xlsm"


@pytest.mark.parametrize("wrong_name", ["orders.xls", "orders.csv", "orders.ods"])
def test_workbook_with_the_wrong_extension_is_read_by_content(
    tmp_path: Path, wrong_name: str
) -> None:
    good = write_xlsx(tmp_path / "real.xlsx", {"Orders": [["id", "total"], [1001, 9.5]]})
    path = tmp_path / wrong_name
    path.write_bytes(good.read_bytes())
    data = read_file(path)
    assert data.rows == [[1001, 9.5]]
    assert data.source.kind == "xlsx"
    assert list_sheets(path) == ["Orders"]


def test_ods(tmp_path: Path) -> None:
    path = write_ods(
        tmp_path / "orders.ods",
        {
            "Empty": [],
            "Orders": [
                ["Orders export"],
                [None],
                ["order_id", "time_of_purchase", "zip", "total", "paid"],
                [1001, dt.datetime(2026, 3, 8, 13, 45), "02134", 12.5, True],
                [None, None, None, None, None],
                [1002, dt.datetime(2026, 3, 9, 9, 0), "10001", 3, False],
            ],
        },
    )
    assert list_sheets(path) == ["Empty", "Orders"]
    data = read_file(path)
    assert data.sheet == "Orders"
    assert data.source == SourceFormat("ods")
    assert data.header_row == 3
    assert data.rows == [
        [1001, dt.datetime(2026, 3, 8, 13, 45), "02134", 12.5, True],
        [1002, dt.datetime(2026, 3, 9, 9, 0), "10001", 3, False],
    ]
    assert type(data.rows[0][0]) is int
    assert data.row_numbers == [4, 6]


def test_ods_with_data_away_from_a1(tmp_path: Path) -> None:
    path = write_ods(
        tmp_path / "off.ods",
        {"S": [[], [None, None, "order_id", None, "total"], [None, None, 1001, None, 2.5]]},
    )
    data = read_file(path)
    assert data.header_row == 2
    assert data.headers == ["order_id", "Column 4", "total"]
    assert data.rows == [[1001, None, 2.5]]
    assert data.row_numbers == [3]


# ================================================================================================
# Broken and unsupported inputs
# ================================================================================================


@pytest.mark.parametrize("name", ["empty.csv", "empty.xlsx", "empty.txt"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    assert_friendly(read_error(path), name, "empty")


def test_csv_with_only_delimiters_is_empty(tmp_path: Path) -> None:
    assert_friendly(read_error(write_text(tmp_path / "d.csv", ",,\n,,\n")), "empty")


def test_whitespace_only_is_empty(tmp_path: Path) -> None:
    assert_friendly(read_error(write_text(tmp_path / "w.csv", "  \r\n\t\n")), "empty")


def test_bom_only_is_empty(tmp_path: Path) -> None:
    assert_friendly(read_error(write_text(tmp_path / "b.csv", "", bom=True)), "empty")


def test_header_only_csv(tmp_path: Path) -> None:
    message = read_error(write_text(tmp_path / "h.csv", "order_id,total\r\n\r\n"))
    assert_friendly(message, "h.csv", "column headings", "no orders")


def test_header_only_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "h.xlsx", {"Orders": [["order_id", "total"], [], []]})
    assert_friendly(read_error(path), "“Orders”", "column headings", "no orders")


def test_truncated_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "cut.xlsx", {"S": [["id"], *[[i] for i in range(500)]]})
    truncate_half(path)
    assert_friendly(read_error(path), "cut.xlsx", "damaged or incomplete")
    with pytest.raises(ReadError):
        list_sheets(path)


def test_csv_renamed_xlsx_is_read_as_csv(tmp_path: Path) -> None:
    # Kinder than refusing: the content is a perfectly good CSV.
    path = write_text(tmp_path / "orders.xlsx", "order_id;total\r\n1001;12,50\r\n")
    data = read_file(path)
    assert data.rows == [["1001", "12,50"]]
    assert data.source == SourceFormat("csv", encoding="utf-8", delimiter=";")
    assert data.sheet is None
    assert list_sheets(path) == []


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("random.xlsx", ["random.xlsx", "not a real Excel workbook", ".xlsx"]),
        ("random.xls", ["random.xls", "not a real Excel workbook"]),
        ("random.csv", ["random.csv", "not a text file"]),
    ],
)
def test_random_bytes(tmp_path: Path, name: str, words: list[str]) -> None:
    path = tmp_path / name
    path.write_bytes(RANDOM_BYTES)
    assert_friendly(read_error(path), *words)


def test_random_bytes_after_zip_and_ole_signatures(tmp_path: Path) -> None:
    zip_path = tmp_path / "z.xlsx"
    zip_path.write_bytes(b"PK\x03\x04" + RANDOM_BYTES)
    assert_friendly(read_error(zip_path), "damaged")
    ole_path = tmp_path / "o.xls"
    ole_path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + RANDOM_BYTES)
    assert_friendly(read_error(ole_path), "damaged")


def test_encrypted_workbook_reports_password(tmp_path: Path) -> None:
    # Excel stores a password-protected .xlsx as an OLE container with an "EncryptedPackage"
    # stream. No installed tool can encrypt a workbook, so this checks the detection on a
    # container that only carries that stream name; a real encrypted file was not available.
    path = tmp_path / "locked.xlsx"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le")
    )
    assert_friendly(read_error(path), "locked.xlsx", "password")


def test_html_saved_as_xls(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "export.xls",
        "<html><body><table><tr><td>order_id</td></tr><tr><td>1</td></tr></table></body></html>",
    )
    assert_friendly(read_error(path), "web page", ".xlsx")


def test_unclosed_quote(tmp_path: Path) -> None:
    text = 'order_id,note\n1001,"never closed\n1002,b\n1003,c\n'
    assert_friendly(read_error(write_text(tmp_path / "q.csv", text)), "quotation mark", "row 2")


def test_undecodable_text(tmp_path: Path) -> None:
    # Bytes undefined in Windows-1252 and invalid in UTF-8, in an otherwise normal text file.
    path = tmp_path / "odd.csv"
    path.write_bytes(b"id,name\n1,Caf\x81\x8d\n")
    assert_friendly(read_error(path), "encoding", "CSV UTF-8")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "orders.xlsx"
    message = read_error(path)
    assert_friendly(message, "can't find", "orders.xlsx")
    with pytest.raises(ReadError):
        list_sheets(path)
    assert_friendly(read_error(tmp_path / "gone.pdf"), "can't find")


def test_folder_instead_of_file(tmp_path: Path) -> None:
    folder = tmp_path / "orders.csv"
    folder.mkdir()
    assert_friendly(read_error(folder), "folder")


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_text(tmp_path / "locked.csv", "id\n1\n")

    def deny(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    # What Windows reports while Excel has the file open (root ignores chmod, so simulate).
    monkeypatch.setattr(files, "open", deny, raising=False)
    monkeypatch.setattr(text, "open", deny, raising=False)
    assert_friendly(read_error(path), "locked.csv", "allowed", "close it")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads anything")
def test_permission_denied_for_real(tmp_path: Path) -> None:
    path = write_text(tmp_path / "locked.csv", "id\n1\n")
    path.chmod(0)
    try:
        assert_friendly(read_error(path), "allowed")
    finally:
        path.chmod(0o600)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("orders.pdf", ["PDF", "CSV or Excel"]),
        ("orders.numbers", ["Numbers", "Export To > Excel"]),
        ("orders.xlsb", ["Binary", "Excel Workbook (.xlsx)"]),
        ("orders.docx", ["“.docx” files", ".xlsx", ".csv"]),
        ("orders", ["no file extension"]),
    ],
)
def test_unsupported_extension(tmp_path: Path, name: str, words: list[str]) -> None:
    path = tmp_path / name
    path.write_bytes(b"id,total\n1,2\n")
    assert_friendly(read_error(path), *words)
    with pytest.raises(ReadError):
        list_sheets(path)


def test_rust_panic_in_calamine_becomes_read_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", {"S": [["id"], [1]]})

    class PanicException(BaseException):  # what pyo3 raises when Rust code panics
        pass

    def panic(*args: object, **kwargs: object) -> None:
        raise PanicException("called `Option::unwrap()` on a `None` value")

    monkeypatch.setattr(workbook, "_build_from_workbook", panic)
    assert_friendly(read_error(path), "p.xlsx", "unexpected")


def test_unexpected_failure_still_becomes_read_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_text(tmp_path / "o.csv", "id\n1\n")

    def boom(rows: object) -> None:
        raise RuntimeError("internal bug")

    monkeypatch.setattr(text, "_build_from_text", boom)
    with pytest.raises(ReadError) as info:
        read_file(path)
    assert_friendly(str(info.value), "o.csv")
    assert isinstance(info.value.__cause__, RuntimeError)  # kept for the log


@settings(max_examples=150, deadline=None)
@given(
    content=st.binary(max_size=600),
    suffix=st.sampled_from([".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods"]),
)
def test_any_bytes_give_sheet_data_or_read_error(content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz{suffix}"
        path.write_bytes(content)
        try:
            data = read_file(path)
        except ReadError as exc:
            assert_friendly(str(exc))
            return
    assert data.rows
    assert len(data.rows) == len(data.row_numbers)
    assert all(len(row) == len(data.headers) for row in data.rows)
    assert len(set(data.headers)) == len(data.headers)
