"""How the upload puts durations and sizes into sentences ("about 2 minutes", "5 MB")."""

from __future__ import annotations

import math


def format_seconds(seconds: float) -> str:
    """A wait in words: "1 second", "45 seconds", "3 minutes"."""
    seconds = max(0, math.ceil(seconds))
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = round(seconds / 60)
    return f"{minutes} minutes"


def format_bytes(n: int) -> str:
    """A size in decimal units, as Northbeam states its limits: "30 MB", "512 kB"."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:g} MB"
    if n >= 1_000:
        return f"{n / 1_000:g} kB"
    return f"{n} bytes"


def plural(count: int, word: str) -> str:
    """ "1 attempt", "3 attempts", "1,000 orders"."""
    return f"{count:,} {word}{'s' if count != 1 else ''}"
