"""Totals: the order total against its parts, a check no other tool makes.

Rule: products (price × quantity) + tax + shipping + duties − discount should come to the total,
within a
cent plus 0.1% (or without the tax, for prices that include it, as in the EU); otherwise the
order can still be sent but is probably mistyped (`totals_mismatch`, a warning).
"""

from __future__ import annotations

from typing import Any

from northbeam_desktop.core.orders.issues import IssueCode
from northbeam_desktop.core.orders.rules.context import (
    WARNING,
    Add,
    CheckContext,
    OrderFacts,
    Screen,
    in_range,
)

NAME = "totals"
CODES = frozenset({IssueCode.TOTALS_MISMATCH})
SCREEN_EXACT = True


def tolerance(total: float) -> float:
    """How far the parts may be from the total and still add up: a cent plus 0.1%."""
    return 0.01 + abs(total) * 0.001


def adds_up(
    total: float, items: float, tax: float, shipping: float, discount: float, duties: float = 0
) -> tuple[bool, float]:
    """(whether the total adds up, what the parts come to with tax). Duties the customer paid
    are part of the total (Shopify's Duties column)."""
    with_tax = items + tax + shipping + duties - discount
    tax_included = items + shipping + duties - discount  # prices that already include tax (EU)
    allowed = tolerance(total)
    ok = abs(total - with_tax) <= allowed or abs(total - tax_included) <= allowed
    return ok, with_tax


def check(context: CheckContext, facts: OrderFacts, add: Add) -> None:
    amounts = facts.amounts
    total = amounts.get("purchase_total")
    products = facts.products
    if total is None or not products:
        return
    try:
        items = sum(p["price"] * p["quantity"] for p in products)
    except KeyError:
        return  # a line without price or quantity is reported by the products family
    tax = amounts.get("tax", 0)
    shipping = amounts.get("shipping_cost", 0)
    discount = amounts.get("discount_amount", 0)
    duties = facts.info.get("duties", 0)
    duties = duties if duties.__class__ in (int, float) and in_range(duties) else 0
    ok, with_tax = adds_up(total, items, tax, shipping, discount, duties)
    if ok:
        return
    with_duties = f" + duties ({_money(duties)})" if duties else ""
    add(
        context.issue(
            facts.record,
            IssueCode.TOTALS_MISMATCH,
            WARNING,
            f"Order total is {_money(total)}, but products ({_money(items)}) + tax "
            f"({_money(tax)}) + shipping ({_money(shipping)}){with_duties} − discount "
            f"({_money(discount)}) "
            f"come to {_money(with_tax)}. Check the amounts; the order can still be sent.",
            "purchase_total",
            facts.row_of("purchase_total"),
            context.order_col.get("purchase_total"),
            suggestion=_money(with_tax),
        )
    )


def screen(context: CheckContext, screen: Screen) -> None:
    """Candidates whose total does not add up (from the subtotals the products screen found)."""
    at_first = screen.at_first
    totals = at_first.get("purchase_total")
    if totals is None:
        return
    count = len(screen.candidates)
    totals = _sendable(totals)
    taxes, shippings, discounts = (
        _sendable(at_first.get(key) or [None] * count)
        for key in ("tax", "shipping_cost", "discount_amount")
    )
    duty_column = context.columns.get("duties")
    duties = (
        _sendable(list(map(duty_column.values.__getitem__, screen.firsts)))
        if duty_column is not None
        else [None] * count
    )
    rejected = []
    for i, items in enumerate(screen.subtotals):
        total = totals[i]
        if items is None or total is None:
            continue  # the per-order check has nothing to add up either
        tax = taxes[i]
        shipping = shippings[i]
        discount = discounts[i]
        duty = duties[i]
        ok, _with_tax = adds_up(
            total,
            items,
            0 if tax is None else tax,
            0 if shipping is None else shipping,
            0 if discount is None else discount,
            0 if duty is None else duty,
        )
        if not ok:
            rejected.append(i)
    screen.reject(NAME, rejected)


def _sendable(amounts: list[Any]) -> list[Any]:
    """The amounts as the per-order check sees them: None where blank, not understood or out
    of range (they are not sent, and count as 0 in the sum)."""
    kinds = set(map(type, amounts))
    if kinds <= {int, float} and amounts and in_range(min(amounts)) and in_range(max(amounts)):
        return amounts  # the usual column, settled in C
    return [v if v.__class__ in (int, float) and in_range(v) else None for v in amounts]


def _money(value: float) -> str:
    return f"{value:,.2f}"
