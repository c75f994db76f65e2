"""The hostile-input suite for reading: every bad file from the robustness report, as a test.

Each case is generated (tests/core/hostile_files.py) and checked twice: the reader refuses it
with one sentence (a `ReadError`), and `northbeam-desktop validate` exits 2 with that sentence.
The small versions run with the suite. The full-size files of the report (a 4 GiB zip bomb, a
1.5 GB shared string, 10,000,000 rows, a 200 MB line, a million columns) are marked `big` and
skipped unless run by hand, in a child process whose peak memory is checked too:

    RUN_BIG_FILES=1 .venv/bin/python -m pytest -m big tests/core/test_hostile_inputs.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from northbeam_desktop.cli.main import main as cli_main
from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument
from northbeam_desktop.core.orders.fields import FIELDS_BY_KEY
from northbeam_desktop.core.orders.mapping import auto_map, suggest_columns
from northbeam_desktop.core.orders.readers import ReadError, check_memory, limits, read_file
from northbeam_desktop.core.orders.readers.header import make_headers
from tests.core import filemakers
from tests.core import hostile_files as hostile
from tests.core.test_readers import assert_friendly

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX pipes")


def refused(path: Path, capsys: pytest.CaptureFixture[str], *words: str) -> str:
    """The reader's sentence, checked for shape and words; the CLI says the same, exit 2."""
    with pytest.raises(ReadError) as info:
        read_file(path)
    message = str(info.value)
    assert_friendly(message, path.name, *words)
    capsys.readouterr()
    assert cli_main(["validate", "--timezone", "UTC", str(path)]) == 2
    assert capsys.readouterr().err == message + "\n"
    return message


