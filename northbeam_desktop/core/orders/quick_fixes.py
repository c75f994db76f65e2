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

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from northbeam_desktop.core.orders import values
from northbeam_desktop.core.orders.fields import FIELDS_BY_KEY, Kind
from northbeam_desktop.core.orders.issues import Issue
from northbeam_desktop.core.orders.records import Bad, OrderRecord
from northbeam_desktop.core.orders.rules.identity import derived_customer_id
from northbeam_desktop.core.orders.rules.totals import tolerance
from northbeam_desktop.core.orders.sheet import CellValue

if TYPE_CHECKING:
    from northbeam_desktop.core.orders.columns import Column
    from northbeam_desktop.core.orders.document import OrderDocument

CellChange = tuple[int, int, CellValue]  # (row_index, col_index, new value)

_MONEY_PARTS = ("tax", "shipping_cost", "discount_amount")
_EMAIL_LIKE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class QuickFix:
    """One way to fix one problem."""

    kind: str  # where the value comes from ("derived_tax", "same_email", …): fixes of one
    # kind are offered together "for all N"
    label: str  # the button: "Use 20.32", "Set tax to 20.32"
    explanation: str  # one or two sentences: why this value
    changes: tuple[CellChange, ...]  # every cell written (all rows of the order)
    value: str  # the value, as text

    @property
    def rows(self) -> list[int]:
        return sorted({row for row, _, _ in self.changes})


