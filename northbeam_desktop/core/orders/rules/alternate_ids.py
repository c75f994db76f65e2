"""Alternate order IDs: other IDs the same order has, one (type, ID) pair per row.

Rules: a pair needs both its type and its value (`required`); a pair repeated is sent once.
Alternate IDs are rare, so the column-wise screen sends every order that has one to this check.
"""

from __future__ import annotations

from typing import Any

from northbeam_desktop.core.orders.fields import FIELDS_BY_KEY
from northbeam_desktop.core.orders.issues import IssueCode
from northbeam_desktop.core.orders.records import Bad
from northbeam_desktop.core.orders.rules.context import (
    ERROR,
    Add,
    CheckContext,
    OrderFacts,
    Screen,
)

NAME = "alternate IDs"
CODES: frozenset[IssueCode] = frozenset()  # only `required`, which other families raise too
SCREEN_EXACT = False  # every order with an alternate ID takes the per-order check


def check(context: CheckContext, facts: OrderFacts, add: Add) -> None:
    columns = context.alternate_columns
    if not columns:
        return
    record = facts.record
    seen: set[tuple[Any, Any]] = set()
    by_key = {c.spec.key: c for c in columns}
    for r in record.row_indices:
        cells = {c.spec.name: c.values[r] for c in columns}
        if all(value is None for value in cells.values()):
            continue
        index = len(facts.alternates)
        if any(value.__class__ is Bad for value in cells.values()):
            continue
        missing = [name for name in ("type", "id") if cells.get(name) is None]
        if missing:
            spec = FIELDS_BY_KEY[f"alternate_order_ids.{missing[0]}"]
            add(
                context.issue(
                    record,
                    IssueCode.REQUIRED,
                    ERROR,
                    f"{spec.label} is empty. An alternate ID needs both its type and its value.",
                    f"alternate_order_ids[{index}].{missing[0]}",
                    r,
                    by_key.get(spec.key),
                )
            )
            continue
        key = (cells["type"], cells["id"])
        if key in seen:
            continue
        seen.add(key)
        facts.alternates.append({"type": cells["type"], "id": cells["id"]})
        facts.alternate_rows.append(r)


def screen(context: CheckContext, screen: Screen) -> None:
    """Every candidate with an alternate ID cell filled."""
    rows: set[int] = set()
    for column in context.alternate_columns:
        rows.update(i for i, v in enumerate(column.values) if v is not None)
    screen.reject_rows(NAME, rows)
