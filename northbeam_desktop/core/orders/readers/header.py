"""Finding the header row (title rows above it are skipped) and making header names unique."""

from __future__ import annotations

import re
from collections.abc import Sequence

from northbeam_desktop.core.orders.sheet import CellValue

_HEADER_SCAN_ROWS = 30  # the header is looked for among the first 30 non-blank rows
_HEADER_LOOKAHEAD = 30  # compared with the widest of the next 30 non-blank rows
_HEADER_MIN_SHARE = 0.6  # a header fills at least 60% as many cells as the widest data row

# Text that is really a number, amount, date or time ("1.234,50 €", "08.03.2026", "(12.50)"):
# such cells don't make a row look like a header.
_NUMBERISH = re.compile(r"[\d\s.,:/'()+\-$€£¥%TZ]*\d[\d\s.,:/'()+\-$€£¥%TZ]*")
# Longer cells are text: no amount or date is this long, and the pattern above backtracks
# quadratically on long runs of digits that end in a letter.
_NUMBERISH_MAX_CHARS = 64


def extent(row: Sequence[CellValue]) -> int:
    """Position after the last non-empty cell."""
    n = len(row)
    while n and (row[n - 1] == "" or row[n - 1] is None):
        n -= 1
    return n


def find_header(rows: Sequence[Sequence[CellValue]]) -> int:
    """Index of the header row, skipping title rows ("Orders export March 2026") above it.

    The header is the first of the first 30 non-blank rows whose cells are mostly text and
    which fills at least 60% as many cells as the widest of the 30 non-blank rows below it.
    Without such a row, the first non-blank row is the header; -1 when every cell is empty.
    """
    stats: list[tuple[int, int]] = []  # (row index, filled cells) of non-blank rows
    texty: list[bool] = []
    for index, row in enumerate(rows):
        filled = text = 0
        for v in row:
            if v.__class__ is str:
                if v:
                    filled += 1
                    if not v.isspace() and (
                        len(v) > _NUMBERISH_MAX_CHARS or not _NUMBERISH.fullmatch(v)
                    ):
                        text += 1
            elif v is not None:
                filled += 1
        if filled:
            stats.append((index, filled))
            texty.append(text * 2 > filled)
            if len(stats) >= _HEADER_SCAN_ROWS + _HEADER_LOOKAHEAD:
                break
    if not stats:
        return -1
    for k in range(min(len(stats), _HEADER_SCAN_ROWS)):
        if not texty[k]:
            continue
        widest = max((f for _, f in stats[k + 1 : k + 1 + _HEADER_LOOKAHEAD]), default=0)
        if stats[k][1] >= _HEADER_MIN_SHARE * widest:
            return stats[k][0]
    return stats[0][0]


def header_text(value: CellValue) -> str:
    if value is None:
        return ""
    if value.__class__ is float and value.is_integer():  # a heading typed as 2026
        return str(int(value))
    # Strip spaces, line breaks and a stray byte-order mark (from files joined together).
    return str(value).strip().strip("\ufeff").strip()


def make_headers(cells: Sequence[CellValue], width: int, col_offset: int) -> list[str]:
    """Unique, non-blank header names: blank -> "Column N", repeats -> "Name (2)", "Name (3)"."""
    names = [header_text(v) for v in cells]
    names += [""] * (width - len(names))
    names = [n or f"Column {col_offset + i + 1}" for i, n in enumerate(names)]
    originals = set(names)
    taken: set[str] = set()
    next_suffix: dict[str, int] = {}  # where the search for a free "Name (k)" resumes
    unique: list[str] = []
    for n in names:
        if n in taken:
            k = next_suffix.get(n, 2)
            while f"{n} ({k})" in taken or f"{n} ({k})" in originals:
                k += 1
            next_suffix[n] = k + 1
            n = f"{n} ({k})"
        taken.add(n)
        unique.append(n)
    return unique
