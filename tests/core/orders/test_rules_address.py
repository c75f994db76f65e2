"""The shipping address (rules/address.py): a country with every address, a ZIP."""

from __future__ import annotations

from pathlib import Path

import pytest

from northbeam_desktop.core.orders.document import OrderDocument
from northbeam_desktop.core.orders.issues import IssueCode, Severity
from northbeam_desktop.core.orders.readers import read_file
from northbeam_desktop.core.orders.rules import address
from tests.core import orderfiles
from tests.core.orders.rulecases import (
    ADDRESS_COLUMNS,
    Agreement,
    IssueCase,
    assert_case,
    assert_screen_agrees,
    damaged_doc,
    issues_at,
    options,
    template_doc,
)

E, W = Severity.ERROR, Severity.WARNING

COUNTRY = "customer_shipping_address_country_code"
ZIP = "customer_shipping_address_zip"


def without_country(folder: Path) -> OrderDocument:
    """The template with its country column left out (ZIPs, but no country anywhere)."""
    drop = orderfiles.TEMPLATE_HEADER.index(COUNTRY)
    header = [h for i, h in enumerate(orderfiles.TEMPLATE_HEADER) if i != drop]
    rows = [[v for i, v in enumerate(row) if i != drop] for row in orderfiles.TEMPLATE_CLEAN]
    path = orderfiles.write_csv(folder / "no_country.csv", header, rows)
    return OrderDocument(read_file(path), options())


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
    IssueCase(
        IssueCode.ADDRESS_NOT_SENT,
        Severity.NOTE,
        (4, ZIP),
        make=without_country,
        says=("no country column", "sent without its shipping address", "Add the country"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_issue_cases(tmp_path: Path, case: IssueCase) -> None:
    assert_case(tmp_path, case)


def test_an_address_without_a_country_is_an_error(tmp_path: Path) -> None:
    doc = template_doc(tmp_path, {(4, COUNTRY): ""})
    [issue] = issues_at(doc, 4, COUNTRY, "required")
    assert issue.is_error and "Shipping country is empty" in issue.message


def test_a_file_without_a_country_column_sends_its_orders_without_addresses(
    tmp_path: Path,
) -> None:
    doc = without_country(tmp_path)
    assert not [i for i in doc.all_issues() if i.is_error]
    for record in doc.orders:
        assert doc.is_sendable(record)
        assert "customer_shipping_address" not in doc.payload(record)
        assert [i.code for i in record.issues] == [IssueCode.ADDRESS_NOT_SENT]


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
