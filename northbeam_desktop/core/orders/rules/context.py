"""What every rule family shares.

- `CheckContext`: the document's lookups, built once per check of a whole document (columns by
  level, row numbers, "now", the hashing options) and the helpers that word common problems.
- `OrderFacts`: what is known about one order while its families run, in order. Each family
  reads what earlier ones found (the order values, the product lines) and adds its own; the
  payload (core/orders/payload.py) is assembled from the same facts, so what is checked and
  what is sent can never differ.
- `Screen`: one column-wise pass over many orders at once. Each family marks the orders that
  may have one of its issues; the orders nobody marks are clean without a per-order check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from northbeam_desktop.core.orders import hashing
from northbeam_desktop.core.orders.columns import Column
from northbeam_desktop.core.orders.fields import FIELDS, FIELDS_BY_KEY, Kind, Level, json_path
from northbeam_desktop.core.orders.issues import Issue, IssueCode, Severity
from northbeam_desktop.core.orders.records import Bad, OrderRecord
from northbeam_desktop.core.orders.sheet import SheetData
from northbeam_desktop.core.orders.values import ValueProblem

MAXIMUM = 100_000_000_000_000  # the schema's (string-typed) maximum on every number
ERROR = Severity.ERROR
WARNING = Severity.WARNING

Add = Callable[[Issue], None]

# Where a required value must be, for "… is empty" messages.
_EVERY = {
    Level.ORDER: "every order",
    Level.ADDRESS: "every order",
    Level.PRODUCT: "every product line",
    Level.REFUND: "every refund line",
    Level.ALTERNATE_ID: "every alternate order ID",
}


def in_range(value: int | float) -> bool:
    """Northbeam takes amounts and quantities from 0 to 100 trillion."""
    return 0 <= value <= MAXIMUM


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckSettings:
    """The choices a check depends on besides the cells."""

    now: dt.datetime  # for "in the future"
    hash_identifiers: bool  # send SHA-256 of email/phone instead of the plain values
    phone_region: str  # country for phone numbers written without one
    derived_customer: bool  # customer ID made from the email (no customer ID column)
    unmapped: frozenset[str]  # required fields no column holds (reported once, for the file)
    cancelled_statuses: frozenset[str] = frozenset()  # the platform's, lower case
    include_cancelled: bool = False  # send cancelled orders too
    # The platform's words for an empty customer cell ({column}: its name), "" for the usual.
    blank_customer: str = ""
    # The platform writes one row per line item of its own: a repeated product is two lines.
    repeated_lines_are_real: bool = False


class CheckContext:
    """Per-document lookups built once; precomputed tuples keep attribute lookups out of the
    hot loops."""

    def __init__(
        self,
        *,
        sheet: SheetData,
        columns: dict[str, Column],
        order_of_row: list[OrderRecord | None],
        settings: CheckSettings,
    ) -> None:
        self.sheet = sheet
        self.order_of_row = order_of_row
        self.settings = settings
        self.row_numbers = sheet.row_numbers
        by_level: dict[Level, list[Column]] = {level: [] for level in Level}
        for spec in FIELDS:  # catalogue order = schema order
            column = columns.get(spec.key)
            if column is not None:
                by_level[spec.level].append(column)
        self.columns = columns
        self.order_columns = by_level[Level.ORDER] + by_level[Level.ADDRESS]
        self.product_columns = by_level[Level.PRODUCT]
        self.refund_columns = by_level[Level.REFUND]
        self.alternate_columns = by_level[Level.ALTERNATE_ID]
        self.order_specs = [(c.spec.key, c.values, c) for c in self.order_columns]
        self.order_col = {c.spec.key: c for c in self.order_columns}
        self.product_specs = [
            (c.spec.name, c.values, c, c.spec.kind is Kind.NUMBER) for c in self.product_columns
        ]
        self.product_by_key = {c.spec.key: c for c in self.product_columns}
        self.address_keys = [c.spec.key for c in by_level[Level.ADDRESS]]
        self.address_names = [(c.spec.key, c.spec.name) for c in by_level[Level.ADDRESS]]
        self.now_limit = settings.now + dt.timedelta(minutes=10)
        self.unmapped_products = {k for k in settings.unmapped if k.startswith("products.")}
        # Phone numbers in E.164 form (or why not), shared by every order of the document.
        self._e164: dict[str, str | ValueProblem] = {}
        # What a family works out once per document from all rows, by family name.
        self.cache: dict[str, Any] = {}

    # ---- wording shared by the families -----------------------------------------------------

    def issue(
        self,
        record: OrderRecord,
        code: IssueCode,
        severity: Severity,
        message: str,
        path: str,
        row_index: int | None,
        column: Column | None = None,
        *,
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

    def bad(
        self, record: OrderRecord, column: Column, row: int, bad: Bad, index: int | None = None
    ) -> Issue:
        """A cell that could not be understood, with the reason values/ gave."""
        problem = bad.problem
        return self.issue(
            record,
            problem.code,
            ERROR,
            f"{column.spec.label}: {problem.message}",
            json_path(column.spec, index=index or 0),
            row,
            column,
            suggestion=problem.suggestion,
        )

    def required(
        self,
        record: OrderRecord,
        key: str,
        row: int,
        column: Column | None,
        index: int | None = None,
    ) -> Issue:
        """A required value that is empty."""
        spec = FIELDS_BY_KEY[key]
        suggestion: str | None
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
        path = json_path(column.spec, index=index or 0) if column is not None else key
        return self.issue(
            record, IssueCode.REQUIRED, ERROR, message, path, row, column, suggestion=suggestion
        )

    def amount_ok(
        self,
        record: OrderRecord,
        column: Column,
        row: int,
        value: Any,
        add: Add,
        index: int | None = None,
    ) -> bool:
        """True for an amount Northbeam takes; else adds why not."""
        path = json_path(column.spec, index=index or 0)
        if value < 0:
            add(
                self.issue(
                    record,
                    IssueCode.NEGATIVE_NUMBER,
                    ERROR,
                    f"{column.spec.label} is negative ({value}). Northbeam needs amounts "
                    "and quantities of 0 or more; refunds go in the refund columns.",
                    path,
                    row,
                    column,
                    suggestion=str(-value),
                )
            )
            return False
        if value > MAXIMUM:
            add(
                self.issue(
                    record,
                    IssueCode.NUMBER_TOO_LARGE,
                    ERROR,
                    f"{column.spec.label} ({value:,}) is larger than Northbeam accepts "
                    "(100 trillion). Check for a typing mistake.",
                    path,
                    row,
                    column,
                )
            )
            return False
        return True

    def e164(self, phone: str) -> str | ValueProblem:
        """The phone number in E.164 form, or why it cannot be (cached per document)."""
        result = self._e164.get(phone)
        if result is None:
            try:
                result = hashing.normalize_phone(phone, self.settings.phone_region)
            except ValueProblem as problem:
                result = problem
            self._e164[phone] = result
        return result


class OrderFacts:
    """What the families know about one order so far (see the module docstring)."""

    __slots__ = (
        "address",
        "alternate_rows",
        "alternates",
        "amounts",
        "bad",
        "customer_id",
        "first",
        "identity",
        "info",
        "product_rows",
        "products",
        "record",
        "refund_rows",
        "refunds",
        "single",
        "value_rows",
        "values",
    )

    def __init__(self, record: OrderRecord, *, consistent: bool) -> None:
        self.record = record
        self.first = record.row_indices[0]
        # One row, or rows proven to agree (`order_values.consistent_orders`): each order
        # value is simply the one on the first row.
        self.single = consistent or len(record.row_indices) == 1
        self.values: dict[str, Any] = {}  # order values that were understood
        # The row each order value came from, when not the order's first row (see row_of).
        self.value_rows: dict[str, int] = {}
        self.bad: set[str] = set()  # order fields present but not understood
        self.customer_id: str | None = None
        self.identity: dict[str, str] = {}  # email/phone fields as sent (plain or hashed)
        self.info: dict[str, Any] = {}  # what the export says besides (cancelled, refunded…)
        self.amounts: dict[str, int | float] = {}  # money fields that can be sent
        self.products: list[dict[str, Any]] = []
        self.product_rows: list[int] = []
        self.refunds: list[dict[str, Any]] = []
        self.refund_rows: list[int] = []
        self.address: dict[str, Any] | None = None
        self.alternates: list[dict[str, Any]] = []
        self.alternate_rows: list[int] = []

    def row_of(self, key: str) -> int:
        """The row an order value came from."""
        return self.value_rows.get(key, self.first)


class FirstValues:
    """Each candidate's order value of one field, gathered in C the first time a family asks
    (a file's many columns that no screen reads are never gathered). `key in first_values`
    says whether a column holds the field."""

    __slots__ = ("_columns", "_firsts", "_gathered")

    def __init__(self, context: CheckContext, firsts: list[int]) -> None:
        self._columns = context.order_col
        self._firsts = firsts
        self._gathered: dict[str, list[Any]] = {}

    def __contains__(self, key: str) -> bool:
        return key in self._columns

    def __getitem__(self, key: str) -> list[Any]:
        gathered = self._gathered.get(key)
        if gathered is None:
            column_values = self._columns[key].values
            gathered = self._gathered[key] = list(map(column_values.__getitem__, self._firsts))
        return gathered

    def get(self, key: str) -> list[Any] | None:
        return self[key] if key in self._columns else None


class Screen:
    """One column-wise pass over the orders that may be clean.

    `at_first[key]` holds each candidate's order value (its first row's: candidates are single-row
    or consistent orders). A family calls `reject` with the positions of candidates that may
    have one of its issues; `rejected_by` remembers who rejected what (for the agreement tests).
    """

    __slots__ = ("at_first", "candidates", "firsts", "ok", "rejected_by", "subtotals")

    def __init__(self, context: CheckContext, candidates: list[OrderRecord]) -> None:
        self.candidates = candidates
        self.firsts = [record.row_indices[0] for record in candidates]
        self.ok = [True] * len(candidates)
        self.at_first = FirstValues(context, self.firsts)
        # Per candidate: the products' price × quantity sum (None where not worked out).
        self.subtotals: list[int | float | None] = [None] * len(candidates)
        self.rejected_by: dict[str, set[int]] = {}

    def reject(self, family: str, positions: Iterable[int]) -> None:
        ok = self.ok
        rejected = self.rejected_by.setdefault(family, set())
        for i in positions:
            ok[i] = False
            rejected.add(i)

    def reject_rows(self, family: str, rows: set[int]) -> None:
        """Reject every candidate that has one of `rows`."""
        if rows:
            self.reject(
                family,
                [
                    i
                    for i, record in enumerate(self.candidates)
                    if not rows.isdisjoint(record.row_indices)
                ],
            )

    def clean(self) -> set[OrderRecord]:
        return {record for record, ok in zip(self.candidates, self.ok, strict=True) if ok}


class RuleFamily(Protocol):
    """What each family module provides (see core/orders/rules/__init__.py)."""

    NAME: str
    CODES: frozenset[IssueCode]
    SCREEN_EXACT: bool

    def check(self, context: CheckContext, facts: OrderFacts, add: Add) -> None: ...

    def screen(self, context: CheckContext, screen: Screen) -> None: ...


def ordered(data: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    """`data` with its keys in the schema's order."""
    return {key: data[key] for key in keys if key in data}
