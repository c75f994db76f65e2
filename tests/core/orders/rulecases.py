"""Shared by the tests of core/orders/rules: documents made from Northbeam's template with a few
cells changed, one `IssueCase` per issue code, files damaged at random, and the proof that a
family's column-wise screen agrees with its per-order check.

Template rows (Excel row numbers, header is row 1): rows 2–3 are order 1001 (two products,
order values repeated), row 4 is order 1002.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from devtools.standin import SPEC_PATH, build_order_schema
from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument
from northbeam_desktop.core.orders.issues import Issue, IssueCode, Severity
from northbeam_desktop.core.orders.readers import read_file
from northbeam_desktop.core.orders.rules import FAMILIES
from tests.core import orderfiles

NOW = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)
HEADER = orderfiles.TEMPLATE_HEADER

REFUND_COLUMNS = (
    "refunds_product_id",
    "refunds_quantity",
    "refunds_refund_amount",
    "refunds_refund_cost",
    "refunds_refund_made_at",
)
ALTERNATE_COLUMNS = ("alternate_order_ids_type", "alternate_order_ids_id")
IDENTITY_COLUMNS = (
    "hashed_customer_email",
    "customer_phone_number",
    "hashed_customer_phone_number",
)
ADDRESS_COLUMNS = ("customer_shipping_address_address1", "customer_shipping_address_city")
DIGEST = "a" * 64


def opts(**kwargs: Any) -> LoadOptions:
    """Options for files whose times without a zone are New York's."""
    kwargs.setdefault("timezone", "America/New_York")
    kwargs.setdefault("now", NOW)
    return LoadOptions(**kwargs)


def fixed_schema() -> dict[str, Any]:
    """Northbeam's Order batch schema with its quirks fixed (numeric maximum, patterns matched
    against the whole value), as the local stand-in enforces it."""
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return build_order_schema(spec)


def assert_schema_valid(payloads: list[dict[str, Any]]) -> None:
    validator = jsonschema.Draft202012Validator(
        fixed_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(payloads), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def issue_at(doc: OrderDocument, row: int, column: str, code: str | None = None) -> list[Issue]:
    return [
        i
        for i in doc.all_issues()
        if i.row == row and i.column == column and (code is None or i.code == code)
    ]


def options(**overrides: Any) -> LoadOptions:
    overrides.setdefault("timezone", "UTC")
    overrides.setdefault("now", NOW)
    return LoadOptions(**overrides)


def template_doc(
    folder: Path,
    edits: Mapping[tuple[int, str], str] = {},
    *,
    columns: Sequence[str] = (),
    rows: Sequence[Sequence[str]] | None = None,
    **load: Any,
) -> OrderDocument:
    """The template file with `columns` added (blank) and `edits` applied: (Excel row, header)
    → new text; a row past the end is added as a copy of the last one."""
    header = [*HEADER, *columns]
    data = [[*row, *([""] * len(columns))] for row in (rows or orderfiles.TEMPLATE_CLEAN)]
    for (excel_row, column), text in edits.items():
        while excel_row - 2 >= len(data):
            data.append(list(data[-1]))
        data[excel_row - 2][header.index(column)] = text
    path = orderfiles.write_csv(folder / "case.csv", header, data)
    return OrderDocument(read_file(path), options(**load))


def issues_at(
    doc: OrderDocument, row: int | None, column: str | None, code: str | None = None
) -> list[Issue]:
    return [
        issue
        for issue in doc.all_issues()
        if issue.row == row and issue.column == column and (code is None or issue.code == code)
    ]


@dataclass(frozen=True)
class IssueCase:
    """One way to raise `code`: the template with `edits`, reported at (Excel row, header)."""

    code: IssueCode
    severity: Severity
    at: tuple[int | None, str | None]
    edits: Mapping[tuple[int, str], str] = field(default_factory=dict)
    columns: Sequence[str] = ()
    load: Mapping[str, Any] = field(default_factory=dict)
    # Words the message must contain (it says what is wrong and how to fix it).
    says: Sequence[str] = ()
    # A step that raises the issue on the loaded document (Northbeam's answer, say).
    then: Callable[[OrderDocument], None] | None = None
    # A file other than the template (its own columns).
    make: Callable[[Path], OrderDocument] | None = None

    @property
    def id(self) -> str:
        return f"{self.code.value}@{self.at[1]}"


def assert_case(folder: Path, case: IssueCase) -> Issue:
    """The case's file raises its code, with its severity, at its cell, in plain words."""
    if case.make is not None:
        doc = case.make(folder)
    else:
        doc = template_doc(folder, case.edits, columns=case.columns, **case.load)
    if case.then is not None:
        case.then(doc)
    row, column = case.at
    found = issues_at(doc, row, column, case.code)
    assert found, (case.id, [(i.code, i.row, i.column) for i in doc.all_issues()])
    issue = found[0]
    assert issue.severity is case.severity, case.id
    for words in case.says:
        assert words in issue.message, (case.id, issue.message)
    assert "Traceback" not in issue.message and "{" not in issue.message
    assert not re.search(r"[a-z_]+\[\d+\]|mapping\.[a-z]", issue.message), issue.message
    return issue


def damaged_doc(
    folder: Path,
    seed: int,
    damage: Mapping[str, Sequence[str]],
    *,
    columns: Sequence[str] = (),
    fill: Mapping[str, str] = {},
) -> OrderDocument:
    """Forty template rows (pairs of rows per order, values repeated), with `fill` in the added
    `columns` of some rows, and up to a dozen cells (or orders) given values from `damage`."""
    rng = random.Random(seed)
    header = [*HEADER, *columns]
    rows = []
    for n in range(40):
        base = [*orderfiles.TEMPLATE_CLEAN[n % 3], *([""] * len(columns))]
        base[0] = str(2000 + n // 2)
        if fill and rng.random() < 0.3:
            for column, text in fill.items():
                base[header.index(column)] = text
        rows.append(base)
    for _ in range(rng.randrange(1, 12)):
        row = rng.randrange(len(rows))
        column = header.index(rng.choice(list(damage)))
        value = rng.choice(damage[header[column]])
        # Mostly the whole order (both its rows), so it stays consistent and meets the screen;
        # sometimes one row, so its rows disagree.
        for r in (row, row ^ 1) if rng.random() < 0.6 else (row,):
            rows[r][column] = value
    path = orderfiles.write_csv(folder / f"damaged_{seed}.csv", header, rows)
    return OrderDocument(read_file(path), options())


@dataclass
class Agreement:
    """How often a family's screen passed and held back candidates (so a test can show its
    damage reached the family both ways)."""

    passed: int = 0
    held: int = 0


def assert_screen_agrees(doc: OrderDocument, name: str, tally: Agreement | None = None) -> None:
    """The family's screen is sound: an order it passes has none of its issues. And, when the
    screen is exact, an order it holds back has an issue of this family or an earlier one."""
    names = [family.NAME for family in FAMILIES]
    position = names.index(name)
    family = FAMILIES[position]
    checker = doc.checker
    consistent = checker.consistent_orders(doc.orders)
    screen = checker.screen(doc.orders, consistent)
    assert screen is not None
    held = screen.rejected_by.get(name, set())
    for i, record in enumerate(screen.candidates):
        found = checker.issues_by_family(record, consistent=record in consistent)
        if i not in held:
            assert found[name] == [], (record, found[name])
            if tally is not None:
                tally.passed += 1
            continue
        if tally is not None:
            tally.held += 1
        if family.SCREEN_EXACT:
            so_far = [issue for earlier in names[: position + 1] for issue in found[earlier]]
            assert so_far, (name, record)
