"""What an upload reports: each order's `UploadStatus`, progress events, and the final report.

Statuses are an enum, never strings compared by hand; being a `StrEnum`, a status still reads
and serializes as its word ("accepted"), which is what exports, the JSON of the command line
and the document's records show.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class UploadStatus(StrEnum):
    """What happened to one order in an upload."""

    ACCEPTED = "accepted"  # Northbeam confirmed it (and the ledger recorded that)
    FAILED = "failed"  # Northbeam rejected it, or it is too large to send
    SKIPPED = "skipped"  # a second copy of an order_id in the file; only the first is sent
    UNCHANGED = "unchanged"  # accepted before with exactly this content; not sent again
    NOT_SENT = "not_sent"  # not confirmed (stopped, cancelled, odd answer): sent next time


class Settled(NamedTuple):
    """One order Northbeam just answered for: accepted, or failed with its message."""

    order_id: str
    status: UploadStatus
    message: str | None = None


@dataclass
class Progress:
    orders_done: int
    orders_total: int
    bytes_sent: int
    orders_per_second: float
    eta_seconds: float | None
    message: str
    # Orders Northbeam answered since the previous progress report, recorded in the ledger
    # already, so a table can turn rows green or red while the upload runs.
    settled: list[Settled] = field(default_factory=list)


@dataclass
class OrderOutcome:
    order_id: str
    status: UploadStatus
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

    def count_outcomes(self) -> None:
        """Set the per-status counts from `outcomes`."""
        counts = Counter(outcome.status for outcome in self.outcomes)
        self.accepted = counts[UploadStatus.ACCEPTED]
        self.failed = counts[UploadStatus.FAILED]
        self.skipped = counts[UploadStatus.SKIPPED]
        self.unchanged = counts[UploadStatus.UNCHANGED]
        self.not_sent = counts[UploadStatus.NOT_SENT]

    def with_status(self, status: UploadStatus) -> list[OrderOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status is status]

    def summary(self) -> str:
        """ "Done: 1,000 accepted, 3 rejected." — the last progress line of a run."""
        parts = [f"{self.accepted:,} accepted"]
        if self.failed:
            parts.append(f"{self.failed:,} rejected")
        if self.not_sent:
            parts.append(f"{self.not_sent:,} not sent (they will be sent next time)")
        if self.unchanged:
            parts.append(f"{self.unchanged:,} unchanged")
        head = "Upload cancelled" if self.cancelled else "Upload stopped" if self.error else "Done"
        return f"{head}: {', '.join(parts)}."
