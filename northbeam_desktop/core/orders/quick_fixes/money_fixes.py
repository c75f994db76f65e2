"""Fixes that work a missing or disagreeing amount out from the rest of the order; none lowers a
purchase total."""

from __future__ import annotations

from typing import TYPE_CHECKING

from northbeam_desktop.core.orders import values
from northbeam_desktop.core.orders.fields import FIELDS_BY_KEY
from northbeam_desktop.core.orders.issues import Issue
from northbeam_desktop.core.orders.quick_fixes.amounts import Missing
from northbeam_desktop.core.orders.quick_fixes.model import (
    MONEY_PARTS,
    QuickFix,
    is_number,
    money,
    shown,
)
from northbeam_desktop.core.orders.records import OrderRecord
from northbeam_desktop.core.orders.rules.totals import tolerance

if TYPE_CHECKING:
    from northbeam_desktop.core.orders.quick_fixes.context import FixContext


def derived_part(ctx: FixContext, record: OrderRecord, key: str) -> list[QuickFix]:
    """Tax or shipping: what the total leaves after everything else."""
    amounts = ctx.amounts(record)
    label = FIELDS_BY_KEY[key].label
    other = "shipping_cost" if key == "tax" else "tax"
    total = None if isinstance(amounts.total, Missing) else amounts.total
    rest = [amounts.known(other), amounts.known("discount_amount")]
    fixes: list[QuickFix] = []
    if total is not None and amounts.items is not None and None not in rest:
        other_value, discount = rest
        assert other_value is not None and discount is not None
        derived = total - amounts.items - other_value + discount
        if abs(derived) <= tolerance(total):
            derived = 0.0
        if derived >= 0:
            text = money(derived)
            why = (
                f"{text} is what the order's total leaves for {label.lower()}: total "
                f"{shown(total)} − products {shown(amounts.items)} − "
                f"{FIELDS_BY_KEY[other].label.lower()} {shown(other_value)} + discount "
                f"{shown(discount)}."
            )
            if derived == 0:
                why = (
                    f"The products, {FIELDS_BY_KEY[other].label.lower()} and discount already "
                    f"make up the total ({shown(total)}), so there was no "
                    f"{label.lower()}."
                )
            fixes.append(
                ctx.fix_cells(
                    f"derived_{key}",
                    record,
                    key,
                    derived,
                    f"Use {text}",
                    why,
                )
            )
            if derived != 0:
                fixes.append(
                    ctx.fix_cells(
                        "zero",
                        record,
                        key,
                        0.0,
                        "Use 0",
                        f"If the order had no {label.lower()}, the total is then "
                        f"{shown(derived)} more than its parts; check it afterwards.",
                    )
                )
            return fixes
        why = (
            f"The order's total ({shown(total)}) is {shown(-derived)} less than its "
            f"products, {FIELDS_BY_KEY[other].label.lower()} and discount even without "
            f"{label.lower()}; check the amounts."
        )
    elif total is None:
        why = f"The order has no total to work the {label.lower()} out from."
    else:
        why = (
            f"Some of the order's other amounts are missing, so its {label.lower()} can't "
            "be worked out from the total."
        )
    fixes.append(
        ctx.fix_cells("zero", record, key, 0.0, "Use 0", f"{why} Type 0 if there was none.")
    )
    return fixes


def derived_total(ctx: FixContext, record: OrderRecord) -> list[QuickFix]:
    """A missing or unreadable total, made from its parts (never replaces a real total)."""
    amounts = ctx.amounts(record)
    parts = amounts.parts()
    if parts is None or parts < 0:
        return []
    text = money(parts)
    tax, shipping, discount = (amounts.known(k) or 0.0 for k in MONEY_PARTS)
    assert amounts.items is not None
    why = (
        f"{text} is products {shown(amounts.items)} + tax {shown(tax)} + shipping "
        f"{shown(shipping)} − discount {shown(discount)}."
    )
    return [ctx.fix_cells("derived_total", record, "purchase_total", parts, f"Use {text}", why)]


def totals_fixes(ctx: FixContext, record: OrderRecord) -> list[QuickFix]:
    """Total and parts disagree: fix the parts first; the total only ever goes up."""
    amounts = ctx.amounts(record)
    total = None if isinstance(amounts.total, Missing) else amounts.total
    parts = amounts.parts()
    if total is None or parts is None:
        return []
    difference = total - parts
    if abs(difference) <= tolerance(total):
        return []
    tax, shipping, discount = (amounts.known(k) or 0.0 for k in MONEY_PARTS)
    assert amounts.items is not None
    summary = (
        f"products {shown(amounts.items)} + tax {shown(tax)} + shipping {shown(shipping)} "
        f"− discount {shown(discount)} = {shown(parts)}"
    )
    fixes: list[QuickFix] = []
    if difference > 0:
        why = (
            f"The total ({shown(total)}) is {shown(difference)} more than {summary}; "
            "most often that is tax or shipping the file leaves out."
        )
        # The part that is 0 is the likelier one to be missing; tax first otherwise.
        order = ["shipping_cost", "tax"] if tax != 0 and shipping == 0 else ["tax", "shipping_cost"]
        for key in order:
            if key not in amounts.mapped:
                continue
            current = tax if key == "tax" else shipping
            new = current + difference
            name = FIELDS_BY_KEY[key].label
            fixes.append(
                ctx.fix_cells(
                    f"totals_{key}",
                    record,
                    key,
                    new,
                    f"Set {name.lower()} to {money(new)}",
                    why,
                )
            )
    else:
        missing = -difference
        why = (
            f"The total ({shown(total)}) is {shown(missing)} less than {summary}; most "
            "often that is a discount the file leaves out."
        )
        if "discount_amount" in amounts.mapped:
            new = discount + missing
            fixes.append(
                ctx.fix_cells(
                    "totals_discount_amount",
                    record,
                    "discount_amount",
                    new,
                    f"Set discount to {money(new)}",
                    why,
                )
            )
        fixes.append(
            ctx.fix_cells(
                "totals_purchase_total",
                record,
                "purchase_total",
                parts,
                f"Set total to {money(parts)}",
                f"{why} If nothing was left out, the total is {money(parts)}.",
            )
        )
    return fixes


def derived_price(ctx: FixContext, issue: Issue, record: OrderRecord) -> list[QuickFix]:
    """A line's missing price: what the total leaves for it (one unknown line only)."""
    r = issue.row_index
    assert r is not None
    amounts = ctx.amounts(record)
    quantity = ctx.doc.columns.get("products.quantity")
    total = None if isinstance(amounts.total, Missing) else amounts.total
    if quantity is None or total is None or not is_number(quantity.values[r]):
        return []
    qty = float(quantity.values[r])
    others = ctx.items(record, skip=r)
    tax, shipping, discount = (amounts.known(k) for k in MONEY_PARTS)
    if qty <= 0 or others is None or tax is None or shipping is None or discount is None:
        return []
    left = total - others - tax - shipping + discount
    if left <= 0:
        return []
    price = left / qty
    text = money(price)
    why = (
        f"{text} is what the order's total ({shown(total)}) leaves for this line after its "
        f"other products, tax and shipping"
        + (f", for {values.to_text(quantity.values[r])} units." if qty != 1 else ".")
    )
    return [ctx.fix_cell("derived_price", issue, price, f"Use {text}", why)]