def small_machine(monkeypatch: pytest.MonkeyPatch, total: int, available: int = 0) -> None:
    fake = limits.MachineMemory(total=total, available=available or total // 2)
    monkeypatch.setattr(limits, "machine_memory", lambda: fake)


# ================================================================================================
# Workbooks
# ================================================================================================


def test_one_cell_at_the_last_cell_of_excel_is_refused_before_calamine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: the process aborted in 0.16 s (calamine asked for a 17-billion-cell rectangle).
    path = hostile.far_cell_xlsx(tmp_path / "stray.xlsx", "XFD1048576")
    assert path.stat().st_size < 3000
    refused(path, capsys, "XFD1048576", "Ctrl+End", "delete")


def test_one_cell_at_zz200000_is_refused_on_any_computer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: 5.5 GB of memory for a grid of 140 million empty cells.
    path = hostile.far_cell_xlsx(tmp_path / "stray.xlsx", "ZZ200000")
    refused(path, capsys, "ZZ200000", "mostly empty", "Ctrl+End")


def test_a_stray_cell_that_fits_this_computer_is_refused_only_when_it_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = hostile.far_cell_xlsx(tmp_path / "stray.xlsx", "Z50000")  # 1.3 million cells
    assert len(read_file(path).rows) == 2
    small_machine(monkeypatch, total=600 * 10**6)
    refused(path, capsys, "Z50000", "Ctrl+End")


def test_the_reference_spelled_oddly_is_still_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def body(out) -> None:  # type: ignore[no-untyped-def]
        out.write(hostile.HEADER_ROW.encode())
        out.write(b"<row r = '1048576'><c  r = 'XFD1048576' ><v>1</v></c></row>")

    path = hostile.write_package(tmp_path / "odd.xlsx", body)
    refused(path, capsys, "XFD1048576")


def test_a_styled_but_empty_far_cell_is_no_reason_to_refuse(tmp_path: Path) -> None:
    def body(out) -> None:  # type: ignore[no-untyped-def]
        out.write(hostile.HEADER_ROW.encode())
        out.write(b'<row r="1048576"><c r="XFD1048576" s="0"/></row>')

    sheet = read_file(hostile.write_package(tmp_path / "styled.xlsx", body))
    assert sheet.headers == ["order_id", "purchase_total"]
    assert sheet.rows == [["1001", 19.99]]


def test_a_row_past_excels_last_row_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = hostile.row_past_excel_xlsx(tmp_path / "rows.xlsx")
    refused(path, capsys, "1,048,577", "1,048,576 rows")


def test_a_zip_bomb_is_refused_from_the_zip_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = hostile.zip_bomb_xlsx(tmp_path / "bomb.xlsx", 80 * 2**20)
    assert path.stat().st_size < 1_000_000
    refused(path, capsys, "unpack", "never")


def test_a_shared_string_longer_than_excel_allows_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = hostile.long_shared_string_xlsx(tmp_path / "text.xlsx", 300_000)
    refused(path, capsys, "32,767 characters")
    # list_sheets opens the workbook (calamine reads the shared strings then) and refuses too.
    from northbeam_desktop.core.orders.readers import list_sheets

    with pytest.raises(ReadError):
        list_sheets(path)


def test_a_long_but_allowed_shared_string_is_read(tmp_path: Path) -> None:
    sheet = read_file(hostile.long_shared_string_xlsx(tmp_path / "text.xlsx", 30_000))
    assert sheet.rows[-1][0] == "a" * 30_000


def test_a_zip_with_thousands_of_parts_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = hostile.many_parts_xlsx(tmp_path / "parts.xlsx", limits.ZIP_MAX_ENTRIES + 1)
    refused(path, capsys, "parts")


def test_an_ods_whose_repeats_multiply_out_to_billions_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = hostile.repeated_ods(tmp_path / "repeat.ods", 1_000_000, 16_384)
    assert path.stat().st_size < 2000
    refused(path, capsys, "memory", "split")


def test_an_ods_repeated_past_excels_last_row_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused(hostile.repeated_ods(tmp_path / "rows.ods", 2_000_000, 2), capsys, "1,048,576 rows")


def test_an_ods_with_libreoffice_trailing_repeats_is_read(tmp_path: Path) -> None:
    # LibreOffice ends rows with `number-columns-repeated="1020"` empty cells and sheets with
    # `number-rows-repeated="1048570"` empty rows; calamine skips them and so must the check.
    path = filemakers.write_ods(tmp_path / "lo.ods", {"Orders": [["order_id", "total"], [1, 2]]})
    import zipfile

    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    content = parts["content.xml"].decode()
    content = content.replace(
        "</table:table-row>",
        '<table:table-cell table:number-columns-repeated="1020"/></table:table-row>',
    ).replace(
        "</table:table>",
        '<table:table-row table:number-rows-repeated="1048570">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>',
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), parts["mimetype"])
        for name, data in parts.items():
            if name != "mimetype":
                zf.writestr(name, content if name == "content.xml" else data, zipfile.ZIP_DEFLATED)
    sheet = read_file(path)
    assert sheet.headers == ["order_id", "total"]
    assert sheet.rows == [[1, 2]]


def test_a_workbook_too_big_for_this_computer_is_refused_with_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = hostile.many_rows_xlsx(tmp_path / "rows.xlsx", 5_000)
    assert len(read_file(path).rows) == 4_999
    small_machine(monkeypatch, total=400 * 10**6)
    refused(path, capsys, "memory", "400 MB", "split")


# ================================================================================================
# Delimited text
# ================================================================================================


