"""Cells as text, and the small text helpers every kind of value shares."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import unicodedata

from northbeam_desktop.core.orders.sheet import CellValue

# Characters that surround values pasted from the web or other apps and that str.strip() keeps.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def split_words(text: str) -> list[str]:
    """Split a whitespace-separated table written as one string (easier to read than a list)."""
    return text.split()


_STRIPPABLE = "".join(chr(i) for i in range(0x3001) if chr(i).isspace()) + _INVISIBLE


def clean(text: str) -> str:
    """Strip whitespace (including no-break and thin spaces) and zero-width characters."""
    text = text.strip()
    if text and (text[0] in _INVISIBLE or text[-1] in _INVISIBLE):
        text = text.strip(_STRIPPABLE)
    return text


def quote(text: str, limit: int = 40) -> str:
    """The value as shown inside a message: in curly quotes, long values shortened."""
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"“{text}”"


def shown_text(value: CellValue) -> str:
    """A cell value as the user saw it, for messages."""
    if isinstance(value, str):
        return clean(value)
    text = to_text(value)
    return "" if text is None else text


def fold(text: str) -> str:
    """Casefold and remove accents: "Österreich" → "osterreich", "Sí" → "si"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def to_text(value: CellValue) -> str | None:
    """A cell as text, for IDs, ZIP codes, names and phone numbers.

    Whole numbers never get a ".0" (1001.0 → "1001", 1.23457E+11 → "123457000000"), strings are
    stripped, blank cells and empty strings are None, TRUE/FALSE cells become "TRUE"/"FALSE" and
    dates become ISO-8601 text.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = clean(value)
        return text or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            return to_iso(value)
        return value.isoformat(timespec="milliseconds" if value.microsecond // 1000 else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds")
    text = str(value).strip()
    return text or None


def to_iso(value: dt.datetime) -> str:
    """The exact ISO-8601 text sent to Northbeam: `2026-03-08T13:45:12-05:00`.

    Seconds are always present; milliseconds only when there are any (`.123`); UTC is written
    `+00:00`. Offsets with seconds (historic local mean times) are converted to UTC first.
    """
    offset = value.utcoffset() if value.tzinfo is not None else None
    if offset is None:
        raise ValueError("to_iso needs a timezone-aware datetime")
    if offset.seconds % 60 or offset.microseconds:
        with contextlib.suppress(OverflowError):  # only at datetime.min/max
            value = value.astimezone(dt.UTC)
    return value.isoformat(timespec="milliseconds" if value.microsecond // 1000 else "seconds")
