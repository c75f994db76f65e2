"""Send orders to Northbeam so that every valid order arrives and the report can be trusted.

The flow of one `upload()`:

1. `planning.plan()` classifies every order against the ledger (new, changed, unchanged,
   failed before, left in flight by a crash) and `make_batches()` packs what goes out.
2. `pacing.BytePacer` decides when the next batch fits Northbeam's byte budget, so a normal run
   never sees a 429. Up to `max_in_flight` requests run at once on a small thread pool; this
   thread alone touches the ledger and calls `progress`, so a Qt worker can forward progress as
   signals.
3. Each answer becomes an `answers.Verdict` (accept, reject, split, wait, retry, stop), which
   this loop carries out.
4. The ledger marks a batch in flight (committed) before its POST and settles it after the
   answer. Anything Northbeam did not confirm is never reported as accepted.

This module is also where callers find the types `upload()` takes and returns.
"""

from __future__ import annotations

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

from northbeam_desktop.core.northbeam.answers import Batch, Failure, Verdict, judge
from northbeam_desktop.core.northbeam.client import NorthbeamClient, PostResult
from northbeam_desktop.core.northbeam.ledger import Ledger, LedgerError
from northbeam_desktop.core.northbeam.outcomes import (
    OrderOutcome,
    Progress,
    Settled,
    UploadReport,
    UploadStatus,
)
from northbeam_desktop.core.northbeam.pacing import BytePacer
from northbeam_desktop.core.northbeam.planning import (
    OutgoingOrder,
    PlannedOrder,
    UploadOptions,
    build_body,
    make_batches,
    plan,
)
from northbeam_desktop.core.northbeam.wording import format_bytes, format_seconds

__all__ = [
    "OrderOutcome",
    "OutgoingOrder",
    "Progress",
    "UploadOptions",
    "UploadReport",
    "UploadStatus",
    "upload",
]

log = logging.getLogger(__name__)

# How often (real seconds) the coordinator looks at the cancel flag while requests are running.
_CANCEL_POLL_SECONDS = 0.1
# Sleeps with an injected `sleep` are cut into slices so cancellation is noticed promptly.
_SLEEP_SLICE_SECONDS = 0.5


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
        self.pacer = BytePacer(options.budget_bytes, options.window_seconds)
        self.pending: deque[Batch] = deque()
        self.running: dict[Future[PostResult], Batch] = {}
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
        self._settled_since: list[Settled] = []

    # -- helpers ------------------------------------------------------------------------------

    def _outcome(
        self,
        item: PlannedOrder,
        status: UploadStatus,
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
                message += f" ({rate:,.0f} orders/s, about {format_seconds(eta or 0)} left)."
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

    # -- the main loop ------------------------------------------------------------------------

    def run(self) -> UploadReport:
        opts = self.options
        sendable: list[PlannedOrder] = []
        for item in self.plan.items:
            if item.note is not None:
                self._outcome(item, UploadStatus.SKIPPED, item.note)
            elif not item.send:
                self._outcome(
                    item,
                    UploadStatus.UNCHANGED,
                    "Already accepted by Northbeam with exactly this content; not sent again.",
                )
            elif len(item.encoded) + 2 > opts.batch_byte_limit:
                self._outcome(
                    item,
                    UploadStatus.FAILED,
                    f"This order is too large to send ({format_bytes(len(item.encoded))}; "
                    f"the limit per request is {format_bytes(opts.batch_byte_limit)}).",
                )
            else:
                sendable.append(item)
        batches = make_batches(sendable, opts.max_orders_per_batch, opts.batch_byte_limit)
        self.pending.extend(Batch(items=batch) for batch in batches)
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
            self._emit(report.summary())
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
            f"Waiting {format_seconds(seconds)} to stay within Northbeam's limit of "
            f"{format_bytes(budget)} per {self.options.window_seconds:g} seconds."
        )

    def _submit(self, executor: ThreadPoolExecutor, job: Batch) -> bool:
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
            except LedgerError as exc:
                self.pending.appendleft(job)
                self._stop(str(exc))
                return False
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

    def _handle(self, future: Future[PostResult], job: Batch) -> None:
        self.pacer.finish(len(job.body), self.clock())
        answer: PostResult | BaseException
        try:
            answer = future.result()
        except Exception as err:  # Northbeam's refusals and network trouble arrive as errors
            answer = err
        self._apply(judge(job, answer, self.options, self.rng))

    def _apply(self, verdict: Verdict) -> None:
        self._fail(verdict.failed)
        if verdict.accepted:
            self._accept(verdict.accepted)
        self.pending.extendleft(reversed(verdict.resend))
        if verdict.wait_seconds:
            self.not_before = max(self.not_before, self.clock() + verdict.wait_seconds)
        self.retries += verdict.retried
        self.count_429 += verdict.rate_limited
        if verdict.stop is not None:
            self._stop(verdict.stop)
        elif verdict.note is not None or verdict.failed or verdict.accepted:
            self._emit(verdict.note)

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
        except LedgerError as exc:
            self._stop(str(exc))
        except sqlite3.Error as exc:
            log.error("ledger write failed: %s", exc)
            self._stop(
                "Could not write the upload record on this computer "
                f"({self.ledger.path}); nothing more was sent. Check free disk space."
            )

    def _accept(self, items: list[PlannedOrder]) -> None:
        self._settle(accepted=[(item.order_id, item.payload_hash) for item in items])
        for item in items:
            self._outcome(item, UploadStatus.ACCEPTED)
        self._settled_since.extend(Settled(item.order_id, UploadStatus.ACCEPTED) for item in items)
        self.orders_done += len(items)

    def _fail(self, failures: list[Failure]) -> None:
        """Record rejected orders: (order, message, server errors) each, in one transaction."""
        if not failures:
            return
        self._settle(
            failed=[(item.order_id, item.payload_hash, message) for item, message, _ in failures]
        )
        for item, message, server_errors in failures:
            self._outcome(item, UploadStatus.FAILED, message, server_errors)
        self._settled_since.extend(
            Settled(item.order_id, UploadStatus.FAILED, message)
            for item, message, _errors in failures
        )
        self.orders_done += len(failures)

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
                self._outcome(item, UploadStatus.NOT_SENT, message)
        report = UploadReport(
            endpoint=self.endpoint,
            outcomes=[self.outcomes[i] for i in sorted(self.outcomes)],
            sent=len(self.sent_positions),
            cancelled=self.cancelled,
            error=self.stop_error,
            requests=self.requests,
            retries=self.retries,
            count_429=self.count_429,
            elapsed=self.clock() - self.started,
            bytes_sent=self.bytes_sent,
        )
        report.count_outcomes()
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
