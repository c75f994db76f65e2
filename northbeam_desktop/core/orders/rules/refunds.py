"""Refunds: one per row whose refund cells are filled.

Rules: a refund has its product ID, quantity, amount, cost and date (`refund_incomplete`); the
product is one of the order's (`refund_unknown_product`) and not refunded more often than it was
sold (`refund_exceeds_sold`); amounts are in range; a refund repeated exactly is sent once
(`duplicate_refund`, a warning).

Refunds are rare, so the column-wise screen sends every order that has one to this check.
"""

from __future__ import annotations

from typing import Any

from northbeam_desktop.core.orders import values
from northbeam_desktop.core.orders.columns import Column
from northbeam_desktop.core.orders.fields import FIELDS_BY_KEY, Kind
from northbeam_desktop.core.orders.issues import IssueCode
from northbeam_desktop.core.orders.records import Bad, OrderRecord
from northbeam_desktop.core.orders.rules.context import (
    ERROR,
    WARNING,
    Add,
    CheckContext,
    OrderFacts,
    Screen,
    ordered,
)

NAME = "refunds"
CODES = frozenset(
    {
        IssueCode.REFUND_INCOMPLETE,
        IssueCode.REFUND_UNKNOWN_PRODUCT,
        IssueCode.REFUND_EXCEEDS_SOLD,
        IssueCode.DUPLICATE_REFUND,
    }
)
SCREEN_EXACT = False  # every order with a refund takes the per-order check
REQUIRED = (
    "refunds.product_id",
    "refunds.quantity",
    "refunds.refund_amount",
    "refunds.refund_cost",
    "refunds.refund_made_at",
)
KEYS = ["product_id", "quantity", "refund_amount", "refund_cost", "refund_made_at", "variant_id"]


def check(context: CheckContext, facts: OrderFacts, add: Add) -> None:
    columns = context.refund_columns
    if not columns:
        return
    record = facts.record
    by_key = {c.spec.key: c for c in columns}
    sold: dict[str, float] = {}
    for product in facts.products:
        if "id" in product and isinstance(product.get("quantity"), int | float):
            sold[product["id"]] = sold.get(product["id"], 0) + product["quantity"]
    seen: dict[tuple[Any, ...], int] = {}
    refunded: dict[str, float] = {}
    numbers = context.row_numbers
    for r in record.row_indices:
        cells = [(c, c.values[r]) for c in columns]
        if all(value is None for _, value in cells):
            continue
        index = len(facts.refunds)
        refund, complete = _read_refund(context, record, r, index, cells, add)
        complete = _has_required(context, record, r, index, refund, by_key, add) and complete
        product_id = refund.get("product_id")
        if product_id is not None and facts.products and product_id not in sold:
            complete = False
            add(
                context.issue(
                    record,
                    IssueCode.REFUND_UNKNOWN_PRODUCT,
                    ERROR,
                    f"The refunded product “{product_id}” is not one of this order's "
                    "products. Use the product ID exactly as in the product column.",
                    f"refunds[{index}].product_id",
                    r,
                    by_key.get("refunds.product_id"),
                )
            )
        key = tuple(sorted(refund.items()))
        if key in seen:
            add(
                context.issue(
                    record,
                    IssueCode.DUPLICATE_REFUND,
                    WARNING,
                    f"This refund repeats the one in row {numbers[seen[key]]}; it is sent once.",
                    f"refunds[{index}]",
                    r,
                    by_key.get("refunds.product_id"),
                )
            )
            continue
        seen[key] = r
        if complete:
            assert product_id is not None  # a complete refund has its product
            quantity = refund.get("quantity", 0)
            refunded[product_id] = refunded.get(product_id, 0) + quantity
            if product_id in sold and refunded[product_id] > sold[product_id]:
                add(
                    context.issue(
                        record,
                        IssueCode.REFUND_EXCEEDS_SOLD,
                        ERROR,
                        f"More units of “{product_id}” are refunded "
                        f"({_num(refunded[product_id])}) than were sold "
                        f"({_num(sold[product_id])}). Check the refunded quantity.",
                        f"refunds[{index}].quantity",
                        r,
                        by_key.get("refunds.quantity"),
                    )
                )
            facts.refunds.append(ordered(refund, KEYS))
            facts.refund_rows.append(r)


def _read_refund(
    context: CheckContext,
    record: OrderRecord,
    r: int,
    index: int,
    cells: list[tuple[Column, Any]],
    add: Add,
) -> tuple[dict[str, Any], bool]:
    """The refund on row `r` as sent, and whether every filled cell of it could be used."""
    refund: dict[str, Any] = {}
    complete = True
    for column, value in cells:
        if value is None:
            continue
        if value.__class__ is Bad:
            add(context.bad(record, column, r, value, index))
            complete = False
            continue
        kind = column.spec.kind
        if kind is Kind.NUMBER and not context.amount_ok(record, column, r, value, add, index):
            complete = False
            continue
        if kind is Kind.DATETIME:
            value = values.to_iso(value)
        refund[column.spec.name] = value
    return refund, complete


def _has_required(
    context: CheckContext,
    record: OrderRecord,
    r: int,
    index: int,
    refund: dict[str, Any],
    by_key: dict[str, Column],
    add: Add,
) -> bool:
    """Whether the refund has every required value (adds what is empty)."""
    complete = True
    for required in REQUIRED:
        spec = FIELDS_BY_KEY[required]
        column = by_key.get(required)
        if spec.name not in refund and (column is None or column.values[r] is None):
            complete = False
            add(
                context.issue(
                    record,
                    IssueCode.REFUND_INCOMPLETE,
                    ERROR,
                    f"{spec.label} is empty, but this row has a refund. A refund needs "
                    "the product ID, quantity, amount, cost and date; fill it in or "
                    "clear the row's refund cells.",
                    f"refunds[{index}].{spec.name}",
                    r,
                    column,
                )
            )
    return complete


def screen(context: CheckContext, screen: Screen) -> None:
    """Every candidate with a refund cell filled."""
    rows: set[int] = set()
    for column in context.refund_columns:
        rows.update(i for i, v in enumerate(column.values) if v is not None)
    screen.reject_rows(NAME, rows)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
