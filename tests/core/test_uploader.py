"""The uploader over real HTTP against the local Northbeam stand-in, with a real sqlite ledger.

Slow waits are avoided by injecting a fake clock and sleep where the server's own timing does
not matter (retries, backoff); tests of pacing and 429s use real time with tiny budgets and
windows so they still finish in a second or two.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devtools.standin import StandinServer
from northbeam_desktop.core.local.secrets import SANDBOX_TEST_CREDENTIALS, Credentials
from northbeam_desktop.core.northbeam.environments import SANDBOX_BASE_URL
from northbeam_desktop.core.northbeam.ledger import Ledger, OrderClass, payload_hash
from northbeam_desktop.core.northbeam.outcomes import Progress
from northbeam_desktop.core.northbeam.planning import (
    OutgoingOrder,
    UploadOptions,
    encode_order,
    plan,
)
from northbeam_desktop.core.northbeam.uploader import upload
from northbeam_desktop.core.northbeam.verify import verify


class FakeTime:
    """A clock that moves only when slept on, recording every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def server(credentials: Credentials, **kwargs: Any) -> StandinServer:
    return StandinServer(api_key=credentials.api_key, client_id=credentials.client_id, **kwargs)


def status_by_id(report) -> dict[str, str]:
    return {o.order_id: o.status for o in report.outcomes}


def ledger_status(ledger: Ledger, client, order_id: str) -> str | None:
    entry = ledger.get(client.base_url, client.client_id, order_id)
    return entry.status if entry else None


def post_sizes(nb: StandinServer) -> list[tuple[int, int, int]]:
    """(status, body bytes, orders) of every POST the server saw."""
    return [(r.status, r.body_bytes, r.order_count) for r in nb.requests_log if r.method == "POST"]


# -- the normal run ---------------------------------------------------------------------------


def test_everything_arrives_then_nothing_is_resent(client, standin, ledger, make_orders) -> None:
    orders = make_orders(250)
    options = UploadOptions(max_orders_per_batch=100)

    report = upload(orders, client, ledger, options)
    assert report.complete and report.error is None and not report.cancelled
    assert (report.sent, report.accepted, report.failed, report.requests) == (250, 250, 0, 3)
    assert [o.order_id for o in report.outcomes] == [o.order_id for o in orders]
    assert all(o.status == "accepted" and o.message is None for o in report.outcomes)
    assert report.outcomes[0].rows == [2]
    stored = standin.stored_orders()
    assert stored == {o.order_id: o.payload for o in orders}
    assert ledger.counts(client.base_url, client.client_id) == {"accepted": 250}

    # Second run: the ledger knows everything is there already.
    again = upload(orders, client, ledger, options)
    assert (again.sent, again.unchanged, again.requests) == (0, 250, 0)
    assert {o.status for o in again.outcomes} == {"unchanged"}

    # One order edited in the spreadsheet: only that one goes out.
    orders[7].payload["tax"] = 2.5
    edited = upload(orders, client, ledger, options)
    assert (edited.sent, edited.accepted, edited.unchanged, edited.requests) == (1, 1, 249, 1)
    assert standin.stored_orders()["ord-00007"]["tax"] == 2.5

    # Force: everything again.
    forced = upload(orders, client, ledger, UploadOptions(max_orders_per_batch=100, force=True))
    assert (forced.sent, forced.accepted) == (250, 250)


def test_batches_respect_order_and_byte_limits(client, standin, make_orders) -> None:
    orders = make_orders(60)
    one = len(encode_order(orders[0].payload))
    limit = 2 + 7 * one + 6  # room for exactly 7 orders
    report = upload(
        orders, client, None, UploadOptions(max_orders_per_batch=25, max_batch_bytes=limit)
    )
    assert report.accepted == 60
    sizes = post_sizes(standin)
    assert all(status == 200 and nbytes <= limit and count <= 7 for status, nbytes, count in sizes)
    assert sum(count for _, _, count in sizes) == 60
    assert report.bytes_sent == sum(nbytes for _, nbytes, _ in sizes)

    report = upload(orders, client, None, UploadOptions(max_orders_per_batch=25))
    assert [count for _, _, count in post_sizes(standin)[-3:]] == [25, 25, 10]


