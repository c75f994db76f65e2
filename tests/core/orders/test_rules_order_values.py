"""Order values and conflicts (rules/order_values.py): one value per order, the first filled
cell wins, other rows must agree; cells not understood and values converted."""

from __future__ import annotations

from pathlib import Path

import pytest

from northbeam_desktop.core.orders.issues import IssueCode, Severity
from northbeam_desktop.core.orders.rules import order_values
from tests.core import orderfiles
from tests.core.orders.rulecases import (
    Agreement,
    IssueCase,
    assert_case,
    assert_screen_agrees,
    damaged_doc,
    issues_at,
    template_doc,
)

E, W = Severity.ERROR, Severity.WARNING
TIME = "time_of_purchase"
COUNTRY = "customer_shipping_address_country_code"

CASES = [
    IssueCase(
        IssueCode.ORDER_VALUE_CONFLICT,
        E,
        (3, "currency"),
        {(3, "currency"): "EUR"},
        says=("All rows of one order must agree",),
    ),
    IssueCase(
        IssueCode.DUPLICATE_ORDER_ID,
        E,
        (5, "customer_id"),
        {(5, "order_id"): "1001", (5, "customer_id"): "C-99"},
        says=("is used by two different orders",),
    ),
    # Cells not understood, reported with the reason the value readers give.
    IssueCase(IssueCode.NOT_A_NUMBER, E, (4, "purchase_total"), {(4, "purchase_total"): "abc"}),
    IssueCase(
        IssueCode.BAD_THOUSANDS_SEPARATOR,
        E,
        (4, "purchase_total"),
        {(4, "purchase_total"): "1,23,4.00"},
    ),
    IssueCase(
        IssueCode.WRONG_DECIMAL_SEPARATOR,
        E,
        (4, "purchase_total"),
        {(4, "purchase_total"): "12,50"},
    ),
    IssueCase(IssueCode.NOT_A_DATE, E, (4, TIME), {(4, TIME): "yesterday"}),
    IssueCase(IssueCode.DATE_WITHOUT_DAY, E, (4, TIME), {(4, TIME): "03/2026"}),
    IssueCase(IssueCode.TIME_WITHOUT_DATE, E, (4, TIME), {(4, TIME): "10:30"}),
    IssueCase(IssueCode.INVALID_DATE, E, (4, TIME), {(4, TIME): "2026-02-31"}),
    IssueCase(
        IssueCode.WRONG_DATE_ORDER,
        E,
        (4, TIME),
        {(2, TIME): "12/31/2025 10:00", (3, TIME): "12/31/2025 10:00", (4, TIME): "25/03/2026"},
    ),
    IssueCase(IssueCode.INVALID_TIME, E, (4, TIME), {(4, TIME): "2026-03-08 25:00"}),
    IssueCase(IssueCode.UNKNOWN_TIME_ZONE, E, (4, TIME), {(4, TIME): "2026-03-08 10:00 XYZ"}),
    IssueCase(
        IssueCode.NOT_A_YES_NO, E, (4, "is_recurring_order"), {(4, "is_recurring_order"): "maybe"}
    ),
    IssueCase(IssueCode.AMBIGUOUS_CURRENCY, E, (4, "currency"), {(4, "currency"): "$"}),
    IssueCase(IssueCode.UNKNOWN_CURRENCY, E, (4, "currency"), {(4, "currency"): "zzz"}),
    IssueCase(IssueCode.UNSUPPORTED_CURRENCY, E, (4, "currency"), {(4, "currency"): "BYN"}),
    IssueCase(IssueCode.UNKNOWN_COUNTRY, E, (4, COUNTRY), {(4, COUNTRY): "Atlantis"}),
    IssueCase(
        IssueCode.INVALID_EMAIL, E, (4, "customer_email"), {(4, "customer_email"): "not-an-email"}
    ),
    IssueCase(
        IssueCode.INVALID_HASH,
        E,
        (4, "hashed_customer_email"),
        {(4, "hashed_customer_email"): "abc", (4, "customer_email"): ""},
        columns=("hashed_customer_email",),
    ),
    IssueCase(
        IssueCode.INVALID_IP,
        E,
        (4, "customer_ip_address"),
        {(4, "customer_ip_address"): "300.1.1.1"},
        columns=("customer_ip_address",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_issue_cases(tmp_path: Path, case: IssueCase) -> None:
    assert_case(tmp_path, case)


def test_a_conflict_suggests_the_first_rows_value(tmp_path: Path) -> None:
    doc = template_doc(tmp_path, {(3, "currency"): "EUR"})
    [issue] = issues_at(doc, 3, "currency", "order_value_conflict")
    assert issue.suggestion == "USD" and issue.field == "currency"
    assert "“EUR” in this row but “USD” in row 2" in issue.message


def test_a_value_only_on_a_later_row_is_the_orders_value(tmp_path: Path) -> None:
    doc = template_doc(tmp_path, {(2, "tax"): ""})
    record = doc.order_by_id("1001")
    assert record is not None and not record.has_errors
    assert doc.payload(record)["tax"] == 8.25


def test_duplicate_order_id_far_apart_with_different_customers(tmp_path: Path) -> None:
    rows = [list(r) for r in orderfiles.TEMPLATE_CLEAN]
    stray = list(rows[2])
    stray[0] = "1001"
    stray[1] = "C-99"
    stray[2] = "2026-04-01T10:00:00Z"
    rows.append(stray)
    doc = template_doc(tmp_path, rows=rows)
    assert issues_at(doc, 5, "customer_id", "duplicate_order_id")


DAMAGE = {
    "currency": ["", "$", "usd", "BYN", "EUR"],
    "customer_id": ["C-9"],
    "purchase_total": ["abc", "1,23,4.00"],
    "time_of_purchase": ["yesterday", "2026-03-09T14:05:00Z"],
    "is_recurring_order": ["maybe", "TRUE"],
    "customer_shipping_address_country_code": ["us", "Atlantis", "GBR"],
    "customer_email": ["not-an-email", "x@example.org"],
}


def test_screen_agrees_with_the_check(tmp_path: Path) -> None:
    tally = Agreement()
    for seed in range(40):
        assert_screen_agrees(damaged_doc(tmp_path, seed, DAMAGE), order_values.NAME, tally)
    assert tally.passed and tally.held


def test_consistent_orders_are_the_multi_row_orders_whose_rows_agree(tmp_path: Path) -> None:
    doc = template_doc(tmp_path, {(5, "order_id"): "1002"})  # row 5 repeats 1002's values
    checker = doc.checker
    assert {r.order_id for r in checker.consistent_orders(doc.orders)} == {"1001", "1002"}
    doc = template_doc(tmp_path, {(3, "tax"): "9.00"})
    assert checker is not doc.checker
    assert doc.checker.consistent_orders(doc.orders) == set()
