"""Fixes of one cell: rows of an order that disagree, a value written as it is sent, the checker's
own suggestion."""

from __future__ import annotations

from typing import TYPE_CHECKING

from northbeam_desktop.core.orders import values
from northbeam_desktop.core.orders.fields import FIELDS_BY_KEY
from northbeam_desktop.core.orders.issues import Issue
from northbeam_desktop.core.orders.quick_fixes.model import MONEY_PARTS, QuickFix
from northbeam_desktop.core.orders.records import OrderRecord
from northbeam_desktop.core.orders.sheet import CellValue

if TYPE_CHECKING:
    from northbeam_desktop.core.orders.quick_fixes.context import FixContext


def conflict_fixes(ctx: FixContext, issue: Issue, record: OrderRecord) -> list[QuickFix]:
    """Rows of one order disagree: one fix per value found, the one that makes the order
    add up (money) or the first row's first."""
    assert issue.col_index is not None
    col = issue.col_index
    key = ctx.key_of_col.get(col)
    rows = ctx.doc.sheet.rows
    seen: list[CellValue] = []
    for r in record.row_indices:
        value = rows[r][col]
        if value is not None and value not in seen:
            seen.append(value)
    if key in ("purchase_total", *MONEY_PARTS):
        seen.sort(key=lambda v: not ctx.adds_up_with(record, key, v))
    label = FIELDS_BY_KEY[key].label if key else ctx.doc.sheet.headers[col]
    fixes = []
    for value in seen:
        text = values.to_text(value) or ""
        where = [ctx.doc.sheet.row_numbers[r] for r in record.row_indices if rows[r][col] == value]
        why = (
            f"{label} is “{text}” in row{'s' if len(where) > 1 else ''} "
            f"{', '.join(map(str, where))}; this writes it on every row of the order."
        )
        if key and ctx.adds_up_with(record, key, value) and key != "customer_id":
            why += " With it the order's total adds up."
        fixes.append(
            QuickFix(
                "conflict",
                f"Use {text}",
                why,
                tuple(ctx.order_changes(record, col, value)),
                text,
            )
        )
    return fixes


def converted_fix(ctx: FixContext, issue: Issue) -> list[QuickFix]:
    """Write a value the way it is sent (“us” → “USA”)."""
    assert issue.row_index is not None and issue.col_index is not None
    text = ctx.converted_text(issue.row_index, issue.col_index)
    if text is None:
        return []
    rows = ctx.doc.sheet.rows
    col = issue.col_index
    cell = rows[issue.row_index][col]
    raw = values.to_text(cell) or ""
    # The note stands for every cell with this value: the fix writes them all.
    changes = tuple((r, col, text) for r, row in enumerate(rows) if row[col] == cell)
    of_row = ctx.doc.order_of_row
    orders = len({id(of_row[r]) for r, _c, _v in changes})
    label = f"Use {text}" if orders == 1 else f"Use {text} for all {orders:,}"
    return [QuickFix("converted", label, f"“{raw}” is sent as “{text}” anyway.", changes, text)]


def suggested_fix(ctx: FixContext, issue: Issue) -> QuickFix:
    suggestion = issue.suggestion or ""
    why = "The value the problem's explanation suggests."
    if issue.code == "negative_number":
        why = "The same amount without the minus sign."
    elif issue.code == "ambiguous_currency":
        why = f"{suggestion} is the most common of the currencies this symbol can mean."
    elif issue.code == "customer_id_is_email":
        why = (
            "A code made from the email: the same email always gives the same code, and "
            "the email can't be read back from it."
        )
    elif issue.code == "required" and suggestion == "0":
        why = "Northbeam needs a number here; 0 means there was none."
    return ctx.fix_cell("suggested", issue, suggestion, f"Use {suggestion}", why)