def test_plan_counts_for_the_confirmation_screen(ledger, make_orders) -> None:
    orders = make_orders(6)
    ep, cid = "https://api-uat.northbeam.io/v2", "c1"
    h = [payload_hash(o.payload) for o in orders]
    ledger.settle(ep, cid, accepted=[(orders[0].order_id, h[0]), (orders[1].order_id, "old")])
    ledger.settle(ep, cid, failed=[(orders[2].order_id, h[2], "bad price")])
    ledger.mark_in_flight(ep, cid, "b", [(orders[3].order_id, h[3])])
    dup = OutgoingOrder(orders[5].order_id, dict(orders[5].payload), [99])

    p = plan([*orders, dup], ledger, ep, cid, force=False)
    assert (p.new, p.changed, p.unchanged, p.failed, p.in_flight, p.duplicates) == (
        2,
        1,
        1,
        1,
        1,
        1,
    )
    assert p.counts == {
        "new": 2,
        "changed": 1,
        "unchanged": 1,
        "failed": 1,
        "in_flight": 1,
        "duplicate": 1,
    }
    assert [i.order_id for i in p.to_send] == [o.order_id for o in orders[1:]]
    expected = 2 + sum(len(encode_order(o.payload)) for o in orders[1:]) + 4
    assert p.bytes_to_send == expected
    assert len(plan(orders, ledger, ep, cid, force=True).to_send) == 6
    assert len(plan(orders, None, ep, cid).to_send) == 6


def test_duplicates_and_oversized_orders_are_reported_not_sent(
    client, standin, make_orders
) -> None:
    orders = make_orders(3, pad=0)
    huge = make_orders(4, pad=20_000)[3]
    dup = OutgoingOrder(orders[0].order_id, dict(orders[0].payload), [50])
    report = upload([*orders, dup, huge], client, None, UploadOptions(max_batch_bytes=10_000))
    statuses = [o.status for o in report.outcomes]
    assert statuses == ["accepted", "accepted", "accepted", "skipped", "failed"]
    assert "more than once" in (report.outcomes[3].message or "")
    assert "too large" in (report.outcomes[4].message or "")
    assert set(standin.stored_orders()) == {o.order_id for o in orders}


# -- Northbeam says no ------------------------------------------------------------------------


@pytest.mark.parametrize("problem", ["wrong key", "no Authorization", "no Data-Client-ID"])
def test_auth_failure_stops_the_whole_upload(
    standin, make_client, ledger, make_orders, credentials, problem
) -> None:
    if problem == "wrong key":
        client = make_client(
            standin.base_url, Credentials("nbk_live_wrong_0000000000", credentials.client_id)
        )
    else:
        client = make_client(standin.base_url)
        del client.session.headers[problem.removeprefix("no ")]
    orders = make_orders(300)
    report = upload(orders, client, ledger, UploadOptions(max_orders_per_batch=50, max_in_flight=1))

    assert report.error is not None
    assert report.error.startswith("Northbeam did not accept the API key / Data Client ID for")
    assert credentials.api_key not in report.error
    assert report.requests == 1  # never retried, never continued
    assert (report.accepted, report.not_sent) == (0, 300)
    assert {o.status for o in report.outcomes} == {"not_sent"}
    assert standin.stored_orders() == {}
    assert not report.complete


