"""How one value becomes a workbook cell, and which row each data row is written to.

Shared by the new-workbook writer (`xlsx.py`), the in-place workbook update (`xlsx_patch.py`)
and the CSV writer (`delimited.py`):

- `column_roles(sheet, mapping)`: per column, what its cells are — "text" (codes such as IDs,
  ZIP codes and phone numbers, kept as text so leading zeros survive), "number", "date",
  "bool", or "auto" (unmapped columns: numbers stay numbers, everything else text);
- `workbook_cell(value, role)`: the value to store, the number format it needs, and whether it
  must be a text cell (text that starts with "=" is text, never a formula);
- `row_positions(sheet)`: the Excel row of every data row. Row numbers never move: each row
  goes back to the row it came from, so the numbers the app shows (and the recovery journal
  uses) stay true for the saved file; a deleted row's place is left empty.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
from collections.abc import Iterable
from typing import Any

from northbeam_desktop.core.orders.fields import FIELDS_BY_KEY, Kind
from northbeam_desktop.core.orders.mapping import Mapping, auto_map
from northbeam_desktop.core.orders.sheet import CellValue, SheetData

__all__ = [
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "TEXT_FORMAT",
    "TIME_FORMAT",
    "column_roles",
    "excel_serial",
    "row_positions",
    "workbook_cell",
]

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
TIME_FORMAT = "hh:mm:ss"
TEXT_FORMAT = "@"

# Field kinds whose values are codes, not quantities: always written as text cells.
_TEXT_KINDS = frozenset(
    {
        Kind.TEXT,
        Kind.PHONE,
        Kind.EMAIL,
        Kind.HASH,
        Kind.IP,
        Kind.CURRENCY,
        Kind.COUNTRY,
        Kind.LIST,
    }
)

# A string that is unmistakably one number: no thousands separators, no leading zeros.
_PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9]\d{0,14})(?:\.\d+)?")
# Digits with a leading zero (ZIP codes, IDs) or too long for Excel's 15 significant digits.
_CODE_LIKE = re.compile(r"0\d+|\d{16,}")
# A date or date and time without a zone, as people and this app type them.
_NAIVE_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?")


def column_roles(sheet: SheetData, mapping: Mapping | None) -> list[str]:
    """Per column: "text" (codes: keep as text), "number", "date", "bool" or "auto"."""
    mapping = mapping if mapping is not None else auto_map(sheet.headers)
    roles: list[str] = []
    for index, header in enumerate(sheet.headers):
        key = mapping.field_for(header)
        spec = FIELDS_BY_KEY.get(key) if key else None
        if spec is not None:
            if spec.kind in _TEXT_KINDS:
                roles.append("text")
            elif spec.kind is Kind.NUMBER:
                roles.append("number")
            elif spec.kind is Kind.DATETIME:
                roles.append("date")
            else:
                roles.append("bool")
            continue
        roles.append(_guess_role(row[index] for row in sheet.rows))
    return roles


def _guess_role(values: Iterable[CellValue]) -> str:
    dates = others = 0
    for value in values:
        if value is None:
            continue
        if value.__class__ is str and _CODE_LIKE.fullmatch(value):
            return "text"
        if isinstance(value, dt.datetime | dt.date):
            dates += 1
        else:
            others += 1
    return "date" if dates and dates >= others else "auto"


def workbook_cell(value: CellValue, role: str) -> tuple[Any, str | None, bool]:
    """(value to store, number format or None, force a text cell) for `value` in a column of
    `role`. The value is None for an empty cell."""
    if value is None:
        return None, None, False
    if value.__class__ is str:
        text: str = value
        if role == "text":
            return text, TEXT_FORMAT, True
        if role == "date" and _NAIVE_DATETIME.fullmatch(text.strip()):
            with contextlib.suppress(ValueError):
                parsed = dt.datetime.fromisoformat(text.strip())
                has_time = len(text.strip()) > 10
                return parsed, DATETIME_FORMAT if has_time else DATE_FORMAT, False
        if role in ("number", "auto") and _PLAIN_NUMBER.fullmatch(text):
            number = float(text) if "." in text else int(text)
            return number, None, False
        return text, None, True  # text, even when it starts with "="
    if isinstance(value, bool):
        return value, None, False
    if isinstance(value, int):
        if abs(value) >= 10**15:  # beyond Excel's 15 digits: keep every digit as text
            return str(value), TEXT_FORMAT, True
        return value, None, False
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value), None, True
        return value, None, False
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:  # Excel has no time zones: keep the exact text
            return value.isoformat(), None, True
        midnight = value.time() == dt.time(0)
        return value, DATE_FORMAT if midnight else DATETIME_FORMAT, False
    if isinstance(value, dt.date):
        return value, DATE_FORMAT, False
    if isinstance(value, dt.time):
        if value.tzinfo is not None:
            return value.isoformat(), None, True
        return value, TIME_FORMAT, False
    return str(value), None, True


def excel_serial(value: dt.date | dt.time, *, mac_1904: bool = False) -> float:
    """A date or time as Excel stores it: days since the workbook's epoch."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, to_excel

    epoch = CALENDAR_MAC_1904 if mac_1904 else CALENDAR_WINDOWS_1900
    serial: float = to_excel(value, epoch)  # type: ignore[no-untyped-call]
    return serial


def row_positions(sheet: SheetData) -> list[int]:
    """The row each data row is written to: its own row number when those still increase
    (always, unless rows were added out of order), else one after another under the header."""
    numbers = sheet.row_numbers
    previous = sheet.header_row
    ok = len(numbers) == len(sheet.rows)
    for number in numbers if ok else ():
        if number <= previous:
            ok = False
            break
        previous = number
    if ok:
        return list(numbers)
    return list(range(sheet.header_row + 1, sheet.header_row + 1 + len(sheet.rows)))
