"""The ledger's file: made whole, checked on opening, set aside when damaged, and the errors
that tell the user about it in one sentence (see `ledger` for how the record is used).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import uuid
from datetime import datetime
from pathlib import Path

from northbeam_desktop.core.local.locks import LockHolder, private_file

log = logging.getLogger(__name__)

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
DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
SIDE_FILES = ("-wal", "-shm")

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


def is_damage(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", None) in DAMAGE_CODES


def create(path: Path) -> None:
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
        for name in (temp, *(Path(f"{temp}{side}") for side in SIDE_FILES)):
            with contextlib.suppress(OSError):
                name.unlink(missing_ok=True)


def layout_problem(conn: sqlite3.Connection) -> str | None:
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
    for side in SIDE_FILES:
        with contextlib.suppress(OSError):
            if Path(f"{path}{side}").exists():
                os.replace(f"{path}{side}", f"{target}{side}")
    log.warning("damaged ledger %s moved aside to %s", path, target.name)
    return target


def damaged(path: Path, reason: str) -> LedgerDamaged:
    moved = move_aside(path)
    where = f"moved aside to “{moved.name}”" if moved is not None else "could not be moved aside"
    return LedgerDamaged(
        f"The upload record on this computer was damaged ({reason}), so it was {where} and "
        "nothing was sent",
        moved,
    )