def test_rejected_orders_get_their_paths_and_rows(client, standin, ledger, make_orders) -> None:
    orders = make_orders(30, bad={3, 17})
    report = upload(orders, client, ledger, UploadOptions(max_orders_per_batch=10))

    failed = {o.order_id: o for o in report.outcomes if o.status == "failed"}
    assert set(failed) == {"ord-00003", "ord-00017"}
    bad = failed["ord-00003"]
    assert bad.rows == [5]
    assert [path for path, _ in bad.server_errors] == ["products[0].price"]
    assert bad.message is not None and bad.message.startswith("products[0].price: ")
    assert (report.accepted, report.failed) == (28, 2)
    assert set(standin.stored_orders()) == {o.order_id for o in orders} - set(failed)
    # Two batches were rejected whole, and each was resent without its bad order.
    assert sorted(s for s, _, _ in post_sizes(standin)) == [200, 200, 200, 400, 400]
    assert ledger_status(ledger, client, "ord-00003") == "failed"
    entry = ledger.get(client.base_url, client.client_id, "ord-00017")
    assert entry is not None and "products[0].price" in (entry.message or "")
    assert ledger_status(ledger, client, "ord-00004") == "accepted"

    # Next run: the two failures are classified "failed" and tried again (still bad).
    again = upload(orders, client, ledger, UploadOptions(max_orders_per_batch=10))
    assert (again.sent, again.failed, again.unchanged) == (2, 2, 28)


def test_batch_rejected_without_detail_is_bisected(client, standin, ledger, make_orders) -> None:
    bad = {7, 21, 22}
    orders = make_orders(40, bad=bad)
    standin.reject_next_without_detail(1000)  # never any per-order detail
    report = upload(orders, client, ledger, UploadOptions(max_orders_per_batch=40))

    failed = sorted(o.order_id for o in report.outcomes if o.status == "failed")
    assert failed == [f"ord-{i:05d}" for i in sorted(bad)]
    assert all(
        o.message == "Northbeam rejected this order without saying why (HTTP 400)."
        for o in report.outcomes
        if o.status == "failed"
    )
    good = {o.order_id for o in orders} - set(failed)
    assert set(standin.stored_orders()) == good
    assert report.accepted == 37
    assert all(ledger_status(ledger, client, oid) == "accepted" for oid in good)
    assert all(ledger_status(ledger, client, oid) == "failed" for oid in failed)
    # Bisection costs a few requests per bad order, far fewer than one per order.
    assert report.requests < len(orders)


def test_too_large_for_the_server_is_split(credentials, make_client, make_orders) -> None:
    orders = make_orders(12)
    one = len(encode_order(orders[0].payload)) + 1
    with server(credentials, budget_bytes=8 * one + 2, window_seconds=0.1) as nb:
        client = make_client(nb.base_url)
        report = upload(orders, client, None, UploadOptions(budget_bytes=None))
        assert report.accepted == 12
        statuses = [s for s, _, _ in post_sizes(nb)]
        assert statuses[0] == 413 and statuses.count(200) == 2


# -- Northbeam or the network misbehaves -----------------------------------------------------


def test_server_errors_are_retried_with_backoff(
    client, standin, ledger, make_orders, fake_time
) -> None:
    orders = make_orders(120)
    standin.fail_next(3, status=500)
    messages: list[str] = []
    options = UploadOptions(
        max_orders_per_batch=50, max_in_flight=1, backoff_base=0.5, backoff_cap=1.5
    )
    report = upload(
        orders,
        client,
        ledger,
        options,
        progress=lambda p: messages.append(p.message),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    )
    assert report.complete and report.accepted == 120
    assert report.retries == 3 and report.requests == 6
    assert set(standin.stored_orders()) == {o.order_id for o in orders}
    assert 1 <= len(fake_time.sleeps) <= 3  # full jitter may pick 0 seconds
    assert all(0 <= s <= 1.5 for s in fake_time.sleeps)
    assert any("Northbeam had a problem (HTTP 500); trying again in" in m for m in messages)


def test_connection_resets_are_retried(client, standin, make_orders, fake_time) -> None:
    orders = make_orders(80)
    standin.reset_next(2)
    report = upload(
        orders,
        client,
        None,
        UploadOptions(max_orders_per_batch=40),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    )
    assert report.complete and report.accepted == 80 and report.retries == 2
    assert set(standin.stored_orders()) == {o.order_id for o in orders}


