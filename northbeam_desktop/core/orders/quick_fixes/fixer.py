"""`QuickFixer`: the fixes of one problem, best first, and the best fix of each problem of a group."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from northbeam_desktop.core.orders import values
from northbeam_desktop.core.orders.issues import Issue
from northbeam_desktop.core.orders.quick_fixes.amounts import OrderAmounts
from northbeam_desktop.core.orders.quick_fixes.cell_fixes import (
    conflict_fixes,
    converted_fix,
    suggested_fix,
)
from northbeam_desktop.core.orders.quick_fixes.context import FixContext
from northbeam_desktop.core.orders.quick_fixes.known_fixes import (
    currency_fixes,
    customer_id_fixes,
    product_fixes,
)
from northbeam_desktop.core.orders.quick_fixes.model import (
    CellChange,
    ChangeLine,
    GroupFix,
    QuickFix,
    orders_phrase,
)
from northbeam_desktop.core.orders.quick_fixes.money_fixes import (
    derived_part,
    derived_price,
    derived_total,
    totals_fixes,
)
from northbeam_desktop.core.orders.records import OrderRecord
from northbeam_desktop.core.orders.sheet import CellValue

if TYPE_CHECKING:
    from northbeam_desktop.core.orders.document import OrderDocument


class QuickFixer:
    """Quick fixes for the problems of one document. Build a new one after edits: it keeps
    lookups (customer IDs by email, names and prices by SKU…) made on first use."""

    def __init__(self, doc: OrderDocument) -> None:
        self.doc = doc
        self.ctx = FixContext(doc)

    def amounts(self, record: OrderRecord) -> OrderAmounts:
        """What the file says about an order's money (first filled cell of each value)."""
        return self.ctx.amounts(record)

    def converted_text(self, row_index: int, col_index: int) -> str | None:
        """The value a cell is sent as, as text (None when it has none)."""
        return self.ctx.converted_text(row_index, col_index)

    def fixes_for(self, issue: Issue) -> list[QuickFix]:
        """The fixes of one problem, best first; none lowers a purchase total."""
        if issue.row_index is None:
            return []
        record = self.ctx.doc.order_of_row[issue.row_index]
        if record is None:
            return []
        fixes = [fix for fix in self._candidates(issue, record) if not self.ctx.lowers_total(fix)]
        unique: list[QuickFix] = []
        seen: set[tuple[CellChange, ...]] = set()
        for fix in fixes:
            key = tuple(sorted(fix.changes, key=lambda c: (c[0], c[1])))
            if fix.changes and key not in seen:
                seen.add(key)
                unique.append(fix)
        return unique

    def _candidates(self, issue: Issue, record: OrderRecord) -> list[QuickFix]:
        key = self.ctx.key_of_col.get(issue.col_index) if issue.col_index is not None else None
        code = issue.code
        if code == "totals_mismatch":
            return totals_fixes(self.ctx, record)
        if code == "value_converted" and issue.col_index is not None:
            return converted_fix(self.ctx, issue)
        result: list[QuickFix] = []
        if key in ("tax", "shipping_cost") and code in ("required", "not_a_number"):
            result += derived_part(self.ctx, record, key)
        elif key == "purchase_total" and code in ("required", "not_a_number"):
            result += derived_total(self.ctx, record)
        elif key == "customer_id" and code in (
            "customer_id_is_email",
            "customer_id_is_order_id",
            "required",
        ):
            result += customer_id_fixes(self.ctx, issue, record)
        elif key == "products.name" and code == "required":
            result += product_fixes(self.ctx, issue, "name")
        elif key == "products.id" and code in ("required", "product_id_from_name"):
            result += product_fixes(self.ctx, issue, "id")
        elif key == "products.price" and code in ("required", "not_a_number"):
            result += product_fixes(self.ctx, issue, "price") + derived_price(
                self.ctx, issue, record
            )
        elif key == "currency" and code in ("ambiguous_currency", "required"):
            result += currency_fixes(self.ctx, issue, record)
        elif code == "order_value_conflict" and issue.col_index is not None:
            return conflict_fixes(self.ctx, issue, record)
        writes_cell = any(
            c == issue.col_index and r == issue.row_index
            for fix in result
            for r, c, _ in fix.changes
        )
        if issue.suggestion is not None and issue.col_index is not None and not writes_cell:
            result.append(suggested_fix(self.ctx, issue))
        return result

    def group_fix(self, issues: Sequence[Issue]) -> GroupFix | None:
        """The best fix of each problem, together; None when no problem has one."""
        items: list[tuple[Issue, QuickFix]] = []
        for issue in issues:
            fixes = self.fixes_for(issue)
            if fixes:
                items.append((issue, fixes[0]))
        if not items:
            return None
        changes: dict[tuple[int, int], CellValue] = {}
        for _issue, fix in items:
            for r, c, value in fix.changes:
                changes.setdefault((r, c), value)
        of_row = self.ctx.doc.order_of_row
        count = len({id(of_row[r]) for (r, _c) in changes if of_row[r] is not None})
        asked = len({id(of_row[i.row_index]) for i in issues if i.row_index is not None})
        kinds = {fix.kind for _, fix in items}
        if kinds == {"converted"}:
            asked = count  # one note stands for every cell with the value
        first = items[0][1]
        if count == 1 or (len(items) == 1 and kinds == {"converted"}):
            label = first.label
        elif len({fix.value for _, fix in items}) == 1:
            scope = f"all {count:,}" if count == asked else f"{count:,} of {orders_phrase(asked)}"
            label = f"{first.label} for {scope}"
        else:
            phrase = _KIND_PHRASES.get(first.kind, _MIXED) if len(kinds) == 1 else _MIXED
            scope = (
                orders_phrase(count) if count == asked else f"{count:,} of {orders_phrase(asked)}"
            )
            label = f"{phrase} ({scope})"
        explanation = first.explanation if count == 1 else _group_explanation(items, kinds)
        return GroupFix(
            label,
            explanation,
            [(r, c, v) for (r, c), v in changes.items()],
            count,
            len(items),
            len(issues),
            items,
        )

    def preview_lines(self, changes: Iterable[CellChange]) -> list[ChangeLine]:
        """Each cell a fix writes, in file order, with its value before and after."""
        doc = self.ctx.doc
        lines = []
        for r, c, value in sorted(changes, key=lambda change: (change[0], change[1])):
            record = doc.order_of_row[r]
            lines.append(
                ChangeLine(
                    doc.sheet.row_numbers[r],
                    record.order_id if record is not None else None,
                    doc.sheet.headers[c],
                    values.to_text(doc.sheet.rows[r][c]) or "",
                    values.to_text(value) or "",
                )
            )
        return lines


