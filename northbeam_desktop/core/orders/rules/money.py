"""Money: total, tax, shipping, discount and the currency.

Rules: total, tax, shipping and currency are required (`required`; tax and shipping suggest 0);
amounts are 0 or more (`negative_number`) and at most 100 trillion (`number_too_large`).
"""

from __future__ import annotations

from northbeam_desktop.core.orders.issues import IssueCode
from northbeam_desktop.core.orders.records import Bad
from northbeam_desktop.core.orders.rules.context import (
    Add,
    CheckContext,
    OrderFacts,
    Screen,
    in_range,
)

NAME = "money"
CODES = frozenset({IssueCode.NEGATIVE_NUMBER, IssueCode.NUMBER_TOO_LARGE})
SCREEN_EXACT = True
AMOUNT_KEYS = ("discount_amount", "tax", "purchase_total", "shipping_cost")


def check(context: CheckContext, facts: OrderFacts, add: Add) -> None:
    record = facts.record
    found = facts.values
    for key in AMOUNT_KEYS:
        column = context.order_col.get(key)
        if column is None:
            continue
        value = found.get(key)
        if value is None:
            if column.spec.required and key not in facts.bad:
                add(context.required(record, key, facts.first, column))
        elif in_range(value) or context.amount_ok(record, column, facts.row_of(key), value, add):
            facts.amounts[key] = value
    currency = context.order_col.get("currency")
    if currency is not None and "currency" not in found and "currency" not in facts.bad:
        add(context.required(record, "currency", facts.first, currency))


def screen(context: CheckContext, screen: Screen) -> None:
    """Candidates with an empty required amount or currency, or an amount out of range."""
    for key in (*AMOUNT_KEYS, "currency"):
        amounts = screen.at_first.get(key)
        if amounts is None:
            continue
        if None in amounts and context.order_col[key].spec.required:
            screen.reject(NAME, [i for i, v in enumerate(amounts) if v is None])
        if key == "currency":
            continue
        # Decided per distinct amount; the column is scanned only when one is out of range.
        out_of_range = {
            v for v in set(amounts) if v.__class__ is not Bad and v is not None and not in_range(v)
        }
        if out_of_range:
            screen.reject(NAME, [i for i, v in enumerate(amounts) if v in out_of_range])
