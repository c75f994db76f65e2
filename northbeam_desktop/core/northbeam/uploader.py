"""Send orders to Northbeam so that every valid order arrives and the report can be trusted.

The flow of one `upload()`:

1. `plan()` hashes every payload and asks the ledger what is new, changed, unchanged, previously
   failed or left in flight by a crash. Unchanged orders are skipped unless forced.
2. Orders are packed into batches of at most `max_orders_per_batch` orders and
   `max_batch_bytes` bytes. Each order is serialized once; a batch body is the join of those
   encodings, so its size is known before it is built.
3. A client-side sliding window of request-body bytes (Northbeam budgets 30 MB per key per
   60 s, ORDERS_API.md §4.2) decides when the next batch may go, so a normal run never sees a
   429. Bytes count from the moment a request is answered (never earlier than the server
   counted them), and bytes still in flight count as used, so the client's view of the window
   is never smaller than the server's.
4. Up to `max_in_flight` requests run at once on a small thread pool; this thread alone touches
   the ledger and calls `progress`, so a Qt worker can forward progress as signals.
5. Answers: 200 → accepted. 400 with per-order detail → those orders failed (with the paths
   Northbeam named), the rest of the batch is sent again. 400 without usable detail → the batch
   is split in halves until each bad order is alone. 413 → split. 429 → wait Retry-After and
   resend. 5xx/timeouts/resets → exponential backoff with full jitter, at most `max_retries`
   times. 401 → stop everything: a wrong key will not become right.
6. The ledger marks a batch in flight (committed) before its POST and settles it after the
   answer. Anything not acknowledged by a 200 is never reported as accepted.

Resending is always safe because POST /orders is an upsert keyed on `order_id`.
"""

from __future__ import annotations

import json
import logging
import math
import random
import sqlite3
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from northbeam_desktop.core.northbeam.client import (
    AuthError,
    NorthbeamClient,
    NorthbeamError,
    OrderError,
    PostResult,
)
from northbeam_desktop.core.northbeam.environments import Environment, environment_for_endpoint
from northbeam_desktop.core.northbeam.ledger import Ledger, OrderClass, payload_hash

log = logging.getLogger(__name__)

OutcomeStatus = Literal["accepted", "failed", "skipped", "unchanged", "not_sent"]

# How often (real seconds) the coordinator looks at the cancel flag while requests are running.
_CANCEL_POLL_SECONDS = 0.1
# Sleeps with an injected `sleep` are cut into slices so cancellation is noticed promptly.
_SLEEP_SLICE_SECONDS = 0.5


@dataclass
class OutgoingOrder:
    """One order as it will be sent: `payload` is the exact JSON object, `rows` the Excel row
    numbers it came from (for reports)."""

    order_id: str
    payload: dict[str, Any]
    rows: list[int] = field(default_factory=list)


@dataclass
class UploadOptions:
    max_orders_per_batch: int = 1000
    max_batch_bytes: int = 5_000_000
    budget_bytes: int | None = 30_000_000  # None: no client-side pacing
    window_seconds: float = 60.0
    # Measured against the stand-in (separate process, 20 ms latency, no budget, 20,000 orders
    # of ~560 bytes, 1000 per batch, ledger on; medians of 5): 1 → ~5,700 orders/s, 2 → ~9,700,
    # 3 → ~7,900 (noisier, no better). Two overlap one batch's wait for Northbeam with the
    # next batch's upload and ledger writes; a third only adds contention. Under the default
    # 30 MB/60 s budget pacing dominates anyway, so this mostly matters on slow links.
    max_in_flight: int = 2
    max_retries: int = 5
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    force: bool = False
    # After cancel, how long to wait for answers to requests already on the wire, so that
    # what Northbeam accepted can still be reported (and recorded) as accepted.
    cancel_grace_seconds: float = 5.0

    def __post_init__(self) -> None:
        if self.max_orders_per_batch < 1:
            raise ValueError("max_orders_per_batch must be at least 1")
        if self.max_batch_bytes < 64:
            raise ValueError("max_batch_bytes is too small")
        if self.budget_bytes is not None and self.budget_bytes < 64:
            raise ValueError("budget_bytes is too small")
        if self.window_seconds <= 0:
            raise ValueError("window_seconds must be positive")
        if self.max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        if self.max_retries < 0:
            raise ValueError("max_retries must not be negative")

    @property
    def batch_byte_limit(self) -> int:
        """A batch never exceeds the whole budget, or it could never be sent."""
        if self.budget_bytes is None:
            return self.max_batch_bytes
        return min(self.max_batch_bytes, self.budget_bytes)


