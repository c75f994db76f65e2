"""What one answer means for the orders of a batch: accept, reject, split, wait, retry or stop.

`judge()` turns Northbeam's answer to one batch (or the error that stands for it) into a
`Verdict`; the run loop (`uploader`) carries it out: ledger writes, the queue, progress.

- Confirmed 2xx → every order accepted. (`client` raises `UnconfirmedError` for a 2xx without
  Northbeam's confirmation; that is retried like an outage, never accepted.)
- 400 with per-order detail → those orders failed, with the paths Northbeam named; the rest of
  the batch is sent again (Northbeam may refuse a whole batch for one bad order).
- 400 without usable detail → the batch is split in halves until each bad order is alone.
- 413 → split; a single order that is still too large fails.
- 429 → wait Retry-After (a whole window when absent), then resend.
- 5xx, timeouts, resets, unconfirmed answers → exponential backoff with full jitter, at most
  `max_retries` times, then stop with one sentence; the orders stay in flight (not rejected).
- 401 and other refusals → stop: a wrong key will not become right.

Resending is always safe because POST /orders is an upsert keyed on `order_id`.
"""

from __future__ import annotations

import dataclasses
import logging
import random
from dataclasses import dataclass, field

from northbeam_desktop.core.northbeam.client import AuthError, NorthbeamError, PostResult
from northbeam_desktop.core.northbeam.envelope import OrderError
from northbeam_desktop.core.northbeam.planning import PlannedOrder, UploadOptions, body_size
from northbeam_desktop.core.northbeam.wording import format_seconds, plural

log = logging.getLogger(__name__)

# (the order, the message shown, Northbeam's (path, message) pairs)
Failure = tuple[PlannedOrder, str, list[tuple[str, str]]]


@dataclass(slots=True)
class Batch:
    """Orders sent (or to be sent) in one request; `attempt` counts retries after outages."""

    items: list[PlannedOrder]
    attempt: int = 0
    body: bytes = b""
    batch_id: str = ""

    @property
    def size(self) -> int:
        return body_size(self.items)


@dataclass
class Verdict:
    """What to do after one answer. The loop applies it in this order: record `failed` and
    `accepted`, put `resend` back at the front of the queue (in order), hold everything for
    `wait_seconds`, say `note`, and stop with `stop` if set."""

    accepted: list[PlannedOrder] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    resend: list[Batch] = field(default_factory=list)
    wait_seconds: float = 0.0
    note: str | None = None
    stop: str | None = None
    retried: bool = False
    rate_limited: bool = False


def judge(
    batch: Batch, answer: PostResult | BaseException, options: UploadOptions, rng: random.Random
) -> Verdict:
    """The verdict on `batch` given Northbeam's `answer` (or the exception it raised)."""
    if isinstance(answer, BaseException):
        return _judge_error(batch, answer, options, rng)
    if answer.ok:
        return Verdict(accepted=list(batch.items))
    if answer.status == 429:
        # No Retry-After: assume a whole window. Zero: still pause a second rather than hammer
        # a server that just said it is overloaded.
        wait = (
            max(answer.retry_after, 1.0)
            if answer.retry_after is not None
            else options.window_seconds
        )
        return Verdict(
            resend=[batch],
            wait_seconds=wait,
            rate_limited=True,
            note=f"Northbeam is busy; waiting {format_seconds(wait)} before sending the next batch.",
        )
    if answer.status == 413:
        if len(batch.items) > 1:
            return Verdict(resend=halves(batch))
        message = "Northbeam said this order is too large to accept."
        if answer.message:
            message += f" ({answer.message})"
        return Verdict(failed=[(batch.items[0], message, [])])
    return _judge_rejection(batch, answer)


def halves(batch: Batch) -> list[Batch]:
    """The batch split in two, left half first (orders keep going out in file order)."""
    middle = len(batch.items) // 2
    return [Batch(items=batch.items[:middle]), Batch(items=batch.items[middle:])]