def test_retries_are_bounded(client, standin, ledger, make_orders, fake_time) -> None:
    orders = make_orders(90)
    standin.fail_next(100, status=502)
    report = upload(
        orders,
        client,
        ledger,
        UploadOptions(max_orders_per_batch=30, max_in_flight=1, max_retries=2),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    )
    assert report.requests == 3 and report.retries == 2
    assert report.error is not None and "gave up after 3 attempts" in report.error
    assert report.error.count(". ") == 0 and report.error.endswith("send them.")  # one sentence
    # An outage is not Northbeam's verdict on the orders: nothing is reported as rejected.
    statuses = [o.status for o in report.outcomes]
    assert statuses == ["not_sent"] * 90
    assert report.failed == 0 and report.not_sent == 90
    assert "Not confirmed by Northbeam" in report.outcomes[0].message
    assert "HTTP 502" in report.outcomes[0].message
    assert ledger_status(ledger, client, "ord-00000") == "in_flight"  # resent next time
    assert ledger_status(ledger, client, "ord-00030") is None  # never sent


def test_progress_reports_which_orders_were_answered(client, standin, ledger, make_orders) -> None:
    orders = make_orders(25)
    seen: list[tuple[str, str]] = []
    report = upload(
        orders,
        client,
        ledger,
        UploadOptions(max_orders_per_batch=10),
        progress=lambda p: seen.extend(p.settled),
    )
    assert report.complete
    assert sorted(seen) == sorted((o.order_id, "accepted", None) for o in orders)


def test_rate_limit_is_honoured(credentials, make_client, make_orders) -> None:
    orders = make_orders(30)
    batch = 2 + 10 * (max(len(encode_order(o.payload)) for o in orders) + 1)
    waits: list[float] = []
    messages: list[str] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        threading.Event().wait(seconds)

    # The server allows two batches per second; the client is told not to pace itself.
    with server(credentials, budget_bytes=2 * batch, window_seconds=1.0) as nb:
        client = make_client(nb.base_url)
        report = upload(
            orders,
            client,
            None,
            UploadOptions(max_orders_per_batch=10, budget_bytes=None, max_in_flight=1),
            progress=lambda p: messages.append(p.message),
            sleep=sleep,
        )
        assert report.complete and report.accepted == 30
        assert report.count_429 == nb.count_429 >= 1
        assert set(nb.stored_orders()) == {o.order_id for o in orders}
    assert max(waits) > 0.9  # the server's Retry-After (1 s) was waited out
    assert any(
        m.startswith("Northbeam is busy; waiting 1 second before sending the next batch.")
        for m in messages
    )


def test_pacing_keeps_a_budgeted_run_free_of_429s(credentials, make_client, make_orders) -> None:
    orders = make_orders(120)
    batch = 2 + 10 * (max(len(encode_order(o.payload)) for o in orders) + 1)
    server_budget = 3 * batch + 50  # three batches per half second
    with server(credentials, budget_bytes=server_budget, window_seconds=0.5) as nb:
        client = make_client(nb.base_url)
        report = upload(
            orders,
            client,
            None,
            UploadOptions(
                max_orders_per_batch=10,
                budget_bytes=server_budget - 40,  # just under the server's
                window_seconds=0.5,
                max_in_flight=2,
            ),
        )
        assert report.complete and report.accepted == 120
        assert report.count_429 == 0 and nb.count_429 == 0
        # 12 batches at 3 per window cannot take less than 3 full windows.
        assert report.elapsed >= 1.5


# -- cancel and crash ---------------------------------------------------------------------------