@dataclass
class Progress:
    orders_done: int
    orders_total: int
    bytes_sent: int
    orders_per_second: float
    eta_seconds: float | None
    message: str
    # Orders Northbeam answered since the previous progress report: (order_id, "accepted" or
    # "failed", the rejection message or None), so a table can turn rows green or red while
    # the upload runs.
    settled: list[tuple[str, str, str | None]] = field(default_factory=list)


@dataclass
class OrderOutcome:
    order_id: str
    status: OutcomeStatus
    message: str | None = None
    # (path inside the order, e.g. "products[0].price" or "" for the whole order, message)
    server_errors: list[tuple[str, str]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)


@dataclass
class UploadReport:
    endpoint: str
    outcomes: list[OrderOutcome]
    sent: int = 0  # orders POSTed at least once
    accepted: int = 0
    failed: int = 0
    skipped: int = 0
    unchanged: int = 0
    not_sent: int = 0
    cancelled: bool = False
    error: str | None = None  # why the upload stopped early (bad key, Northbeam down, …)
    requests: int = 0
    retries: int = 0
    count_429: int = 0
    elapsed: float = 0.0
    bytes_sent: int = 0

    @property
    def complete(self) -> bool:
        """True when every order to send was accepted."""
        return not self.cancelled and self.error is None and self.failed == 0 and not self.not_sent


@dataclass(slots=True)
class PlannedOrder:
    order: OutgoingOrder
    position: int  # index in the caller's sequence
    payload_hash: str
    encoded: bytes  # the order's bytes inside the batch body
    order_class: OrderClass
    send: bool
    note: str | None = None  # why it is not sent

    @property
    def order_id(self) -> str:
        return self.order.order_id


@dataclass
class UploadPlan:
    """What an upload would do; shown on the confirmation screen and by `--dry-run`."""

    endpoint: str
    client_id: str
    force: bool
    items: list[PlannedOrder]

    def _count(self, order_class: OrderClass) -> int:
        return sum(
            1 for item in self.items if item.order_class is order_class and item.note is None
        )

    @property
    def new(self) -> int:
        return self._count(OrderClass.NEW)

    @property
    def changed(self) -> int:
        return self._count(OrderClass.CHANGED)

    @property
    def unchanged(self) -> int:
        return self._count(OrderClass.UNCHANGED)

    @property
    def failed(self) -> int:
        return self._count(OrderClass.FAILED)

    @property
    def in_flight(self) -> int:
        return self._count(OrderClass.IN_FLIGHT)

    @property
    def duplicates(self) -> int:
        return sum(1 for item in self.items if item.note is not None)

    @property
    def counts(self) -> dict[str, int]:
        counts = {cls.value: self._count(cls) for cls in OrderClass}
        counts["duplicate"] = self.duplicates
        return counts

    @property
    def to_send(self) -> list[PlannedOrder]:
        return [item for item in self.items if item.send]

    @property
    def bytes_to_send(self) -> int:
        """Body bytes of the default batching (each batch adds `[`, `]` and commas)."""
        return sum(_body_size(batch) for batch in self.batches(UploadOptions()))

    def batches(self, options: UploadOptions) -> list[list[PlannedOrder]]:
        sendable = [
            item for item in self.to_send if len(item.encoded) + 2 <= options.batch_byte_limit
        ]
        return make_batches(sendable, options.max_orders_per_batch, options.batch_byte_limit)


