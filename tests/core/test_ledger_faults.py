"""A ledger that cannot be fooled: damaged files are moved aside with one sentence (never a
traceback, never a silent resend of everything), one upload holds it at a time, and it and the
recovery journals are private to the user."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from northbeam_desktop.core.local.appdirs import app_dirs
from northbeam_desktop.core.local.recovery import RecoveryJournal
from northbeam_desktop.core.northbeam.ledger import (
    COLUMNS,
    LEDGER_FILENAME,
    Ledger,
    LedgerBusy,
    LedgerDamaged,
    LedgerUnavailable,
    OrderClass,
)

EP = "https://api.northbeam.io/v2"
ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(os.name == "nt", reason="Windows has no POSIX modes")


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The usual default (new files 0644, folders 0755), restored afterwards."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _a_ledger_with(path: Path, count: int) -> None:
    with Ledger(path) as ledger:
        ledger.settle(EP, "c1", accepted=[(f"order-{i:06d}", "a" * 64) for i in range(count)])


# ---- damaged files ------------------------------------------------------------------------------


def _empty(path: Path) -> str:
    path.write_bytes(b"")
    return "the file was empty"


def _not_sqlite(path: Path) -> str:
    path.write_bytes(b"this is not a database\n" * 200)
    return "the file is not an upload record"


def _truncated_header(path: Path) -> str:
    _a_ledger_with(path, 10)
    path.write_bytes(path.read_bytes()[:40])  # cut inside SQLite's 100-byte header
    return "the file is not an upload record"


def _other_database(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (name TEXT)")
    return "it holds something other than an upload record"


def _empty_database(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")  # a database header, no tables
    return "it holds something other than an upload record"


def _missing_columns(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE orders (order_id TEXT, status TEXT)")
        conn.execute("PRAGMA user_version=1")
    return "it holds something other than an upload record"


def _unversioned(path: Path) -> str:
    _a_ledger_with(path, 3)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version=0")
    return "it holds something other than an upload record"


DAMAGE: dict[str, Callable[[Path], str]] = {
    "empty file": _empty,
    "not SQLite": _not_sqlite,
    "cut-off header": _truncated_header,
    "another database": _other_database,
    "no tables": _empty_database,
    "missing columns": _missing_columns,
    "unversioned": _unversioned,
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_ledger_is_moved_aside_with_one_sentence(tmp_path: Path, damage: str) -> None:
    path = tmp_path / LEDGER_FILENAME
    reason = DAMAGE[damage](path)
    before = path.read_bytes()

    with pytest.raises(LedgerDamaged) as info:
        Ledger(path)
    error = info.value
    moved = error.moved_to
    assert moved is not None and moved.parent == tmp_path
    assert moved.name.startswith("upload-ledger.damaged-") and moved.suffix == ".sqlite3"
    assert moved.read_bytes() == before  # kept as it was, for a closer look
    assert not path.exists()
    assert error.problem == (
        f"The upload record on this computer was damaged ({reason}), so it was moved aside to "
        f"“{moved.name}” and nothing was sent"
    )
    assert str(error) == (
        f"{error.problem}; upload again to start a new record, which sends every order again "
        "(Northbeam updates the orders it already has, so none is doubled)."
    )
    assert str(error).count(". ") == 0 and "Traceback" not in str(error)

    # The user chose to go on: a new, empty record (every order counts as new once more).
    with Ledger(path) as fresh:
        assert fresh.classify(EP, "c1", [("order-000001", "a" * 64)]) == {
            "order-000001": OrderClass.NEW
        }


def test_damaged_pages_found_later_are_reported_the_same_way(tmp_path: Path) -> None:
    path = tmp_path / LEDGER_FILENAME
    _a_ledger_with(path, 20_000)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle : middle + 4096] = b"\xa5" * 4096  # one page of the table is garbage
    path.write_bytes(bytes(data))

    ledger = Ledger(path)  # the header and layout are fine: opening works
    ids = [(f"order-{i:06d}", "a" * 64) for i in range(20_000)]
    with pytest.raises(LedgerDamaged) as info:
        ledger.classify(EP, "c1", ids)
    assert "(parts of the file are unreadable)" in info.value.problem
    assert info.value.moved_to is not None and info.value.moved_to.exists()
    ledger.close()
    with Ledger(path) as fresh:
        assert fresh.counts(EP, "c1") == {}


def test_a_ledger_from_a_newer_version_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / LEDGER_FILENAME
    _a_ledger_with(path, 3)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version=2")
    with pytest.raises(LedgerUnavailable, match="written by a newer version"):
        Ledger(path)
    assert path.exists() and list(tmp_path.glob("*.damaged-*")) == []


def test_a_ledger_that_cannot_be_opened_says_so(tmp_path: Path) -> None:
    path = tmp_path / LEDGER_FILENAME
    path.mkdir()  # something that is not a file sits where the ledger belongs
    with pytest.raises(LedgerUnavailable) as info:
        Ledger(path)
    assert str(info.value) == (
        f"The upload record on this computer ({path}) could not be opened, so nothing was sent; "
        "check that the disk is not full and the folder can be written to."
    )
    assert path.is_dir()


def test_a_new_ledger_appears_whole(tmp_path: Path) -> None:
    path = tmp_path / LEDGER_FILENAME
    with Ledger(path):
        pass
    assert path.stat().st_size > 0
    with sqlite3.connect(path) as conn:
        columns = tuple(row[1] for row in conn.execute("PRAGMA table_info(orders)"))
        assert columns == COLUMNS
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(path.name)) == []


# ---- one upload at a time -----------------------------------------------------------------------


def test_a_second_upload_is_told_who_holds_the_ledger(tmp_path: Path) -> None:
    path = tmp_path / LEDGER_FILENAME
    with Ledger(path) as first, Ledger(path) as second:
        with first.upload_lock("Northbeam Desktop"):
            with pytest.raises(LedgerBusy) as info, second.upload_lock("the command line"):
                pass
            message = str(info.value)
            assert message.startswith(
                "Another upload is using the upload record on this computer (Northbeam "
                f"Desktop, process {os.getpid()}, since "
            )
            assert message.endswith(
                "), so nothing was sent; wait until it has finished, then upload again."
            )
            assert info.value.holder is not None and info.value.holder.pid == os.getpid()
        with second.upload_lock("the command line"):  # free again once the first is done
            pass


def test_the_lock_dies_with_its_process(tmp_path: Path) -> None:
    path = tmp_path / LEDGER_FILENAME
    script = textwrap.dedent(
        f"""
        import sys, time
        from northbeam_desktop.core.northbeam.ledger import Ledger
        ledger = Ledger({str(path)!r})
        with ledger.upload_lock("the northbeam-desktop command"):
            print("holding", flush=True)
            time.sleep(60)
        """
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with Ledger(path) as ledger:
            with pytest.raises(LedgerBusy) as info, ledger.upload_lock("Northbeam Desktop"):
                pass
            assert f"(the northbeam-desktop command, process {holder.pid}, since " in str(
                info.value
            )
            holder.kill()  # kill -9: no clean-up runs, the OS drops the lock
            holder.wait(timeout=10)
            with ledger.upload_lock("Northbeam Desktop"):
                pass
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


# ---- private to the user --------------------------------------------------------------------------


@posix_only
def test_ledger_journal_and_folders_are_private(
    app_home: Path, tmp_path: Path, usual_umask: None
) -> None:
    with Ledger() as ledger:
        ledger.mark_in_flight(EP, "c1", "b1", [("o1", "h")])
        with ledger.upload_lock("test"):
            data = app_dirs().data
            files = [p for p in data.iterdir() if p.name.startswith(LEDGER_FILENAME)]
            names = sorted(p.name for p in files)
            assert names == [
                LEDGER_FILENAME,
                f"{LEDGER_FILENAME}-shm",
                f"{LEDGER_FILENAME}-wal",
                f"{LEDGER_FILENAME}.lock",
                f"{LEDGER_FILENAME}.lock.owner",
            ]
            assert {p.name: _mode(p) for p in files} == dict.fromkeys(names, 0o600)
    for folder in app_dirs().all():
        assert _mode(folder) == 0o700, folder

    source = tmp_path / "orders.csv"
    source.write_text("order_id\n1\n", encoding="utf-8")
    journal = RecoveryJournal()
    journal.start(source, None)
    journal.record_set(2, "order_id", "1001")
    assert journal.path is not None
    assert _mode(journal.path) == 0o600
    assert _mode(journal.path.with_suffix(".lock")) == 0o600
    assert _mode(journal.folder) == 0o700
    journal.discard()


@posix_only
def test_files_and_folders_made_by_an_older_version_are_tightened(
    app_home: Path, usual_umask: None
) -> None:
    with Ledger() as ledger:
        path = ledger.path
    path.chmod(0o644)
    path.parent.chmod(0o755)
    (app_home / "logs").chmod(0o755)
    with Ledger():
        pass
    assert (_mode(path), _mode(path.parent), _mode(app_home / "logs")) == (0o600, 0o700, 0o700)
