"""Uploads against a server that says "200" without Northbeam's confirmation: the local stand-in
plays a captive portal, damaged and empty bodies, a JSON error behind a 200, wrong content types.

Whatever it answers, an order counts as accepted only when Northbeam confirmed it: the rest stay
in flight in the ledger, are reported not sent with one sentence, are retried, and go out with
the next upload.
"""

from __future__ import annotations

from typing import Any

import pytest

from northbeam_desktop.core.northbeam.ledger import Ledger
from northbeam_desktop.core.northbeam.planning import UploadOptions
from northbeam_desktop.core.northbeam.uploader import upload
from tests.odd_answers import ODD_WORDS


class FakeTime:
    """A clock that moves only when slept on (the retries' backoff costs no real time)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _upload(orders: list[Any], client: Any, ledger: Ledger | None, **options: Any) -> Any:
    fake = FakeTime()
    settings = {"max_orders_per_batch": 10, "max_in_flight": 1, "max_retries": 2, **options}
    return upload(
        orders, client, ledger, UploadOptions(**settings), sleep=fake.sleep, clock=fake.clock
    )


@pytest.mark.parametrize("kind", sorted(ODD_WORDS))
def test_nothing_counts_as_sent_until_northbeam_confirms(
    kind: str, client: Any, standin: Any, ledger: Ledger, make_orders: Any
) -> None:
    orders = make_orders(30)
    ep, cid = client.base_url, client.client_id
    standin.odd_answer_always = kind
    report = _upload(orders, client, ledger)

    assert (report.accepted, report.failed, report.not_sent) == (0, 0, 30)
    assert (report.requests, report.retries) == (3, 2)  # the first batch, tried three times
    assert report.error == (
        f"{client.host} answered {ODD_WORDS[kind]}; gave up after 3 attempts, so the orders "
        "not yet confirmed stay unsent — upload again later to send them."
    )
    assert {o.status for o in report.outcomes} == {"not_sent"}
    assert ledger.counts(ep, cid) == {"in_flight": 10}  # resent next time, never skipped
    assert standin.stored_orders() == {}

    # Resumed: with the network itself again, the next upload sends all 30, once.
    standin.odd_answer_always = None
    again = _upload(orders, client, ledger)
    assert again.complete and again.accepted == 30
    assert ledger.counts(ep, cid) == {"accepted": 30}
    assert set(standin.stored_orders()) == {o.order_id for o in orders}


@pytest.mark.parametrize("kind", ["html", "invalid-json", "error-status", "empty"])
def test_an_odd_answer_mid_run_is_retried_and_the_orders_arrive(
    kind: str, client: Any, standin: Any, ledger: Ledger, make_orders: Any
) -> None:
    orders = make_orders(30)
    standin.odd_answer_next(2, kind, stored=True)  # stored, but the answer got mangled twice
    messages: list[str] = []
    fake = FakeTime()
    report = upload(
        orders,
        client,
        ledger,
        UploadOptions(max_orders_per_batch=10, max_in_flight=1, max_retries=2),
        progress=lambda p: messages.append(p.message),
        sleep=fake.sleep,
        clock=fake.clock,
    )
    assert report.complete and report.accepted == 30
    assert (report.requests, report.retries) == (5, 2)
    assert any(
        m.startswith(f"{client.host} answered {ODD_WORDS[kind]}; trying again in") for m in messages
    )
    assert ledger.counts(client.base_url, client.client_id) == {"accepted": 30}
    assert len(standin.stored_orders()) == 30  # an upsert: the resend stored nothing twice


def test_confirmed_batches_stay_accepted_when_a_later_one_is_not(
    client: Any, standin: Any, ledger: Ledger, make_orders: Any
) -> None:
    orders = make_orders(30)
    report = _upload(orders[:10], client, ledger)
    assert report.accepted == 10
    standin.odd_answer_always = "html"
    report = _upload(orders, client, ledger)
    assert (report.accepted, report.unchanged, report.not_sent) == (0, 10, 20)
    counts = ledger.counts(client.base_url, client.client_id)
    assert counts == {"accepted": 10, "in_flight": 10}
    not_sent = [o for o in report.outcomes if o.status == "not_sent"]
    assert "Not confirmed by Northbeam before the upload stopped" in not_sent[0].message
    assert "Not sent: the upload stopped early." in not_sent[-1].message
