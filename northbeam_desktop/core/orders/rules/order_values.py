"""Order values and conflicts: one value per order (customer, date, totals, address…).

Rules: the first filled cell of an order wins and every other filled cell must agree with it
(`order_value_conflict`; `duplicate_order_id` when the disagreeing rows are far apart and differ
on the customer or the date, which means two orders share an ID); a cell that could not be
understood is an error with the reason (the ValueProblem codes); a value we converted is a
warning (`value_converted`).

`check` also finds each order's values (`OrderFacts.values`), which every later family reads.
"""

from __future__ import annotations

from operator import eq, itemgetter, ne

from northbeam_desktop.core.orders import values
from northbeam_desktop.core.orders.columns import Column
from northbeam_desktop.core.orders.fields import json_path
from northbeam_desktop.core.orders.issues import Issue, IssueCode
from northbeam_desktop.core.orders.records import Bad, OrderRecord
from northbeam_desktop.core.orders.rules.context import (
    ERROR,
    Add,
    CheckContext,
    OrderFacts,
    Screen,
)

NAME = "order values"
CODES = frozenset({IssueCode.ORDER_VALUE_CONFLICT, IssueCode.DUPLICATE_ORDER_ID})
SCREEN_EXACT = True


def check(context: CheckContext, facts: OrderFacts, add: Add) -> None:
    record = facts.record
    rows = record.row_indices
    first = facts.first
    single = facts.single
    found_values = facts.values
    value_rows = facts.value_rows
    bad = facts.bad
    for key, column_values, column in context.order_specs:
        if single:
            found = column_values[first]
            if found is None:
                continue
            found_row = first
        else:
            found = None
            found_row = first
            for r in rows:
                value = column_values[r]
                if value is None:
                    continue
                if found is None:
                    found, found_row = value, r
                elif value != found and not _same_raw(context, column, r, found_row):
                    add(_conflict(context, record, column, r, found_row))
            if found is None:
                continue
        if found_row != first:
            value_rows[key] = found_row
        if found.__class__ is Bad:
            bad.add(key)
            add(context.bad(record, column, found_row, found))
            continue
        found_values[key] = found


def consistent_orders(context: CheckContext, orders: list[OrderRecord]) -> set[OrderRecord]:
    """Multi-row orders whose rows provably agree on every order value, found column by
    column in tight loops (far cheaper than comparing inside each order's check)."""
    later_rows: list[int] = []
    first_rows: list[int] = []
    multi = [record for record in orders if len(record.row_indices) > 1]
    for record in multi:
        row_indices = record.row_indices
        first = row_indices[0]
        later_rows.extend(row_indices[1:])
        first_rows.extend([first] * (len(row_indices) - 1))
    if later_rows and context.order_specs:
        # Most files repeat the order's values on every row exactly: a later row whose raw
        # cells equal its first row's (one tuple per row, compared in C) agrees after
        # conversion too, so only the other rows go through the column-by-column test.
        sheet_rows = context.sheet.rows
        cells = itemgetter(*[column.index for _key, _values, column in context.order_specs])
        same = list(
            map(
                eq,
                map(cells, map(sheet_rows.__getitem__, later_rows)),
                map(cells, map(sheet_rows.__getitem__, first_rows)),
            )
        )
        if all(same):
            later_rows = first_rows = []
        else:
            differing = [i for i, s in enumerate(same) if not s]
            later_rows = [later_rows[i] for i in differing]
            first_rows = [first_rows[i] for i in differing]
    suspect_rows: set[int] = set()
    for _key, column_values, _column in context.order_specs:
        # A later row that is filled and differs from the first row (or fills in a blank
        # first row) needs the careful path; None (Shopify's blank later rows) is fine.
        # The gathers and the comparison run in C; Python only looks at differences.
        later = list(map(column_values.__getitem__, later_rows))
        differs = list(map(ne, later, map(column_values.__getitem__, first_rows)))
        if any(differs):
            suspect_rows.update(
                [
                    r
                    for r, d, v in zip(later_rows, differs, later, strict=True)
                    if d and v is not None
                ]
            )
    order_of_row = context.order_of_row
    suspects = {order_of_row[r] for r in suspect_rows}
    return {record for record in multi if record not in suspects}


def screen(context: CheckContext, screen: Screen) -> None:
    """Candidates whose order value (on their first row) was not understood."""
    for key, _column_values, column in context.order_specs:
        # The flag is set when the column was built; the scan runs only on columns with problems.
        if column.had_bad:
            at_first = screen.at_first[key]
            screen.reject(NAME, [i for i, v in enumerate(at_first) if v.__class__ is Bad])


def _same_raw(context: CheckContext, column: Column, row_a: int, row_b: int) -> bool:
    sheet_rows = context.sheet.rows
    return sheet_rows[row_a][column.index] == sheet_rows[row_b][column.index]


def _conflict(
    context: CheckContext, record: OrderRecord, column: Column, row: int, first_row: int
) -> Issue:
    sheet_rows = context.sheet.rows
    here = values.to_text(sheet_rows[row][column.index])
    there = values.to_text(sheet_rows[first_row][column.index])
    label = column.spec.label
    numbers = context.row_numbers
    what = f"order {record.order_id}" if record.order_id else "this order"
    contiguous = record.row_indices[-1] - record.row_indices[0] + 1 == len(record.row_indices)
    path = json_path(column.spec)
    if not contiguous and column.spec.key in ("time_of_purchase", "customer_id"):
        return context.issue(
            record,
            IssueCode.DUPLICATE_ORDER_ID,
            ERROR,
            f"Order ID {record.order_id} is used by two different orders: row "
            f"{numbers[first_row]} and row {numbers[row]} have different "
            f"{label.lower()} (“{there}” and “{here}”). Give one of them its own order ID.",
            path,
            row,
            column,
        )
    return context.issue(
        record,
        IssueCode.ORDER_VALUE_CONFLICT,
        ERROR,
        f"{label} of {what} is “{here}” in this row but “{there}” in row "
        f"{numbers[first_row]}. All rows of one order must agree: correct the wrong "
        "one, or clear it.",
        path,
        row,
        column,
        suggestion=there,
    )
