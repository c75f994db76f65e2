"""The `upload` command in-process: how it is wired (no import cycle, one check of the file) and
what a user sees when the server or the upload record misbehaves. The real-process contracts
(exit codes, JSON, kill -9) are in test_cli.py."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devtools.standin import StandinServer
from northbeam_desktop.cli import common
from northbeam_desktop.cli.main import main as cli_main
from northbeam_desktop.core.local.settings import Preferences, save_preferences
from northbeam_desktop.core.orders.document import OrderDocument
from tests.core import orderfiles
from tests.odd_answers import ODD_WORDS

CLI_PACKAGE = Path(common.__file__).resolve().parent


@pytest.fixture
def sandbox_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stand-in's default credentials, as a script would pass them."""
    monkeypatch.setenv("NORTHBEAM_API_KEY", "None")
    monkeypatch.setenv("NORTHBEAM_CLIENT_ID", "test")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_commands_never_import_the_parser() -> None:
    """`main` imports the commands; a command importing `main` back would be a cycle."""
    for path in CLI_PACKAGE.glob("*.py"):
        if path.name in ("main.py", "__init__.py"):
            continue
        assert "northbeam_desktop.cli.main" not in _imported_modules(path), path.name
    assert "northbeam_desktop.cli" not in {
        m for m in _imported_modules(CLI_PACKAGE / "common.py") if m.startswith("northbeam")
    }


def test_upload_with_hashing_checks_the_file_once(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sandbox_key: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    save_preferences(Preferences(hash_pii=True, phone_country="DE", timezone="UTC"))
    checks: list[tuple[bool, str]] = []
    original = OrderDocument.rebuild

    def counting_rebuild(doc: OrderDocument) -> None:
        checks.append((doc.options.hash_identifiers, doc.options.phone_region))
        original(doc)

    monkeypatch.setattr(OrderDocument, "rebuild", counting_rebuild)
    path = orderfiles.template_clean(tmp_path)
    with StandinServer() as server:
        code = cli_main(["upload", str(path), "--base-url", server.base_url, "--format", "json"])
        stored = server.stored_orders()
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["accepted"] == 2
    assert checks == [(True, "DE")]  # one check, already with hashing and the phone country
    assert all("hashed_customer_email" in order for order in stored.values())
    assert not any("customer_email" in order for order in stored.values())


# ---- a server that says "200" without Northbeam's confirmation ----------------------------------


def _ledger_counts(base_url: str) -> dict[str, int]:
    from northbeam_desktop.core.northbeam.ledger import Ledger

    with Ledger() as ledger:
        return ledger.counts(base_url, "test")


@pytest.mark.parametrize("kind", sorted(ODD_WORDS))
def test_odd_answer_exits_2_with_one_sentence_and_nothing_counted(
    tmp_path: Path, sandbox_key: None, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = orderfiles.template_clean(tmp_path)
    args = ["upload", str(path), "--timezone", "UTC", "--retries", "0", "--format", "json"]
    with StandinServer() as server:
        server.odd_answer_always = kind
        code = cli_main([*args, "--base-url", server.base_url])
        captured = capsys.readouterr()
        host = server.base_url.split("/")[2]
        assert code == 2
        assert captured.out == ""
        assert captured.err.strip().splitlines()[-1] == (
            f"{host} answered {ODD_WORDS[kind]}; gave up after 1 attempt, so the orders not yet "
            "confirmed stay unsent — upload again later to send them."
        )
        assert _ledger_counts(server.base_url) == {"in_flight": 2}

        server.odd_answer_always = None  # resumed with the next run
        assert cli_main([*args, "--base-url", server.base_url]) == 0
        report = json.loads(capsys.readouterr().out)
        assert {o["status"] for o in report["orders"]} == {"accepted"}
        assert _ledger_counts(server.base_url) == {"accepted": 2}


def test_captive_portal_in_a_real_process(tmp_path: Path) -> None:
    env = dict(os.environ, NORTHBEAM_DESKTOP_HOME=str(tmp_path / "home"))
    env.update(NORTHBEAM_API_KEY="None", NORTHBEAM_CLIENT_ID="test")
    path = orderfiles.template_clean(tmp_path)
    with StandinServer() as server:
        server.odd_answer_always = "html"
        result = subprocess.run(
            [
                *(sys.executable, "-m", "northbeam_desktop", "upload", str(path)),
                *("--base-url", server.base_url, "--timezone", "UTC", "--retries", "1"),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stdout == ""
    last = result.stderr.strip().splitlines()[-1]
    assert "answered with a web page instead of Northbeam's confirmation" in last
    assert last.endswith(
        "gave up after 2 attempts, so the orders not yet confirmed stay unsent — upload again later to send them."
    )


# ---- the upload record ----------------------------------------------------------------------------


def test_damaged_record_exits_2_with_one_sentence_then_starts_anew(
    tmp_path: Path, app_home: Path, sandbox_key: None, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger_path = app_home / "data" / "upload-ledger.sqlite3"
    ledger_path.parent.mkdir(parents=True, exist_ok=True)
    ledger_path.write_bytes(b"")  # a 0-byte record: it must not mean "nothing was ever sent"
    path = orderfiles.template_clean(tmp_path)
    with StandinServer() as server:
        args = ["upload", str(path), "--base-url", server.base_url, "--timezone", "UTC"]
        assert cli_main(args) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "Traceback" not in err[0]
        moved = next((app_home / "data").glob("upload-ledger.damaged-*.sqlite3"))
        assert err[0] == (
            "The upload record on this computer was damaged (the file was empty), so it was "
            f"moved aside to “{moved.name}” and nothing was sent; upload again to start a new "
            "record, which sends every order again (Northbeam updates the orders it already "
            "has, so none is doubled)."
        )
        assert server.requests_log == []

        assert cli_main(args) == 0  # the user's decision: run again, with a new record
        assert set(server.stored_orders()) == {"1001", "1002"}
        assert _ledger_counts(server.base_url) == {"accepted": 2}


def test_two_uploads_at_once_the_second_is_refused_and_told_who(
    tmp_path: Path, app_home: Path, sandbox_key: None, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = []
    base = orderfiles.TEMPLATE_CLEAN[2]
    for n in range(600):
        row = list(base)
        row[0], row[1] = str(7000 + n), f"C-{n}"
        rows.append(row)
    path = orderfiles.write_csv(tmp_path / "600.csv", orderfiles.TEMPLATE_HEADER, rows)
    env = dict(os.environ, NORTHBEAM_DESKTOP_HOME=str(app_home))
    with StandinServer(latency_seconds=0.2) as server:
        args = ["upload", str(path), "--base-url", server.base_url, "--timezone", "UTC"]
        first = subprocess.Popen(
            [sys.executable, "-m", "northbeam_desktop", *args, "--batch-size", "50"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while not server.requests_log and time.monotonic() < deadline:
                time.sleep(0.02)
            assert server.requests_log, "the first upload must be sending"
            assert cli_main(args) == 2
            err = capsys.readouterr().err.strip().splitlines()
            assert len(err) == 1
            assert err[0].startswith(
                "Another upload is using the upload record on this computer (the "
                f"northbeam-desktop command, process {first.pid}, since "
            )
            assert err[0].endswith(
                "), so nothing was sent; wait until it has finished, then upload again."
            )
            _out, first_err = first.communicate(timeout=120)
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
        assert first.returncode == 0, first_err
        posted = sum(r.order_count for r in server.requests_log)
        assert posted == 600  # every order once: the second run sent nothing
        assert cli_main(args) == 0  # afterwards: nothing left to send
        assert sum(r.order_count for r in server.requests_log) == 600