def encode_order(payload: dict[str, Any]) -> bytes:
    """The order exactly as it appears in a batch body."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def build_body(items: Sequence[PlannedOrder]) -> bytes:
    return b"[" + b",".join(item.encoded for item in items) + b"]"


def _body_size(items: Sequence[PlannedOrder]) -> int:
    return 2 + sum(len(item.encoded) for item in items) + max(len(items) - 1, 0)


def make_batches(
    items: Sequence[PlannedOrder], max_orders: int, max_bytes: int
) -> list[list[PlannedOrder]]:
    """Greedy, in file order: a batch closes when one more order would break either limit."""
    batches: list[list[PlannedOrder]] = []
    current: list[PlannedOrder] = []
    size = 2
    for item in items:
        extra = len(item.encoded) + (1 if current else 0)
        if current and (len(current) >= max_orders or size + extra > max_bytes):
            batches.append(current)
            current, size = [], 2
            extra = len(item.encoded)
        current.append(item)
        size += extra
    if current:
        batches.append(current)
    return batches


def plan(
    orders: Sequence[OutgoingOrder],
    ledger: Ledger | None,
    endpoint: str,
    client_id: str,
    force: bool = False,
) -> UploadPlan:
    """Classify every order against the ledger and decide which ones go out.

    Default: new, changed, previously failed and in-flight (sent but never settled) orders are
    sent; unchanged ones are skipped unless `force`. A second copy of an order_id in the list
    is not sent (which copy Northbeam would keep is undocumented).
    """
    items: list[PlannedOrder] = []
    seen: set[str] = set()
    for position, order in enumerate(orders):
        duplicate = order.order_id in seen
        seen.add(order.order_id)
        items.append(
            PlannedOrder(
                order=order,
                position=position,
                payload_hash=payload_hash(order.payload),
                encoded=encode_order(order.payload),
                order_class=OrderClass.NEW,
                send=not duplicate,
                note=(
                    f"Order {order.order_id} appears more than once; only its first copy is sent."
                    if duplicate
                    else None
                ),
            )
        )
    if ledger is not None:
        classes = ledger.classify(
            endpoint,
            client_id,
            ((item.order_id, item.payload_hash) for item in items if item.note is None),
        )
        for item in items:
            if item.note is None:
                item.order_class = classes[item.order_id]
                if item.order_class is OrderClass.UNCHANGED and not force:
                    item.send = False
    return UploadPlan(endpoint=endpoint, client_id=client_id, force=force, items=items)


# -- pacing ------------------------------------------------------------------------------------


class _Pacer:
    """Sliding window of request-body bytes.

    A request's bytes enter the window when its answer arrives (the server counted them at or
    before that moment, so they leave our window no earlier than the server's); until then they
    count as in flight, which blocks as much as the window does.
    """

    def __init__(self, budget: int | None, window: float) -> None:
        self.budget = budget
        self.window = window
        self.entries: deque[tuple[float, int]] = deque()
        self.used = 0
        self.in_flight = 0

    def _expire(self, now: float) -> None:
        cutoff = now - self.window
        while self.entries and self.entries[0][0] <= cutoff:
            self.used -= self.entries.popleft()[1]

    def delay(self, size: int, now: float) -> float:
        """Seconds until `size` more bytes fit (inf: only an answer in flight can free room)."""
        if self.budget is None:
            return 0.0
        self._expire(now)
        over = self.used + self.in_flight + size - self.budget
        if over <= 0:
            return 0.0
        if self.in_flight + size > self.budget:
            return math.inf
        freed = 0
        for stamp, nbytes in self.entries:
            freed += nbytes
            if freed >= over:
                return max(stamp + self.window - now, 0.001)
        return math.inf  # pragma: no cover - guarded by the in-flight check above

    def start(self, size: int) -> None:
        self.in_flight += size

    def finish(self, size: int, now: float) -> None:
        self.in_flight -= size
        self.entries.append((now, size))
        self.used += size


# -- the upload --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Job:
    items: list[PlannedOrder]
    attempt: int = 0  # retries so far after 5xx / network errors
    body: bytes = b""
    batch_id: str = ""

    @property
    def size(self) -> int:
        return _body_size(self.items)


def _fmt_seconds(seconds: float) -> str:
    seconds = max(0, math.ceil(seconds))
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = round(seconds / 60)
    return f"{minutes} minutes"


def _fmt_bytes(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:g} MB"
    if n >= 1_000:
        return f"{n / 1_000:g} kB"
    return f"{n} bytes"


def _error_text(errors: list[OrderError]) -> str:
    parts = []
    for err in errors:
        text = f"{err.path}: {err.message}" if err.path else err.message
        if text not in parts:
            parts.append(text)
    return "; ".join(parts)


class _Upload:
    """State of one `upload()` call. Only the calling thread runs these methods."""

    def __init__(
        self,
        orders: Sequence[OutgoingOrder],
        client: NorthbeamClient,
        ledger: Ledger | None,
        options: UploadOptions,
        progress: Callable[[Progress], None] | None,
        cancel: threading.Event | None,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
    ) -> None:
        self.client = client
        self.ledger = ledger
        self.options = options
        self.progress_cb = progress
        self.cancel = cancel
        self.sleep = sleep
        self.clock = clock
        self.endpoint = client.base_url
        self.client_id = client.client_id
        self.rng = random.Random()
        self.started = clock()

        self.plan = plan(orders, ledger, self.endpoint, self.client_id, options.force)
        self.outcomes: dict[int, OrderOutcome] = {}
        self.sent_positions: set[int] = set()
        self.pacer = _Pacer(options.budget_bytes, options.window_seconds)
        self.pending: deque[_Job] = deque()
        self.running: dict[Future[PostResult], _Job] = {}
        self.not_before = 0.0
        self.stop_error: str | None = None
        self.cancelled = False
        self.requests = 0
        self.retries = 0
        self.count_429 = 0
        self.bytes_sent = 0
        self.orders_done = 0
        self.orders_total = 0
        self.announced_wait_until = -math.inf
        self._callback_failed = False
        self._settled_since: list[tuple[str, str, str | None]] = []

    # -- helpers ------------------------------------------------------------------------------

    def _outcome(
        self,
        item: PlannedOrder,
        status: OutcomeStatus,
        message: str | None = None,
        server_errors: list[tuple[str, str]] | None = None,
    ) -> None:
        self.outcomes[item.position] = OrderOutcome(
            order_id=item.order_id,
            status=status,
            message=message,
            server_errors=server_errors or [],
            rows=list(item.order.rows),
        )

    def _cancel_requested(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def _pause(self, seconds: float) -> bool:
        """Sleep, waking early on cancel. False when cancelled."""
        if seconds <= 0:
            return not self._cancel_requested()
        if self.cancel is None:
            self.sleep(seconds)
            return True
        if self.sleep is time.sleep:
            return not self.cancel.wait(seconds)
        remaining = seconds
        while remaining > 0:
            if self.cancel.is_set():
                return False
            step = min(remaining, _SLEEP_SLICE_SECONDS)
            self.sleep(step)
            remaining -= step
        return not self.cancel.is_set()

    def _emit(self, message: str | None = None) -> None:
        if self.progress_cb is None:
            return
        elapsed = max(self.clock() - self.started, 1e-9)
        rate = self.orders_done / elapsed if self.orders_done else 0.0
        remaining = self.orders_total - self.orders_done
        eta = remaining / rate if rate > 0 else None
        if message is None:
            message = f"Sent {self.orders_done:,} of {self.orders_total:,} orders"
            if rate > 0 and remaining > 0:
                message += f" ({rate:,.0f} orders/s, about {_fmt_seconds(eta or 0)} left)."
            else:
                message += "."
        settled, self._settled_since = self._settled_since, []
        try:
            self.progress_cb(
                Progress(
                    orders_done=self.orders_done,
                    orders_total=self.orders_total,
                    bytes_sent=self.bytes_sent,
                    orders_per_second=rate,
                    eta_seconds=eta,
                    message=message,
                    settled=settled,
                )
            )
        except Exception:
            # A broken progress display must not lose track of what was sent.
            if not self._callback_failed:
                log.exception("progress callback failed; continuing the upload")
                self._callback_failed = True

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.options.backoff_cap, self.options.backoff_base * 2 ** (attempt - 1))
        return self.rng.uniform(0, ceiling)  # "full jitter": spreads retries of many clients

    # -- the main loop ------------------------------------------------------------------------

    def run(self) -> UploadReport:
        opts = self.options
        sendable: list[PlannedOrder] = []
        for item in self.plan.items:
            if item.note is not None:
                self._outcome(item, "skipped", item.note)
            elif not item.send:
                self._outcome(
                    item,
                    "unchanged",
                    "Already accepted by Northbeam with exactly this content; not sent again.",
                )
            elif len(item.encoded) + 2 > opts.batch_byte_limit:
                self._outcome(
                    item,
                    "failed",
                    f"This order is too large to send ({_fmt_bytes(len(item.encoded))}; "
                    f"the limit per request is {_fmt_bytes(opts.batch_byte_limit)}).",
                )
            else:
                sendable.append(item)
        batches = make_batches(sendable, opts.max_orders_per_batch, opts.batch_byte_limit)
        self.pending.extend(_Job(items=batch) for batch in batches)
        self.orders_total = len(sendable)
        if sendable:
            self._emit(
                f"Sending {len(sendable):,} orders in {len(batches):,} "
                f"batch{'es' if len(batches) != 1 else ''} to {self.client.environment_name}."
            )

        executor = ThreadPoolExecutor(
            max_workers=opts.max_in_flight, thread_name_prefix="northbeam-upload"
        )
        abandoned = False
        try:
            self._loop(executor)
            abandoned = self._drain()
        finally:
            executor.shutdown(wait=not abandoned, cancel_futures=True)
        report = self._report()
        if self.orders_total:
            self._emit(_summary(report))
        return report

    def _loop(self, executor: ThreadPoolExecutor) -> None:
        while True:
            if self._cancel_requested():
                self.cancelled = True
                return
            wait_for: float | None = None
            while (
                self.pending
                and self.stop_error is None
                and len(self.running) < self.options.max_in_flight
            ):
                job = self.pending[0]
                now = self.clock()
                delay = max(self.not_before - now, self.pacer.delay(job.size, now))
                if delay > 0:
                    wait_for = delay
                    break
                self.pending.popleft()
                if not self._submit(executor, job):
                    break
            if not self.running:
                if self.stop_error is not None or not self.pending:
                    return
                assert wait_for is not None and math.isfinite(wait_for)
                self._announce_wait(wait_for)
                if not self._pause(wait_for):
                    self.cancelled = True
                    return
                continue
            timeout: float | None = None
            if self.cancel is not None:
                timeout = _CANCEL_POLL_SECONDS
            if wait_for is not None and math.isfinite(wait_for):
                timeout = wait_for if timeout is None else min(timeout, wait_for)
            done, _ = wait(self.running, timeout=timeout, return_when=FIRST_COMPLETED)
            for future in done:
                self._handle(future, self.running.pop(future))

    def _announce_wait(self, seconds: float) -> None:
        """Tell the user about a pacing pause, once per pause, if it is long enough to notice."""
        now = self.clock()
        if seconds < 1 or now + seconds <= self.announced_wait_until:
            return
        self.announced_wait_until = now + seconds
        if self.not_before - now >= seconds - 1e-6:
            return  # a 429 or a retry already explained this pause
        budget = self.options.budget_bytes or 0
        self._emit(
            f"Waiting {_fmt_seconds(seconds)} to stay within Northbeam's limit of "
            f"{_fmt_bytes(budget)} per {self.options.window_seconds:g} seconds."
        )

    def _submit(self, executor: ThreadPoolExecutor, job: _Job) -> bool:
        job.batch_id = uuid.uuid4().hex
        if self.ledger is not None:
            try:
                # Committed before the request leaves: a crash from here on leaves these rows
                # in flight, and the next run sends them again.
                self.ledger.mark_in_flight(
                    self.endpoint,
                    self.client_id,
                    job.batch_id,
                    [(item.order_id, item.payload_hash) for item in job.items],
                )
            except sqlite3.Error as exc:
                log.error("ledger write failed: %s", exc)
                self.pending.appendleft(job)
                self._stop(
                    "Could not write the upload record on this computer "
                    f"({self.ledger.path}); nothing more was sent. Check free disk space."
                )
                return False
        if not job.body:
            job.body = build_body(job.items)
        self.pacer.start(len(job.body))
        self.requests += 1
        self.bytes_sent += len(job.body)
        self.sent_positions.update(item.position for item in job.items)
        future = executor.submit(self.client.post_orders, job.body)
        self.running[future] = job
        return True

    # -- answers ------------------------------------------------------------------------------

    def _handle(self, future: Future[PostResult], job: _Job) -> None:
        self.pacer.finish(len(job.body), self.clock())
        try:
            result = future.result()
        except AuthError as err:
            self._stop(err.message)
            self.pending.appendleft(job)
            return
        except NorthbeamError as err:
            if err.retryable:
                self._retry(job, err)
            else:
                self._stop(err.message)
                self.pending.appendleft(job)
            return
        except Exception as err:  # a bug, not Northbeam: stop rather than guess
            log.error("unexpected error while sending a batch", exc_info=err)
            self._stop(f"The upload stopped because of an unexpected error ({type(err).__name__}).")
            self.pending.appendleft(job)
            return

        if result.ok:
            self._accept(job.items)
        elif result.status == 429:
            self.count_429 += 1
            # No Retry-After: assume a whole window. Zero: still pause a second rather than
            # hammer a server that just said it is overloaded.
            wait_s = (
                max(result.retry_after, 1.0)
                if result.retry_after is not None
                else self.options.window_seconds
            )
            self.not_before = max(self.not_before, self.clock() + wait_s)
            self.pending.appendleft(job)
            self._emit(
                f"Northbeam is busy; waiting {_fmt_seconds(wait_s)} before sending the next batch."
            )
        elif result.status == 413:
            if len(job.items) > 1:
                self._split(job)
            else:
                message = "Northbeam said this order is too large to accept."
                if result.message:
                    message += f" ({result.message})"
                self._fail([(job.items[0], message, [])])
                self._emit()
        else:  # 400
            self._rejected(job, result)

    def _settle(
        self,
        accepted: list[tuple[str, str]] | None = None,
        failed: list[tuple[str, str, str]] | None = None,
    ) -> None:
        """Write Northbeam's answer to the ledger; a failed write stops the upload (the report
        still tells the truth, and unsettled rows are simply resent next time)."""
        if self.ledger is None:
            return
        try:
            self.ledger.settle(self.endpoint, self.client_id, accepted or [], failed or [])
        except sqlite3.Error as exc:
            log.error("ledger write failed: %s", exc)
            self._stop(
                "Could not write the upload record on this computer "
                f"({self.ledger.path}); nothing more was sent. Check free disk space."
            )

    def _accept(self, items: list[PlannedOrder]) -> None:
        self._settle(accepted=[(item.order_id, item.payload_hash) for item in items])
        for item in items:
            self._outcome(item, "accepted")
        self._settled_since.extend((item.order_id, "accepted", None) for item in items)
        self.orders_done += len(items)
        self._emit()

    def _fail(self, failures: list[tuple[PlannedOrder, str, list[tuple[str, str]]]]) -> None:
        """Record rejected orders: (order, message, server errors) each, in one transaction."""
        if not failures:
            return
        self._settle(
            failed=[(item.order_id, item.payload_hash, message) for item, message, _ in failures]
        )
        for item, message, server_errors in failures:
            self._outcome(item, "failed", message, server_errors)
        self._settled_since.extend(
            (item.order_id, "failed", message) for item, message, _errors in failures
        )
        self.orders_done += len(failures)

    def _split(self, job: _Job) -> None:
        middle = len(job.items) // 2
        # Left half first, so orders keep going out roughly in file order.
        self.pending.appendleft(_Job(items=job.items[middle:]))
        self.pending.appendleft(_Job(items=job.items[:middle]))

    def _rejected(self, job: _Job, result: PostResult) -> None:
        by_item: dict[int, list[OrderError]] = {}
        by_id: dict[str, list[int]] = {}
        for i, item in enumerate(job.items):
            by_id.setdefault(item.order_id, []).append(i)
        for err in result.errors:
            target: int | None = None
            in_batch = err.index is not None and 0 <= err.index < len(job.items)
            if in_batch and err.order_id in (None, job.items[err.index].order_id):
                target = err.index
            if target is None and err.order_id is not None and err.order_id in by_id:
                target = by_id[err.order_id][0]
            if target is not None:
                by_item.setdefault(target, []).append(err)

        if by_item:
            self._fail(
                [
                    (job.items[i], _error_text(errors), [(e.path, e.message) for e in errors])
                    for i, errors in sorted(by_item.items())
                ]
            )
            rest = [item for i, item in enumerate(job.items) if i not in by_item]
            if rest:
                # Northbeam may reject a whole batch for one bad order; the others were not
                # necessarily stored, and resending them is harmless (upsert).
                self.pending.appendleft(_Job(items=rest))
            self._emit()
            return

        if len(job.items) == 1:
            reason = result.message
            if reason and reason.strip().lower() not in ("bad request", "invalid input"):
                message = f"Northbeam rejected this order: {reason}"
            else:
                message = "Northbeam rejected this order without saying why (HTTP 400)."
            self._fail([(job.items[0], message, [])])
            self._emit()
            return
        # No usable detail: halve until every bad order is alone; good halves are accepted.
        self._split(job)

    def _retry(self, job: _Job, err: NorthbeamError) -> None:
        if job.attempt >= self.options.max_retries:
            attempts = job.attempt + 1
            # One sentence: what went wrong, that the rest waits, and what to do.
            message = (
                f"{err.summary}; gave up after {attempts} attempt{'s' if attempts != 1 else ''}, "
                "so the orders not yet confirmed stay unsent — upload again later to send them."
            )
            # An outage is not a verdict on these orders: they stay in flight in the ledger
            # and are reported as not sent, so nothing is painted as "rejected".
            self.pending.appendleft(job)
            self._stop(message)
            return
        job.attempt += 1
        self.retries += 1
        delay = self._backoff(job.attempt)
        self.not_before = max(self.not_before, self.clock() + delay)
        self.pending.appendleft(job)
        self._emit(
            f"{err.summary}; trying again in {_fmt_seconds(delay)} "
            f"(attempt {job.attempt + 1} of {self.options.max_retries + 1})."
        )

    def _stop(self, message: str) -> None:
        if self.stop_error is None:
            self.stop_error = message
            self._emit(message)

    def _drain(self) -> bool:
        """Collect answers to requests already sent. True if some had to be abandoned."""
        grace_end: float | None = None
        while self.running:
            if self._cancel_requested():
                self.cancelled = True
            if self.cancelled and grace_end is None:
                grace_end = time.monotonic() + self.options.cancel_grace_seconds
            timeout = _CANCEL_POLL_SECONDS if self.cancel is not None else None
            if grace_end is not None:
                left = grace_end - time.monotonic()
                if left <= 0:
                    return True
                timeout = min(timeout or left, left)
            done, _ = wait(self.running, timeout=timeout, return_when=FIRST_COMPLETED)
            for future in done:
                self._handle(future, self.running.pop(future))
        return False

    def _report(self) -> UploadReport:
        abandoned = {item.position for job in self.running.values() for item in job.items}
        for job in [*self.running.values(), *self.pending]:
            for item in job.items:
                if item.position in self.outcomes:
                    continue
                if item.position in abandoned:
                    message = (
                        "Sent, but Northbeam's answer had not arrived when the upload was "
                        "cancelled; it will be sent again next time."
                    )
                elif item.position in self.sent_positions:
                    message = (
                        "Not confirmed by Northbeam before the upload stopped; it will be sent "
                        "again next time."
                    )
                elif self.cancelled:
                    message = "Not sent: the upload was cancelled."
                else:
                    message = "Not sent: the upload stopped early."
                if self.stop_error and not self.cancelled:
                    message = f"{message} {self.stop_error}"
                self._outcome(item, "not_sent", message)
        outcomes = [self.outcomes[i] for i in sorted(self.outcomes)]
        counts: dict[str, int] = {}
        for outcome in outcomes:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        report = UploadReport(
            endpoint=self.endpoint,
            outcomes=outcomes,
            sent=len(self.sent_positions),
            accepted=counts.get("accepted", 0),
            failed=counts.get("failed", 0),
            skipped=counts.get("skipped", 0),
            unchanged=counts.get("unchanged", 0),
            not_sent=counts.get("not_sent", 0),
            cancelled=self.cancelled,
            error=self.stop_error,
            requests=self.requests,
            retries=self.retries,
            count_429=self.count_429,
            elapsed=self.clock() - self.started,
            bytes_sent=self.bytes_sent,
        )
        log.info(
            "upload to %s: %d accepted, %d failed, %d unchanged, %d not sent, %d requests, "
            "%d retries, %d rate-limited, %.2f s%s",
            self.endpoint,
            report.accepted,
            report.failed,
            report.unchanged,
            report.not_sent,
            report.requests,
            report.retries,
            report.count_429,
            report.elapsed,
            " (cancelled)" if report.cancelled else "",
        )
        return report


def _summary(report: UploadReport) -> str:
    parts = [f"{report.accepted:,} accepted"]
    if report.failed:
        parts.append(f"{report.failed:,} rejected")
    if report.not_sent:
        parts.append(f"{report.not_sent:,} not sent (they will be sent next time)")
    if report.unchanged:
        parts.append(f"{report.unchanged:,} unchanged")
    head = "Upload cancelled" if report.cancelled else "Upload stopped" if report.error else "Done"
    return f"{head}: {', '.join(parts)}."


def upload(
    orders: Sequence[OutgoingOrder],
    client: NorthbeamClient,
    ledger: Ledger | None,
    options: UploadOptions | None = None,
    *,
    progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> UploadReport:
    """Send `orders` and report, per order, exactly what Northbeam acknowledged.

    Never raises for Northbeam's answers or network trouble: those end up in the report
    (`error` says why an upload stopped early). `progress` is called from this thread after
    every answer and during long waits; setting `cancel` stops between requests.
    """
    return _Upload(
        orders,
        client,
        ledger,
        options or UploadOptions(),
        progress,
        cancel,
        sleep,
        clock,
    ).run()


# -- verify ------------------------------------------------------------------------------------


@dataclass
class VerifyResult:
    """What `GET /orders` says about orders that were reported accepted."""

    checked: int = 0
    missing: list[str] = field(default_factory=list)
    different: list[str] = field(default_factory=list)
    skipped_reason: str | None = None  # why nothing could be checked

    @property
    def ok(self) -> bool:
        return self.skipped_reason is None and not self.missing and not self.different


def _purchase_date(order: OutgoingOrder) -> date | None:
    value = order.payload.get("time_of_purchase")
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def verify(orders: Sequence[OutgoingOrder], client: NorthbeamClient) -> VerifyResult:
    """Fetch the uploaded date range back and report orders that did not arrive or differ.

    Northbeam's UAT stores nothing sent with the published test credentials, so there the
    check is skipped with a note rather than reporting every order as missing. The range is
    widened by a day on each side because GET's time zone is undocumented (ORDERS_API.md §7.12).
    """
    if (
        environment_for_endpoint(client.base_url) is Environment.SANDBOX
        and client.credentials.is_sandbox_test
    ):
        return VerifyResult(
            skipped_reason=(
                "Not checked: Northbeam's sandbox stores nothing sent with the published test "
                "credentials, so there is nothing to compare."
            )
        )
    dates = [d for d in (_purchase_date(o) for o in orders) if d is not None]
    if not dates:
        return VerifyResult(skipped_reason="Not checked: no order has a purchase date.")
    start, end = min(dates) - timedelta(days=1), max(dates) + timedelta(days=1)
    try:
        fetched = client.get_orders(start, end)
    except NorthbeamError as err:
        return VerifyResult(skipped_reason=f"Not checked: {err.message}")
    by_id = {str(o.get("order_id")): o for o in fetched}
    result = VerifyResult(checked=len(orders))
    for order in orders:
        found = by_id.get(order.order_id)
        if found is None:
            result.missing.append(order.order_id)
        elif found != order.payload:  # == treats 24 and 24.0 alike, as JSON does
            result.different.append(order.order_id)
    return result
