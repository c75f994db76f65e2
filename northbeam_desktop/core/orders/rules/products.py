"""Products: the order's line items, one per row that has any product value.

Rules: an order has at least one product (`no_products`); a line has its ID, name, quantity and
price (`required`; a missing ID is filled from the name, with a note, `product_id_from_name`);
quantities and prices are in range (`negative_number`, `number_too_large`); the same product
(and variant) twice in one order is probably a mistake (`duplicate_product_line`, a warning),
except in exports whose rows are the shop's own line items (Shopify): there the two lines are
sent as one with both quantities, as Northbeam takes each product once per order (a note).

`check` also collects the lines as sent (`OrderFacts.products`) for the refunds, the totals
and the payload.
"""

from __future__ import annotations

from operator import mul
from typing import Any, cast

from northbeam_desktop.core.orders.fields import FIELDS_BY_KEY
from northbeam_desktop.core.orders.issues import Issue, IssueCode, Severity
from northbeam_desktop.core.orders.records import Bad, OrderRecord
from northbeam_desktop.core.orders.rules.context import (
    ERROR,
    WARNING,
    Add,
    CheckContext,
    OrderFacts,
    Screen,
    in_range,
)

NAME = "products"
CODES = frozenset(
    {
        IssueCode.NO_PRODUCTS,
        IssueCode.PRODUCT_ID_FROM_NAME,
        IssueCode.DUPLICATE_PRODUCT_LINE,
        IssueCode.NEGATIVE_NUMBER,
        IssueCode.NUMBER_TOO_LARGE,
    }
)
SCREEN_EXACT = True
REQUIRED = ("products.id", "products.name", "products.quantity", "products.price")
_REQUIRED_NAMES = ("id", "name", "quantity", "price")
_NUMBER_TYPES = (int, float)


def check(context: CheckContext, facts: OrderFacts, add: Add) -> None:
    record = facts.record
    products = facts.products
    product_rows = facts.product_rows
    seen: dict[tuple[Any, Any, Any], tuple[int, int]] | None = None  # → (row, line index)
    repeats_are_real = context.settings.repeated_lines_are_real  # Shopify: merge, not warn
    numbers = context.row_numbers
    for r in record.row_indices:
        product: dict[str, Any] = {}
        invalid: set[str] | None = None
        filled = False
        index = len(products)
        for name, column_values, column, is_number in context.product_specs:
            value = column_values[r]
            if value is None:
                continue
            filled = True
            if value.__class__ is Bad:
                add(context.bad(record, column, r, value, index))
                invalid = (invalid or set()) | {name}
                continue
            if is_number and not in_range(value):
                context.amount_ok(record, column, r, value, add, index)
                invalid = (invalid or set()) | {name}
                continue
            product[name] = value
        if not filled:
            continue
        if not (
            "id" in product and "name" in product and "quantity" in product and "price" in product
        ):
            _complete(context, record, product, invalid or set(), r, index, add)
        # Two variants of one listing (Etsy's Variations "Size:Small" and "Size:Large" of
        # one listing number) are two products, not a repeated line.
        key = (product.get("id"), product.get("variant_id"), product.get("variant_name"))
        earlier = seen.get(key) if seen is not None and key[0] is not None else None
        if earlier is None:
            if seen is None:
                seen = {}
            seen[key] = (r, index)
        elif repeats_are_real and _merge(products[earlier[1]], product):
            # Northbeam takes each product once per order: the shop's two lines of it are
            # sent as one with both quantities (the order's total is unchanged).
            add(_merged_note(context, record, key[0], numbers, earlier, r, products))
            continue
        else:
            add(
                context.issue(
                    record,
                    IssueCode.DUPLICATE_PRODUCT_LINE,
                    WARNING,
                    f"Product “{key[0]}” appears twice in this order (rows "
                    f"{numbers[earlier[0]]} and {numbers[r]}). "
                    "If it is the same item, put the total in one row's quantity.",
                    f"products[{index}].id",
                    r,
                    context.product_by_key.get("products.id"),
                )
            )
        products.append(product)
        product_rows.append(r)
    if not products and not context.unmapped_products:
        by_key = context.product_by_key
        add(
            context.issue(
                record,
                IssueCode.NO_PRODUCTS,
                ERROR,
                "This order has no products. Northbeam needs at least one product "
                "line with its ID, name, quantity and price.",
                "products",
                facts.first,
                by_key.get("products.id") or by_key.get("products.name"),
            )
        )