@posix_only
def test_a_pipe_named_csv_is_refused_instead_of_waiting_forever(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused(hostile.fifo_csv(tmp_path / "orders.csv"), capsys, "not an ordinary file")


@posix_only
def test_a_device_named_csv_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = tmp_path / "orders.csv"
    link.symlink_to("/dev/zero")  # would be read forever
    refused(link, capsys, "not an ordinary file")


def test_more_columns_than_excel_has_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = hostile.wide_csv(tmp_path / "wide.csv", limits.EXCEL_MAX_COLUMNS + 1)
    refused(path, capsys, "16,385 columns", "16,384")


def test_a_wide_file_within_the_limit_still_opens_and_suggests_within_bounds(
    tmp_path: Path,
) -> None:
    # Before: difflib compared every header with every field name (~1 ms per column), which
    # hung on 1,000,000 columns. The suggestions now look at the first 500 columns.
    path = hostile.wide_csv(tmp_path / "wide.csv", 3_000)
    doc = OrderDocument(read_file(path), LoadOptions(timezone="UTC"))
    assert len(doc.sheet.headers) == 3_000
    assert any(issue.code == "unmapped_required_field" for issue in doc.mapping_issues)


def test_suggestions_consider_only_the_first_columns() -> None:
    spec = FIELDS_BY_KEY["order_id"]
    early = ["notes"] * 2 + ["the order id column"] + [f"c{i}" for i in range(600)]
    late = [f"c{i}" for i in range(600)] + ["the order id column"]
    assert suggest_columns(spec, early, auto_map(early)) == ["the order id column"]
    assert suggest_columns(spec, late, auto_map(late)) == []


def test_thousands_of_identical_headings_are_numbered_quickly() -> None:
    names = make_headers(["x"] * 16_384, 16_384, 0)
    assert names[:3] == ["x", "x (2)", "x (3)"]
    assert names[-1] == "x (16384)"
    assert len(set(names)) == 16_384


def test_an_over_long_cell_is_reported_as_what_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: "a quotation mark is never closed" for a file without a single quotation mark.
    path = hostile.long_cell_csv(tmp_path / "cell.csv", 200_000)
    message = refused(path, capsys, "row 3", "131,072 characters")
    assert "quotation" not in message


def test_a_quote_that_never_closes_in_a_big_file_is_still_called_that(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["order_id,note", '1001,"never closed'] + [f"{1002 + i},line" for i in range(20_000)]
    path = filemakers.write_text(tmp_path / "quote.csv", "\n".join(lines) + "\n")
    refused(path, capsys, "quotation mark", "row 2")


def test_a_line_of_megabytes_is_refused_without_reading_it_into_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = hostile.single_line_csv(tmp_path / "line.csv", limits.CSV_MAX_LINE_BYTES + 2**20)
    refused(path, capsys, "row 1", "line breaks")


def test_a_nul_byte_anywhere_is_refused_with_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: a NUL after the first 8 KiB was kept inside a product ID and uploaded.
    path = hostile.nul_after_sample_csv(tmp_path / "nul.csv")
    assert path.read_bytes().index(b"\x00") > 8192
    refused(path, capsys, "NUL", "row 1500")


def test_rows_in_two_encodings_are_refused_not_garbled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: decoded wholly as Windows-1252, so "Crème brûlée" was uploaded as "CrÃ¨me brÃ»lÃ©e".
    path = hostile.mixed_encoding_csv(tmp_path / "joined.csv")
    refused(path, capsys, "row 2", "UTF-8", "row 4", "Windows", "CSV UTF-8")


def test_a_windows_file_and_a_utf8_file_each_read_correctly(tmp_path: Path) -> None:
    text = "order_id,products_name\n1001,Crème brûlée – “Café”\n1002,Ærø €5\n"
    for encoding in ("cp1252", "utf-8"):
        path = filemakers.write_text(tmp_path / f"{encoding}.csv", text, encoding)
        sheet = read_file(path)
        assert sheet.source.encoding == encoding
        assert [row[1] for row in sheet.rows] == ["Crème brûlée – “Café”", "Ærø €5"]


def test_a_utf8_letter_cut_by_the_read_buffer_is_still_utf8(tmp_path: Path) -> None:
    # The scan reads 1 MiB at a time; a two-byte letter straddling the boundary is fine.
    head = "order_id,name\n"
    filler = "1,a\n" * ((2**20 - len(head) - 3) // 4)
    pad = "x" * (2**20 - len(head) - len(filler) - 3)
    text = head + filler + "2," + pad + "é\n"
    path = filemakers.write_text(tmp_path / "cut.csv", text)
    assert path.read_bytes()[2**20 - 1 : 2**20 + 1] == "é".encode()
    sheet = read_file(path)
    assert sheet.source.encoding == "utf-8"
    assert sheet.rows[-1][1].endswith("é")


def test_long_digit_runs_in_the_first_rows_do_not_stall_header_detection(tmp_path: Path) -> None:
    cell = "1" * 30_000 + "x"  # the number pattern would backtrack for minutes on this
    path = filemakers.write_text(tmp_path / "digits.csv", f"order_id,note\n1,{cell}\n")
    assert read_file(path).rows == [["1", cell]]


def test_a_text_file_too_big_for_this_computer_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = filemakers.write_text(tmp_path / "orders.csv", "order_id\n1\n")
    small_machine(monkeypatch, total=500 * 10**6)
    refused(path, capsys, "memory", "500 MB", "split")


def test_equal_cell_values_share_one_string(tmp_path: Path) -> None:
    # What keeps a 2,000,000-row file within a laptop's memory: repeats are stored once.
    lines = ["order_id,currency,note"] + [f"{1000 + i},USD," for i in range(100)]
    sheet = read_file(filemakers.write_text(tmp_path / "o.csv", "\n".join(lines)))
    currencies = [row[1] for row in sheet.rows]
    assert currencies == ["USD"] * 100
    assert len({id(value) for value in currencies}) == 1
    assert all(row[2] is None for row in sheet.rows)


# ================================================================================================
# The memory estimate the app warns with
# ================================================================================================


def test_the_memory_estimate_grows_with_the_file_and_compares_with_free_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = filemakers.write_text(tmp_path / "small.csv", "order_id\n1\n")
    bigger = hostile.wide_csv(tmp_path / "bigger.csv", 1000, rows=200)
    workbook = hostile.many_rows_xlsx(tmp_path / "rows.xlsx", 20_000)
    checks = [check_memory(p) for p in (small, bigger, workbook)]
    assert all(check is not None and check.fits for check in checks)
    assert checks[0].need < checks[1].need  # type: ignore[union-attr]
    small_machine(monkeypatch, total=4 * 10**9, available=100 * 10**6)
    check = check_memory(bigger)
    assert check is not None and not check.fits
    assert_friendly(check.warning("bigger.csv"), "bigger.csv", "100 MB", "free")
    assert check_memory(tmp_path / "missing.csv") is None


# ================================================================================================
# Full size, by hand
# ================================================================================================


def _validate_in_child(path: Path) -> tuple[int, str, float, float]:
    """(exit code, stderr, seconds, peak RSS in MB) of `northbeam-desktop validate` on `path`."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "northbeam_desktop", "validate", "--timezone", "UTC", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    err = child.stderr.read() if child.stderr else ""
    child.returncode = os.waitstatus_to_exitcode(status)
    scale = 1024 if sys.platform != "darwin" else 1024 * 1024
    return child.returncode, err.strip(), seconds, usage.ru_maxrss / scale


BIG_CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "xfd1048576.xlsx": (lambda p: hostile.far_cell_xlsx(p, "XFD1048576"), "XFD1048576"),
    "zz200000.xlsx": (lambda p: hostile.far_cell_xlsx(p, "ZZ200000"), "ZZ200000"),
    "bomb.xlsx": (lambda p: hostile.zip_bomb_xlsx(p, 4 * 2**30), "unpack"),
    "ten_million_rows.xlsx": (lambda p: hostile.many_rows_xlsx(p, 10_000_000), "1,048,576"),
    "long_string.xlsx": (lambda p: hostile.long_shared_string_xlsx(p, 1_500_000_000), "32,767"),
    "million_columns.csv": (lambda p: hostile.wide_csv(p, 1_000_000), "16,384"),
    "one_line.csv": (lambda p: hostile.single_line_csv(p, 200_000_000), "line breaks"),
}


@pytest.mark.parametrize("name", sorted(BIG_CASES))
@pytest.mark.big
@pytest.mark.skipif(
    os.environ.get("RUN_BIG_FILES") != "1" or not hasattr(os, "wait4"),
    reason="a full-size hostile file: run by hand with RUN_BIG_FILES=1 (see the docstring)",
)
def test_full_size_hostile_file(name: str, tmp_path: Path) -> None:
    make, word = BIG_CASES[name]
    path = make(tmp_path / name)
    code, err, seconds, peak_mb = _validate_in_child(path)
    print(
        f"\n{name}: {path.stat().st_size:,} bytes → exit {code} in {seconds:.2f} s, "
        f"peak {peak_mb:,.0f} MB: {err}"
    )
    assert code == 2
    assert_friendly(err, name, word)
    assert peak_mb < 500