_MIXED = "Apply each order's suggested fix"


_KIND_PHRASES = {
    "derived_tax": "Use the tax each order's total leaves",
    "derived_shipping_cost": "Use the shipping each order's total leaves",
    "derived_total": "Make each total from its parts",
    "derived_price": "Use the price each order's total leaves",
    "same_email": "Use each customer's ID from their other orders",
    "email_code": "Use codes made from the customers' emails",
    "same_product_name": "Use each product's name from its other rows",
    "same_product_price": "Use each product's price from its other rows",
    "same_product_id": "Use each product's SKU from its other rows",
    "file_currency": "Use the file's currency",
    "converted": "Write the values as they are sent",
    "conflict": "Use one value per order",
    "totals_tax": "Put the difference in tax",
    "totals_shipping_cost": "Put the difference in shipping",
    "totals_discount_amount": "Put the difference in the discount",
    "suggested": "Apply the suggested values",
}


def _group_explanation(items: list[tuple[Issue, QuickFix]], kinds: set[str]) -> str:
    if kinds == {"derived_tax"} or kinds == {"derived_shipping_cost"}:
        return (
            "Each order gets what its total leaves after its products, the other part and the "
            "discount, so every order adds up."
        )
    if len(kinds) == 1:
        return (
            items[0][1].explanation
            if len(items) == 1
            else _KIND_WHY.get(next(iter(kinds)), "Each order gets the value its problem suggests.")
        )
    return "Each order gets the best fix for its own problem; see the list."


_KIND_WHY = {
    "same_email": "Each order gets the customer ID its email has on other orders of this file.",
    "same_product_name": "Each line gets the name its SKU has on other rows of this file.",
    "same_product_price": "Each line gets the price its SKU has on other rows of this file.",
    "same_product_id": "Each line gets the SKU its product name has on other rows of this file.",
    "converted": "Each value is written the way it is sent to Northbeam.",
    "zero": "Northbeam needs a number here; 0 means there was none.",
    "suggested": "Each cell gets the value its problem suggests.",
    "conflict": "Each order gets one value on all its rows.",
    "file_currency": "Each order gets the currency the file's other orders (or that customer's) "
    "use.",
    "email_code": "Each order gets a code made from its customer's email: the same email always "
    "gives the same code.",
    "derived_total": "Each total is made from its order's products, tax and shipping, less the "
    "discount.",
    "derived_price": "Each line gets the price its order's total leaves for it.",
    "totals_tax": "Each order's difference between its total and its parts goes into its tax.",
    "totals_shipping_cost": "Each order's difference between its total and its parts goes into "
    "its shipping.",
    "totals_discount_amount": "Each order's difference between its parts and its total goes "
    "into its discount.",
    "totals_purchase_total": "Each total is raised to what its parts come to.",
}
