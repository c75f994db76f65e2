"""The document view's words and memory for Upload → Send Cancelled Orders: what the status
bar says after the switch, and the choice remembered for files with the same columns."""

from __future__ import annotations

import logging

from northbeam_desktop.core.orders.document import OrderDocument, OrderRecord
from northbeam_desktop.core.orders.mapping import PresetStore

log = logging.getLogger(__name__)

__all__ = ["cancelled_orders", "cancelled_status", "remember_include_cancelled"]


def cancelled_orders(doc: OrderDocument) -> list[OrderRecord]:
    """The orders the shop cancelled (sent or not)."""
    return [record for record in doc.orders if record.cancelled]


def _orders(count: int) -> str:
    return f"{count:,} order" if count == 1 else f"{count:,} orders"


def cancelled_status(doc: OrderDocument, include: bool) -> str:
    """For the status bar: what the choice means for this file."""
    cancelled = cancelled_orders(doc)
    if not cancelled:
        what = "are sent" if include else "are not sent"
        return f"This file has no cancelled orders; in files like it, cancelled orders {what}."
    if not include:
        return f"Cancelled orders are not sent: {_orders(len(cancelled))} held back."
    ready = sum(1 for record in cancelled if doc.is_sendable(record))
    return f"Cancelled orders are sent too: {_orders(ready)} more ready to upload."


def remember_include_cancelled(
    store: PresetStore | None, doc: OrderDocument, include: bool
) -> None:
    if store is None:
        return
    try:
        store.remember_include_cancelled(doc.sheet.headers, include)
    except OSError as exc:  # the choice still holds for this file
        log.warning("Could not remember the choice about cancelled orders: %s", exc)
