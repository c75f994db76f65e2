"""Pacing: stay inside Northbeam's request-body budget so a normal run never sees a 429.

Northbeam budgets 30 MB of request bodies per API key per sliding 60 seconds (one budget shared
by all order writes). `BytePacer` keeps the client's own sliding window of bytes and says how
long to wait before the next batch fits.
"""

from __future__ import annotations

import math
from collections import deque


class BytePacer:
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
