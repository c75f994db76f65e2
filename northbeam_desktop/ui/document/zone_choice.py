"""The document view's time zone for purchase times that do not say theirs: how many such
times the file has (the notice in the problems panel) and asking which zone they are in
(remembered for files with the same columns)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QWidget

from northbeam_desktop.core.orders.document import OrderDocument
from northbeam_desktop.core.orders.mapping import PresetStore
from northbeam_desktop.core.orders.values import times_without_zone
from northbeam_desktop.ui.document.cell_text import display_text

log = logging.getLogger(__name__)

__all__ = ["ask_zone", "count_naive_times"]


def count_naive_times(doc: OrderDocument) -> int:
    """How many (of a sample of) the purchase times do not say their time zone."""
    column = doc.columns.get("time_of_purchase")
    if column is None:
        return 0
    return times_without_zone(row[column.index] for row in doc.sheet.rows)


def ask_zone(parent: QWidget, doc: OrderDocument, store: PresetStore | None) -> str | None:
    """Ask which zone the file's times without one are in; the new zone (remembered for files
    with these columns), or None when the user kept the one in use."""
    from northbeam_desktop.ui.dialogs.timezone import choose_zone

    column = doc.columns.get("time_of_purchase")
    example = None
    if column is not None:
        example = next(
            (display_text(row[column.index]) for row in doc.sheet.rows if row[column.index]),
            None,
        )
    zone = choose_zone(parent, Path(doc.sheet.path).name, doc.timezone_name, example, changing=True)
    if not zone or zone == doc.timezone_name:
        return None
    if store is not None:
        try:
            store.remember_timezone(doc.sheet.headers, zone)
        except OSError as exc:
            log.warning("Could not remember the time zone: %s", exc)
    return zone
