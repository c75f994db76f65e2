"""What an upload will send: orders classified against the ledger, and packed into batches.

`plan()` hashes every payload and asks the ledger what is new, changed, unchanged, previously
failed or left in flight by a crash; unchanged orders are skipped unless forced, and a second
copy of an order_id is never sent. `make_batches()` packs orders in file order into batches of
at most `max_orders_per_batch` orders and `max_batch_bytes` bytes. Each order is serialized once;
a batch body is the join of those encodings, so its size is known before it is built.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from northbeam_desktop.core.northbeam.ledger import Ledger, OrderClass, payload_hash


@dataclass
class OutgoingOrder:
    """One order as it will be sent: `payload` is the exact JSON object, `rows` the Excel row
    numbers it came from (for reports)."""

    order_id: str
    payload: dict[str, Any]
    rows: list[int] = field(default_factory=list)


@dataclass
class UploadOptions:
    """Limits and timing of one upload (the defaults follow Northbeam's documented limits)."""

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
        return sum(body_size(batch) for batch in self.batches(UploadOptions()))

    def batches(self, options: UploadOptions) -> list[list[PlannedOrder]]:
        sendable = [
            item for item in self.to_send if len(item.encoded) + 2 <= options.batch_byte_limit
        ]
        return make_batches(sendable, options.max_orders_per_batch, options.batch_byte_limit)


def encode_order(payload: dict[str, Any]) -> bytes:
    """The order exactly as it appears in a batch body."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def build_body(items: Sequence[PlannedOrder]) -> bytes:
    """The request body: the orders' encodings joined into one JSON array."""
    return b"[" + b",".join(item.encoded for item in items) + b"]"


def body_size(items: Sequence[PlannedOrder]) -> int:
    """The bytes `build_body(items)` would make, without building it."""
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
