"""Alternate order IDs (rules/alternate_ids.py): both type and value, each pair once."""

from __future__ import annotations

from pathlib import Path

from northbeam_desktop.core.orders.issues import Severity
from northbeam_desktop.core.orders.rules import alternate_ids
from tests.core.orders.rulecases import (
    ALTERNATE_COLUMNS,
    Agreement,
    assert_schema_valid,
    assert_screen_agrees,
    damaged_doc,
    issues_at,
    template_doc,
)

E, W = Severity.ERROR, Severity.WARNING

TYPE, ID = ALTERNATE_COLUMNS


def test_a_pair_needs_both_halves(tmp_path: Path) -> None:
    doc = template_doc(tmp_path, {(4, TYPE): "legacy"}, columns=ALTERNATE_COLUMNS)
    [issue] = issues_at(doc, 4, ID, "required")
    assert issue.is_error and issue.field == "alternate_order_ids[0].id"
    assert "needs both its type and its value" in issue.message


def test_pairs_are_sent_once_each(tmp_path: Path) -> None:
    edits = {(2, TYPE): "legacy", (2, ID): "A-1", (3, TYPE): "legacy", (3, ID): "A-1"}
    doc = template_doc(tmp_path, edits, columns=ALTERNATE_COLUMNS)
    record = doc.order_by_id("1001")
    assert record is not None and record.issues == []
    payload = doc.payload(record)
    assert payload["alternate_order_ids"] == [{"type": "legacy", "id": "A-1"}]
    assert_schema_valid([payload])
    assert doc.cell_of(record, "alternate_order_ids[0].id") == (2, ID)


DAMAGE = {TYPE: ["", "legacy"], ID: ["", "A-9"]}


def test_screen_agrees_with_the_check(tmp_path: Path) -> None:
    tally = Agreement()
    for seed in range(40):
        doc = damaged_doc(
            tmp_path,
            seed,
            DAMAGE,
            columns=ALTERNATE_COLUMNS,
            fill={TYPE: "legacy", ID: "A-1"},
        )
        assert_screen_agrees(doc, alternate_ids.NAME, tally)
    assert tally.passed and tally.held
