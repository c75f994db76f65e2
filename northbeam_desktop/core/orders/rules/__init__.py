"""Every rule an order must pass before Northbeam accepts it, one module per family.

Rules come from the Orders API v2 schema (required fields incl. `shipping_cost`, types,
`minLength`, the 1e14 maximum, unique codes/tags/refunds, the server's exact currency list,
whole-value 3-letter country codes, date-times with an offset, email vs hashed email and phone
vs hashed phone, 64-hex hashes, no unknown keys) and from Northbeam's written guidance
(customer ID is neither the order ID nor an email; a refunded product must be one of the
order's products and not refunded more often than sold; no negative amounts). On top of these
come checks no other tool makes: totals that do not add up, purchases in the future and
repeated product lines (warnings).

Each family module (see `FAMILIES`, run in that order) has:

- `check(context, facts, add)`: the rules for one order; it adds issues and records what it
  found in `facts` for later families and for the payload;
- `screen(context, screen)`: the same rules asked of many orders at once, column by column,
  marking every order that may have one of the family's issues. Checking 40,000 orders one by
  one costs more than reading the file, but almost every order of a real file is clean, and
  "clean" can be decided with one pass per column. tests/core/orders/test_rules_*.py prove per
  family that an order the screen passes has none of the family's issues, on every fixture and
  on randomly damaged files;
- `NAME`, `CODES` (the issue codes only this family raises) and `SCREEN_EXACT` (False when the
  screen sends every order with such values to the per-order check, as for refunds).

A cancelled order held back (not sent unless the user chooses to send cancelled orders) keeps
only its notes: its errors and warnings come back when it is to be sent.

To add a rule: put it in its family's `check` and `screen` (or a new family module listed in
`FAMILIES`), raise it through an `IssueCode` (with its title in core/orders/issues.py), and add a
case to that family's test.
"""

from __future__ import annotations

import datetime as dt

from northbeam_desktop.core.orders.columns import Column
from northbeam_desktop.core.orders.issues import Issue, Severity
from northbeam_desktop.core.orders.records import OrderRecord
from northbeam_desktop.core.orders.rules import (
    address,
    alternate_ids,
    identity,
    money,
    order_info,
    order_values,
    products,
    purchase_time,
    refunds,
    totals,
)
from northbeam_desktop.core.orders.rules.context import (
    CheckContext,
    CheckSettings,
    OrderFacts,
    RuleFamily,
    Screen,
)
from northbeam_desktop.core.orders.sheet import SheetData

# In the order they run: later families read what earlier ones found (order values first,
# products before refunds and totals).
FAMILIES: tuple[RuleFamily, ...] = (
    order_values,
    order_info,
    identity,
    purchase_time,
    money,
    products,
    refunds,
    address,
    alternate_ids,
    totals,
)

__all__ = ["FAMILIES", "CheckSettings", "OrderChecker", "OrderFacts", "RuleFamily", "Screen"]


class OrderChecker:
    """Checks the orders of one document; holds the lookups built once per document."""

    def __init__(
        self,
        *,
        sheet: SheetData,
        columns: dict[str, Column],
        order_of_row: list[OrderRecord | None],
        derived_customer: bool,
        unmapped: set[str],
        now: dt.datetime,
        hash_identifiers: bool,
        phone_region: str,
        cancelled_statuses: frozenset[str] = frozenset(),
        include_cancelled: bool = False,
        blank_customer: str = "",
        repeated_lines_are_real: bool = False,
    ) -> None:
        settings = CheckSettings(
            cancelled_statuses=cancelled_statuses,
            include_cancelled=include_cancelled,
            blank_customer=blank_customer,
            repeated_lines_are_real=repeated_lines_are_real,
            now=now,
            hash_identifiers=hash_identifiers,
            phone_region=phone_region,
            derived_customer=derived_customer,
            unmapped=frozenset(unmapped),
        )
        self.context = CheckContext(
            sheet=sheet, columns=columns, order_of_row=order_of_row, settings=settings
        )

    def check(self, record: OrderRecord, *, consistent: bool = False) -> list[Issue]:
        """The issues of one order. `consistent=True` promises (see `consistent_orders`) that
        its rows never disagree, so each order value is simply the one on its first row."""
        return self.read(record, consistent=consistent)[1]

    def read(
        self, record: OrderRecord, *, consistent: bool = False
    ) -> tuple[OrderFacts, list[Issue]]:
        """What the families find in one order (for the payload and for locating cells) and
        its issues."""
        facts = OrderFacts(record, consistent=consistent)
        issues: list[Issue] = []
        add = issues.append
        context = self.context
        for family in FAMILIES:
            family.check(context, facts, add)
        if record.held_back:
            # A cancelled order held back is not sent at all: what would stop it or be worth a
            # look before sending matters once the user chooses to send cancelled orders, when
            # the order is checked again. Until then it says only why it is not sent.
            issues = [issue for issue in issues if issue.severity is Severity.NOTE]
        return facts, issues

    def issues_by_family(
        self, record: OrderRecord, *, consistent: bool = False
    ) -> dict[str, list[Issue]]:
        """The issues of one order per family (`check` joins them in this order)."""
        facts = OrderFacts(record, consistent=consistent)
        found: dict[str, list[Issue]] = {}
        for family in FAMILIES:
            family.check(self.context, facts, found.setdefault(family.NAME, []).append)
        return found

    def consistent_orders(self, orders: list[OrderRecord]) -> set[OrderRecord]:
        """Multi-row orders whose rows provably agree on every order value."""
        return order_values.consistent_orders(self.context, orders)

    def prescreen(
        self, orders: list[OrderRecord], consistent: set[OrderRecord]
    ) -> set[OrderRecord]:
        """Orders that provably have no issue at all, found column by column (see the module
        docstring); everything unusual is left to `check`."""
        screen = self.screen(orders, consistent)
        return screen.clean() if screen is not None else set()

    def screen(self, orders: list[OrderRecord], consistent: set[OrderRecord]) -> Screen | None:
        """Every family's column-wise verdict on the orders that may be clean (None when no
        order can be: a required field without a column, or hashing, which needs each order's
        phone numbers worked out one by one)."""
        settings = self.context.settings
        if settings.unmapped or settings.hash_identifiers or not orders:
            return None
        candidates = [
            record
            for record in orders
            if record.order_id is not None
            and not record.server_issues
            and (len(record.row_indices) == 1 or record in consistent)
        ]
        if not candidates:
            # No order has an ID of its own (a file whose Order ID column was emptied):
            # nothing to settle column by column.
            return None
        screen = Screen(self.context, candidates)
        for family in FAMILIES:
            family.screen(self.context, screen)
        return screen
