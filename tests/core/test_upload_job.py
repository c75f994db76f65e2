"""The upload steps the app and the command line share (`upload_job`), and the verdicts on
Northbeam's answers (`answers.judge`), without Qt: a real document, a real ledger, the stand-in."""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import pytest

from devtools.standin import StandinServer
from northbeam_desktop.core.local.secrets import Credentials
from northbeam_desktop.core.northbeam.answers import Batch, judge
from northbeam_desktop.core.northbeam.client import (
    AuthError,
    PostResult,
    ServerError,
    UnconfirmedError,
)
from northbeam_desktop.core.northbeam.envelope import OrderError
from northbeam_desktop.core.northbeam.environments import Environment
from northbeam_desktop.core.northbeam.ledger import Ledger, LedgerBusy, OrderClass
from northbeam_desktop.core.northbeam.outcomes import UploadStatus
from northbeam_desktop.core.northbeam.planning import OutgoingOrder, UploadOptions, plan
from northbeam_desktop.core.northbeam.upload_job import (
    SettledOrders,
    UploadTarget,
    prepare_upload,
    run_upload,
)
from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument, load_document
from tests.core import orderfiles

CREDS = Credentials("None", "test")


def many_orders(folder: Path, count: int) -> OrderDocument:
    base = orderfiles.TEMPLATE_CLEAN[2]
    rows = []
    for n in range(count):
        row = list(base)
        row[0], row[1] = str(5000 + n), f"C-{n}"
        rows.append(row)
    path = orderfiles.write_csv(folder / f"{count}.csv", orderfiles.TEMPLATE_HEADER, rows)
    return load_document(path, LoadOptions(timezone="UTC"))


@pytest.fixture
def server() -> Any:
    with StandinServer(budget_bytes=None) as nb:
        yield nb


def test_prepare_counts_what_a_confirmation_shows(tmp_path: Path, server: Any, ledger: Ledger):
    doc = load_document(orderfiles.template_defects(tmp_path), LoadOptions(timezone="UTC"))
    target = UploadTarget(Environment.CUSTOM, server.base_url)
    prepared = prepare_upload(doc, doc.orders, target, credentials=CREDS, ledger=ledger)
    assert len(prepared.skipped) == 6 and prepared.orders == []
    clean = many_orders(tmp_path, 3)
    prepared = prepare_upload(clean, clean.orders, target, credentials=CREDS, ledger=ledger)
    assert prepared.count(OrderClass.NEW) == 3 and prepared.to_send(force=False) == 3
    assert prepared.bytes_to_send(False) == prepared.bytes_to_send(True) > 100
    assert [o.rows for o in prepared.orders] == [[2], [3], [4]]


def test_run_reports_settled_batches_and_statuses(tmp_path: Path, server: Any, ledger: Ledger):
    doc = many_orders(tmp_path, 12)
    target = UploadTarget(Environment.CUSTOM, server.base_url)
    prepared = prepare_upload(doc, doc.orders, target, credentials=CREDS, ledger=ledger)
    events: list[Any] = []
    run = run_upload(
        prepared,
        ledger=ledger,
        options=UploadOptions(max_orders_per_batch=5),
        progress=events.append,
        check_after=True,
    )
    settled = [e for e in events if isinstance(e, SettledOrders)]
    assert sorted(len(e.accepted) for e in settled) == [2, 5, 5]
    assert run.report.accepted == 12 and not run.auth_failed
    assert {o.status for o in run.report.outcomes} == {UploadStatus.ACCEPTED}
    assert run.verification is not None and run.verification.ok


def test_two_runs_of_one_preparation_send_each_order_once(
    tmp_path: Path, server: Any, ledger: Ledger
) -> None:
    """Both windows prepared before either sent (both saw every order as new): the run
    re-plans under the lock, so the second sends nothing."""
    doc = many_orders(tmp_path, 20)
    target = UploadTarget(Environment.CUSTOM, server.base_url)
    first = prepare_upload(doc, doc.orders, target, credentials=CREDS, ledger=ledger)
    second = prepare_upload(doc, doc.orders, target, credentials=CREDS, ledger=ledger)
    assert first.to_send(False) == second.to_send(False) == 20
    assert run_upload(first, ledger=ledger).report.accepted == 20
    again = run_upload(second, ledger=ledger).report
    assert (again.accepted, again.unchanged, again.requests) == (0, 20, 0)
    assert sum(r.order_count for r in server.requests_log) == 20


