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
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from northbeam_desktop.core.local.appdirs import app_dirs
from northbeam_desktop.core.local.locks import (
    FileLock,
    LockHolder,
    private_file,
    private_folder,
    tighten,
)

log = logging.getLogger(__name__)

LEDGER_FILENAME = "upload-ledger.sqlite3"
LOCK_SUFFIX = ".lock"
SCHEMA_VERSION = 1
COLUMNS = (
    "environment_key",
    "client_id",
    "order_id",
    "payload_sha256",
    "status",
    "message",
    "batch_id",
    "first_sent_at",
    "updated_at",
)
# SQLite's result codes for a file that is not a database or whose pages are damaged.
_DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
_SIDE_FILES = ("-wal", "-shm")
_CHUNK = 500  # ids per IN (...) query; well under SQLite's variable limit

_SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    environment_key TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    order_id        TEXT NOT NULL,
    payload_sha256  TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('in_flight', 'accepted', 'failed')),
    message         TEXT,
    batch_id        TEXT,
    first_sent_at   TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (environment_key, client_id, order_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS orders_by_order_id ON orders (order_id);
"""


class LedgerError(Exception):
    """The upload record cannot be used; `str(err)` is one sentence for the user."""


class LedgerDamaged(LedgerError):
    """The ledger file was unusable and has been moved aside (`moved_to`, None if it could not
    be moved). `problem` says what was wrong and where it went, as the start of a sentence."""

    def __init__(self, problem: str, moved_to: Path | None) -> None:
        self.problem = problem
        self.moved_to = moved_to
        super().__init__(
            f"{problem}; upload again to start a new record, which sends every order again "
            "(Northbeam updates the orders it already has, so none is doubled)."
            if moved_to is not None
            else f"{problem}; close other Northbeam Desktop windows and upload again."
        )


class LedgerBusy(LedgerError):
    """Another upload holds the ledger's lock; `holder` says who, when known."""

    def __init__(self, holder: LockHolder | None) -> None:
        self.holder = holder
        who = f" ({holder.describe()})" if holder is not None else ""
        super().__init__(
            f"Another upload is using the upload record on this computer{who}, so nothing was "
            "sent; wait until it has finished, then upload again."
        )


class LedgerUnavailable(LedgerError):
    """The ledger could not be opened for a reason that moving it would not fix."""


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


def _is_damage(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", None) in _DAMAGE_CODES


def _create(path: Path) -> None:
    """Build an empty ledger under a temporary name and put it in place whole.

    Only a complete ledger ever carries the real name, so a file there that is empty or has
    no `orders` table was damaged, not interrupted while being made. If another process put a
    ledger there first, that one is kept.
    """
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.new")
    private_file(temp)
    try:
        conn = sqlite3.connect(temp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            conn.execute("COMMIT")
        finally:
            conn.close()  # checkpoints the WAL into the file and removes it
        try:
            os.link(temp, path)  # fails if a ledger appeared meanwhile: keep that one
        except FileExistsError:
            pass
        except OSError:  # no hard links here (FAT, some network drives)
            if not path.exists():
                os.replace(temp, path)
    finally:
        for name in (temp, *(Path(f"{temp}{side}") for side in _SIDE_FILES)):
            with contextlib.suppress(OSError):
                name.unlink(missing_ok=True)


def _layout_problem(conn: sqlite3.Connection) -> str | None:
    """Why the database is not a ledger this version can use, or None. Raises LedgerUnavailable
    for a ledger from a newer version (moving it aside would lose that version's record)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    columns = tuple(row[1] for row in conn.execute("PRAGMA table_info(orders)"))
    if version > SCHEMA_VERSION and columns:
        raise LedgerUnavailable(
            "The upload record on this computer was written by a newer version of Northbeam "
            "Desktop, so nothing was sent; install that version again to upload."
        )
    if version != SCHEMA_VERSION or columns != COLUMNS:
        return "it holds something other than an upload record"
    return None


def move_aside(path: Path) -> Path | None:
    """Rename a damaged ledger (and its `-wal`/`-shm`) to `upload-ledger.damaged-<time>…`,
    kept for a closer look; None when it could not be moved (open in another program)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.stem}.damaged-{stamp}-{counter}{path.suffix}")
    try:
        os.replace(path, target)
    except FileNotFoundError:
        return target if target.exists() else None
    except OSError as exc:
        log.error("could not move the damaged ledger %s aside: %s", path, exc)
        return None
    for side in _SIDE_FILES:
        with contextlib.suppress(OSError):
            if Path(f"{path}{side}").exists():
                os.replace(f"{path}{side}", f"{target}{side}")
    log.warning("damaged ledger %s moved aside to %s", path, target.name)
    return target


def _damaged(path: Path, reason: str) -> LedgerDamaged:
    moved = move_aside(path)
    where = f"moved aside to “{moved.name}”" if moved is not None else "could not be moved aside"
    return LedgerDamaged(
        f"The upload record on this computer was damaged ({reason}), so it was {where} and "
        "nothing was sent",
        moved,
    )


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
                _create(self.path)
            elif self.path.stat().st_size == 0:
                raise _damaged(self.path, "the file was empty")
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
            problem = _layout_problem(conn)
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
            if _is_damage(exc):
                raise _damaged(self.path, "the file is not an upload record") from None
            raise self._unavailable(exc) from None
        if problem is not None:
            conn.close()
            raise _damaged(self.path, problem)
        for side in _SIDE_FILES:
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
            if not _is_damage(exc):
                raise
            log.error("the ledger %s is damaged: %s", self.path, exc)
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            raise _damaged(self.path, "parts of the file are unreadable") from None

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
