"""The shipping address (rules/address.py): a country with every address, a ZIP."""

from __future__ import annotations

from pathlib import Path

import pytest

from northbeam_desktop.core.orders.issues import IssueCode, Severity
from northbeam_desktop.core.orders.rules import address
from tests.core.orders.rulecases import (
    ADDRESS_COLUMNS,
    Agreement,
    IssueCase,
    assert_case,
    assert_screen_agrees,
    damaged_doc,
    issues_at,
    template_doc,
)

E, W = Severity.ERROR, Severity.WARNING

COUNTRY = "customer_shipping_address_country_code"
ZIP = "customer_shipping_address_zip"

CASES = [
    IssueCase(
        IssueCode.ZIP_MISSING,
        Severity.NOTE,
        (4, ZIP),
        {(4, ZIP): ""},
        says=("sent without one",),
    ),
    IssueCase(
        IssueCode.ZIP_LEADING_ZERO,
        Severity.NOTE,
        (4, ZIP),
        {(4, ZIP): "2134"},
        says=("“2134” lost its leading zero", "Excel", "sent as 02134"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_issue_cases(tmp_path: Path, case: IssueCase) -> None:
    assert_case(tmp_path, case)


def test_an_address_without_a_country_is_an_error(tmp_path: Path) -> None:
    doc = template_doc(tmp_path, {(4, COUNTRY): ""})
    [issue] = issues_at(doc, 4, COUNTRY, "required")
    assert issue.is_error and "Shipping country is empty" in issue.message


def test_an_order_without_any_address_is_fine(tmp_path: Path) -> None:
    doc = template_doc(tmp_path, {(4, COUNTRY): "", (4, ZIP): ""})
    record = doc.order_by_id("1002")
    assert record is not None and record.issues == []
    assert "customer_shipping_address" not in doc.payload(record)


def test_a_missing_zip_is_sent_empty(tmp_path: Path) -> None:
    doc = template_doc(tmp_path, {(4, ZIP): ""})
    record = doc.order_by_id("1002")
    assert record is not None
    assert doc.payload(record)["customer_shipping_address"] == {"zip": "", "country_code": "USA"}


def test_a_us_zip_that_lost_its_zero_is_sent_with_it(tmp_path: Path) -> None:
    doc = template_doc(tmp_path, {(4, ZIP): "2134"})
    record = doc.order_by_id("1002")
    assert record is not None
    assert doc.payload(record)["customer_shipping_address"]["zip"] == "02134"
    # Other countries' short postcodes are theirs (Australia's 3072, Denmark's 1050).
    (tmp_path / "au").mkdir()
    other = template_doc(tmp_path / "au", {(4, ZIP): "3072", (4, COUNTRY): "AUS"})
    kept = other.order_by_id("1002")
    assert kept is not None and kept.issues == []
    assert other.payload(kept)["customer_shipping_address"]["zip"] == "3072"


def test_a_zip_that_stands_for_none_is_sent_empty(tmp_path: Path) -> None:
    """Shops in countries without postcodes type “-”: that is no ZIP, and it says so."""
    doc = template_doc(tmp_path, {(4, ZIP): "-"})
    record = doc.order_by_id("1002")
    assert record is not None
    [issue] = record.issues
    assert issue.code is IssueCode.ZIP_MISSING and issue.severity is Severity.NOTE
    assert issue.message == (
        "Shipping ZIP / postcode is “-”, which is no postcode; the address is sent without one."
    )
    assert doc.payload(record)["customer_shipping_address"] == {"zip": "", "country_code": "USA"}
    assert (issue.row, issue.column) == (4, ZIP)  # the cell with the “-”


DAMAGE = {
    ZIP: ["", "02134", "2134", "778", "-", " - "],
    COUNTRY: ["", "us", "Atlantis", "USA"],
    "customer_shipping_address_city": ["", "Boston"],
}


def test_screen_agrees_with_the_check(tmp_path: Path) -> None:
    tally = Agreement()
    for seed in range(40):
        doc = damaged_doc(tmp_path, seed, DAMAGE, columns=ADDRESS_COLUMNS)
        assert_screen_agrees(doc, address.NAME, tally)
    assert tally.passed and tally.held