def backoff(attempt: int, options: UploadOptions, rng: random.Random) -> float:
    """Seconds before retry number `attempt` (1, 2, …): "full jitter" spreads many clients."""
    ceiling = min(options.backoff_cap, options.backoff_base * 2 ** (attempt - 1))
    return rng.uniform(0, ceiling)


def _judge_error(
    batch: Batch, error: BaseException, options: UploadOptions, rng: random.Random
) -> Verdict:
    if isinstance(error, AuthError) or (isinstance(error, NorthbeamError) and not error.retryable):
        return Verdict(resend=[batch], stop=error.message)
    if not isinstance(error, NorthbeamError):  # a bug, not Northbeam: stop rather than guess
        log.error("unexpected error while sending a batch", exc_info=error)
        return Verdict(
            resend=[batch],
            stop=f"The upload stopped because of an unexpected error ({type(error).__name__}).",
        )
    if batch.attempt >= options.max_retries:
        # An outage is not a verdict on these orders: they stay in flight in the ledger and are
        # reported as not sent, so nothing is painted as "rejected". One sentence: what went
        # wrong, that the rest waits, and what to do.
        return Verdict(
            resend=[batch],
            stop=(
                f"{error.summary}; gave up after {plural(batch.attempt + 1, 'attempt')}, so the "
                "orders not yet confirmed stay unsent — upload again later to send them."
            ),
        )
    again = dataclasses.replace(batch, attempt=batch.attempt + 1)
    delay = backoff(again.attempt, options, rng)
    return Verdict(
        resend=[again],
        wait_seconds=delay,
        retried=True,
        note=(
            f"{error.summary}; trying again in {format_seconds(delay)} "
            f"(attempt {again.attempt + 1} of {options.max_retries + 1})."
        ),
    )


def _judge_rejection(batch: Batch, result: PostResult) -> Verdict:
    """A 400: fail the orders Northbeam named and resend the rest, or bisect without detail."""
    named = _errors_by_position(batch.items, result.errors)
    if named:
        failed: list[Failure] = [
            (batch.items[i], _error_text(errors), [(e.path, e.message) for e in errors])
            for i, errors in sorted(named.items())
        ]
        rest = [item for i, item in enumerate(batch.items) if i not in named]
        # Northbeam may reject a whole batch for one bad order; the others were not necessarily
        # stored, and resending them is harmless (upsert).
        return Verdict(failed=failed, resend=[Batch(items=rest)] if rest else [])
    if len(batch.items) == 1:
        reason = result.message
        if reason and reason.strip().lower() not in ("bad request", "invalid input"):
            message = f"Northbeam rejected this order: {reason}"
        else:
            message = "Northbeam rejected this order without saying why (HTTP 400)."
        return Verdict(failed=[(batch.items[0], message, [])])
    # No usable detail: halve until every bad order is alone; good halves are accepted.
    return Verdict(resend=halves(batch))


def _errors_by_position(
    items: list[PlannedOrder], errors: list[OrderError]
) -> dict[int, list[OrderError]]:
    """Northbeam's complaints by the position of the order they name (by index, else by id)."""
    by_item: dict[int, list[OrderError]] = {}
    by_id: dict[str, int] = {}
    for i, item in enumerate(items):
        by_id.setdefault(item.order_id, i)
    for err in errors:
        target: int | None = None
        index = err.index
        if (
            index is not None
            and 0 <= index < len(items)
            and err.order_id in (None, items[index].order_id)
        ):
            target = index
        if target is None and err.order_id is not None:
            target = by_id.get(err.order_id)
        if target is not None:
            by_item.setdefault(target, []).append(err)
    return by_item


def _error_text(errors: list[OrderError]) -> str:
    parts: list[str] = []
    for err in errors:
        text = f"{err.path}: {err.message}" if err.path else err.message
        if text not in parts:
            parts.append(text)
    return "; ".join(parts)