def _complete(
    context: CheckContext,
    record: OrderRecord,
    product: dict[str, Any],
    invalid: set[str],
    r: int,
    index: int,
    add: Add,
) -> None:
    by_key = context.product_by_key
    for required in REQUIRED:
        spec = FIELDS_BY_KEY[required]
        if spec.name in product or spec.name in invalid:
            continue
        column = by_key.get(required)
        if required == "products.id" and "name" in product:
            product["id"] = product["name"]
            # keep the schema's key order: id first
            for key in [k for k in product if k != "id"]:
                product[key] = product.pop(key)
            add(
                context.issue(
                    record,
                    IssueCode.PRODUCT_ID_FROM_NAME,
                    Severity.NOTE,
                    f"This line has no product ID, so its name “{product['name']}” "
                    "is sent as the ID. Add your SKU for cleaner product reports.",
                    f"products[{index}].id",
                    r,
                    column or by_key.get("products.name"),
                )
            )
            continue
        if column is None and required in context.unmapped_products:
            continue
        add(context.required(record, required, r, column, index))


def _merge(line: dict[str, Any], again: dict[str, Any]) -> bool:
    """Add a repeated line's quantity to the first line of the same product, when both have
    a quantity and the same price (else they stay two lines and the user is told)."""
    quantity, more = line.get("quantity"), again.get("quantity")
    if quantity is None or more is None or line.get("price") != again.get("price"):
        return False
    if line.get("name") != again.get("name"):
        return False
    line["quantity"] = round(quantity + more, 10)
    return True


def _merged_note(
    context: CheckContext,
    record: OrderRecord,
    product_id: Any,
    numbers: Any,
    earlier: tuple[int, int],
    row: int,
    products: list[dict[str, Any]],
) -> Issue:
    quantity = products[earlier[1]]["quantity"]
    shown = int(quantity) if float(quantity).is_integer() else quantity
    return context.issue(
        record,
        IssueCode.DUPLICATE_PRODUCT_LINE,
        Severity.NOTE,
        f"Product “{product_id}” is on more than one line of this order (rows "
        f"{numbers[earlier[0]]} and {numbers[row]}); the lines are sent as one with quantity "
        f"{shown}, as Northbeam takes each product once per order.",
        f"products[{earlier[1]}].quantity",
        row,
        context.product_by_key.get("products.quantity"),
    )


