"""Counting words shared by the Upload dialog's pages: numbers with thousands separators,
“n orders”, time left, and the orders held back because the shop cancelled them."""

from __future__ import annotations

import math

from northbeam_desktop.core.northbeam.wording import format_seconds
from northbeam_desktop.core.orders.document import OrderRecord

__all__ = ["CANCELLED_NOTE", "count_text", "held_back", "orders_text", "time_left"]

# What happens to orders the shop cancelled, and where to change it.
CANCELLED_NOTE = "not sent (Upload → Send Cancelled Orders sends them)"


def count_text(count: int) -> str:
    return f"{count:,}"


def orders_text(count: int) -> str:
    return f"{count:,} order{'s' if count != 1 else ''}"


def time_left(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return ""
    return f"about {format_seconds(seconds)} left"


def held_back(records: list[OrderRecord]) -> int:
    """Of the orders not sent, those held back only because the shop cancelled them."""
    return sum(1 for record in records if record.held_back and not record.has_errors)
