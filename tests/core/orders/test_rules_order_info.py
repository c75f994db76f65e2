"""What the shop's export says besides (rules/order_info.py): cancelled and refunded orders."""

from __future__ import annotations

from pathlib import Path

import pytest

from northbeam_desktop.core.northbeam.upload_job import sendable
from northbeam_desktop.core.orders.document import load_document
from northbeam_desktop.core.orders.issues import IssueCode, Severity
from northbeam_desktop.core.orders.rules import order_info
from tests.core import realshapes
from tests.core.orders.rulecases import (
    Agreement,
    IssueCase,
    assert_case,
    assert_screen_agrees,
    damaged_doc,
    opts,
)


def shopify(folder: Path, **load: object):
    return load_document(realshapes.shopify_real_shape(folder), opts(**load))


CASES = [
    IssueCase(
        IssueCode.ORDER_CANCELLED,
        Severity.NOTE,
        (6, "Cancelled at"),
        make=shopify,
        says=("cancelled on 2026-03-04", "it is not sent", "Upload → Send Cancelled Orders"),
    ),
    IssueCase(
        IssueCode.REFUND_NOT_SENT,
        Severity.WARNING,
        (5, "Refunded Amount"),
        make=shopify,
        says=("A refund of 12.50", "needs each refunded product", "full total"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_issue_cases(tmp_path: Path, case: IssueCase) -> None:
    assert_case(tmp_path, case)


def test_cancelled_orders_are_held_back_until_the_user_sends_them(tmp_path: Path) -> None:
    doc = shopify(tmp_path)
    cancelled = doc.order_by_id("6100000000003")
    assert cancelled is not None and cancelled.cancelled and not cancelled.has_errors
    assert not sendable(doc, cancelled)
    assert doc.held_back == [cancelled]
    ready = doc.summary()["valid_orders"]
    doc.set_include_cancelled(True)
    assert sendable(doc, cancelled)
    assert doc.summary()["valid_orders"] == ready + 1
    assert "it is sent because you chose" in cancelled.issues[0].message
    again = shopify(tmp_path, include_cancelled=True)
    assert again.held_back == []


def test_a_zero_refunded_amount_says_nothing(tmp_path: Path) -> None:
    doc = shopify(tmp_path)
    first = doc.order_by_id("6100000000001")
    assert first is not None
    assert [i.code for i in first.issues] == []
    payload = doc.payload(first)
    assert "refunds" not in payload


def test_a_status_the_platform_uses_for_cancelled_orders_cancels(tmp_path: Path) -> None:
    doc = load_document(realshapes.woocommerce_rest(tmp_path), opts())
    cancelled = doc.order_by_id("504")
    assert cancelled is not None and cancelled.cancelled
    # Held back, it says only why; sent, its guest customer ID 0 is worth a look too.
    assert [i.code for i in cancelled.issues] == [IssueCode.ORDER_CANCELLED]
    doc.set_include_cancelled(True)
    assert {i.code for i in cancelled.issues} == {
        IssueCode.SHARED_CUSTOMER_ID,
        IssueCode.ORDER_CANCELLED,
    }


DAMAGE = {
    "order_status": ["", "completed", "cancelled", "Cancelled"],
    "refunded_total": ["", "0", "0.00", "12.5"],
}


def test_screen_agrees_with_the_check(tmp_path: Path) -> None:
    tally = Agreement()
    for seed in range(30):
        doc = damaged_doc(tmp_path, seed, DAMAGE, columns=tuple(DAMAGE))
        assert_screen_agrees(doc, order_info.NAME, tally)
    assert tally.passed and tally.held


def test_a_cancelled_order_held_back_says_nothing_of_its_refund(tmp_path: Path) -> None:
    """Nothing of a held-back order is sent, so "the order is sent with its full total" would
    be false: its refund is mentioned only when the user sends cancelled orders too."""
    path = realshapes.shopify_cancelled_refunds(tmp_path)
    doc = load_document(path, opts())
    cancelled, sent = doc.order_by_id("6200000000001"), doc.order_by_id("6200000000002")
    assert cancelled is not None and sent is not None
    assert doc.held_back == [cancelled]
    assert [i.code for i in cancelled.issues] == [IssueCode.ORDER_CANCELLED]
    assert [i.code for i in sent.issues] == [IssueCode.REFUND_NOT_SENT]

    doc.set_include_cancelled(True)
    refund = [i for i in cancelled.issues if i.code is IssueCode.REFUND_NOT_SENT]
    assert len(refund) == 1 and refund[0].message.startswith("A refund of 49.90")
    again = load_document(path, opts(include_cancelled=True)).order_by_id("6200000000001")
    assert again is not None
    assert {i.code for i in again.issues} == {
        IssueCode.ORDER_CANCELLED,
        IssueCode.REFUND_NOT_SENT,
    }


def test_a_cancelled_order_held_back_asks_for_nothing(tmp_path: Path) -> None:
    """A cancelled order that is not sent is not an order that “cannot be sent”: it keeps only
    the note saying why it is held back, and its problems come back when the user chooses to
    send cancelled orders."""
    doc = load_document(realshapes.shopify_cancelled_pos(tmp_path), opts())
    cancelled, paid = doc.order_by_id("6300000000001"), doc.order_by_id("6300000000002")
    assert cancelled is not None and paid is not None
    assert [i.code for i in cancelled.issues] == [IssueCode.ORDER_CANCELLED]
    assert doc.held_back == [cancelled] and not sendable(doc, cancelled)
    assert [i.code for i in paid.errors] == [IssueCode.NO_CUSTOMER]

    doc.set_include_cancelled(True)
    assert [i.code for i in cancelled.errors] == [IssueCode.NO_CUSTOMER]
    assert doc.held_back == [] and not sendable(doc, cancelled)