def test_cancel_mid_run_reports_the_truth(credentials, make_client, ledger, make_orders) -> None:
    orders = make_orders(2000)
    cancel = threading.Event()
    seen: list[Progress] = []

    def progress(p: Progress) -> None:
        seen.append(p)
        if p.orders_done >= 300:
            cancel.set()

    with server(credentials, budget_bytes=None, latency_seconds=0.02) as nb:
        client = make_client(nb.base_url)
        options = UploadOptions(max_orders_per_batch=100, max_in_flight=2)
        report = upload(orders, client, ledger, options, progress=progress, cancel=cancel)

        assert report.cancelled and not report.complete
        stored = set(nb.stored_orders())
        status = status_by_id(report)
        accepted = {oid for oid, s in status.items() if s == "accepted"}
        not_sent = {oid for oid, s in status.items() if s == "not_sent"}
        assert 300 <= len(accepted) < 2000 and accepted | not_sent == set(status)
        assert report.accepted + report.not_sent == 2000
        # Nothing is reported as accepted that Northbeam does not have…
        assert accepted <= stored
        # …the ledger agrees with the report…
        for oid in accepted:
            assert ledger_status(ledger, client, oid) == "accepted"
        for oid in not_sent:
            assert ledger_status(ledger, client, oid) in (None, "in_flight")
        # …and anything Northbeam has beyond the report is still marked in flight (resent).
        for oid in stored - accepted:
            assert ledger_status(ledger, client, oid) == "in_flight"

        # Run again: exactly the missing orders go out, and everything arrives.
        before = len(post_sizes(nb))
        again = upload(orders, client, ledger, options)
        assert again.complete
        assert again.unchanged == len(accepted) and again.accepted == 2000 - len(accepted)
        assert sum(count for _, _, count in post_sizes(nb)[before:]) == 2000 - len(accepted)
        assert set(nb.stored_orders()) == {o.order_id for o in orders}

    done = [p.orders_done for p in seen]
    assert done == sorted(done)


def test_cancel_interrupts_a_long_rate_limit_wait(
    credentials, make_client, ledger, make_orders
) -> None:
    orders = make_orders(30)
    batch = 2 + 10 * (max(len(encode_order(o.payload)) for o in orders) + 1)
    cancel = threading.Event()

    def progress(p: Progress) -> None:
        if p.message.startswith("Northbeam is busy"):
            cancel.set()

    # One batch per minute: the second batch is answered 429 with a long Retry-After.
    with server(credentials, budget_bytes=batch + 10, window_seconds=60) as nb:
        client = make_client(nb.base_url)
        started = time.monotonic()
        report = upload(
            orders,
            client,
            ledger,
            UploadOptions(max_orders_per_batch=10, budget_bytes=None, max_in_flight=1),
            progress=progress,
            cancel=cancel,
        )
        assert time.monotonic() - started < 5  # not the ~60 s Northbeam asked for
        assert report.cancelled and report.count_429 == 1
        assert [o.status for o in report.outcomes] == ["accepted"] * 10 + ["not_sent"] * 20
        assert set(nb.stored_orders()) == {o.order_id for o in orders[:10]}
    assert "will be sent again" in (report.outcomes[10].message or "")
    assert report.outcomes[20].message == "Not sent: the upload was cancelled."
    assert ledger_status(ledger, client, "ord-00010") == "in_flight"
    assert ledger_status(ledger, client, "ord-00020") is None


def test_orders_left_in_flight_by_a_crash_are_resent(client, standin, ledger, make_orders) -> None:
    orders = make_orders(150)
    ep, cid = client.base_url, client.client_id
    hashes = {o.order_id: payload_hash(o.payload) for o in orders}
    # A previous run accepted 50–99, then died after marking 0–49 in flight (no answer seen).
    ledger.settle(ep, cid, accepted=[(o.order_id, hashes[o.order_id]) for o in orders[50:100]])
    ledger.mark_in_flight(
        ep, cid, "crashed-batch", [(o.order_id, hashes[o.order_id]) for o in orders[:50]]
    )

    p = plan(orders, ledger, ep, cid)
    assert (p.in_flight, p.unchanged, p.new) == (50, 50, 50)

    report = upload(orders, client, ledger, UploadOptions(max_orders_per_batch=100))
    status = status_by_id(report)
    assert all(status[o.order_id] == "accepted" for o in orders[:50] + orders[100:])
    assert all(status[o.order_id] == "unchanged" for o in orders[50:100])
    assert set(standin.stored_orders()) == {o.order_id for o in orders[:50] + orders[100:]}
    assert ledger.counts(ep, cid) == {"accepted": 150}
    assert ledger.classify(ep, cid, hashes.items()) == dict.fromkeys(hashes, OrderClass.UNCHANGED)


