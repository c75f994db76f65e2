"""From a JSON path of an order's payload (`products[1].price`, as Northbeam names a rejected
value) back to the cell it came from."""

from __future__ import annotations

import re

from northbeam_desktop.core.orders.columns import Column
from northbeam_desktop.core.orders.records import OrderRecord
from northbeam_desktop.core.orders.rules import OrderChecker

_PATH_PART = re.compile(
    r"^(?P<container>[a-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<name>[a-z_0-9]+))?$"
)
_LINES = ("products", "refunds", "alternate_order_ids")


def locate(
    checker: OrderChecker, columns: dict[str, Column], record: OrderRecord, path: str
) -> tuple[int | None, int | None]:
    """Map a JSON path of the order's payload to (row_index, col_index) of its cell."""
    path = path.strip().removeprefix("$").lstrip(".")
    match = _PATH_PART.match(path)
    first = record.row_indices[0] if record.row_indices else None
    if not match:
        return first, None
    container, index, name = match["container"], match["index"], match["name"]
    if container in _LINES and name:
        facts, _issues = checker.read(record)  # which row each line came from
        rows = {
            "products": facts.product_rows,
            "refunds": facts.refund_rows,
            "alternate_order_ids": facts.alternate_rows,
        }[container]
        column = columns.get(f"{container}.{name}")
        row = rows[int(index)] if index is not None and int(index) < len(rows) else first
        return row, column.index if column else None
    key = f"{container}.{name}" if name else container
    if key == "hashed_customer_email" and "hashed_customer_email" not in columns:
        key = "customer_email"
    if key == "hashed_customer_phone_number" and key not in columns:
        key = "customer_phone_number"
    column = columns.get(key)
    if column is None:
        return first, None
    for r in record.row_indices:
        if column.values[r] is not None:
            return r, column.index
    return first, column.index
