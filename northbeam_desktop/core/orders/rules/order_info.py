"""What a shop's export says about an order besides what Northbeam takes: cancelled, refunded.

Rules: an order the shop cancelled (a filled `Cancelled at`, or a status the platform uses for
cancelled orders) is not sent unless the user chooses to send cancelled orders
(`order_cancelled`, a note either way, so the user sees why it is held back or sent). A
refunded amount for the whole order (Shopify's `Refunded Amount`) is not a refund Northbeam can
take, which needs the refunded products: a positive one is a warning that it is not sent
(`refund_not_sent`) on an order that goes up; `0.00` means no refund and says nothing, and so
does the refund of a cancelled order held back (nothing of that order is sent). The duties an
order carries count in its total (read by the totals family from `facts.info`).
"""

from __future__ import annotations

from typing import Any

from northbeam_desktop.core.orders.columns import Column
from northbeam_desktop.core.orders.issues import IssueCode, Severity
from northbeam_desktop.core.orders.records import Bad
from northbeam_desktop.core.orders.rules.context import (
    WARNING,
    Add,
    CheckContext,
    OrderFacts,
    Screen,
)

NAME = "order_info"
CODES = frozenset({IssueCode.ORDER_CANCELLED, IssueCode.REFUND_NOT_SENT})
SCREEN_EXACT = True
INFO_KEYS = ("cancelled_at", "order_status", "refunded_total", "duties")


def check(context: CheckContext, facts: OrderFacts, add: Add) -> None:
    info: dict[str, Any] = {}
    rows: dict[str, int] = {}
    for key in INFO_KEYS:
        column = context.columns.get(key)
        if column is None:
            continue
        for r in facts.record.row_indices:
            value = column.values[r]
            if value is not None and value.__class__ is not Bad:
                info[key], rows[key] = value, r
                break
    facts.info = info
    _cancelled(context, facts, add, info, rows)
    _refunded(context, facts, add, info, rows)


def is_cancelled(context: CheckContext, info: dict[str, Any]) -> bool:
    if info.get("cancelled_at"):
        return True
    status = info.get("order_status")
    return status.__class__ is str and status.casefold() in context.settings.cancelled_statuses


def _cancelled(
    context: CheckContext, facts: OrderFacts, add: Add, info: dict[str, Any], rows: dict[str, int]
) -> None:
    record = facts.record
    record.cancelled = is_cancelled(context, info)
    record.held_back = record.cancelled and not context.settings.include_cancelled
    if not record.cancelled:
        return
    key = "cancelled_at" if info.get("cancelled_at") else "order_status"
    column: Column = context.columns[key]
    when = (
        f"cancelled on {info['cancelled_at']}"
        if key == "cancelled_at"
        else f"marked “{info['order_status']}”"
    )
    if context.settings.include_cancelled:
        what = "it is sent because you chose to send cancelled orders."
    else:
        what = (
            "it is not sent. To send cancelled orders too, turn on Upload → Send Cancelled "
            "Orders (--include-cancelled on the command line)."
        )
    add(
        context.issue(
            record,
            IssueCode.ORDER_CANCELLED,
            Severity.NOTE,
            f"This order was {when} in your shop: {what}",
            key,
            rows[key],
            column,
        )
    )


def _refunded(
    context: CheckContext, facts: OrderFacts, add: Add, info: dict[str, Any], rows: dict[str, int]
) -> None:
    refunded = info.get("refunded_total")
    if refunded.__class__ not in (int, float) or refunded <= 0 or facts.record.held_back:
        return
    column = context.columns["refunded_total"]
    add(
        context.issue(
            facts.record,
            IssueCode.REFUND_NOT_SENT,
            WARNING,
            f"A refund of {refunded:,.2f} (“{column.header}”) is not sent: Northbeam needs each "
            "refunded product with its quantity and date, and this export only has the "
            "refunded amount. The order is sent with its full total.",
            "refunds",
            rows["refunded_total"],
            column,
        )
    )


def screen(context: CheckContext, screen: Screen) -> None:
    """Candidates that may be cancelled or refunded: any row with a cancel date, a cancelled
    status or a refunded amount other than 0 (these columns are not among the order values
    whose rows are proven to agree, so every row counts)."""
    statuses = context.settings.cancelled_statuses
    rows: set[int] = set()
    for key in ("cancelled_at", "order_status", "refunded_total"):
        column = context.columns.get(key)
        if column is None:
            continue
        column_values = column.values
        if key == "order_status":
            found = {
                v for v in set(column_values) if v.__class__ is str and v.casefold() in statuses
            }
            if found:
                rows.update(i for i, v in enumerate(column_values) if v in found)
        elif key == "cancelled_at":
            if any(v is not None for v in column_values):
                rows.update(i for i, v in enumerate(column_values) if v is not None)
        else:
            rows.update(i for i, v in enumerate(column_values) if v is not None and v != 0)
    screen.reject_rows(NAME, rows)
