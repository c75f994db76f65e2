"""A cell's value as text and back: what the table shows, what typing stores, and HTML escaping
for the rich-text tooltips and labels that quote cells and messages.

Qt-free helpers shared by the table model, the filter proxy, the undo commands, the document
view and the dialogs that show cell values (so a value reads the same everywhere).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import cast

from northbeam_desktop.core.orders.sheet import CellValue


def escape_html(text: str) -> str:
    """Text for rich-text labels and tooltips (quotes stay readable: they need no escaping)."""
    return html.escape(text, quote=False)


def display_text(value: CellValue) -> str:
    """A cell as the user typed it: text unchanged, numbers as in the file, dates in ISO."""
    if value is None:
        return ""
    # Exact class tests (not isinstance): this runs for every painted and searched cell, and
    # bool must not pass for int.
    cls = value.__class__
    if cls is str:
        return cast(str, value)
    if cls is bool:
        return "TRUE" if value else "FALSE"
    if cls is int:
        return str(value)
    if cls is float:
        number = cast(float, value)
        return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat() if value.tzinfo is None else value.isoformat(sep=" ")
        text = value.isoformat(sep=" ")
        return text
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def typed_like(old: CellValue, text: str) -> CellValue:
    """The value to store for `text` typed over `old`: a number stays a number in a workbook
    when the user types a plain number, so saving to .xlsx keeps Excel's types."""
    stripped = text.strip()
    if old.__class__ in (int, float) and stripped:
        try:
            if stripped.lstrip("-").isdigit():
                return int(stripped)
            if all(ch in "0123456789.-" for ch in stripped) and stripped.count(".") == 1:
                return float(stripped)
        except ValueError:
            return text
    if old.__class__ is bool and stripped.upper() in ("TRUE", "FALSE"):
        return stripped.upper() == "TRUE"
    return text


def quoted(value: CellValue) -> str:
    """A value for an undo step's name: "USD", "empty", or the first 29 characters and "…"."""
    text = display_text(value)
    if not text:
        return "empty"
    return text if len(text) <= 30 else text[:29] + "…"


def cells_word(count: int) -> str:
    return f"{count:,} cell" if count == 1 else f"{count:,} cells"


def set_cells_text(label: str, value: CellValue, count: int) -> str:
    """'Set Currency to USD in 37 cells' / 'Clear Tax in 2 cells'."""
    if value is None or value == "":
        return f"Clear {label} in {cells_word(count)}"
    return f"Set {label} to {quoted(value)} in {cells_word(count)}"
