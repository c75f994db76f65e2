"""The time of purchase (rules/purchase_time.py): required, and not in the future."""

from __future__ import annotations

from pathlib import Path

import pytest

from northbeam_desktop.core.orders.issues import IssueCode, Severity
from northbeam_desktop.core.orders.rules import purchase_time
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
        IssueCode.TIME_IN_FUTURE,
        W,
        (4, "time_of_purchase"),
        {(4, "time_of_purchase"): "2027-01-01T00:00:00Z"},
        says=("is in the future", "time zone"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_issue_cases(tmp_path: Path, case: IssueCase) -> None:
    assert_case(tmp_path, case)


def test_an_empty_time_is_required(tmp_path: Path) -> None:
    doc = template_doc(tmp_path, {(4, "time_of_purchase"): ""})
    [issue] = issues_at(doc, 4, "time_of_purchase", "required")
    assert issue.is_error and issue.message.startswith("Time of purchase is empty.")


def test_a_few_minutes_ahead_is_not_the_future(tmp_path: Path) -> None:
    doc = template_doc(tmp_path, {(4, "time_of_purchase"): "2026-11-26T00:09:00Z"})
    assert not issues_at(doc, 4, "time_of_purchase")
    doc = template_doc(tmp_path, {(4, "time_of_purchase"): "2026-11-26T00:11:00Z"})
    assert issues_at(doc, 4, "time_of_purchase", "time_in_future")


DAMAGE = {
    "time_of_purchase": ["", "yesterday", "2030-01-01T00:00:00Z", "2026-11-26T00:05:00Z"],
}


def test_screen_agrees_with_the_check(tmp_path: Path) -> None:
    tally = Agreement()
    for seed in range(40):
        doc = damaged_doc(tmp_path, seed, DAMAGE)
        assert_screen_agrees(doc, purchase_time.NAME, tally)
    assert tally.passed and tally.held
