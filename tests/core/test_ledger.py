"""The upload ledger: classification, crash safety, and what it must never contain."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from northbeam_desktop.core.local.appdirs import app_dirs
from northbeam_desktop.core.northbeam.ledger import (
    LEDGER_FILENAME,
    Ledger,
    OrderClass,
    default_ledger_path,
    payload_hash,
)

EP = "https://api-uat.northbeam.io/v2"
OTHER_EP = "https://api.northbeam.io/v2"


def test_payload_hash_ignores_key_order_and_spacing() -> None:
    a = {"order_id": "A-1", "tax": 0, "products": [{"id": "p", "price": 1.5}]}
    b = {"products": [{"price": 1.5, "id": "p"}], "tax": 0, "order_id": "A-1"}
    assert payload_hash(a) == payload_hash(b)
    assert len(payload_hash(a)) == 64
    assert payload_hash(a) != payload_hash({**a, "tax": 1})
    assert payload_hash({"name": "Café"}) != payload_hash({"name": "Cafe"})


def test_classify_new_changed_unchanged_failed_in_flight(ledger: Ledger) -> None:
    h = {name: payload_hash({"order_id": name}) for name in "abcdef"}
    ledger.mark_in_flight(EP, "c1", "batch-1", [("a", h["a"]), ("b", h["b"]), ("c", h["c"])])
    ledger.mark_in_flight(EP, "c1", "batch-2", [("d", h["d"])])
    ledger.settle(EP, "c1", accepted=[("a", h["a"]), ("b", h["b"])], failed=[("c", h["c"], "bad")])
    # "d" was marked but never settled: the app died while it was on the wire.

    classes = ledger.classify(
        EP,
        "c1",
        [
            ("a", h["a"]),  # same payload as accepted
            ("b", payload_hash({"order_id": "b", "tax": 1})),  # edited since
            ("c", h["c"]),  # rejected last time
            ("d", h["d"]),  # in flight
            ("e", h["e"]),  # never sent
        ],
    )
    assert classes == {
        "a": OrderClass.UNCHANGED,
        "b": OrderClass.CHANGED,
        "c": OrderClass.FAILED,
        "d": OrderClass.IN_FLIGHT,
        "e": OrderClass.NEW,
    }
    # The same orders are new for another environment and for another account.
    assert set(ledger.classify(OTHER_EP, "c1", [("a", h["a"])]).values()) == {OrderClass.NEW}
    assert set(ledger.classify(EP, "c2", [("a", h["a"])]).values()) == {OrderClass.NEW}


def test_settle_records_messages_and_history(ledger: Ledger) -> None:
    h1, h2 = payload_hash({"v": 1}), payload_hash({"v": 2})
    ledger.mark_in_flight(EP, "c1", "b1", [("X-1", h1)])
    ledger.settle(EP, "c1", failed=[("X-1", h1, "products[0].price: Should be a number")])
    entry = ledger.get(EP, "c1", "X-1")
    assert entry is not None
    assert (entry.status, entry.message, entry.batch_id) == (
        "failed",
        "products[0].price: Should be a number",
        "b1",
    )
    first_sent = entry.first_sent_at

    ledger.mark_in_flight(EP, "c1", "b2", [("X-1", h2)])
    ledger.settle(EP, "c1", accepted=[("X-1", h2)])
    ledger.settle(OTHER_EP, "c1", accepted=[("X-1", h2)])
    entry = ledger.get(EP, "c1", "X-1")
    assert entry is not None
    assert (entry.status, entry.message, entry.payload_sha256) == ("accepted", None, h2)
    assert entry.first_sent_at == first_sent  # kept across resends
    assert {e.environment_key for e in ledger.history("X-1")} == {EP, OTHER_EP}
    assert ledger.counts(EP, "c1") == {"accepted": 1}
    assert ledger.history("nope") == []


def test_classify_handles_many_orders(ledger: Ledger) -> None:
    items = [(f"o{i}", payload_hash({"i": i})) for i in range(3000)]
    ledger.mark_in_flight(EP, "c1", "b", items)
    ledger.settle(EP, "c1", accepted=items[:2000])
    classes = ledger.classify(EP, "c1", items)
    assert sum(c is OrderClass.UNCHANGED for c in classes.values()) == 2000
    assert sum(c is OrderClass.IN_FLIGHT for c in classes.values()) == 1000


def test_wal_mode_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite3"
    with Ledger(path) as led:
        led.mark_in_flight(EP, "c1", "b", [("o", "h")])
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Ledger(path) as led:
        assert led.classify(EP, "c1", [("o", "h")]) == {"o": OrderClass.IN_FLIGHT}


def test_mark_in_flight_survives_a_hard_kill(tmp_path: Path) -> None:
    """The process dies right after mark_in_flight (as if killed while the POST was on the
    wire): the committed rows must be there, in flight, for the next run."""
    path = tmp_path / "killed.sqlite3"
    script = textwrap.dedent(
        f"""
        import os
        from northbeam_desktop.core.northbeam.ledger import Ledger
        led = Ledger({str(path)!r})
        led.mark_in_flight({EP!r}, "c1", "b1", [("A", "h-a"), ("B", "h-b")])
        led.settle({EP!r}, "c1", accepted=[("A", "h-a")])
        led.mark_in_flight({EP!r}, "c1", "b2", [("A", "h-a2")])
        os._exit(9)  # no close, no atexit, no flush: like kill -9
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=Path(__file__).parents[2], timeout=60
    )
    assert result.returncode == 9
    with Ledger(path) as led:
        assert led.classify(EP, "c1", [("A", "h-a"), ("B", "h-b")]) == {
            "A": OrderClass.IN_FLIGHT,
            "B": OrderClass.IN_FLIGHT,
        }


def test_default_location_follows_app_home(app_home: Path) -> None:
    assert default_ledger_path() == app_home / "data" / LEDGER_FILENAME
    with Ledger() as led:
        led.settle(EP, "c1", accepted=[("o", "h")])
    assert (app_home / "data" / LEDGER_FILENAME).exists()
    dirs = app_dirs()
    assert {dirs.data, dirs.config, dirs.log, dirs.cache} == {
        app_home / "data",
        app_home / "config",
        app_home / "logs",
        app_home / "cache",
    }
    assert all(p.is_dir() for p in dirs.all())


def test_app_dirs_without_override(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NORTHBEAM_DESKTOP_HOME")
    dirs = app_dirs(create=False)
    assert all("northbeam-desktop" in str(p) for p in dirs.all())
