"""What was sent where: an SQLite record of every order's last upload, so reruns are cheap and
truthful.

One row per (environment, Data-Client-ID, order_id) holds the SHA-256 of the exact payload last
sent, its status and the server's message. Never an API key, never a payload: customer data
stays in the user's own file.

Crash safety follows from the order of writes. `mark_in_flight` commits *before* a POST and
`settle` commits *after* the answer, each in one transaction (WAL). If the
process dies between the two, the rows stay `in_flight` and the next run classifies them as
IN_FLIGHT and sends them again; Orders API POST is an upsert, so a second copy is harmless.

The ledger cannot be fooled into a silent resend of everything. A new ledger is built under a
temporary name and put in place whole, so a ledger file is never legitimately empty; an empty
file, a file that is not SQLite, one with another layout, or pages SQLite finds damaged later
raise `LedgerDamaged` after the file (with its `-wal`/`-shm`) is moved aside to
`upload-ledger.damaged-<time>.sqlite3`, and the user decides whether to start a new record.
One upload at a time holds `upload_lock()` (an OS lock, see `core.local.locks`); a second gets
`LedgerBusy`, which names the holder. The file and its folder are private to the user.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from northbeam_desktop.core.local.appdirs import app_dirs
from northbeam_desktop.core.local.locks import FileLock, private_folder, tighten
from northbeam_desktop.core.northbeam.ledger_file import (
    COLUMNS,
    SCHEMA_VERSION,
    SIDE_FILES,
    LedgerBusy,
    LedgerDamaged,
    LedgerError,
    LedgerUnavailable,
    create,
    damaged,
    is_damage,
    layout_problem,
)

log = logging.getLogger(__name__)

__all__ = [
    "COLUMNS",
    "LEDGER_FILENAME",
    "SCHEMA_VERSION",
    "Ledger",
    "LedgerBusy",
    "LedgerDamaged",
    "LedgerEntry",
    "LedgerError",
    "LedgerUnavailable",
    "OrderClass",
    "default_ledger_path",
    "payload_hash",
]

LEDGER_FILENAME = "upload-ledger.sqlite3"
LOCK_SUFFIX = ".lock"
_CHUNK = 500  # ids per IN (...) query; well under SQLite's variable limit


class OrderClass(StrEnum):
    """How an order in the file relates to what the ledger knows."""

    NEW = "new"  # never sent to this environment/account
    CHANGED = "changed"  # accepted before, with different content
    UNCHANGED = "unchanged"  # accepted before with exactly this payload
    FAILED = "failed"  # last attempt was rejected
    IN_FLIGHT = "in_flight"  # sent but never settled (the app died): resend, upsert is safe


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    environment_key: str
    client_id: str
    order_id: str
    payload_sha256: str
    status: str
    message: str | None
    batch_id: str | None
    first_sent_at: str
    updated_at: str


def payload_hash(payload: dict[str, Any]) -> str:
    """SHA-256 (hex) of the payload's canonical JSON, so key order and spacing never matter."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def default_ledger_path() -> Path:
    return app_dirs().data / LEDGER_FILENAME


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _chunks(seq: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(seq), size):
        yield seq[start : start + size]


