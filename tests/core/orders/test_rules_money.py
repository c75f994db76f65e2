"""Money (rules/money.py): total, tax, shipping, discount and currency."""

from __future__ import annotations

from pathlib import Path

import pytest

from northbeam_desktop.core.orders.issues import IssueCode, Severity
from northbeam_desktop.core.orders.rules import money
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

CASES = [
    IssueCase(
        IssueCode.REQUIRED,
        E,
        (4, "tax"),
        {(4, "tax"): ""},
        says=("Tax is empty", "type 0 if there was none"),
    ),
    IssueCase(
        IssueCode.NEGATIVE_NUMBER,
        E,
        (4, "shipping_cost"),
        {(4, "shipping_cost"): "-5"},
        says=("is negative (-5)",),
    ),
    IssueCase(
        IssueCode.NUMBER_TOO_LARGE,
        E,
        (4, "purchase_total"),
        {(4, "purchase_total"): "1e20"},
        says=("larger than Northbeam accepts",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_issue_cases(tmp_path: Path, case: IssueCase) -> None:
    assert_case(tmp_path, case)


def test_required_amounts_suggest_zero_and_currency_says_what_to_type(tmp_path: Path) -> None:
    doc = template_doc(tmp_path, {(4, "tax"): "", (4, "currency"): ""})
    [tax] = issues_at(doc, 4, "tax", "required")
    assert tax.suggestion == "0"
    [currency] = issues_at(doc, 4, "currency", "required")
    assert currency.suggestion is None and currency.message.startswith("Currency is empty.")


def test_a_negative_amount_suggests_the_positive_one_and_is_not_sent(tmp_path: Path) -> None:
    doc = template_doc(tmp_path, {(4, "discount_amount"): "-3"})
    [issue] = issues_at(doc, 4, "discount_amount", "negative_number")
    assert issue.suggestion == "3"
    record = doc.order_by_id("1002")
    assert record is not None and "discount_amount" not in doc.payload(record)


def test_in_range_is_the_one_limit() -> None:
    from northbeam_desktop.core.orders.rules.context import MAXIMUM, in_range

    assert in_range(0) and in_range(MAXIMUM) and in_range(12.5)
    assert not in_range(-0.01) and not in_range(MAXIMUM + 1)


DAMAGE = {
    "currency": ["", "$", "usd", "EUR"],
    "purchase_total": ["", "abc", "-5", "1e20", "999.99"],
    "tax": ["", "x", "-1", "0"],
    "shipping_cost": ["", "-3", "10.00"],
    "discount_amount": ["", "-1", "abc"],
}


def test_screen_agrees_with_the_check(tmp_path: Path) -> None:
    tally = Agreement()
    for seed in range(40):
        doc = damaged_doc(tmp_path, seed, DAMAGE)
        assert_screen_agrees(doc, money.NAME, tally)
    assert tally.passed and tally.held
