"""From a sheet of rows to validated Northbeam orders, and back to the cells behind every problem.

`OrderDocument` is the one object the GUI, the CLI and the uploader share:

1. every mapped column is understood as a whole (`core/orders/values/`): the decimal separator and
   the day/month order are decided per column from all its values, then each distinct raw value
   is converted once (files repeat values a lot, so this is where the speed comes from);
2. rows are grouped into orders by order ID in file order, for both layouts people have:
   order values repeated on every row (Northbeam's template) or only on an order's first row
   (Shopify); rows of one order that disagree on an order value are errors on those cells;
3. each order is checked by the rule families (`core/orders/rules/`), most of them at once,
   column by column; the exact JSON sent is assembled from what the rules found
   (`core/orders/payload.py`), and a JSON path leads back to its cell (`core/orders/locate.py`);
4. an edit re-converts one cell and re-checks only the orders that cell belongs to.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from operator import itemgetter
from typing import Any

from northbeam_desktop.core.orders import values
from northbeam_desktop.core.orders.columns import Column
from northbeam_desktop.core.orders.derive import Derivations
from northbeam_desktop.core.orders.fields import (
    DERIVED_CUSTOMER_ID,
    FIELDS_BY_KEY,
    FieldSpec,
    Kind,
    Level,
    json_path,
)
from northbeam_desktop.core.orders.issues import Issue, IssueCode, Severity
from northbeam_desktop.core.orders.locate import locate
from northbeam_desktop.core.orders.mapping import Mapping, auto_map, suggest_columns
from northbeam_desktop.core.orders.payload import build_payload
from northbeam_desktop.core.orders.records import Bad, OrderRecord, OrderStatus
from northbeam_desktop.core.orders.rules import OrderChecker
from northbeam_desktop.core.orders.sheet import CellValue, SheetData
from northbeam_desktop.core.orders.timezones import local_timezone_name, resolve_timezone

__all__ = [  # the records are re-exported: the GUI imports them with the document
    "Bad",
    "Column",
    "LoadOptions",
    "OrderDocument",
    "OrderRecord",
    "OrderStatus",
    "load_document",
]


@dataclass(slots=True)
class LoadOptions:
    sheet: str | None = None
    mapping: Mapping | None = None  # None: auto-map
    timezone: str | None = None  # IANA name for values without a zone; None: this computer's
    hash_identifiers: bool = False  # send SHA-256 of email/phone instead of the plain values
    phone_region: str = "US"  # default country for phone numbers without a +country code
    date_order: str | None = None  # force "MDY" or "DMY" for ambiguous date columns
    include_cancelled: bool = False  # send orders the shop cancelled too
    now: dt.datetime | None = None  # "now" for the time-in-the-future check (tests)


class OrderDocument:
    """A sheet understood as Northbeam orders. See the module docstring."""

    def __init__(self, sheet: SheetData, options: LoadOptions | None = None) -> None:
        self.sheet = sheet
        self.options = options or LoadOptions()
        self.tz = resolve_timezone(self.options.timezone)
        self.timezone_name = self.options.timezone or local_timezone_name()
        self.mapping = self.options.mapping or auto_map(sheet.headers, sheet.rows)
        self.columns: dict[str, Column] = {}
        self.column_issues: list[Issue] = []
        self.mapping_issues: list[Issue] = []
        self.orders: list[OrderRecord] = []
        self.order_of_row: list[OrderRecord | None] = []
        self._by_id: dict[str, OrderRecord] = {}
        self.checker: OrderChecker  # made by rebuild(), for the current columns and grouping
        self.derivations: Derivations  # made by rebuild(): values made from other columns
        self.note_issues: list[Issue] = []  # values changed for you, once per conversion
        self._note_at: dict[tuple[int, Any], Issue] = {}  # (column, raw value) → its note
        self.rebuild()

    # ---- building -------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Understand every column, group rows and check every order (after load or remap)."""
        # Building makes millions of small objects and no reference cycles; letting the cyclic
        # garbage collector rescan the growing heap meanwhile costs ~40% of the time.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._build_columns()
            self._check_mapping()
            self._group()
            self.derivations = Derivations(
                self.sheet,
                self.mapping.derived,
                self.columns,
                lambda raw, header: self._converter(FIELDS_BY_KEY["time_of_purchase"], raw, header),
            )
            self.derivations.build(self.orders)
            self.note_issues = self._conversion_notes()
            checker = OrderChecker(
                sheet=self.sheet,
                columns=self.columns,
                order_of_row=self.order_of_row,
                derived_customer=self.mapping.column_for("customer_id") == DERIVED_CUSTOMER_ID,
                unmapped={issue.field.removeprefix("mapping.") for issue in self.mapping_issues},
                now=self.options.now or dt.datetime.now(dt.UTC),
                hash_identifiers=self.options.hash_identifiers,
                phone_region=self.options.phone_region,
                cancelled_statuses=(
                    self.mapping.platform.cancelled_statuses
                    if self.mapping.platform is not None
                    else _CANCELLED_STATUSES
                ),
                include_cancelled=self.options.include_cancelled,
                blank_customer=(
                    self.mapping.platform.blank_customer
                    if self.mapping.platform is not None
                    else ""
                ),
                repeated_lines_are_real=(
                    self.mapping.platform is not None and self.mapping.platform.rows_are_line_items
                ),
            )
            self.checker = checker
            consistent = checker.consistent_orders(self.orders)
            clean = checker.prescreen(self.orders, consistent)
            recheck = self._recheck
            for record in self.orders:
                # Fresh records start valid with no issues, which is what a clean one gets.
                if record not in clean:
                    recheck(record, consistent=record in consistent)
        finally:
            if collecting:
                gc.enable()

    def set_mapping(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self.rebuild()

    def set_timezone(self, name: str | None) -> None:
        self.tz = resolve_timezone(name)
        self.timezone_name = name or local_timezone_name()
        self.options.timezone = name
        self.rebuild()

    def _build_columns(self) -> None:
        self.columns.clear()
        self.column_issues.clear()
        headers = self.sheet.headers
        wanted = [
            (key, headers.index(match.column))
            for key, match in self.mapping.matches.items()
            if match.column != DERIVED_CUSTOMER_ID and match.column in headers
        ]
        gathered = _gather_columns(self.sheet.rows, [index for _key, index in wanted], len(headers))
        gathered.reverse()  # popped from the end, in `wanted` order
        for key, index in wanted:
            # Each gathered column is dropped once converted (a column that converts to itself
            # is kept as its own result), so at most one extra column is alive at a time.
            raw = gathered.pop()
            spec = FIELDS_BY_KEY[key]
            match = self.mapping.matches[key]
            # Formats are decided, and values converted, once per distinct value: files
            # repeat values a lot (currencies, products, order values on every line).
            distinct = set(raw)
            distinct.discard(None)
            convert, fmt = self._converter(spec, distinct, match.column)
            converted, notes, had_bad = _convert_all(raw, distinct, convert)
            del raw, distinct
            self.columns[key] = Column(
                spec, index, match.column, converted, notes, convert, fmt, had_bad
            )

    def _converter(
        self, spec: FieldSpec, raw: Collection[CellValue], header: str
    ) -> tuple[Callable[[CellValue], tuple[Any, str | None]], Any]:
        kind = spec.kind
        if kind is Kind.NUMBER:
            number = values.infer_number_format(raw)
            if number.ambiguous:
                self.column_issues.append(
                    self._column_issue(IssueCode.AMBIGUOUS_DECIMAL, spec, header, number.evidence)
                )
            return (lambda v, _f=number: (values.parse_number(v, _f), None)), number
        if kind is Kind.DATETIME:
            date = values.infer_date_format(raw)
            if self.options.date_order in ("MDY", "DMY") and date.order in ("MDY", "DMY"):
                date = values.DateFormat(
                    self.options.date_order, guessed=False, evidence=date.evidence
                )
            elif date.guessed:
                self.column_issues.append(
                    self._column_issue(IssueCode.GUESSED_DATE_ORDER, spec, header, date.evidence)
                )
            tz = self.tz
            return (lambda v, _f=date: (values.parse_datetime(v, _f, tz), None)), date
        if spec.key in _IDENTIFIER_FIELDS:
            return values.convert_identifier, None
        return values.SIMPLE_CONVERTERS[kind], None

    def _column_issue(self, code: IssueCode, spec: FieldSpec, header: str, message: str) -> Issue:
        return Issue(
            code=code,
            severity=Severity.WARNING,
            message=message,
            field=json_path(spec, index=None),
            column=header,
            col_index=self.sheet.headers.index(header),
        )

    def _conversion_notes(self) -> list[Issue]:
        """One note per value changed for you ("“US” will be sent as “USA”"), with how many
        orders it concerns, instead of the same note on every order."""
        notes: list[Issue] = []
        self._note_at = {}
        rows = self.sheet.rows
        order_of_row = self.order_of_row
        for column in self.columns.values():
            if not column.notes or column.derived:
                continue
            index = column.index
            noted = column.notes
            first_row: dict[Any, int] = {}
            orders: dict[Any, set[int]] = {}
            for r, row in enumerate(rows):
                raw = row[index]
                if raw is None or raw not in noted:
                    continue
                first_row.setdefault(raw, r)
                orders.setdefault(raw, set()).add(id(order_of_row[r]))
            for raw, r in first_row.items():
                count = len(orders[raw])
                notes.append(
                    note := Issue(
                        code=IssueCode.VALUE_CONVERTED,
                        severity=Severity.NOTE,
                        message=f"{column.spec.label}: {noted[raw]} ({count:,} "
                        f"{'order' if count == 1 else 'orders'})",
                        field=json_path(column.spec, index=None),
                        row=self.sheet.row_numbers[r],
                        column=column.header,
                        row_index=r,
                        col_index=index,
                    )
                )
                self._note_at[(index, raw)] = note
        return notes

    def _check_mapping(self) -> None:
        self.mapping_issues = []
        for spec in self.mapping.missing_required():
            needs = self.mapping.needs(spec.key)
            # The platform's own words know better than column names that merely look alike.
            hints = [] if needs else suggest_columns(spec, self.sheet.headers, self.mapping)
            if spec.key == "customer_id":
                what = (
                    f"No column of this file holds {spec.label}, which Northbeam needs for "
                    "every order, and it has no email or phone column to make a customer "
                    "code from."
                )
            else:
                what = (
                    f"No column of this file holds {spec.label}, which Northbeam needs for "
                    f"every {'product line' if spec.level is Level.PRODUCT else 'order'}."
                )
            # A recognised platform knows where its export keeps the field: that beats a
            # guess from names that are close (Etsy's "Last Name" is no customer ID).
            if needs:
                how = needs
            elif hints:
                how = (
                    "Columns that might hold it: "
                    + ", ".join(f"“{h}”" for h in hints)
                    + ". Choose it in the column mapping."
                )
            else:
                how = "Add a column with it to the file, or choose one in the column mapping."
            self.mapping_issues.append(
                Issue(
                    code=IssueCode.UNMAPPED_REQUIRED_FIELD,
                    severity=Severity.ERROR,
                    message=f"{what} {how}",
                    field=f"mapping.{spec.key}",
                )
            )

    def _unused_columns_hint(self) -> str:
        used = {match.column for match in self.mapping.matches.values()}
        unused = [h for h in self.sheet.headers if h not in used]
        if not unused:
            return "No column in the file holds it; add one."
        shown = ", ".join(f"“{h}”" for h in unused[:6]) + (" …" if len(unused) > 6 else "")
        return f"Columns not used yet: {shown}."

    # ---- grouping -------------------------------------------------------------------------

    def _group(self) -> None:
        """Rows → orders, in file order.

        Rows belong together by the order's key column as the platform defines it: Shopify's
        Name (repeated on every line-item row) while the order ID (Id) is only on the first
        row, or the order ID column itself. A row whose key is blank continues the order above
        when that order has a key and the row carries no order value that disagrees with it;
        otherwise it is an order of its own (which then has no order ID). Rows without a key
        never gather together: nothing says they belong to one order.
        """
        rows = self.sheet.rows
        self.orders = []
        self._by_id = {}
        self.order_of_row = [None] * len(rows)
        id_column = self.columns.get("order_id")
        key_column = self.columns.get("order_number") or id_column
        ids: list[Any] = id_column.values if id_column else [None] * len(rows)
        keys = key_column.values if key_column else [None] * len(rows)
        separate_ids = id_column is not None and key_column is not id_column
        order_level = [
            c for c in self.columns.values() if c.spec.level in (Level.ORDER, Level.ADDRESS)
        ]
        previous: OrderRecord | None = None
        by_key: dict[str, OrderRecord] = {}
        by_id = self._by_id
        orders = self.orders
        order_of_row = self.order_of_row
        for row_index, key in enumerate(keys):
            if key.__class__ is str:
                # The common case, kept tight: 100k rows pass through here.
                record = by_key.get(key)
                if record is None:
                    order_id = _text_or_none(ids[row_index]) if separate_ids else key
                    record = by_key[key] = OrderRecord(order_id, [row_index])
                    orders.append(record)
                else:
                    record.row_indices.append(row_index)
                    if separate_ids and record.order_id is None:
                        record.order_id = _text_or_none(ids[row_index])
                order_of_row[row_index] = previous = record
                continue
            # No key (blank, or a value that is not text such as a Bad cell).
            if (
                key_column is not None
                and previous is not None
                and not _conflicts(order_level, previous.row_indices, row_index)
            ):
                previous.row_indices.append(row_index)
                order_of_row[row_index] = previous
                continue
            order_id = _text_or_none(ids[row_index]) if separate_ids else None
            record = OrderRecord(order_id, [row_index])
            orders.append(record)
            order_of_row[row_index] = record
            previous = None  # the next blank-key row has no keyed order right above it
        for record in orders:
            if record.order_id is not None:
                by_id.setdefault(record.order_id, record)

    # ---- queries --------------------------------------------------------------------------

    @property
    def file_issues(self) -> list[Issue]:
        return self.mapping_issues + self.column_issues + self.note_issues

    def all_issues(self) -> list[Issue]:
        result = list(self.file_issues)
        for record in self.orders:
            result.extend(record.issues)
        return result

    def order_by_id(self, order_id: str) -> OrderRecord | None:
        return self._by_id.get(order_id)

    @property
    def valid_orders(self) -> list[OrderRecord]:
        """The orders that will be sent: no error, and not held back as cancelled."""
        return [record for record in self.orders if self.is_sendable(record)]

    def is_sendable(self, record: OrderRecord) -> bool:
        """Whether an order goes up with the next upload (the one rule the app and the command
        line both ask)."""
        return (
            not self.blocked
            and not record.has_errors
            and record.order_id is not None
            and not record.held_back
        )

    @property
    def held_back(self) -> list[OrderRecord]:
        """Cancelled orders without errors that are not sent unless the user asks."""
        return [r for r in self.orders if r.held_back and not r.has_errors]

    def set_include_cancelled(self, include: bool) -> None:
        """Send cancelled orders too (or not); re-checks the orders that are cancelled."""
        self.options.include_cancelled = include
        self.checker.context.settings = replace(
            self.checker.context.settings, include_cancelled=include
        )
        for record in self.orders:
            if record.cancelled:
                self._recheck(record)

    @property
    def blocked(self) -> bool:
        """True when a file-level error (an unmapped required field) stops every order."""
        return any(issue.is_error for issue in self.mapping_issues)

    def issues_for_row(self, row_index: int) -> list[Issue]:
        record = self.order_of_row[row_index]
        if record is None or not record.issues:
            return []
        first = record.row_indices[0]
        return [
            issue
            for issue in record.issues
            if issue.row_index == row_index or (issue.row_index is None and row_index == first)
        ]

    def issues_for_cell(self, row_index: int, col_index: int) -> list[Issue]:
        """The problems of one cell, and the note when its value is changed for you."""
        record = self.order_of_row[row_index]
        found = (
            [
                issue
                for issue in record.issues
                if issue.row_index == row_index and issue.col_index == col_index
            ]
            if record is not None and record.issues
            else []
        )
        if self._note_at:
            note = self._note_at.get((col_index, self.sheet.rows[row_index][col_index]))
            if note is not None:
                found.append(note)
        return found

    def payload(self, record: OrderRecord) -> dict[str, Any]:
        """The exact JSON object sent for this order (hashing applied per the options)."""
        return build_payload(self.checker.read(record)[0])

    def payloads(self, records: Iterable[OrderRecord]) -> list[dict[str, Any]]:
        read = self.checker.read
        return [build_payload(read(record)[0]) for record in records]

    def locate(self, record: OrderRecord, path: str) -> tuple[int | None, int | None]:
        """The (row_index, col_index) a JSON path of this order's payload came from."""
        return locate(self.checker, self.columns, record, path)

    def cell_of(self, record: OrderRecord, path: str) -> tuple[int | None, str | None]:
        """Like `locate`, as (Excel row number, header text) for reports."""
        row_index, col_index = self.locate(record, path)
        row = self.sheet.row_numbers[row_index] if row_index is not None else None
        column = self.sheet.headers[col_index] if col_index is not None else None
        return row, column

    # ---- editing --------------------------------------------------------------------------

    def is_order_level(self, col_index: int) -> bool:
        """True for a column holding one value per order (customer, totals, tax, shipping,
        currency, date, address…); the order ID itself is not (editing it moves the row)."""
        column = self._column_at(col_index)
        return (
            column is not None
            and column.spec.level in (Level.ORDER, Level.ADDRESS)
            and column.spec.key != "order_id"
        )

    def order_level_rows(self, row_index: int, col_index: int) -> list[int]:
        """The rows an edit of this cell writes so that its order stays whole.

        For an order-level column: every row of the order that carries the order (its order ID
        cell is filled) or already holds a value in the column. Shopify-style continuation lines
        (no order ID, blank order values) stay blank; if the edited row is one, the value goes
        to the order's first row. For any other cell: just the cell's own row.
        """
        record = self.order_of_row[row_index] if 0 <= row_index < len(self.order_of_row) else None
        if record is None or record.order_id is None or not self.is_order_level(col_index):
            return [row_index]
        rows = self.sheet.rows
        id_column = self.columns.get("order_id")
        id_index = id_column.index if id_column is not None else None
        result = [
            r
            for r in record.row_indices
            if _filled(rows[r][col_index]) or (id_index is not None and _filled(rows[r][id_index]))
        ]
        return result or [record.row_indices[0]]

    def _column_at(self, col_index: int) -> Column | None:
        return next(
            (c for c in self.columns.values() if c.index == col_index and not c.derived), None
        )

    def set_cell(self, row_index: int, col_index: int, value: CellValue) -> list[OrderRecord]:
        """Store an edit and re-check only the orders it touches; returns those orders."""
        return self.set_cells([(row_index, col_index, value)])

    def set_cells(self, changes: Iterable[tuple[int, int, CellValue]]) -> list[OrderRecord]:
        """Store several edits (a whole order's value, a bulk fix), then re-check each order
        they touch once; returns those orders."""
        affected: list[OrderRecord] = []
        regroup = False
        noted = False
        for row_index, col_index, value in changes:
            touched, moves_rows = self._store_cell(row_index, col_index, value)
            affected.extend(touched)
            regroup = regroup or moves_rows
            column = self._column_at(col_index)
            noted = noted or (column is not None and bool(column.notes))
        if regroup:
            affected.extend(self._regroup())
        if noted:
            self.note_issues = self._conversion_notes()
        if self.derivations.fields:
            for record in affected:
                if record.row_indices and self.order_of_row[record.row_indices[0]] is record:
                    self.derivations.refresh(record)
        seen: set[int] = set()
        result = []
        for record in affected:
            if id(record) in seen or not record.row_indices:
                continue
            if self.order_of_row[record.row_indices[0]] is not record:
                continue  # replaced by a regroup: its rows now belong to another record
            seen.add(id(record))
            record.server_issues = []  # the user acted on it; Northbeam's verdict is stale now
            if record.upload_status == "failed":
                record.upload_status = record.upload_message = None
            self._recheck(record)
            result.append(record)
        return result

    def _store_cell(
        self, row_index: int, col_index: int, value: CellValue
    ) -> tuple[list[OrderRecord], bool]:
        """Write one cell; the orders to re-check, and whether rows may move between orders
        (the caller then groups again, once for all its edits)."""
        if isinstance(value, str) and value == "":
            value = None
        self.sheet.rows[row_index][col_index] = value
        column = self._column_at(col_index)
        old = self.order_of_row[row_index]
        affected: list[OrderRecord] = [old] if old is not None else []
        if column is None:
            return affected, False
        column.values[row_index] = column.reconvert(value)
        return affected, self._grouping_may_change(column, row_index)

    def record_upload_result(
        self,
        record: OrderRecord,
        status: str,
        message: str | None = None,
        server_errors: Sequence[tuple[str, str]] = (),
    ) -> None:
        """Remember what Northbeam answered for an order, painting its messages on the cells
        the JSON paths name (`products[0].price` → that product's price cell)."""
        record.upload_status = status
        record.upload_message = message
        issues: list[Issue] = []
        for path, text in server_errors:
            row_index, col_index = self.locate(record, path)
            issues.append(
                Issue(
                    code=IssueCode.SERVER_REJECTED,
                    severity=Severity.ERROR,
                    message=f"Northbeam rejected this value: {text}",
                    field=path or "order",
                    row=self.sheet.row_numbers[row_index] if row_index is not None else None,
                    column=self.sheet.headers[col_index] if col_index is not None else None,
                    order_id=record.order_id,
                    row_index=row_index,
                    col_index=col_index,
                )
            )
        if status == "failed" and not issues and message:
            first = record.row_indices[0]
            issues.append(
                Issue(
                    code=IssueCode.SERVER_REJECTED,
                    severity=Severity.ERROR,
                    message=f"Northbeam rejected this order: {message}",
                    field="order",
                    row=self.sheet.row_numbers[first],
                    order_id=record.order_id,
                    row_index=first,
                )
            )
        stale = bool(record.server_issues) or bool(issues)
        record.server_issues = issues
        if stale:
            # The order's own issues do not depend on its upload status: re-check only when
            # Northbeam's marks changed (an accepted batch of 1,000 orders costs nothing).
            self._recheck(record)

    def _recheck(self, record: OrderRecord, *, consistent: bool = False) -> None:
        """Give one order its issues (its own and Northbeam's) and the status they mean."""
        issues = self.checker.check(record, consistent=consistent)
        if record.server_issues:
            issues.extend(record.server_issues)
        record.set_issues(issues)

    def _grouping_may_change(self, column: Column, row_index: int) -> bool:
        """Whether an edit of this cell can move rows between orders: an edit of the key or
        the order ID, or of an order value on a row without a key (whether it continues the
        order above depends on its values)."""
        key = column.spec.key
        if key in ("order_id", "order_number"):
            return True
        if column.spec.level not in (Level.ORDER, Level.ADDRESS):
            return False
        key_column = self.columns.get("order_number") or self.columns.get("order_id")
        return key_column is not None and key_column.values[row_index].__class__ is not str

    def _regroup(self) -> list[OrderRecord]:
        """Group again after an edit; orders whose rows and ID did not change keep their record
        (and with it their checked issues and upload status). Returns the new records."""
        kept = {(tuple(r.row_indices), r.order_id): r for r in self.orders}
        self._group()
        changed: list[OrderRecord] = []
        for position, record in enumerate(self.orders):
            old = kept.get((tuple(record.row_indices), record.order_id))
            if old is None:
                changed.append(record)
                continue
            self.orders[position] = old
            for r in old.row_indices:
                self.order_of_row[r] = old
            if old.order_id is not None and self._by_id.get(old.order_id) is record:
                self._by_id[old.order_id] = old
        return changed

    def delete_rows(self, row_indices: Iterable[int]) -> None:
        """Remove rows from the sheet (GUI 'delete rows'), then rebuild everything."""
        doomed = set(row_indices)
        sheet = self.sheet
        sheet.rows = [row for i, row in enumerate(sheet.rows) if i not in doomed]
        sheet.row_numbers = [n for i, n in enumerate(sheet.row_numbers) if i not in doomed]
        self.rebuild()

    def insert_rows(
        self, at: int, rows: Sequence[Sequence[CellValue]], row_numbers: Sequence[int]
    ) -> None:
        """Put rows back (undo of a delete), then rebuild everything."""
        sheet = self.sheet
        for offset, (row, number) in enumerate(zip(rows, row_numbers, strict=True)):
            sheet.rows.insert(at + offset, list(row))
            sheet.row_numbers.insert(at + offset, number)
        self.rebuild()

    # ---- summary --------------------------------------------------------------------------

    def summary(self) -> dict[str, int]:
        counts = {"rows": len(self.sheet.rows), "orders": len(self.orders), "valid_orders": 0}
        if not self.blocked:
            counts["valid_orders"] = sum(1 for record in self.orders if self.is_sendable(record))
        return counts


def _filled(value: CellValue) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _text_or_none(value: Any) -> str | None:
    return value if value.__class__ is str else None


# Statuses that mean "cancelled" in a file from no known platform.
_CANCELLED_STATUSES = frozenset({"cancelled", "canceled", "voided"})

# Fields whose cells spreadsheets mark to keep leading zeros ('02134, "0926…"): the mark goes.
_IDENTIFIER_FIELDS = frozenset(
    {
        "order_id",
        "customer_id",
        "customer_phone_number",
        "order_number",
        "products.id",
        "products.variant_id",
        "refunds.product_id",
        "refunds.variant_id",
        "customer_shipping_address.zip",
        "alternate_order_ids.id",
    }
)


def _conflicts(columns: list[Column], order_rows: list[int], row_index: int) -> bool:
    """Whether the row has an order value that differs from the order's own (the first filled
    one among its rows)."""
    for column in columns:
        values_ = column.values
        value = values_[row_index]
        if value is None:
            continue
        known = next((values_[r] for r in order_rows if values_[r] is not None), None)
        if known is not None and known != value:
            return True
    return False


# Rows per transposed slice: each slice holds the interpreter lock for a few milliseconds only,
# so a window whose document is built on a worker thread never feels it.
_GATHER_SLICE_ROWS = 10_000


def _gather_columns(
    rows: list[list[CellValue]], indexes: list[int], width: int
) -> list[list[CellValue]]:
    """The cells of the columns at `indexes`, one list per column.

    When most columns are wanted, transposing slices of rows with zip() is the cheapest C-level
    way (about a third faster than a pass per column); when few are, a pass per wanted column
    touches less.
    """
    if len(indexes) * 2 < width:
        return [list(map(itemgetter(index), rows)) for index in indexes]
    columns: list[list[CellValue]] = [[] for _ in indexes]
    for start in range(0, len(rows), _GATHER_SLICE_ROWS):
        sliced = list(zip(*rows[start : start + _GATHER_SLICE_ROWS], strict=True))
        for column, index in zip(columns, indexes, strict=True):
            column.extend(sliced[index])
    return columns


def _convert_all(
    raw: list[CellValue],
    distinct: set[CellValue],
    convert: Callable[[CellValue], tuple[Any, str | None]],
) -> tuple[list[Any], dict[Any, str], bool]:
    """Convert each distinct value once, then spread the results over the column.

    Returns the converted column, notes by raw value, and whether any value was not understood.
    `raw` must be a list of the caller's own (it is returned as the result, not copied, when
    every value converts to itself).
    """
    cache: dict[Any, Any] = {None: None}
    notes: dict[Any, str] = {}
    if convert is values.convert_text:
        # The most common kind (IDs, names, ZIPs). When every value is already clean text
        # (readers turn blanks into None), the column is its own result.
        if all(value.__class__ is str and value.strip() is value for value in distinct):
            return raw, notes, False
        for value in distinct:
            if value.__class__ is str:
                cache[value] = value.strip() or None
            else:
                cache[value] = values.to_text(value)
        return list(map(cache.__getitem__, raw)), notes, False
    had_bad = False
    for value in distinct:
        if value.__class__ is str and not value.strip():
            cache[value] = None
            continue
        try:
            converted, note = convert(value)
        except values.ValueProblem as problem:
            converted, note, had_bad = Bad(problem), None, True
        cache[value] = converted
        if note:
            notes[value] = note
    if not notes and all(cache[value] is value for value in distinct):
        # Spreadsheet numbers in a money column are already what we send.
        return raw, notes, had_bad
    return list(map(cache.__getitem__, raw)), notes, had_bad


def load_document(
    path: str | os.PathLike[str], options: LoadOptions | None = None
) -> OrderDocument:
    """Read a file and understand it as orders. Raises readers.ReadError or ValueError (bad
    options such as an unknown time zone), both with messages for the user."""
    from northbeam_desktop.core.orders.readers import read_file

    options = options or LoadOptions()
    resolve_timezone(options.timezone)  # fail before the (slow) read on a bad zone name
    sheet = read_file(path, options.sheet)
    return OrderDocument(sheet, options)