@dataclass(slots=True)
class GroupFix:
    """The best fix of each problem of a group, applied together as one undoable step."""

    label: str  # "Use 0 for all 132", "Use the tax each total leaves, for 12 orders"
    explanation: str
    changes: list[CellChange]
    orders: int  # how many orders change
    fixed: int  # how many of the group's problems it fixes
    total: int  # how many problems the group has
    items: list[tuple[Issue, QuickFix]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ChangeLine:
    """One cell of a preview: "Row 4 · order 2001 · Tax: empty → 20.32"."""

    row: int  # Excel row number
    order_id: str | None
    column: str  # the column's header
    before: str  # "" when empty
    after: str

    def text(self) -> str:
        order = f" · order {self.order_id}" if self.order_id else ""
        before = f"“{self.before}”" if self.before else "empty"
        after = f"“{self.after}”" if self.after else "empty"
        return f"Row {self.row}{order} · {self.column}: {before} → {after}"


def money(value: float) -> str:
    """An amount as it is written into a cell: two decimals, no thousands separator."""
    text = f"{round(value, 2):.2f}"
    return "0.00" if text == "-0.00" else text


def _shown(value: float) -> str:
    return f"{value:,.2f}"


class _Missing:
    """An amount that is blank or could not be read."""

    __slots__ = ()


MISSING = _Missing()
Amount = float | _Missing


@dataclass(slots=True)
class OrderAmounts:
    """The money of one order as the file has it; `items` is None when a line is incomplete."""

    total: Amount
    tax: Amount
    shipping: Amount
    discount: Amount
    items: float | None
    mapped: set[str]  # which of the money fields have a column

    def known(self, key: str) -> float | None:
        value = {
            "purchase_total": self.total,
            "tax": self.tax,
            "shipping_cost": self.shipping,
            "discount_amount": self.discount,
        }[key]
        if isinstance(value, _Missing):
            # An unmapped part is sent as nothing (0); a mapped blank one is unknown, except a
            # discount, which is optional (blank means none).
            if key not in self.mapped or key == "discount_amount":
                return 0.0
            return None
        return value

    def parts(self) -> float | None:
        """products + tax + shipping − discount, when all are known."""
        tax, shipping, discount = (self.known(k) for k in _MONEY_PARTS)
        if self.items is None or tax is None or shipping is None or discount is None:
            return None
        return self.items + tax + shipping - discount


class QuickFixer:
    """Quick fixes for the problems of one document. Build a new one after edits: it keeps
    lookups (customer IDs by email, names and prices by SKU…) made on first use."""

    def __init__(self, doc: OrderDocument) -> None:
        self.doc = doc
        self._key_of_col = {column.index: key for key, column in doc.columns.items()}
        self._ids_by_email: dict[str, Counter[str]] | None = None
        self._products: tuple[dict[str, Counter[str]], ...] | None = None
        self._currencies: tuple[Counter[str], dict[str, Counter[str]]] | None = None

    # ---- one problem ------------------------------------------------------------------------

    def fixes_for(self, issue: Issue) -> list[QuickFix]:
        """The fixes of one problem, best first; none lowers a purchase total."""
        if issue.row_index is None:
            return []
        record = self.doc.order_of_row[issue.row_index]
        if record is None:
            return []
        fixes = [fix for fix in self._candidates(issue, record) if not self._lowers_total(fix)]
        unique: list[QuickFix] = []
        seen: set[tuple[CellChange, ...]] = set()
        for fix in fixes:
            key = tuple(sorted(fix.changes, key=lambda c: (c[0], c[1])))
            if fix.changes and key not in seen:
                seen.add(key)
                unique.append(fix)
        return unique

    def _candidates(self, issue: Issue, record: OrderRecord) -> list[QuickFix]:
        key = self._key_of_col.get(issue.col_index) if issue.col_index is not None else None
        code = issue.code
        if code == "totals_mismatch":
            return self._totals_fixes(record)
        if code == "value_converted" and issue.col_index is not None:
            return self._converted_fix(issue)
        result: list[QuickFix] = []
        if key in ("tax", "shipping_cost") and code in ("required", "not_a_number"):
            result += self._derived_part(record, key)
        elif key == "purchase_total" and code in ("required", "not_a_number"):
            result += self._derived_total(record)
        elif key == "customer_id" and code in (
            "customer_id_is_email",
            "customer_id_is_order_id",
            "required",
        ):
            result += self._customer_id_fixes(issue, record)
        elif key == "products.name" and code == "required":
            result += self._product_fixes(issue, "name")
        elif key == "products.id" and code in ("required", "product_id_from_name"):
            result += self._product_fixes(issue, "id")
        elif key == "products.price" and code in ("required", "not_a_number"):
            result += self._product_fixes(issue, "price") + self._derived_price(issue, record)
        elif key == "currency" and code in ("ambiguous_currency", "required"):
            result += self._currency_fixes(issue, record)
        elif code == "order_value_conflict" and issue.col_index is not None:
            return self._conflict_fixes(issue, record)
        writes_cell = any(
            c == issue.col_index and r == issue.row_index
            for fix in result
            for r, c, _ in fix.changes
        )
        if issue.suggestion is not None and issue.col_index is not None and not writes_cell:
            result.append(self._suggested(issue))
        return result

    # ---- the order's money ------------------------------------------------------------------

    def amounts(self, record: OrderRecord) -> OrderAmounts:
        """What the file says about an order's money (first filled cell of each value)."""
        doc = self.doc
        got: dict[str, Amount] = {}
        mapped: set[str] = set()
        for key in ("purchase_total", *_MONEY_PARTS):
            column = doc.columns.get(key)
            got[key] = MISSING
            if column is None:
                continue
            mapped.add(key)
            for r in record.row_indices:
                value = column.values[r]
                if value is None:
                    continue
                got[key] = float(value) if _is_number(value) else MISSING
                break
        return OrderAmounts(
            got["purchase_total"],
            got["tax"],
            got["shipping_cost"],
            got["discount_amount"],
            self._items(record),
            mapped,
        )

    def _items(self, record: OrderRecord, skip: int | None = None) -> float | None:
        """The sum of price × quantity over the order's product lines (None when a line has no
        usable price or quantity); `skip` leaves one row out."""
        price = self.doc.columns.get("products.price")
        quantity = self.doc.columns.get("products.quantity")
        if price is None or quantity is None:
            return None
        total = 0.0
        for r in self._product_rows(record):
            if r == skip:
                continue
            p, q = price.values[r], quantity.values[r]
            if not (_is_number(p) and _is_number(q)):
                return None
            total += p * q
        return total

    def _product_rows(self, record: OrderRecord) -> list[int]:
        """Rows of the order with anything in a product column."""
        product_columns = [c for k, c in self.doc.columns.items() if k.startswith("products.")]
        return [
            r for r in record.row_indices if any(c.values[r] is not None for c in product_columns)
        ]

    def _derived_part(self, record: OrderRecord, key: str) -> list[QuickFix]:
        """Tax or shipping: what the total leaves after everything else."""
        amounts = self.amounts(record)
        label = FIELDS_BY_KEY[key].label
        other = "shipping_cost" if key == "tax" else "tax"
        total = None if isinstance(amounts.total, _Missing) else amounts.total
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
                    f"{_shown(total)} − products {_shown(amounts.items)} − "
                    f"{FIELDS_BY_KEY[other].label.lower()} {_shown(other_value)} + discount "
                    f"{_shown(discount)}."
                )
                if derived == 0:
                    why = (
                        f"The products, {FIELDS_BY_KEY[other].label.lower()} and discount already "
                        f"make up the total ({_shown(total)}), so there was no "
                        f"{label.lower()}."
                    )
                fixes.append(
                    self._fix_cells(
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
                        self._fix_cells(
                            "zero",
                            record,
                            key,
                            0.0,
                            "Use 0",
                            f"If the order had no {label.lower()}, the total is then "
                            f"{_shown(derived)} more than its parts; check it afterwards.",
                        )
                    )
                return fixes
            why = (
                f"The order's total ({_shown(total)}) is {_shown(-derived)} less than its "
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
            self._fix_cells("zero", record, key, 0.0, "Use 0", f"{why} Type 0 if there was none.")
        )
        return fixes

    def _derived_total(self, record: OrderRecord) -> list[QuickFix]:
        """A missing or unreadable total, made from its parts (never replaces a real total)."""
        amounts = self.amounts(record)
        parts = amounts.parts()
        if parts is None or parts < 0:
            return []
        text = money(parts)
        tax, shipping, discount = (amounts.known(k) or 0.0 for k in _MONEY_PARTS)
        assert amounts.items is not None
        why = (
            f"{text} is products {_shown(amounts.items)} + tax {_shown(tax)} + shipping "
            f"{_shown(shipping)} − discount {_shown(discount)}."
        )
        return [
            self._fix_cells("derived_total", record, "purchase_total", parts, f"Use {text}", why)
        ]

    def _totals_fixes(self, record: OrderRecord) -> list[QuickFix]:
        """Total and parts disagree: fix the parts first; the total only ever goes up."""
        amounts = self.amounts(record)
        total = None if isinstance(amounts.total, _Missing) else amounts.total
        parts = amounts.parts()
        if total is None or parts is None:
            return []
        difference = total - parts
        if abs(difference) <= tolerance(total):
            return []
        tax, shipping, discount = (amounts.known(k) or 0.0 for k in _MONEY_PARTS)
        assert amounts.items is not None
        summary = (
            f"products {_shown(amounts.items)} + tax {_shown(tax)} + shipping {_shown(shipping)} "
            f"− discount {_shown(discount)} = {_shown(parts)}"
        )
        fixes: list[QuickFix] = []
        if difference > 0:
            why = (
                f"The total ({_shown(total)}) is {_shown(difference)} more than {summary}; "
                "most often that is tax or shipping the file leaves out."
            )
            # The part that is 0 is the likelier one to be missing; tax first otherwise.
            order = (
                ["shipping_cost", "tax"] if tax != 0 and shipping == 0 else ["tax", "shipping_cost"]
            )
            for key in order:
                if key not in amounts.mapped:
                    continue
                current = tax if key == "tax" else shipping
                new = current + difference
                name = FIELDS_BY_KEY[key].label
                fixes.append(
                    self._fix_cells(
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
                f"The total ({_shown(total)}) is {_shown(missing)} less than {summary}; most "
                "often that is a discount the file leaves out."
            )
            if "discount_amount" in amounts.mapped:
                new = discount + missing
                fixes.append(
                    self._fix_cells(
                        "totals_discount_amount",
                        record,
                        "discount_amount",
                        new,
                        f"Set discount to {money(new)}",
                        why,
                    )
                )
            fixes.append(
                self._fix_cells(
                    "totals_purchase_total",
                    record,
                    "purchase_total",
                    parts,
                    f"Set total to {money(parts)}",
                    f"{why} If nothing was left out, the total is {money(parts)}.",
                )
            )
        return fixes

    def _derived_price(self, issue: Issue, record: OrderRecord) -> list[QuickFix]:
        """A line's missing price: what the total leaves for it (one unknown line only)."""
        r = issue.row_index
        assert r is not None
        amounts = self.amounts(record)
        quantity = self.doc.columns.get("products.quantity")
        total = None if isinstance(amounts.total, _Missing) else amounts.total
        if quantity is None or total is None or not _is_number(quantity.values[r]):
            return []
        qty = float(quantity.values[r])
        others = self._items(record, skip=r)
        tax, shipping, discount = (amounts.known(k) for k in _MONEY_PARTS)
        if qty <= 0 or others is None or tax is None or shipping is None or discount is None:
            return []
        left = total - others - tax - shipping + discount
        if left <= 0:
            return []
        price = left / qty
        text = money(price)
        why = (
            f"{text} is what the order's total ({_shown(total)}) leaves for this line after its "
            f"other products, tax and shipping"
            + (f", for {values.to_text(quantity.values[r])} units." if qty != 1 else ".")
        )
        return [self._fix_cell("derived_price", issue, price, f"Use {text}", why)]

    # ---- what the file knows ----------------------------------------------------------------

    def _customer_id_fixes(self, issue: Issue, record: OrderRecord) -> list[QuickFix]:
        doc = self.doc
        email = self._order_text(record, "customer_email")
        fixes: list[QuickFix] = []
        if email and "customer_id" in doc.columns:
            known = self._ids_for_email(email)
            if known:
                customer_id, orders = known
                fixes.append(
                    self._fix_cells(
                        "same_email",
                        record,
                        "customer_id",
                        customer_id,
                        f"Use {customer_id}",
                        f"{customer_id} is the customer ID of {email} on "
                        f"{orders:,} other order{'s' if orders != 1 else ''} in this file.",
                    )
                )
            code = derived_customer_id(email)
            fixes.append(
                self._fix_cells(
                    "email_code",
                    record,
                    "customer_id",
                    code,
                    f"Use {code}",
                    "A code made from the customer's email: the same email always gives the "
                    "same code, and the email can't be read back from it.",
                )
            )
        return fixes

    def _ids_for_email(self, email: str) -> tuple[str, int] | None:
        """The customer ID most used with this email on other orders, and on how many."""
        if self._ids_by_email is None:
            self._ids_by_email = {}
            by_email = self._ids_by_email
            for other in self.doc.orders:
                mail = self._order_text(other, "customer_email")
                cid = self._order_text(other, "customer_id")
                if not mail or not cid or cid == other.order_id or _EMAIL_LIKE.match(cid):
                    continue
                by_email.setdefault(mail.casefold(), Counter())[cid] += 1
        counter = self._ids_by_email.get(email.casefold())
        if not counter:
            return None
        customer_id, count = counter.most_common(1)[0]
        return customer_id, count

    def _product_fixes(self, issue: Issue, wanted: str) -> list[QuickFix]:
        """A product's empty name, SKU or price, from the same product on other rows."""
        r = issue.row_index
        assert r is not None
        names, prices, skus = self._product_index()
        if wanted == "id":
            name = self._cell_text(r, "products.name")
            counter = skus.get(name.casefold()) if name else None
            source = f"the product “{name}”"
        else:
            sku = self._cell_text(r, "products.id")
            counter = (names if wanted == "name" else prices).get(sku) if sku else None
            source = f"SKU {sku}"
        if not counter:
            return []
        value, count = counter.most_common(1)[0]
        target_key = {"id": "products.id", "name": "products.name", "price": "products.price"}[
            wanted
        ]
        what = {"id": "SKU", "name": "name", "price": "price"}[wanted]
        stored: CellValue = value
        if wanted == "price":
            stored = float(value)
        why = (
            f"{source} has the {what} {value} on {count:,} other row{'s' if count != 1 else ''} "
            "of this file."
        )
        return [
            self._fix_cell(
                f"same_product_{wanted}", issue, stored, f"Use {value}", why, key=target_key
            )
        ]

    def _product_index(self) -> tuple[dict[str, Counter[str]], ...]:
        """(names by SKU, prices by SKU, SKUs by name (case-folded)) over every row."""
        if self._products is None:
            cols = self.doc.columns
            ids, names, prices = (
                cols.get(k) for k in ("products.id", "products.name", "products.price")
            )
            by_sku_name: dict[str, Counter[str]] = {}
            by_sku_price: dict[str, Counter[str]] = {}
            by_name_sku: dict[str, Counter[str]] = {}
            count = len(self.doc.sheet.rows)
            for r in range(count):
                sku = ids.values[r] if ids is not None else None
                name = names.values[r] if names is not None else None
                price = prices.values[r] if prices is not None else None
                sku = sku if sku.__class__ is str else None
                name = name if name.__class__ is str else None
                if sku and name:
                    by_sku_name.setdefault(sku, Counter())[name] += 1
                    by_name_sku.setdefault(name.casefold(), Counter())[sku] += 1
                if sku and _is_number(price) and price >= 0:
                    by_sku_price.setdefault(sku, Counter())[money(price)] += 1
            self._products = (by_sku_name, by_sku_price, by_name_sku)
        return self._products

    def _currency_fixes(self, issue: Issue, record: OrderRecord) -> list[QuickFix]:
        """The currency this customer, or else this file, uses (when it is one of the codes an
        ambiguous symbol can mean)."""
        overall, by_email = self._currency_index()
        email = self._order_text(record, "customer_email")
        allowed: set[str] | None = None
        if issue.code == "ambiguous_currency" and issue.col_index is not None:
            raw = self.doc.sheet.rows[issue.row_index or 0][issue.col_index]
            allowed = set(values.ambiguous_currency_codes(raw))
        candidates = [
            (by_email.get(email.casefold()) if email else None, "this customer's other orders"),
            (overall, "the other orders of this file"),
        ]
        for counter, where in candidates:
            if not counter:
                continue
            usable = [(c, n) for c, n in counter.most_common() if allowed is None or c in allowed]
            if not usable:
                continue
            code, count = usable[0]
            share = sum(counter.values())
            if count * 2 <= share:
                continue  # no clear majority: let the user choose
            why = f"{code} is the currency of {count:,} of {share:,} of {where}."
            return [self._fix_cells("file_currency", record, "currency", code, f"Use {code}", why)]
        return []

    def _currency_index(self) -> tuple[Counter[str], dict[str, Counter[str]]]:
        if self._currencies is None:
            overall: Counter[str] = Counter()
            by_email: dict[str, Counter[str]] = {}
            column = self.doc.columns.get("currency")
            if column is not None:
                for record in self.doc.orders:
                    code = next(
                        (column.values[r] for r in record.row_indices if column.values[r]), None
                    )
                    if code.__class__ is not str:
                        continue
                    overall[code] += 1
                    mail = self._order_text(record, "customer_email")
                    if mail:
                        by_email.setdefault(mail.casefold(), Counter())[code] += 1
            self._currencies = (overall, by_email)
        return self._currencies

    # ---- conflicts, conversions, the checker's suggestion -----------------------------------

    def _conflict_fixes(self, issue: Issue, record: OrderRecord) -> list[QuickFix]:
        """Rows of one order disagree: one fix per value found, the one that makes the order
        add up (money) or the first row's first."""
        assert issue.col_index is not None
        col = issue.col_index
        key = self._key_of_col.get(col)
        rows = self.doc.sheet.rows
        seen: list[CellValue] = []
        for r in record.row_indices:
            value = rows[r][col]
            if value is not None and value not in seen:
                seen.append(value)
        if key in ("purchase_total", *_MONEY_PARTS):
            seen.sort(key=lambda v: not self._adds_up_with(record, key, v))
        label = FIELDS_BY_KEY[key].label if key else self.doc.sheet.headers[col]
        fixes = []
        for value in seen:
            text = values.to_text(value) or ""
            where = [
                self.doc.sheet.row_numbers[r] for r in record.row_indices if rows[r][col] == value
            ]
            why = (
                f"{label} is “{text}” in row{'s' if len(where) > 1 else ''} "
                f"{', '.join(map(str, where))}; this writes it on every row of the order."
            )
            if key and self._adds_up_with(record, key, value) and key != "customer_id":
                why += " With it the order's total adds up."
            fixes.append(
                QuickFix(
                    "conflict",
                    f"Use {text}",
                    why,
                    tuple(self._order_changes(record, col, value)),
                    text,
                )
            )
        return fixes

    def _adds_up_with(self, record: OrderRecord, key: str | None, value: CellValue) -> bool:
        if key not in ("purchase_total", *_MONEY_PARTS):
            return False
        column = self.doc.columns[key]
        converted = column.reconvert(value)
        if not _is_number(converted):
            return False
        amounts = self.amounts(record)
        number = float(converted)
        if key == "purchase_total":
            amounts.total = number
        elif key == "tax":
            amounts.tax = number
        elif key == "shipping_cost":
            amounts.shipping = number
        else:
            amounts.discount = number
        parts = amounts.parts()
        total = None if isinstance(amounts.total, _Missing) else amounts.total
        return parts is not None and total is not None and abs(total - parts) <= tolerance(total)

    def _converted_fix(self, issue: Issue) -> list[QuickFix]:
        """Write a value the way it is sent (“us” → “USA”)."""
        assert issue.row_index is not None and issue.col_index is not None
        text = self.converted_text(issue.row_index, issue.col_index)
        if text is None:
            return []
        rows = self.doc.sheet.rows
        col = issue.col_index
        cell = rows[issue.row_index][col]
        raw = values.to_text(cell) or ""
        # The note stands for every cell with this value: the fix writes them all.
        changes = tuple((r, col, text) for r, row in enumerate(rows) if row[col] == cell)
        of_row = self.doc.order_of_row
        orders = len({id(of_row[r]) for r, _c, _v in changes})
        label = f"Use {text}" if orders == 1 else f"Use {text} for all {orders:,}"
        return [QuickFix("converted", label, f"“{raw}” is sent as “{text}” anyway.", changes, text)]

    def converted_text(self, row_index: int, col_index: int) -> str | None:
        """The value a cell is sent as, as text (None when it has none)."""
        key = self._key_of_col.get(col_index)
        column = self.doc.columns.get(key) if key else None
        if column is None:
            return None
        value = column.values[row_index]
        if value is None or value.__class__ is Bad:
            return None
        if isinstance(value, tuple):
            return ", ".join(str(v) for v in value)
        return values.to_text(value)

    def _suggested(self, issue: Issue) -> QuickFix:
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
        return self._fix_cell("suggested", issue, suggestion, f"Use {suggestion}", why)

    # ---- building changes -------------------------------------------------------------------

    def _fix_cells(
        self,
        kind: str,
        record: OrderRecord,
        key: str,
        value: CellValue,
        label: str,
        explanation: str,
    ) -> QuickFix:
        """A fix that writes an order value (on every row of the order that carries it)."""
        column = self.doc.columns[key]
        first = self._value_row(record, column)
        stored = self._stored(column, first, value)
        changes = self._order_changes(record, column.index, stored, start=first)
        return QuickFix(kind, label, explanation, tuple(changes), _text_of(value))

    def _fix_cell(
        self,
        kind: str,
        issue: Issue,
        value: CellValue,
        label: str,
        explanation: str,
        *,
        key: str | None = None,
    ) -> QuickFix:
        """A fix that writes the issue's own cell (or `key`'s column on the issue's row);
        order-level columns are written on every row of the order."""
        r = issue.row_index
        assert r is not None
        if key is not None:
            column = self.doc.columns[key]
            col = column.index
        else:
            assert issue.col_index is not None
            col = issue.col_index
            column = self.doc.columns.get(self._key_of_col.get(col, ""))
        stored = self._stored(column, r, value) if column is not None else value
        record = self.doc.order_of_row[r]
        if record is not None and self.doc.is_order_level(col):
            changes = self._order_changes(record, col, stored, start=r)
        else:
            changes = [(r, col, stored)]
        return QuickFix(kind, label, explanation, tuple(changes), _text_of(value))

    def _order_changes(
        self, record: OrderRecord, col: int, value: CellValue, start: int | None = None
    ) -> list[CellChange]:
        row = record.row_indices[0] if start is None else start
        return [(r, col, value) for r in self.doc.order_level_rows(row, col)]

    def _value_row(self, record: OrderRecord, column: Column) -> int:
        for r in record.row_indices:
            if column.values[r] is not None:
                return r
        return record.row_indices[0]

    def _stored(self, column: Column | None, row: int, value: CellValue) -> CellValue:
        """The value as the cell should hold it: a number where the file has numbers (so a
        workbook keeps Excel's types), text where it has text (amounts with two decimals)."""
        if column is None or column.spec.kind is not Kind.NUMBER or isinstance(value, bool):
            return value
        numbers = _column_holds_numbers(self.doc.sheet.rows, column.index, row)
        if isinstance(value, str):
            if not numbers:
                return value
            try:
                value = float(value)
            except ValueError:
                return value
        if isinstance(value, float | int):
            number = round(float(value), 2)
            if numbers:
                return int(number) if number.is_integer() else number
            return money(number)
        return value

    def _lowers_total(self, fix: QuickFix) -> bool:
        """True when the fix writes a purchase total below the one the order has now."""
        column = self.doc.columns.get("purchase_total")
        if column is None:
            return False
        for r, c, value in fix.changes:
            if c != column.index:
                continue
            record = self.doc.order_of_row[r]
            if record is None:
                continue
            current = self.amounts(record).total
            new = column.reconvert(value)
            if not isinstance(current, _Missing) and _is_number(new) and new < current - 0.005:
                return True
        return False

    # ---- reading cells ----------------------------------------------------------------------

    def _order_text(self, record: OrderRecord, key: str) -> str | None:
        column = self.doc.columns.get(key)
        if column is None:
            return None
        for r in record.row_indices:
            value = column.values[r]
            if value is not None:
                return value if value.__class__ is str else None
        return None

    def _cell_text(self, row: int, key: str) -> str | None:
        column = self.doc.columns.get(key)
        if column is None:
            return None
        value = column.values[row]
        return value if value.__class__ is str else None

    # ---- many problems at once --------------------------------------------------------------

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
        of_row = self.doc.order_of_row
        count = len({id(of_row[r]) for (r, _c) in changes if of_row[r] is not None})
        asked = len({id(of_row[i.row_index]) for i in issues if i.row_index is not None})
        kinds = {fix.kind for _, fix in items}
        if kinds == {"converted"}:
            asked = count  # one note stands for every cell with the value
        first = items[0][1]
        if count == 1 or (len(items) == 1 and kinds == {"converted"}):
            label = first.label
        elif len({fix.value for _, fix in items}) == 1:
            scope = f"all {count:,}" if count == asked else f"{count:,} of {_orders(asked)}"
            label = f"{first.label} for {scope}"
        else:
            phrase = _KIND_PHRASES.get(first.kind, _MIXED) if len(kinds) == 1 else _MIXED
            scope = _orders(count) if count == asked else f"{count:,} of {_orders(asked)}"
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
        doc = self.doc
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


def _orders(count: int) -> str:
    return f"{count:,} order" if count == 1 else f"{count:,} orders"


def _is_number(value: Any) -> bool:
    return value.__class__ in (int, float)


def _text_of(value: CellValue) -> str:
    if isinstance(value, float):
        return money(value)
    return values.to_text(value) or ""


def _column_holds_numbers(rows: list[list[CellValue]], col: int, near: int) -> bool:
    """Whether the column stores numbers (a workbook) rather than text (a CSV)."""
    for r in (near, *range(min(len(rows), 50))):
        value = rows[r][col]
        if value is None:
            continue
        return value.__class__ in (int, float)
    return False
