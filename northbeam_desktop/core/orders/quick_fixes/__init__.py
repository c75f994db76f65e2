"""Quick fixes: one-click changes that repair a problem and keep its order whole.

The Qt-free half of the problems panel. `QuickFixer(doc)` answers two questions:

* `fixes_for(issue)`: the ways to fix one problem, best first (possibly none);
* `group_fix(issues)`: the best fix of each problem of a group, as one change "for all N",
  with a preview (`preview_lines`) of what changes on how many orders.

Where the values come from, in this order:

1. **The rest of the order.** An empty tax or shipping cost is what the purchase total leaves
   after the products, the other part and the discount (`total − products − shipping +
   discount`); a missing price is what the total leaves for its line. A purchase total is made
   from its parts only when the total itself is missing or unreadable.
2. **What the file already knows.** The customer ID used with the same email on other orders;
   the name, price or SKU the same product has on other rows; the currency the file (or that
   customer) uses.
3. **The checker's own suggestion** (the 3-letter code for "$", 0 for an empty tax when there is
   no total to derive it from, the value the other rows of an order agree on).

Two rules hold for every fix: an order-level value is written on every row of its order
(`OrderDocument.order_level_rows`), so a fix never leaves an order disagreeing with itself; and
no fix lowers a purchase total. When an order's parts and total disagree, the fixes change the
parts, and the explanation says by how much they differ.
"""

from northbeam_desktop.core.orders.quick_fixes.amounts import MISSING, OrderAmounts
from northbeam_desktop.core.orders.quick_fixes.context import converted_text
from northbeam_desktop.core.orders.quick_fixes.fixer import QuickFixer
from northbeam_desktop.core.orders.quick_fixes.model import (
    CellChange,
    ChangeLine,
    GroupFix,
    QuickFix,
    money,
)

__all__ = [
    "MISSING",
    "CellChange",
    "ChangeLine",
    "GroupFix",
    "OrderAmounts",
    "QuickFix",
    "QuickFixer",
    "converted_text",
    "money",
]