def test_a_ledger_that_cannot_be_written_stops_the_upload(
    client, standin, tmp_path, make_orders
) -> None:
    class FullDisk(Ledger):
        def settle(self, *args: Any, **kwargs: Any) -> None:
            raise sqlite3.OperationalError("database or disk is full")

    orders = make_orders(40)
    with FullDisk(tmp_path / "full.sqlite3") as ledger:
        report = upload(
            orders, client, ledger, UploadOptions(max_orders_per_batch=10, max_in_flight=1)
        )
        assert report.error is not None and "Check free disk space" in report.error
        # Northbeam's 200 is still reported; nothing else was sent; the rows stay in flight.
        assert [o.status for o in report.outcomes] == ["accepted"] * 10 + ["not_sent"] * 30
        assert report.requests == 1
        assert ledger.counts(client.base_url, client.client_id) == {"in_flight": 10}


def test_progress_reports_rate_and_eta(client, make_orders) -> None:
    seen: list[Progress] = []
    upload(
        make_orders(500),
        client,
        None,
        UploadOptions(max_orders_per_batch=100),
        progress=seen.append,
    )
    assert seen[0].message == "Sending 500 orders in 5 batches to " + client.environment_name + "."
    assert seen[-1].orders_done == seen[-1].orders_total == 500
    assert seen[-1].eta_seconds == 0
    assert seen[-1].orders_per_second > 0
    assert [p.bytes_sent for p in seen] == sorted(p.bytes_sent for p in seen)
    middle = [p for p in seen if 0 < p.orders_done < 500]
    assert middle and all(p.eta_seconds is not None and p.eta_seconds > 0 for p in middle)


# -- the key stays secret -----------------------------------------------------------------------


def _files_under(root: Path) -> Iterator[Path]:
    return (p for p in root.rglob("*") if p.is_file())


def test_api_key_never_reaches_logs_or_files(
    standin, make_client, make_orders, credentials, app_home, debug_logs, fake_time
) -> None:
    orders = make_orders(60, bad={5})
    with Ledger() as ledger:  # the default location, under NORTHBEAM_DESKTOP_HOME
        client = make_client(standin.base_url)
        standin.fail_next(1, status=500)
        standin.reset_next(1)
        upload(
            orders,
            client,
            ledger,
            UploadOptions(max_orders_per_batch=20),
            sleep=fake_time.sleep,
            clock=fake_time.clock,
        )
        wrong = make_client(standin.base_url, Credentials(credentials.api_key, "wrong-client"))
        report = upload(orders, wrong, ledger, UploadOptions(force=True))
        assert report.error is not None
        client.check_credentials()
        ledger_path = ledger.path

    assert any(r.name.startswith("urllib3") for r in debug_logs.records)  # the chatter was captured
    assert credentials.api_key not in debug_logs.text
    for record in debug_logs.records:
        assert credentials.api_key not in record.getMessage()

    files = list(_files_under(app_home))
    assert ledger_path in files
    for path in files:
        data = path.read_bytes()
        assert credentials.api_key.encode() not in data, path
        # No payloads either: customer emails stay in the user's spreadsheet.
        assert b"shopper1@example.com" not in data, path
        assert json.dumps(orders[0].payload).encode() not in data


# -- verify -------------------------------------------------------------------------------------


def test_verify_finds_missing_and_different_orders(client, standin, make_orders) -> None:
    orders = make_orders(20)
    assert upload(orders, client, None).complete
    result = verify(orders, client)
    assert result.ok and result.checked == 20

    with standin._lock:  # what Northbeam holds drifts from the file
        del standin.orders["ord-00003"]
        standin.orders["ord-00004"] = {**orders[4].payload, "tax": 9.99}
    result = verify(orders, client)
    assert not result.ok
    assert (result.missing, result.different) == (["ord-00003"], ["ord-00004"])


def test_verify_is_skipped_where_nothing_is_stored(make_client, make_orders) -> None:
    sandbox = make_client(SANDBOX_BASE_URL, SANDBOX_TEST_CREDENTIALS)
    result = verify(make_orders(3), sandbox)  # no request is made
    assert not result.ok and result.checked == 0
    assert result.skipped_reason is not None and "sandbox stores nothing" in result.skipped_reason
