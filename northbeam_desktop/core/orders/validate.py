"""Every rule an order must pass before Northbeam accepts it, checked while its JSON is built.

Rules come from the Orders API v2 schema (required fields incl. `shipping_cost`, types,
`minLength`, the 1e14 maximum, unique codes/tags/refunds, the server's exact currency list,
whole-value 3-letter country codes, date-times with an offset, email vs hashed email and phone
vs hashed phone, 64-hex hashes, no unknown keys) and from Northbeam's written guidance
(customer ID is neither the order ID nor an email; a refunded product must be one of the
order's products and not refunded more often than sold; no negative amounts). On top of these
come checks no other tool makes: totals that do not add up, purchases in the future and
repeated product lines (warnings).

`OrderChecker.check(record)` fills `record.issues` and `record.status`; with `build=True` it also
returns the payload, so the JSON we preview, validate and send can never differ.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from operator import eq, itemgetter, mul, ne
from typing import Any

from northbeam_desktop.core.orders import hashing, values
from northbeam_desktop.core.orders.columns import Column
from northbeam_desktop.core.orders.fields import (
    FIELDS,
    FIELDS_BY_KEY,
    Kind,
    Level,
    json_path,
)
from northbeam_desktop.core.orders.issues import Issue, IssueCode, Severity
from northbeam_desktop.core.orders.records import Bad, OrderRecord
from northbeam_desktop.core.orders.sheet import SheetData

MAXIMUM = 100_000_000_000_000  # the schema's (string-typed) maximum on every number
ERROR = Severity.ERROR
WARNING = Severity.WARNING

# Payload keys in the order of the schema, so previews read like Northbeam's docs.
_ORDER_KEYS = [spec.key for spec in FIELDS if spec.level is Level.ORDER]


def derived_customer_id(email_or_hash: str, already_hashed: bool = False) -> str:
    """A stable, non-reversible customer code made from an email (same email, same code)."""
    digest = (
        email_or_hash
        if already_hashed
        else hashlib.sha256(hashing.normalize_email(email_or_hash).encode("utf-8")).hexdigest()
    )
    return "em-" + digest[:24]


class OrderChecker:
    """Checks and builds orders of one document; holds per-document lookups built once."""

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
    ) -> None:
        self.sheet = sheet
        self.order_of_row = order_of_row
        cols = columns
        by_level: dict[Level, list[Column]] = {level: [] for level in Level}
        for spec in FIELDS:  # catalogue order = schema order
            column = cols.get(spec.key)
            if column is not None:
                by_level[spec.level].append(column)
        self.order_columns = by_level[Level.ORDER] + by_level[Level.ADDRESS]
        self.product_columns = by_level[Level.PRODUCT]
        self.refund_columns = by_level[Level.REFUND]
        self.alternate_columns = by_level[Level.ALTERNATE_ID]
        self.headers = sheet.headers
        self.row_numbers = sheet.row_numbers
        self.derived_customer = derived_customer
        self.now = now
        self.hashing = hash_identifiers
        self.phone_region = phone_region
        self.unmapped = unmapped
        # Phone numbers in E.164 form (or why not), shared by every order of the document.
        self._e164_cache: dict[str, str | values.ValueProblem] = {}
        self.unmapped_products = {key for key in self.unmapped if key.startswith("products.")}
        self.now_limit = self.now + dt.timedelta(minutes=10)
        # Precomputed (key, values, column) tuples keep attribute lookups out of the hot loop.
        self.order_specs = [(c.spec.key, c.values, c) for c in self.order_columns]
        self.order_col = {c.spec.key: c for c in self.order_columns}
        self.money_specs = [
            (key, self.order_col[key])
            for key in ("discount_amount", "tax", "purchase_total", "shipping_cost")
            if key in self.order_col
        ]
        self.product_specs = [
            (c.spec.name, c.values, c, c.spec.kind is Kind.NUMBER) for c in self.product_columns
        ]
        self.product_by_key = {c.spec.key: c for c in self.product_columns}
        self.address_keys = [c.spec.key for c in by_level[Level.ADDRESS]]
        self.address_names = [(c.spec.key, c.spec.name) for c in by_level[Level.ADDRESS]]
        self.has_address = bool(self.address_keys)

    def consistent_orders(self, orders: list[OrderRecord]) -> set[OrderRecord]:
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
        if later_rows and self.order_specs:
            # Most files repeat the order's values on every row exactly: a later row whose raw
            # cells equal its first row's (one tuple per row, compared in C) agrees after
            # conversion too, so only the other rows go through the column-by-column test.
            sheet_rows = self.sheet.rows
            cells = itemgetter(*[column.index for _key, _values, column in self.order_specs])
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
        for _key, column_values, _column in self.order_specs:
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
        order_of_row = self.order_of_row
        suspects = {order_of_row[r] for r in suspect_rows}
        return {record for record in multi if record not in suspects}

    def prescreen(
        self, orders: list[OrderRecord], consistent: set[OrderRecord]
    ) -> set[OrderRecord]:
        """Orders that provably have no issue at all, found column by column.

        Checking 40,000 orders one by one costs more than reading the file; but almost every
        order of a real file is clean, and "clean" can be decided with one pass per column.
        This mirrors `check` exactly for clean orders (a test compares the two on every
        fixture and on randomly damaged files); anything unusual is left to `check`.
        """
        if self.unmapped or self.hashing or not orders:
            return set()
        candidates = [
            r
            for r in orders
            if r.order_id is not None
            and not r.server_issues
            and (len(r.row_indices) == 1 or r in consistent)
        ]
        firsts = [r.row_indices[0] for r in candidates]
        ok = [True] * len(candidates)
        sheet_rows = self.sheet.rows
        at_first: dict[str, list[Any]] = {}
        for key, column_values, column in self.order_specs:
            values_ = list(map(column_values.__getitem__, firsts))
            at_first[key] = values_
            required = column.spec.required and column.spec.level is Level.ORDER
            # `in` and the flag are C-speed; the Python scan runs only on columns with problems.
            if column.had_bad or (required and None in values_):
                for i in [
                    i
                    for i, v in enumerate(values_)
                    if v.__class__ is Bad or (required and v is None)
                ]:
                    ok[i] = False
            if column.notes:
                noted = set(column.notes)
                index = column.index
                for i, f in enumerate(firsts):
                    if sheet_rows[f][index] in noted:
                        ok[i] = False
        order_ids = [r.order_id for r in candidates]
        if self.derived_customer:
            emails = at_first.get("customer_email") or [None] * len(candidates)
            hashes = at_first.get("hashed_customer_email") or [None] * len(candidates)
            for i in [
                i for i, (e, h) in enumerate(zip(emails, hashes, strict=True)) if not e and not h
            ]:
                ok[i] = False
        elif "customer_id" in at_first:
            for i, (cid, oid) in enumerate(zip(at_first["customer_id"], order_ids, strict=True)):
                if cid == oid or (
                    cid.__class__ is str and "@" in cid and values.looks_like_email(cid)
                ):
                    ok[i] = False
        if "time_of_purchase" in at_first:
            limit = self.now_limit
            times = at_first["time_of_purchase"]
            # The usual column (all understood, none blank) is settled by one C-level max().
            if self.order_col["time_of_purchase"].had_bad or None in times or max(times) > limit:
                for i in [
                    i
                    for i, t in enumerate(times)
                    if t.__class__ is not Bad and t is not None and t > limit
                ]:
                    ok[i] = False
        for plain, hashed in (
            ("customer_email", "hashed_customer_email"),
            ("customer_phone_number", "hashed_customer_phone_number"),
        ):
            if plain in at_first and hashed in at_first:
                for i, (a, b) in enumerate(zip(at_first[plain], at_first[hashed], strict=True)):
                    if a and b:
                        ok[i] = False
        for key, _column in self.money_specs:
            amounts = at_first[key]
            # Decided per distinct amount; the column is scanned only when one is out of range.
            out_of_range = {
                v
                for v in set(amounts)
                if v.__class__ is not Bad and v is not None and not (0 <= v <= MAXIMUM)
            }
            if out_of_range:
                for i in [i for i, v in enumerate(amounts) if v in out_of_range]:
                    ok[i] = False
        if self.has_address:
            country = at_first.get("customer_shipping_address.country_code")
            zips = at_first.get("customer_shipping_address.zip")
            address_values = [at_first[key] for key in self.address_keys]
            complete = (
                country is not None
                and zips is not None
                and None not in country
                and None not in zips
            )
            # With a country and a ZIP on every order no address can be incomplete.
            for i, cells in enumerate([] if complete else zip(*address_values, strict=True)):
                if any(v is not None for v in cells) and (
                    country is None or country[i] is None or zips is None or zips[i] is None
                ):
                    ok[i] = False
        # Refunds and alternate IDs are rare: any order that has one takes the careful path.
        extra_columns = self.refund_columns + self.alternate_columns
        flagged_rows: set[int] = set()
        for column in extra_columns:
            flagged_rows.update(i for i, v in enumerate(column.values) if v is not None)
        # Products: rows that would raise any product issue are found column by column.
        specs = self.product_specs
        by_name = {name: values_ for name, values_, _c, _n in specs}
        required = [by_name.get(name) for name in ("id", "name", "quantity", "price")]
        if any(values_ is None for values_ in required):
            return set()
        ids, _names, quantities, prices = required
        variants = by_name.get("variant_id")
        row_count = len(ids)
        empty = set(range(row_count))  # rows with no product value at all
        for _name, column_values, _column, _is_number in specs:
            if None not in column_values:
                empty = set()
                break
            empty.intersection_update([i for i, v in enumerate(column_values) if v is None])
        bad_rows = flagged_rows
        for name, column_values, column, is_number in specs:
            if column.had_bad:
                bad_rows.update([i for i, v in enumerate(column_values) if v.__class__ is Bad])
            if name in ("id", "name", "quantity", "price") and None in column_values:
                bad_rows.update(
                    [i for i, v in enumerate(column_values) if v is None and i not in empty]
                )
            if is_number:
                distinct = set(column_values)
                out = {
                    v
                    for v in distinct
                    if v is not None and v.__class__ is not Bad and not (0 <= v <= MAXIMUM)
                }
                if out:
                    bad_rows.update([i for i, v in enumerate(column_values) if v in out])
            if column.notes:
                noted = set(column.notes)
                index = column.index
                bad_rows.update([i for i, row in enumerate(sheet_rows) if row[index] in noted])
        if _all_numbers(prices) and _all_numbers(quantities):
            line_totals = list(map(mul, prices, quantities))  # the usual case, in C
        else:
            line_totals = [
                p * q if p.__class__ in _NUMBER_TYPES and q.__class__ in _NUMBER_TYPES else 0
                for p, q in zip(prices, quantities, strict=True)
            ]
        totals = at_first.get("purchase_total")
        taxes = at_first.get("tax")
        shippings = at_first.get("shipping_cost")
        discounts = at_first.get("discount_amount")
        # A product line repeated within an order is two rows of one order with the same product
        # (and variant): found in one pass over the rows (a set compare when there is none).
        order_of_row = self.order_of_row
        lines = (
            [
                (order_of_row[r], ids[r], variants[r] if variants is not None else None)
                for r in range(row_count)
                if r not in empty
            ]
            if empty
            else list(zip(order_of_row, ids, variants or [None] * row_count, strict=True))
        )
        repeated: set[OrderRecord] = set()  # orders with a repeated product line
        if len(set(lines)) != len(lines):
            seen: set[tuple[Any, ...]] = set()
            for line in lines:
                if line in seen:
                    repeated.add(line[0])
                else:
                    seen.add(line)
        for i, record in enumerate(candidates):
            if not ok[i]:
                continue
            rows = record.row_indices
            if len(rows) == 1:
                r = rows[0]
                if r in bad_rows or r in empty:
                    ok[i] = False
                    continue
                items = 0 + line_totals[r]
            else:
                if not bad_rows.isdisjoint(rows):
                    ok[i] = False
                    continue
                product_rows = [r for r in rows if r not in empty] if empty else rows
                if not product_rows:
                    ok[i] = False
                    continue
                if record in repeated:
                    ok[i] = False  # a repeated product line
                    continue
                items = 0
                for r in product_rows:
                    items = items + line_totals[r]
            if totals is not None and totals[i] is not None:
                total = totals[i]
                tax = taxes[i] if taxes is not None and taxes[i] is not None else 0
                shipping = shippings[i] if shippings is not None and shippings[i] is not None else 0
                discount = discounts[i] if discounts is not None and discounts[i] is not None else 0
                # The same arithmetic, in the same order, as _reconcile.
                with_tax = items + tax + shipping - discount
                tax_included = items + shipping - discount
                tolerance = 0.01 + abs(total) * 0.001
                if abs(total - with_tax) > tolerance and abs(total - tax_included) > tolerance:
                    ok[i] = False
        return {record for record, clean in zip(candidates, ok, strict=True) if clean}

    # ---- issue helpers ------------------------------------------------------------------

    def _issue(
        self,
        record: OrderRecord,
        code: IssueCode,
        severity: Severity,
        message: str,
        path: str,
        row_index: int | None,
        column: Column | None = None,
        suggestion: str | None = None,
    ) -> Issue:
        return Issue(
            code=code,
            severity=severity,
            message=message,
            field=path,
            row=self.row_numbers[row_index] if row_index is not None else None,
            column=column.header if column is not None else None,
            order_id=record.order_id,
            suggestion=suggestion,
            row_index=row_index,
            col_index=column.index if column is not None else None,
        )

    # ---- the check ----------------------------------------------------------------------

    def check(
        self, record: OrderRecord, *, build: bool = False, consistent: bool = False
    ) -> dict[str, Any] | None:
        """Check one order; `consistent=True` promises (see `consistent_orders`) that its rows
        never disagree, so each order value is simply the one on its first row."""
        issues: list[Issue] = []
        add = issues.append
        rows = record.row_indices
        first = rows[0]
        single = consistent or len(rows) == 1
        ov: dict[str, Any] = {}  # order values that were understood
        # The row each order value came from, when not the order's first row (use .get(k, first)).
        orow: dict[str, int] = {}
        bad: set[str] = set()  # order fields present but not understood
        order_col = self.order_col

        # 1. Order-level values: first filled cell wins; other filled cells must agree.
        for key, column_values, column in self.order_specs:
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
                    elif value != found and not self._same_raw(column, r, found_row):
                        add(self._conflict(record, column, r, found_row))
                if found is None:
                    continue
            if found_row != first:
                orow[key] = found_row
            if found.__class__ is Bad:
                bad.add(key)
                add(self._bad(record, column, found_row, found))
                continue
            ov[key] = found
            if column.notes:
                self._note(record, column, found_row, None, add)

        payload: dict[str, Any] = {}

        # 2. Order ID and customer ID.
        order_id = record.order_id
        if order_id is None and "order_id" not in self.unmapped:
            add(
                self._issue(
                    record,
                    IssueCode.REQUIRED,
                    ERROR,
                    "Order ID is empty. Every order needs the ID your shop gave it; type "
                    "it in, or delete the row if it is not an order.",
                    "order_id",
                    first,
                    order_col.get("order_id"),
                )
            )
        payload["order_id"] = order_id

        customer_id = ov.get("customer_id")
        if self.derived_customer:
            email = ov.get("customer_email")
            hashed_email = ov.get("hashed_customer_email")
            if email:
                customer_id = derived_customer_id(email)
            elif hashed_email:
                customer_id = derived_customer_id(hashed_email, already_hashed=True)
            elif "customer_email" not in bad and "hashed_customer_email" not in bad:
                add(
                    self._issue(
                        record,
                        IssueCode.REQUIRED,
                        ERROR,
                        "This order has no customer ID and no email to make a customer "
                        "code from. Type the customer's email, or map a customer ID "
                        "column.",
                        "customer_id",
                        first,
                        order_col.get("customer_email"),
                    )
                )
        elif customer_id is None:
            if "customer_id" in order_col and "customer_id" not in bad:
                add(self._required(record, "customer_id", first, order_col["customer_id"]))
        else:
            column = order_col["customer_id"]
            row = orow.get("customer_id", first)
            if customer_id == order_id:
                add(
                    self._issue(
                        record,
                        IssueCode.CUSTOMER_ID_IS_ORDER_ID,
                        ERROR,
                        f"Customer ID “{customer_id}” is the same as the order ID. "
                        "Northbeam needs your ID for the customer here, the same on all "
                        "their orders.",
                        "customer_id",
                        row,
                        column,
                    )
                )
            elif "@" in customer_id and values.looks_like_email(customer_id):
                add(
                    self._issue(
                        record,
                        IssueCode.CUSTOMER_ID_IS_EMAIL,
                        ERROR,
                        f"Customer ID “{customer_id}” is an email address; Northbeam asks "
                        "for an ID that is not an email. Use your shop's customer number, "
                        "or the suggested code made from the email.",
                        "customer_id",
                        row,
                        column,
                        suggestion=derived_customer_id(customer_id),
                    )
                )
        payload["customer_id"] = customer_id

        # 3. Time of purchase.
        when = ov.get("time_of_purchase")
        if when is not None:
            if when > self.now_limit:
                add(
                    self._issue(
                        record,
                        IssueCode.TIME_IN_FUTURE,
                        WARNING,
                        f"Time of purchase {values.to_iso(when)} is in the future. "
                        "Check the date, the day/month order and the time zone.",
                        "time_of_purchase",
                        orow.get("time_of_purchase", first),
                        order_col["time_of_purchase"],
                    )
                )
            if build:
                payload["time_of_purchase"] = values.to_iso(when)
        elif "time_of_purchase" in order_col and "time_of_purchase" not in bad:
            add(self._required(record, "time_of_purchase", first, order_col["time_of_purchase"]))

        # 4. Identity fields: plain vs hashed, never both.
        self._identity(record, payload, ov, orow, order_col, add)
        for key in ("customer_name", "customer_ip_address"):
            value = ov.get(key)
            if value:
                payload[key] = value
        codes = ov.get("discount_codes")
        if codes:
            payload["discount_codes"] = list(codes)

        # 5. Money and the other order values.
        for key, column in self.money_specs:
            value = ov.get(key)
            if value is None:
                if column.spec.required and key not in bad:
                    add(self._required(record, key, first, column))
            elif (0 <= value <= MAXIMUM) or self._amount_ok(
                record, column, orow.get(key, first), value, add
            ):
                payload[key] = value
        tags = ov.get("order_tags")
        if tags:
            payload["order_tags"] = list(tags)
        recurring = ov.get("is_recurring_order")
        if recurring is not None:
            payload["is_recurring_order"] = recurring
        currency = ov.get("currency")
        if currency is not None:
            payload["currency"] = currency
        elif "currency" in order_col and "currency" not in bad:
            add(self._required(record, "currency", first, order_col["currency"]))

        # 6. Products, refunds, address, alternate IDs.
        products = self._products(record, add)
        refunds = self._refunds(record, products, add) if self.refund_columns else None
        address = self._address(record, ov, orow, bad, add) if self.has_address else None
        alternates = self._alternates(record, add) if self.alternate_columns else None

        # 7. Checks no other tool makes.
        self._reconcile(record, payload, products, orow, add)

        if record.server_issues:
            issues.extend(record.server_issues)
        record.set_issues(issues)
        if not build:
            return None
        result = {key: payload[key] for key in _ORDER_KEYS if payload.get(key) is not None}
        result["products"] = products
        if refunds:
            result["refunds"] = refunds
        if address:
            result["customer_shipping_address"] = address
        if "shipping_cost" in result:
            result["shipping_cost"] = result.pop("shipping_cost")  # the schema's order
        if alternates:
            result["alternate_order_ids"] = alternates
        return result

    def _note(
        self, record: OrderRecord, column: Column, row: int, index: int | None, add: Any
    ) -> None:
        """A warning about a value we converted ('us' will be sent as 'USA')."""
        note = column.notes.get(self.sheet.rows[row][column.index])
        if note:
            add(
                self._issue(
                    record,
                    IssueCode.VALUE_CONVERTED,
                    WARNING,
                    f"{column.spec.label}: {note}",
                    _path(column, index),
                    row,
                    column,
                )
            )

    def _products(self, record: OrderRecord, add: Any) -> list[dict[str, Any]]:
        products: list[dict[str, Any]] = []
        product_rows: list[int] = []
        seen: dict[tuple[Any, Any], int] | None = None
        specs = self.product_specs
        for r in record.row_indices:
            product: dict[str, Any] = {}
            invalid: set[str] | None = None
            filled = False
            index = len(products)
            for name, column_values, column, is_number in specs:
                value = column_values[r]
                if value is None:
                    continue
                filled = True
                if value.__class__ is Bad:
                    add(self._bad(record, column, r, value, index))
                    invalid = (invalid or set()) | {name}
                    continue
                if is_number and not (0 <= value <= MAXIMUM):
                    self._amount_ok(record, column, r, value, add, index)
                    invalid = (invalid or set()) | {name}
                    continue
                if column.notes:
                    self._note(record, column, r, index, add)
                product[name] = value
            if not filled:
                continue
            if not (
                "id" in product
                and "name" in product
                and "quantity" in product
                and "price" in product
            ):
                self._complete_product(record, product, invalid or set(), r, index, add)
            key = (product.get("id"), product.get("variant_id"))
            if seen is None:
                seen = {key: r}
            elif key in seen and key[0] is not None:
                add(
                    self._issue(
                        record,
                        IssueCode.DUPLICATE_PRODUCT_LINE,
                        WARNING,
                        f"Product “{key[0]}” appears twice in this order (rows "
                        f"{self.row_numbers[seen[key]]} and {self.row_numbers[r]}). "
                        "If it is the same item, put the total in one row's quantity.",
                        f"products[{index}].id",
                        r,
                        self.product_by_key.get("products.id"),
                    )
                )
            else:
                seen[key] = r
            products.append(product)
            product_rows.append(r)
        record.product_rows = product_rows
        if not products and not self.unmapped_products:
            column = self.product_by_key.get("products.id") or self.product_by_key.get(
                "products.name"
            )
            add(
                self._issue(
                    record,
                    IssueCode.NO_PRODUCTS,
                    ERROR,
                    "This order has no products. Northbeam needs at least one product "
                    "line with its ID, name, quantity and price.",
                    "products",
                    record.row_indices[0],
                    column,
                )
            )
        return products

    def _complete_product(
        self,
        record: OrderRecord,
        product: dict[str, Any],
        invalid: set[str],
        r: int,
        index: int,
        add: Any,
    ) -> None:
        by_key = self.product_by_key
        for required in ("products.id", "products.name", "products.quantity", "products.price"):
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
                    self._issue(
                        record,
                        IssueCode.PRODUCT_ID_FROM_NAME,
                        WARNING,
                        f"This line has no product ID, so its name “{product['name']}” "
                        "is sent as the ID. Add your SKU for cleaner product reports.",
                        f"products[{index}].id",
                        r,
                        column or by_key.get("products.name"),
                    )
                )
                continue
            if column is None and required in self.unmapped_products:
                continue
            add(self._required(record, required, r, column, index))

    # ---- pieces -------------------------------------------------------------------------

    def _same_raw(self, column: Column, row_a: int, row_b: int) -> bool:
        sheet_rows = self.sheet.rows
        return sheet_rows[row_a][column.index] == sheet_rows[row_b][column.index]

    def _conflict(self, record: OrderRecord, column: Column, row: int, first_row: int) -> Issue:
        sheet_rows = self.sheet.rows
        here = values.to_text(sheet_rows[row][column.index])
        there = values.to_text(sheet_rows[first_row][column.index])
        label = column.spec.label
        what = f"order {record.order_id}" if record.order_id else "this order"
        contiguous = record.row_indices[-1] - record.row_indices[0] + 1 == len(record.row_indices)
        if not contiguous and column.spec.key in ("time_of_purchase", "customer_id"):
            return self._issue(
                record,
                IssueCode.DUPLICATE_ORDER_ID,
                ERROR,
                f"Order ID {record.order_id} is used by two different orders: row "
                f"{self.row_numbers[first_row]} and row {self.row_numbers[row]} have different "
                f"{label.lower()} (“{there}” and “{here}”). Give one of them its own order ID.",
                _path(column),
                row,
                column,
            )
        return self._issue(
            record,
            IssueCode.ORDER_VALUE_CONFLICT,
            ERROR,
            f"{label} of {what} is “{here}” in this row but “{there}” in row "
            f"{self.row_numbers[first_row]}. All rows of one order must agree: correct the wrong "
            "one, or clear it.",
            _path(column),
            row,
            column,
            suggestion=there,
        )

    def _bad(
        self, record: OrderRecord, column: Column, row: int, bad: Any, index: int | None = None
    ) -> Issue:
        problem = bad.problem
        return self._issue(
            record,
            problem.code,
            ERROR,
            f"{column.spec.label}: {problem.message}",
            _path(column, index),
            row,
            column,
            suggestion=problem.suggestion,
        )

    def _required(
        self,
        record: OrderRecord,
        key: str,
        row: int,
        column: Column | None,
        index: int | None = None,
    ) -> Issue:
        spec = FIELDS_BY_KEY[key]
        if spec.zero_when_missing:
            message = (
                f"{spec.label} is empty. Northbeam needs it on every order; type 0 if "
                "there was none."
            )
            suggestion = "0"
        else:
            message = (
                f"{spec.label} is empty. Northbeam needs it on {_EVERY[spec.level]}; type it in."
            )
            suggestion = None
        path = _path(column, index) if column is not None else key
        return self._issue(
            record, IssueCode.REQUIRED, ERROR, message, path, row, column, suggestion
        )

    def _amount_ok(
        self,
        record: OrderRecord,
        column: Column,
        row: int,
        value: Any,
        add: Any,
        index: int | None = None,
    ) -> bool:
        if value < 0:
            add(
                self._issue(
                    record,
                    IssueCode.NEGATIVE_NUMBER,
                    ERROR,
                    f"{column.spec.label} is negative ({value}). Northbeam needs amounts "
                    "and quantities of 0 or more; refunds go in the refund columns.",
                    _path(column, index),
                    row,
                    column,
                    suggestion=str(-value),
                )
            )
            return False
        if value > MAXIMUM:
            add(
                self._issue(
                    record,
                    IssueCode.NUMBER_TOO_LARGE,
                    ERROR,
                    f"{column.spec.label} ({value:,}) is larger than Northbeam accepts "
                    "(100 trillion). Check for a typing mistake.",
                    _path(column, index),
                    row,
                    column,
                )
            )
            return False
        return True

    def _identity(
        self,
        record: OrderRecord,
        payload: dict[str, Any],
        order_value: dict[str, Any],
        order_row: dict[str, int],
        order_col: dict[str, Column],
        add: Any,
    ) -> None:
        """Email and phone: plain or hashed, never both; hashed here when the option is on."""
        first = record.row_indices[0]
        for plain_key, hashed_key, both_code, what in _IDENTITY_PAIRS:
            plain = order_value.get(plain_key)
            hashed = order_value.get(hashed_key)
            if plain and hashed:
                add(
                    self._issue(
                        record,
                        both_code,
                        ERROR,
                        f"This order has both {what} and a hashed one. Northbeam accepts "
                        "only one of them: clear one of the two cells.",
                        hashed_key,
                        order_row.get(hashed_key, first),
                        order_col[hashed_key],
                    )
                )
            elif plain and not self.hashing:
                payload[plain_key] = plain
            elif plain:
                digest = self._hash_identity(plain_key, plain)
                if isinstance(digest, values.ValueProblem):
                    label = FIELDS_BY_KEY[plain_key].label
                    add(
                        self._issue(
                            record,
                            digest.code,
                            ERROR,
                            f"{label}: {digest.message}",
                            plain_key,
                            order_row.get(plain_key, first),
                            order_col[plain_key],
                        )
                    )
                else:
                    payload[hashed_key] = digest
            elif hashed:
                payload[hashed_key] = hashed

    def _hash_identity(self, plain_key: str, plain: str) -> str | values.ValueProblem:
        if plain_key == "customer_email":
            return hashing.hash_email(plain)
        e164 = self._e164(plain)
        return e164 if isinstance(e164, values.ValueProblem) else hashing.sha256_hex(e164)

    def _e164(self, phone: str) -> str | values.ValueProblem:
        cache = self._e164_cache
        result = cache.get(phone)
        if result is None:
            try:
                result = hashing.normalize_phone(phone, self.phone_region)
            except values.ValueProblem as problem:
                result = problem
            cache[phone] = result
        return result

    def _refunds(
        self, record: OrderRecord, products: list[dict[str, Any]], add: Any
    ) -> list[dict[str, Any]]:
        columns = self.refund_columns
        if not columns:
            record.refund_rows = []
            return []
        by_key = {c.spec.key: c for c in columns}
        sold: dict[str, float] = {}
        for product in products:
            if "id" in product and isinstance(product.get("quantity"), int | float):
                sold[product["id"]] = sold.get(product["id"], 0) + product["quantity"]
        refunds: list[dict[str, Any]] = []
        refund_rows: list[int] = []
        seen: dict[tuple[Any, ...], int] = {}
        refunded: dict[str, float] = {}
        for r in record.row_indices:
            cells = [(c, c.values[r]) for c in columns]
            if all(value is None for _, value in cells):
                continue
            index = len(refunds)
            refund: dict[str, Any] = {}
            complete = True
            for column, value in cells:
                if value is None:
                    continue
                if value.__class__ is Bad:
                    add(self._bad(record, column, r, value, index))
                    complete = False
                    continue
                if column.spec.kind.value == "number" and not self._amount_ok(
                    record, column, r, value, add, index
                ):
                    complete = False
                    continue
                if column.spec.kind.value == "datetime":
                    value = values.to_iso(value)
                refund[column.spec.name] = value
            for required in (
                "refunds.product_id",
                "refunds.quantity",
                "refunds.refund_amount",
                "refunds.refund_cost",
                "refunds.refund_made_at",
            ):
                spec = FIELDS_BY_KEY[required]
                column = by_key.get(required)
                if spec.name not in refund and (column is None or column.values[r] is None):
                    complete = False
                    message = (
                        f"{spec.label} is empty, but this row has a refund. A refund needs "
                        "the product ID, quantity, amount, cost and date; fill it in or "
                        "clear the row's refund cells."
                    )
                    add(
                        self._issue(
                            record,
                            IssueCode.REFUND_INCOMPLETE,
                            ERROR,
                            message,
                            f"refunds[{index}].{spec.name}",
                            r,
                            column,
                        )
                    )
            product_id = refund.get("product_id")
            if product_id is not None and products and product_id not in sold:
                complete = False
                add(
                    self._issue(
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
                    self._issue(
                        record,
                        IssueCode.DUPLICATE_REFUND,
                        WARNING,
                        f"This refund repeats the one in row {self.row_numbers[seen[key]]}; "
                        "it is sent once.",
                        f"refunds[{index}]",
                        r,
                        by_key.get("refunds.product_id"),
                    )
                )
                continue
            seen[key] = r
            if complete:
                quantity = refund.get("quantity", 0)
                refunded[product_id] = refunded.get(product_id, 0) + quantity
                if product_id in sold and refunded[product_id] > sold[product_id]:
                    add(
                        self._issue(
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
                refunds.append(_ordered(refund, _REFUND_KEYS))
                refund_rows.append(r)
        record.refund_rows = refund_rows
        return refunds

    def _address(
        self,
        record: OrderRecord,
        order_value: dict[str, Any],
        order_row: dict[str, int],
        bad: set[str],
        add: Any,
    ) -> dict[str, Any] | None:
        order_col = self.order_col
        if bad and any(key in bad for key in self.address_keys):
            return None
        present: dict[str, Any] = {}
        address: dict[str, Any] = {}
        for key, name in self.address_names:
            value = order_value.get(key)
            if value is not None:
                present[key] = value
                address[name] = value
        if not address:
            return None
        first = record.row_indices[0]
        if "country_code" not in address:
            column = order_col.get("customer_shipping_address.country_code")
            add(
                self._issue(
                    record,
                    IssueCode.REQUIRED,
                    ERROR,
                    "Shipping country is empty, but this order has a shipping address. "
                    "Northbeam needs the country with every address: type a 3-letter code "
                    "such as USA, or clear the address cells.",
                    "customer_shipping_address.country_code",
                    order_row.get(next(iter(present)), first) if present else first,
                    column,
                )
            )
            return None
        if "zip" not in address:
            column = order_col.get("customer_shipping_address.zip")
            add(
                self._issue(
                    record,
                    IssueCode.ZIP_MISSING,
                    WARNING,
                    "Shipping ZIP / postcode is empty; the address is sent without one.",
                    "customer_shipping_address.zip",
                    order_row.get("customer_shipping_address.country_code", record.row_indices[0]),
                    column,
                )
            )
            address["zip"] = ""
        return _ordered(address, _ADDRESS_KEYS)

    def _alternates(self, record: OrderRecord, add: Any) -> list[dict[str, Any]]:
        columns = self.alternate_columns
        if not columns:
            record.alternate_rows = []
            return []
        result: list[dict[str, Any]] = []
        rows: list[int] = []
        seen: set[tuple[Any, Any]] = set()
        by_key = {c.spec.key: c for c in columns}
        for r in record.row_indices:
            cells = {c.spec.name: c.values[r] for c in columns}
            if all(value is None for value in cells.values()):
                continue
            index = len(result)
            if any(value.__class__ is Bad for value in cells.values()):
                continue
            missing = [name for name in ("type", "id") if cells.get(name) is None]
            if missing:
                spec = FIELDS_BY_KEY[f"alternate_order_ids.{missing[0]}"]
                add(
                    self._issue(
                        record,
                        IssueCode.REQUIRED,
                        ERROR,
                        f"{spec.label} is empty. An alternate ID needs both its type and "
                        "its value.",
                        f"alternate_order_ids[{index}].{missing[0]}",
                        r,
                        by_key.get(spec.key),
                    )
                )
                continue
            key = (cells["type"], cells["id"])
            if key in seen:
                continue
            seen.add(key)
            result.append({"type": cells["type"], "id": cells["id"]})
            rows.append(r)
        record.alternate_rows = rows
        return result

    def _reconcile(
        self,
        record: OrderRecord,
        payload: dict[str, Any],
        products: list[dict[str, Any]],
        order_row: dict[str, int],
        add: Any,
    ) -> None:
        order_col = self.order_col
        total = payload.get("purchase_total")
        if total is None or not products:
            return
        try:
            items = sum(p["price"] * p["quantity"] for p in products)
        except KeyError:
            return
        tax = payload.get("tax", 0)
        shipping = payload.get("shipping_cost", 0)
        discount = payload.get("discount_amount", 0)
        with_tax = items + tax + shipping - discount
        tax_included = items + shipping - discount  # prices that already include tax (EU)
        tolerance = 0.01 + abs(total) * 0.001
        if abs(total - with_tax) <= tolerance or abs(total - tax_included) <= tolerance:
            return
        add(
            self._issue(
                record,
                IssueCode.TOTALS_MISMATCH,
                WARNING,
                f"Order total is {_money(total)}, but products ({_money(items)}) + tax ({_money(tax)}) "
                f"+ shipping ({_money(shipping)}) − discount ({_money(discount)}) come to "
                f"{_money(with_tax)}. Check the amounts; the order can still be sent.",
                "purchase_total",
                order_row.get("purchase_total", record.row_indices[0]),
                order_col.get("purchase_total"),
                suggestion=_money(with_tax),
            )
        )


_NUMBER_TYPES = (int, float)
# Where a required value must be, for "… is empty" messages.
_EVERY = {
    Level.ORDER: "every order",
    Level.ADDRESS: "every order",
    Level.PRODUCT: "every product line",
    Level.REFUND: "every refund line",
    Level.ALTERNATE_ID: "every alternate order ID",
}


def _all_numbers(column: list[Any]) -> bool:
    """True when every value is an int or a float (not a bool, a Bad cell or a blank)."""
    return set(map(type, column)) <= {int, float}


# (plain field, hashed field, issue code when both are filled, what the plain one is)
_IDENTITY_PAIRS = (
    ("customer_email", "hashed_customer_email", IssueCode.EMAIL_AND_HASH, "an email"),
    (
        "customer_phone_number",
        "hashed_customer_phone_number",
        IssueCode.PHONE_AND_HASH,
        "a phone number",
    ),
)
_PRODUCT_KEYS = ["id", "name", "quantity", "price", "variant_id", "variant_name"]
_REFUND_KEYS = [
    "product_id",
    "quantity",
    "refund_amount",
    "refund_cost",
    "refund_made_at",
    "variant_id",
]
_ADDRESS_KEYS = ["address1", "address2", "city", "state", "zip", "country_code"]


def _ordered(data: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    return {key: data[key] for key in keys if key in data}


def _path(column: Column, index: int | None = None) -> str:
    return json_path(column.spec, index=index or 0)


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


_PATH_PART = re.compile(
    r"^(?P<container>[a-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<name>[a-z_0-9]+))?$"
)


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
    if not record.product_rows and container in ("products", "refunds", "alternate_order_ids"):
        checker.check(record)  # fills the row lists
    if container in ("products", "refunds", "alternate_order_ids") and name:
        rows = {
            "products": record.product_rows,
            "refunds": record.refund_rows,
            "alternate_order_ids": record.alternate_rows,
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