def screen(context: CheckContext, screen: Screen) -> None:
    """Candidates with a product problem, found column by column; also works out each other
    candidate's product subtotal (price × quantity summed) for the totals."""
    specs = context.product_specs
    by_name = {name: values_ for name, values_, _c, _n in specs}
    required = [by_name.get(name) for name in _REQUIRED_NAMES]
    if any(values_ is None for values_ in required):
        screen.reject(NAME, range(len(screen.candidates)))
        return
    ids, _names, quantities, prices = required
    assert ids is not None and quantities is not None and prices is not None
    variants = by_name.get("variant_id")
    variant_names = by_name.get("variant_name")
    row_count = len(ids)
    no_values = [None] * row_count
    empty = _rows_without_products(context)
    bad_rows = _rows_with_problems(context, empty)
    line_totals = _line_totals(prices, quantities)
    # A product line repeated within an order is two rows of one order with the same product
    # (and variant): found in one pass over the rows (a set compare when there is none).
    order_of_row = context.order_of_row
    all_lines = zip(
        order_of_row, ids, variants or no_values, variant_names or no_values, strict=True
    )
    lines = (
        [line for r, line in enumerate(all_lines) if r not in empty] if empty else list(all_lines)
    )
    repeated: set[OrderRecord | None] = set()  # orders with a repeated product line
    if len(set(lines)) != len(lines):
        seen: set[tuple[Any, ...]] = set()
        for line in lines:
            if line in seen:
                repeated.add(line[0])
            else:
                seen.add(line)
    subtotals = screen.subtotals
    complete_lines = None not in line_totals
    candidates = screen.candidates
    if complete_lines and not empty:
        # The usual file: every row is a product line with a price and a quantity; each
        # subtotal is the same sum() the per-order check makes, in C.
        line_total = cast(list[float], line_totals).__getitem__  # no None: checked above
        subtotals[:] = [sum(map(line_total, record.row_indices)) for record in candidates]
        held = [i for i, record in enumerate(candidates) if record in repeated] if repeated else []
        if bad_rows:
            held.extend(
                i
                for i, record in enumerate(candidates)
                if not bad_rows.isdisjoint(record.row_indices)
            )
        screen.reject(NAME, held)
        return
    rejected: list[int] = []
    for i, record in enumerate(candidates):
        rows = record.row_indices
        product_rows = [r for r in rows if r not in empty] if empty else rows
        if not product_rows:
            rejected.append(i)  # no products
            continue
        if record in repeated or not bad_rows.isdisjoint(product_rows):
            rejected.append(i)  # a repeated product line, or a line with a problem
        order_lines = [line_totals[r] for r in product_rows]
        complete = complete_lines or None not in order_lines
        subtotals[i] = sum(cast(list[float], order_lines)) if complete else None
    screen.reject(NAME, rejected)


def _line_totals(prices: list[Any], quantities: list[Any]) -> list[int | float | None]:
    """Price × quantity per row, as the per-order check adds them up: None where either is
    missing, not understood or out of range (that line is sent without it)."""
    if _all_in_range(prices) and _all_in_range(quantities):
        return list(map(mul, prices, quantities))  # the usual case, in C
    return [
        p * q
        if p.__class__ in _NUMBER_TYPES
        and q.__class__ in _NUMBER_TYPES
        and in_range(p)
        and in_range(q)
        else None
        for p, q in zip(prices, quantities, strict=True)
    ]


def _rows_without_products(context: CheckContext) -> set[int]:
    """Rows with no product value at all."""
    columns = [column_values for _name, column_values, _column, _is_number in context.product_specs]
    if not columns or any(None not in column_values for column_values in columns):
        return set()  # the usual file: some product column is filled on every row
    empty = set(range(len(context.sheet.rows)))
    for column_values in columns:
        empty.intersection_update([i for i, v in enumerate(column_values) if v is None])
    return empty


def _rows_with_problems(context: CheckContext, empty: set[int]) -> set[int]:
    """Rows whose product cells raise any product issue (other than a repeated line)."""
    bad_rows: set[int] = set()
    for name, column_values, column, is_number in context.product_specs:
        if column.had_bad:
            bad_rows.update([i for i, v in enumerate(column_values) if v.__class__ is Bad])
        if name in _REQUIRED_NAMES and None in column_values:
            bad_rows.update(
                [i for i, v in enumerate(column_values) if v is None and i not in empty]
            )
        if is_number:
            out = {
                v
                for v in set(column_values)
                if v is not None and v.__class__ is not Bad and not in_range(v)
            }
            if out:
                bad_rows.update([i for i, v in enumerate(column_values) if v in out])
    return bad_rows


def _all_in_range(column: list[Any]) -> bool:
    """True when every value is an int or a float (not a bool, a Bad cell or a blank) that
    Northbeam takes, decided in C."""
    return (
        bool(column)
        and set(map(type, column)) <= {int, float}
        and in_range(min(column))
        and in_range(max(column))
    )