class Ledger:
    """The upload ledger. Safe to share between threads (one connection behind a lock)."""

    def __init__(self, path: str | Path | None = None) -> None:
        """Open (or create) the ledger at `path` (default: the app's data folder).

        Raises LedgerDamaged (after moving the file aside) or LedgerUnavailable, each with a
        sentence for the user.
        """
        self.path = Path(path) if path is not None else default_ledger_path()
        self._lock = threading.RLock()
        self._upload_lock = FileLock(self.path.with_name(self.path.name + LOCK_SUFFIX))
        try:
            private_folder(self.path.parent)
            if not self.path.exists():
                create(self.path)
            elif self.path.stat().st_size == 0:
                raise damaged(self.path, "the file was empty")
            tighten(self.path)
        except OSError as exc:
            raise self._unavailable(exc) from None
        self._conn = self._connect()

    def _connect(self) -> sqlite3.Connection:
        try:
            # Autocommit mode: every write below opens its own explicit transaction.
            conn = sqlite3.connect(
                self.path, timeout=30.0, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise self._unavailable(exc) from None
        try:
            conn.execute("PRAGMA busy_timeout=30000")
            problem = layout_problem(conn)
            if problem is None:
                conn.execute("PRAGMA journal_mode=WAL")
                # NORMAL in WAL mode: a commit survives kill -9 (it is in the OS cache once
                # COMMIT returns); only a power cut can drop the last commits. That is harmless
                # here, because the only write that makes a later run *skip* an order is
                # settle(accepted), which happens after Northbeam's confirmation: losing it (or
                # any other write) only causes a resend, and POST is an upsert. FULL would add
                # an fsync per commit for no gain in correctness.
                conn.execute("PRAGMA synchronous=NORMAL")
        except LedgerUnavailable:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            if is_damage(exc):
                raise damaged(self.path, "the file is not an upload record") from None
            raise self._unavailable(exc) from None
        if problem is not None:
            conn.close()
            raise damaged(self.path, problem)
        for side in SIDE_FILES:
            tighten(Path(f"{self.path}{side}"))
        return conn

    def _unavailable(self, exc: BaseException) -> LedgerUnavailable:
        log.error("cannot open the ledger %s: %s", self.path, exc)
        return LedgerUnavailable(
            f"The upload record on this computer ({self.path}) could not be opened, so nothing "
            "was sent; check that the disk is not full and the folder can be written to."
        )

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Cursor]:
        with self._lock, self._guard():
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                yield cur
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    cur.execute("ROLLBACK")
                raise
            else:
                cur.execute("COMMIT")
            finally:
                cur.close()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Damaged pages found while reading or writing: close, move aside, LedgerDamaged."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            log.error("the ledger %s is damaged: %s", self.path, exc)
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            raise damaged(self.path, "parts of the file are unreadable") from None

    # -- one upload at a time -----------------------------------------------------------------

    @contextmanager
    def upload_lock(self, program: str) -> Iterator[None]:
        """Hold the ledger for one upload; raises LedgerBusy naming who holds it already.

        `program` names this upload for whoever finds the lock taken ("Northbeam Desktop",
        "the northbeam-desktop command"). The OS drops the lock if the process dies.
        """
        if not self._upload_lock.acquire(program):
            raise LedgerBusy(self._upload_lock.holder())
        try:
            yield
        finally:
            self._upload_lock.release()

    # -- reading ------------------------------------------------------------------------------

    def classify(
        self, endpoint: str, client_id: str, items: Iterable[tuple[str, str]]
    ) -> dict[str, OrderClass]:
        """Class of each (order_id, payload_hash) against what was last sent to this account."""
        wanted = dict(items)
        known: dict[str, tuple[str, str]] = {}
        ids = list(wanted)
        with self._lock, self._guard():
            for chunk in _chunks(ids):
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    "SELECT order_id, payload_sha256, status FROM orders "
                    f"WHERE environment_key = ? AND client_id = ? AND order_id IN ({marks})",
                    (endpoint, client_id, *chunk),
                ).fetchall()
                for order_id, sha, status in rows:
                    known[order_id] = (sha, status)
        result: dict[str, OrderClass] = {}
        for order_id, sha in wanted.items():
            row = known.get(order_id)
            if row is None:
                result[order_id] = OrderClass.NEW
            elif row[1] == "in_flight":
                result[order_id] = OrderClass.IN_FLIGHT
            elif row[1] == "failed":
                result[order_id] = OrderClass.FAILED
            elif row[0] == sha:
                result[order_id] = OrderClass.UNCHANGED
            else:
                result[order_id] = OrderClass.CHANGED
        return result

    def get(self, endpoint: str, client_id: str, order_id: str) -> LedgerEntry | None:
        with self._lock, self._guard():
            row = self._conn.execute(
                "SELECT * FROM orders WHERE environment_key = ? AND client_id = ? AND order_id = ?",
                (endpoint, client_id, order_id),
            ).fetchone()
        return LedgerEntry(*row) if row else None

    def history(self, order_id: str) -> list[LedgerEntry]:
        """Where this order was sent: one entry per environment and account, newest first."""
        with self._lock, self._guard():
            rows = self._conn.execute(
                "SELECT * FROM orders WHERE order_id = ? ORDER BY updated_at DESC",
                (order_id,),
            ).fetchall()
        return [LedgerEntry(*row) for row in rows]

    def counts(self, endpoint: str, client_id: str) -> dict[str, int]:
        """Number of orders per status for one environment and account."""
        with self._lock, self._guard():
            rows = self._conn.execute(
                "SELECT status, COUNT(*) FROM orders "
                "WHERE environment_key = ? AND client_id = ? GROUP BY status",
                (endpoint, client_id),
            ).fetchall()
        return {status: count for status, count in rows}

    # -- writing ------------------------------------------------------------------------------

    def mark_in_flight(
        self,
        endpoint: str,
        client_id: str,
        batch_id: str,
        items: Iterable[tuple[str, str]],
    ) -> None:
        """Record (before the POST) that these (order_id, payload_hash) are about to be sent."""
        now = _now()
        rows = [(endpoint, client_id, oid, sha, batch_id, now, now) for oid, sha in items]
        if not rows:
            return
        with self._transaction() as cur:
            cur.executemany(
                "INSERT INTO orders (environment_key, client_id, order_id, payload_sha256, "
                "status, message, batch_id, first_sent_at, updated_at) "
                "VALUES (?, ?, ?, ?, 'in_flight', NULL, ?, ?, ?) "
                "ON CONFLICT (environment_key, client_id, order_id) DO UPDATE SET "
                "payload_sha256 = excluded.payload_sha256, status = 'in_flight', "
                "message = NULL, batch_id = excluded.batch_id, updated_at = excluded.updated_at",
                rows,
            )

    def settle(
        self,
        endpoint: str,
        client_id: str,
        accepted: Iterable[tuple[str, str]] = (),
        failed: Iterable[tuple[str, str, str]] = (),
    ) -> None:
        """Record (after the answer) which orders Northbeam accepted and which it rejected."""
        now = _now()
        accepted_rows = [(endpoint, client_id, oid, sha, now, now) for oid, sha in accepted]
        failed_rows = [(endpoint, client_id, oid, sha, msg, now, now) for oid, sha, msg in failed]
        if not accepted_rows and not failed_rows:
            return
        with self._transaction() as cur:
            cur.executemany(
                "INSERT INTO orders (environment_key, client_id, order_id, payload_sha256, "
                "status, message, batch_id, first_sent_at, updated_at) "
                "VALUES (?, ?, ?, ?, 'accepted', NULL, NULL, ?, ?) "
                "ON CONFLICT (environment_key, client_id, order_id) DO UPDATE SET "
                "payload_sha256 = excluded.payload_sha256, status = 'accepted', "
                "message = NULL, updated_at = excluded.updated_at",
                accepted_rows,
            )
            cur.executemany(
                "INSERT INTO orders (environment_key, client_id, order_id, payload_sha256, "
                "status, message, batch_id, first_sent_at, updated_at) "
                "VALUES (?, ?, ?, ?, 'failed', ?, NULL, ?, ?) "
                "ON CONFLICT (environment_key, client_id, order_id) DO UPDATE SET "
                "payload_sha256 = excluded.payload_sha256, status = 'failed', "
                "message = excluded.message, updated_at = excluded.updated_at",
                failed_rows,
            )

    def forget(self, endpoint: str, client_id: str, order_ids: Iterable[str] | None = None) -> int:
        """Drop rows (all for the account when `order_ids` is None); returns how many."""
        with self._transaction() as cur:
            if order_ids is None:
                cur.execute(
                    "DELETE FROM orders WHERE environment_key = ? AND client_id = ?",
                    (endpoint, client_id),
                )
                return cur.rowcount
            removed = 0
            for chunk in _chunks(list(order_ids)):
                marks = ",".join("?" * len(chunk))
                cur.execute(
                    "DELETE FROM orders WHERE environment_key = ? AND client_id = ? "
                    f"AND order_id IN ({marks})",
                    (endpoint, client_id, *chunk),
                )
                removed += cur.rowcount
            return removed
