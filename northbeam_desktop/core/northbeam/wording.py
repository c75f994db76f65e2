"""How durations and sizes are put into sentences ("about 2 minutes", "5 MB"): the one place,
for the upload's messages and the upload window alike."""

from __future__ import annotations

import math


def format_seconds(seconds: float) -> str:
    """A wait in words: "1 second", "45 seconds", "3 minutes", "2.5 hours"."""
    whole = max(0, math.ceil(seconds))
    if whole < 90:
        return f"{whole} second{'s' if whole != 1 else ''}"
    minutes = round(whole / 60)
    if minutes < 90:
        return f"{minutes} minutes"
    return f"{_one_decimal(whole / 3600)} hours"


def format_bytes(n: int) -> str:
    """A size in decimal units, as Northbeam states its limits: "30 MB", "1.5 MB", "512 kB"."""
    if n >= 1_000_000:
        return f"{_one_decimal(n / 1_000_000)} MB"
    if n >= 1_000:
        return f"{_one_decimal(n / 1_000)} kB"
    return f"{n} bytes"


def _one_decimal(value: float) -> str:
    """ "1.5", and "3" rather than "3.0"."""
    return f"{value:.1f}".removesuffix(".0")


def plural(count: int, word: str) -> str:
    """ "1 attempt", "3 attempts", "1,000 orders"."""
    return f"{count:,} {word}{'s' if count != 1 else ''}"
