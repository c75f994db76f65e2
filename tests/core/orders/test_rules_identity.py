"""Who bought (rules/identity.py): order ID, customer ID, email and phone, plain or hashed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from northbeam_desktop.core.orders.document import load_document
from northbeam_desktop.core.orders.issues import IssueCode, Severity
from northbeam_desktop.core.orders.rules import identity
from tests.core import orderfiles, realshapes
from tests.core.orders.rulecases import (
    DIGEST,
    IDENTITY_COLUMNS,
    Agreement,
    IssueCase,
    assert_case,
    assert_schema_valid,
    assert_screen_agrees,
    damaged_doc,
    issue_at,
    issues_at,
    opts,
    template_doc,
)

E, W = Severity.ERROR, Severity.WARNING

CASES = [
    IssueCase(
        IssueCode.NO_CUSTOMER,
        E,
        (10, "Email"),
        make=lambda folder: load_document(realshapes.shopify_real_shape(folder), opts()),
        says=("no email and no phone number", "Type the customer's email in “Email”"),
    ),
    IssueCase(
        IssueCode.SHARED_CUSTOMER_ID,
        W,
        (2, "customer_id"),
        make=lambda folder: load_document(realshapes.woocommerce_rest(folder), opts()),
        says=("“0” stands for", "made from its email or phone instead"),
    ),
    IssueCase(
        IssueCode.REQUIRED,
        E,
        (4, "customer_id"),
        {(4, "customer_id"): ""},
        says=("Customer ID is empty", "type it in"),
    ),
    IssueCase(
        IssueCode.CUSTOMER_ID_IS_ORDER_ID,
        E,
        (4, "customer_id"),
        {(4, "customer_id"): "1002"},
        says=("is the same as the order ID",),
    ),
    IssueCase(
        IssueCode.CUSTOMER_ID_IS_EMAIL,
        E,
        (4, "customer_id"),
        {(4, "customer_id"): "bob@example.com"},
        says=("is an email address",),
    ),
    IssueCase(
        IssueCode.EMAIL_AND_HASH,
        E,
        (4, "hashed_customer_email"),
        {(4, "hashed_customer_email"): DIGEST},
        columns=IDENTITY_COLUMNS,
        says=("clear one of the two cells",),
    ),
    IssueCase(
        IssueCode.PHONE_AND_HASH,
        E,
        (4, "hashed_customer_phone_number"),
        {
            (4, "customer_phone_number"): "+1 415 555 2671",
            (4, "hashed_customer_phone_number"): DIGEST,
        },
        columns=IDENTITY_COLUMNS,
    ),
    IssueCase(
        IssueCode.INVALID_PHONE,
        W,
        (4, "customer_phone_number"),
        {(4, "customer_phone_number"): "12"},
        columns=("customer_phone_number",),
        load={"hash_identifiers": True},
        says=("Customer phone:", "+1 415 555 2671", "sent without it"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_issue_cases(tmp_path: Path, case: IssueCase) -> None:
    assert_case(tmp_path, case)


def test_an_order_without_an_id_is_told_to_get_one(tmp_path: Path) -> None:
    doc = template_doc(tmp_path, {(4, "order_id"): ""})
    [issue] = issues_at(doc, 4, "order_id", "required")
    assert issue.message.startswith("Order ID is empty.") and issue.is_error


def test_the_customer_id_made_from_the_email_is_stable_and_not_reversible(tmp_path: Path) -> None:
    made = identity.derived_customer_id("  Jane.Doe+x@GMAIL.com ")
    assert made == identity.derived_customer_id("janedoe@gmail.com") and made.startswith("em-")
    assert "jane" not in made and len(made) == 27
    doc = template_doc(tmp_path, {(4, "customer_id"): "bob@example.com"})
    [issue] = issues_at(doc, 4, "customer_id", "customer_id_is_email")
    assert issue.suggestion == identity.derived_customer_id("bob@example.com")


def test_customer_id_problem_is_one_rule_for_both_paths() -> None:
    assert identity.customer_id_problem("1001", "1001") is IssueCode.CUSTOMER_ID_IS_ORDER_ID
    assert identity.customer_id_problem("a@b.co", "1001") is IssueCode.CUSTOMER_ID_IS_EMAIL
    assert identity.customer_id_problem("a@b", "1001") is None  # no dot: a code, not an email
    assert identity.customer_id_problem("C-1", "1001") is None


def test_hashing_option_sends_hashes_only(tmp_path: Path) -> None:
    header = [*orderfiles.TEMPLATE_HEADER, "customer_phone_number"]
    rows = [[*r, "(415) 555-2671"] for r in orderfiles.TEMPLATE_CLEAN]
    path = orderfiles.write_csv(tmp_path / "hash.csv", header, rows)
    doc = load_document(path, opts(hash_identifiers=True))
    payload = doc.payload(doc.orders[0])
    assert "customer_email" not in payload and "customer_phone_number" not in payload
    assert re.fullmatch(r"[0-9a-f]{64}", payload["hashed_customer_email"])
    assert payload["hashed_customer_phone_number"] == (
        "cb6880e416769253645cb9c6b8989154bf66a56a77fc14c81fb1019663cbb928"
    )
    assert_schema_valid([payload])


def test_plain_and_hashed_identity_cannot_both_be_sent(tmp_path: Path) -> None:
    digest = "a" * 64
    header = [
        *orderfiles.TEMPLATE_HEADER,
        "hashed_customer_email",
        "customer_phone_number",
        "hashed_customer_phone_number",
    ]
    rows = [[*r, digest, "+1 415 555 2671", digest] for r in orderfiles.TEMPLATE_CLEAN]
    doc = load_document(orderfiles.write_csv(tmp_path / "both.csv", header, rows), opts())
    assert issue_at(doc, 2, "hashed_customer_email", "email_and_hash")
    assert issue_at(doc, 2, "hashed_customer_phone_number", "phone_and_hash")


def test_hashing_reports_a_phone_that_cannot_be_made_international(tmp_path: Path) -> None:
    """The phone is optional: an order whose phone cannot be hashed is sent without it (a
    warning), with its email's hash, never with the plain phone."""
    header = [*orderfiles.TEMPLATE_HEADER, "customer_phone_number"]
    rows = [[*r, "12"] for r in orderfiles.TEMPLATE_CLEAN]
    doc = load_document(
        orderfiles.write_csv(tmp_path / "phone.csv", header, rows), opts(hash_identifiers=True)
    )
    [issue] = issue_at(doc, 2, "customer_phone_number")
    assert issue.severity is W and issue.message.startswith("Customer phone:")
    record = doc.order_by_id("1002")
    assert record is not None and doc.is_sendable(record)
    payload = doc.payload(record)
    assert "hashed_customer_email" in payload
    assert not {"customer_phone_number", "hashed_customer_phone_number"} & set(payload)


DAMAGE = {
    "customer_id": ["", "x@example.com", "2000", "C-1", "a@b"],
    "customer_email": ["", "not-an-email", "a@b.co"],
    "hashed_customer_email": ["", DIGEST, "abc"],
    "customer_phone_number": ["", "+1 415 555 2671"],
    "hashed_customer_phone_number": ["", DIGEST],
}


def test_screen_agrees_with_the_check(tmp_path: Path) -> None:
    tally = Agreement()
    for seed in range(40):
        doc = damaged_doc(tmp_path, seed, DAMAGE, columns=IDENTITY_COLUMNS)
        assert_screen_agrees(doc, identity.NAME, tally)
    assert tally.passed and tally.held