def test_a_held_record_refuses_the_run_before_anything_is_sent(
    tmp_path: Path, server: Any, ledger: Ledger
) -> None:
    doc = many_orders(tmp_path, 3)
    target = UploadTarget(Environment.CUSTOM, server.base_url)
    prepared = prepare_upload(doc, doc.orders, target, credentials=CREDS, ledger=ledger)
    busy = pytest.raises(LedgerBusy, match=r"\(Northbeam Desktop, process \d+, since")
    with Ledger(ledger.path) as other, other.upload_lock("Northbeam Desktop"), busy:
        run_upload(prepared, ledger=ledger, program="the northbeam-desktop command")
    assert server.requests_log == []
    assert run_upload(prepared, ledger=ledger).report.accepted == 3  # free again


def test_cancel_before_the_first_request(tmp_path: Path, server: Any, ledger: Ledger) -> None:
    doc = many_orders(tmp_path, 3)
    target = UploadTarget(Environment.CUSTOM, server.base_url)
    prepared = prepare_upload(doc, doc.orders, target, credentials=CREDS, ledger=ledger)
    cancel = threading.Event()
    cancel.set()
    report = run_upload(prepared, ledger=ledger, cancel=cancel).report
    assert report.cancelled and report.not_sent == 3 and server.requests_log == []


# ---- verdicts on answers ------------------------------------------------------------------------


def _batch(count: int, attempt: int = 0) -> Batch:
    orders = [OutgoingOrder(f"o{i}", {"order_id": f"o{i}"}, [i + 2]) for i in range(count)]
    return Batch(items=plan(orders, None, "https://x/v2", "c").items, attempt=attempt)


OPTIONS = UploadOptions(max_retries=2, backoff_base=1.0, backoff_cap=4.0)


def _judge(batch: Batch, answer: Any) -> Any:
    return judge(batch, answer, OPTIONS, random.Random(7))


def test_verdict_on_a_confirmation_and_on_named_rejections() -> None:
    batch = _batch(4)
    assert [i.order_id for i in _judge(batch, PostResult(200)).accepted] == ["o0", "o1", "o2", "o3"]
    errors = [
        OrderError("o2", "Should be a number", "$[2].tax", 2, "tax"),
        OrderError("o0", "Missing", "$[9].x", 9, "x"),  # index outside: matched by id
    ]
    verdict = _judge(batch, PostResult(400, errors=errors))
    assert [(item.order_id, message) for item, message, _ in verdict.failed] == [
        ("o0", "x: Missing"),
        ("o2", "tax: Should be a number"),
    ]
    assert [[i.order_id for i in b.items] for b in verdict.resend] == [["o1", "o3"]]
    assert verdict.stop is None and not verdict.accepted


def test_verdict_splits_what_it_cannot_place() -> None:
    verdict = _judge(_batch(5), PostResult(400, message="Bad Request"))
    assert [len(b.items) for b in verdict.resend] == [2, 3] and not verdict.failed
    single = _judge(_batch(1), PostResult(400, message="Bad Request"))
    assert single.failed[0][1] == "Northbeam rejected this order without saying why (HTTP 400)."
    assert [len(b.items) for b in _judge(_batch(3), PostResult(413)).resend] == [1, 2]


def test_verdict_waits_retries_and_gives_up() -> None:
    busy = _judge(_batch(2), PostResult(429, retry_after=0))
    assert busy.wait_seconds == 1.0 and busy.rate_limited and len(busy.resend) == 1
    outage = ServerError("Northbeam had a problem (HTTP 503).", status=503)
    first = _judge(_batch(2), outage)
    assert first.retried and 0 <= first.wait_seconds <= 1.0 and first.resend[0].attempt == 1
    assert first.note is not None and "(attempt 2 of 3)" in first.note
    odd = UnconfirmedError("h answered oddly, so x.", summary="h answered oddly")
    last = _judge(_batch(2, attempt=2), odd)
    assert last.stop == (
        "h answered oddly; gave up after 3 attempts, so the orders not yet confirmed stay "
        "unsent — upload again later to send them."
    )
    assert last.resend[0].attempt == 2 and not last.failed  # not a verdict on the orders
    refused = _judge(_batch(2), AuthError("Northbeam did not accept the API key."))
    assert refused.stop == "Northbeam did not accept the API key." and not refused.retried
    bug = _judge(_batch(2), ZeroDivisionError())
    assert bug.stop == "The upload stopped because of an unexpected error (ZeroDivisionError)."
