"""How big a file may be: Excel's own limits, and what this computer's memory can hold.

The readers refuse a file before reading it when it is past Excel's limits (no spreadsheet
program could have made it) or when opening it would need more memory than this computer has;
the app also warns before opening a file that will not fit in the memory that is free now.

Memory figures are estimates of the whole open (reading, understanding every column, grouping and
checking), measured on this project's benchmark files (see bench/RESULTS.md) and rounded up.
"""

from __future__ import annotations

from dataclasses import dataclass

# Excel's own limits (Excel specifications and limits, Excel 2007 and later).
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384  # column XFD
EXCEL_MAX_CELL_CHARS = 32_767

# The csv module's default field limit; a longer cell is reported, never silently cut.
CSV_MAX_FIELD_CHARS = 131_072
# A single physical line longer than this is not a row of orders (its line breaks were lost, or
# it is not an order export); refusing it keeps one enormous row from filling the memory.
CSV_MAX_LINE_BYTES = 8_000_000

# A real workbook has a few dozen parts (sheets, styles, images); a zip with more is not one.
ZIP_MAX_ENTRIES = 10_000
# Spreadsheet XML compresses 5-30x, a sheet of identical rows up to ~150x; zip bombs ~1000x.
ZIP_MAX_RATIO = 250
ZIP_RATIO_FLOOR = 64 * 1024 * 1024  # small parts may compress as well as they like
# XML of one shared string longer than this holds more than Excel's 32,767 characters (at most
# 4 bytes a character, with room for escapes and formatting runs).
MAX_SHARED_STRING_XML = 256 * 1024
# A sheet whose rectangle is this big while its XML has less than a byte per cell is a few cells
# far away from the rest (a stray value in XFD1048576): refused on any computer, with how to
# find and delete them, rather than opened as a grid of millions of empty cells.
SPARSE_MIN_CELLS = 20_000_000

# --- the memory an open needs -----------------------------------------------------------------
# Delimited text: peak RSS per byte of file for the whole open of the 2,000,000-row benchmark
# file (about 5x after the reader shares repeated cell values) with room for files whose cells
# repeat less.
TEXT_BYTES_PER_FILE_BYTE = 7
# Workbooks: per cell of the rectangle calamine builds (its own 32-byte cell, our row lists and
# a value object), plus the sheet's XML and shared strings held as text.
WORKBOOK_BYTES_PER_CELL = 140
WORKBOOK_BYTES_PER_XML_BYTE = 2
# A quick estimate from the zip directory alone, per byte of unpacked sheet XML (the benchmark
# workbook peaks at ~2.7x its sheet XML), and per byte of an .xls file.
WORKBOOK_BYTES_PER_SHEET_XML_BYTE = 3
XLS_BYTES_PER_FILE_BYTE = 8
# The rest of the app (Qt, the window, the interpreter) while a file is open.
APP_BASELINE_BYTES = 300 * 1024 * 1024
# Of the physical memory, what one open may use before it is refused outright (the rest is for
# the system, the other programs, and the upload that follows).
BUDGET_SHARE_OF_RAM = 0.5


@dataclass(frozen=True, slots=True)
class MachineMemory:
    total: int  # physical memory
    available: int  # usable now without swapping


def machine_memory() -> MachineMemory:
    """This computer's physical and currently available memory (psutil knows every OS)."""
    import psutil  # imported here: only opening a file needs it

    info = psutil.virtual_memory()
    return MachineMemory(total=int(info.total), available=int(info.available))


@dataclass(frozen=True, slots=True)
class Budget:
    limit: int  # the most memory one open may need before the file is refused
    total: int  # this computer's memory, for the message


def memory_budget() -> Budget:
    total = machine_memory().total
    return Budget(limit=int(total * BUDGET_SHARE_OF_RAM), total=total)


def text_need(file_size: int) -> int:
    """Estimated peak memory to open a delimited text file of `file_size` bytes."""
    return APP_BASELINE_BYTES + file_size * TEXT_BYTES_PER_FILE_BYTE


def workbook_need(cells: int, xml_bytes: int) -> int:
    """Estimated peak memory to open a sheet whose used rectangle has `cells` cells."""
    return (
        APP_BASELINE_BYTES
        + cells * WORKBOOK_BYTES_PER_CELL
        + xml_bytes * WORKBOOK_BYTES_PER_XML_BYTE
    )


def column_letters(number: int) -> str:
    """1 -> 'A', 27 -> 'AA', 16384 -> 'XFD'."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """'A' -> 1, 'AA' -> 27, 'XFD' -> 16384."""
    number = 0
    for ch in letters:
        number = number * 26 + (ord(ch) - 64)
    return number
