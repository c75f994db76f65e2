"""The headless commands as a user (or a script) runs them: real processes, real files, a real
HTTP stand-in on 127.0.0.1, a real sqlite ledger. Exit codes and JSON shapes are contracts."""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from devtools.standin import StandinServer
from northbeam_desktop.cli.main import main as cli_main
from tests.core import orderfiles

HEADER = orderfiles.TEMPLATE_HEADER


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "northbeam_desktop", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def many_orders(folder: Path, count: int) -> Path:
    rows = []
    for n in range(count):
        oid = str(50000 + n)
        rows.append(
            [
                oid,
                f"C-{n}",
                "2026-03-08T09:23:45Z",
                f"c{n}@example.com",
                "USD",
                "60.00",
                "5.00",
                "5.00",
                "",
                "",
                "",
                "FALSE",
                f"SKU-{n % 7}",
                "Mug",
                "2",
                "25.00",
                "02134",
                "USA",
            ]
        )
    return orderfiles.write_csv(folder / f"orders_{count}.csv", HEADER, rows)


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["NORTHBEAM_DESKTOP_HOME"] = str(tmp_path / "home")
    env["NORTHBEAM_API_KEY"] = "None"
    env["NORTHBEAM_CLIENT_ID"] = "test"
    env.pop("QT_QPA_PLATFORM", None)
    return env


# ---- validate ----------------------------------------------------------------------------


def test_validate_clean_file_exits_0_with_json_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = orderfiles.template_clean(tmp_path)
    code = cli_main(["validate", str(path), "--format", "json", "--timezone", "UTC"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    contract = ("file", "sheet", "rows", "orders", "valid_orders", "issues")
    assert {key: report[key] for key in contract} == {
        "file": str(path),
        "sheet": None,
        "rows": 3,
        "orders": 2,
        "valid_orders": 2,
        "issues": [],
    }


def test_validate_as_a_process_skips_freeing_its_objects_at_exit(tmp_path: Path) -> None:
    # The command's own process hands what the check built to the OS instead of collecting it
    # at exit; the report is still whole and the exit code the same. Called in-process (a test,
    # a script), nothing is frozen: the caller goes on and needs its memory back.
    path = many_orders(tmp_path, 300)
    probe = (
        "import gc, json, sys\n"
        "from northbeam_desktop.__main__ import main\n"
        "sys.argv = ['northbeam-desktop', 'validate', sys.argv[1], '--format', 'json',"
        " '--timezone', 'UTC']\n"
        "code = main()\n"
        "sys.stdout.flush()\n"
        "print(json.dumps({'code': code, 'frozen': gc.get_freeze_count()}), file=sys.stderr)\n"
    )
    child = subprocess.run(
        [sys.executable, "-c", probe, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    facts = json.loads(child.stderr.strip().splitlines()[-1])
    assert facts["code"] == 0 and facts["frozen"] > 0
    report = json.loads(child.stdout)
    assert report["orders"] == 300 and report["valid_orders"] == 300

    from northbeam_desktop.__main__ import main as entry

    before = gc.get_freeze_count()
    assert entry(["validate", str(path), "--format", "json", "--timezone", "UTC"]) == 0
    assert gc.get_freeze_count() == before
    assert run("validate", str(path), "--timezone", "UTC").returncode == 0


def test_validate_defects_exit_1_and_issue_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = orderfiles.template_defects(tmp_path)
    code = cli_main(["validate", str(path), "--format", "json", "--timezone", "UTC"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["orders"] == 6 and report["valid_orders"] == 0
    keys = {"row", "column", "field", "order_id", "severity", "code", "message"}
    assert all(set(issue) == keys for issue in report["issues"])
    tax = [i for i in report["issues"] if i["column"] == "tax"]
    assert tax == [
        {
            "row": 4,
            "column": "tax",
            "field": "tax",
            "order_id": "1002",
            "severity": "error",
            "code": "required",
            "message": tax[0]["message"],
        }
    ]


def test_validate_text_report_groups_by_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli_main(["validate", str(orderfiles.template_defects(tmp_path)), "--timezone", "UTC"])
    out = capsys.readouterr().out
    assert code == 1
    assert "6 orders: 0 ready to upload, 6 with errors" in out
    assert "  Tax is empty — column “tax” — 1 order" in out
    assert "row 4, order 1002: Tax is empty." in out


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.csv", b"", "empty"),
        ("header_only.csv", b"order_id,customer_id\r\n", "no orders"),
        ("renamed.xlsx", b"%PDF-1.4 not a workbook \x00\x01\x02" * 50, ""),
        ("random.xlsx", bytes(range(256)) * 40, ""),
        ("truncated.xlsx", None, ""),
    ],
)
def test_validate_unreadable_files_exit_2_with_one_line(
    tmp_path: Path, name: str, content: bytes | None, words: str
) -> None:
    path = tmp_path / name
    if content is None:
        good = orderfiles.xlsx_with_dates_and_title(tmp_path)
        data = good.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    else:
        path.write_bytes(content)
    result = run("validate", str(path))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert words in lines[0].lower()


def test_validate_bad_arguments_exit_2(tmp_path: Path) -> None:
    path = orderfiles.template_clean(tmp_path)
    for args in (
        ["validate"],
        ["validate", str(path), "--format", "xml"],
        ["validate", str(path), "--timezone", "Mars/Olympus"],
        ["validate", str(path), "--mapping", str(tmp_path / "missing.json")],
        ["validate", str(tmp_path / "nope.csv")],
    ):
        result = run(*args)
        assert result.returncode == 2, args
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr


def test_validate_with_mapping_preset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = orderfiles.european_csv(tmp_path)
    preset = tmp_path / "map.json"
    preset.write_text(json.dumps({"version": 1, "fields": {"order_id": "Beleg-Nr."}}))
    code = cli_main(
        [
            "validate",
            str(path),
            "--mapping",
            str(preset),
            "--format",
            "json",
            "--timezone",
            "Europe/Berlin",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report["issues"]
    assert report["valid_orders"] == 2


# ---- upload ------------------------------------------------------------------------------


def _posted_orders(server: StandinServer) -> int:
    return sum(r.order_count for r in server.requests_log if r.method == "POST")


def _posted_orders_once_quiet(server: StandinServer, quiet_seconds: float) -> int:
    """Orders posted so far, read once no new request has been logged for `quiet_seconds`."""
    count = _posted_orders(server)
    quiet_since = time.monotonic()
    deadline = quiet_since + 30
    while time.monotonic() - quiet_since < quiet_seconds and time.monotonic() < deadline:
        time.sleep(0.05)
        now = _posted_orders(server)
        if now != count:
            count, quiet_since = now, time.monotonic()
    return count


def test_upload_json_contract_and_ledger_skips_unchanged(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    path = orderfiles.template_clean(tmp_path)
    with StandinServer() as server:
        args = (
            "upload",
            str(path),
            "--base-url",
            server.base_url,
            "--format",
            "json",
            "--timezone",
            "UTC",
        )
        first = run(*args, env=cli_env)
        assert first.returncode == 0, first.stderr
        report = json.loads(first.stdout)
        assert report["endpoint"] == server.base_url
        assert (report["sent"], report["accepted"], report["failed"], report["skipped"]) == (
            2,
            2,
            0,
            0,
        )
        assert {o["order_id"]: o["status"] for o in report["orders"]} == {
            "1001": "accepted",
            "1002": "accepted",
        }
        assert report["orders"][0]["rows"] == [2, 3]
        assert set(server.stored_orders()) == {"1001", "1002"}
        second = run(*args, env=cli_env)
        assert second.returncode == 0
        assert {o["status"] for o in json.loads(second.stdout)["orders"]} == {"unchanged"}
        assert _posted_orders(server) == 2  # nothing resent


def test_upload_refuses_files_with_errors_unless_skip_invalid(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    rows = [list(r) for r in orderfiles.TEMPLATE_CLEAN]
    rows[2][6] = ""  # order 1002 without tax
    path = orderfiles.write_csv(tmp_path / "one_bad.csv", HEADER, rows)
    with StandinServer() as server:
        refused = run(
            "upload", str(path), "--base-url", server.base_url, "--timezone", "UTC", env=cli_env
        )
        assert refused.returncode == 1
        assert "Nothing was sent" in refused.stderr
        assert server.requests_log == []
        partial = run(
            "upload",
            str(path),
            "--base-url",
            server.base_url,
            "--timezone",
            "UTC",
            "--skip-invalid",
            "--format",
            "json",
            env=cli_env,
        )
        assert partial.returncode == 1
        report = json.loads(partial.stdout)
        assert report["accepted"] == 1 and report["skipped"] == 1
        skipped = [o for o in report["orders"] if o["status"] == "skipped"]
        assert skipped[0]["order_id"] == "1002" and "Tax" in skipped[0]["message"]
        assert set(server.stored_orders()) == {"1001"}


def test_upload_dry_run_sends_nothing(tmp_path: Path, cli_env: dict[str, str]) -> None:
    path = orderfiles.template_clean(tmp_path)
    with StandinServer() as server:
        result = run(
            "upload",
            str(path),
            "--base-url",
            server.base_url,
            "--dry-run",
            "--format",
            "json",
            "--timezone",
            "UTC",
            env=cli_env,
        )
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["would_send"] == 2 and report["classes"]["new"] == 2 and report["bytes"] > 100
        assert server.requests_log == []


def test_upload_wrong_key_and_unreachable_host_exit_2(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    path = orderfiles.template_clean(tmp_path)
    with StandinServer(api_key="right-key") as server:
        env = dict(cli_env, NORTHBEAM_API_KEY="wrong-key-123456")
        result = run(
            "upload", str(path), "--base-url", server.base_url, "--timezone", "UTC", env=env
        )
        assert result.returncode == 2
        assert "did not accept the API key" in result.stderr
        assert "wrong-key-123456" not in result.stderr + result.stdout
        dead_url = server.base_url
    result = run(
        "upload", str(path), "--base-url", dead_url, "--timezone", "UTC", env=cli_env, timeout=180
    )
    assert result.returncode == 2
    assert "Could not reach" in result.stderr


def test_upload_to_production_needs_yes(tmp_path: Path, cli_env: dict[str, str]) -> None:
    result = run(
        "upload",
        str(orderfiles.template_clean(tmp_path)),
        "--env",
        "production",
        "--timezone",
        "UTC",
        env=cli_env,
    )
    assert result.returncode == 2
    assert "without --yes" in result.stderr


def test_kill_9_mid_upload_then_rerun_sends_the_rest(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    """Kill the uploading process at a random moment; the next run finishes truthfully."""
    total = 4000
    path = many_orders(tmp_path, total)
    with StandinServer(latency_seconds=0.25) as server:
        args = [
            sys.executable,
            "-m",
            "northbeam_desktop",
            "upload",
            str(path),
            "--base-url",
            server.base_url,
            "--timezone",
            "UTC",
            "--batch-size",
            "100",
            "--format",
            "json",
        ]
        process = subprocess.Popen(
            args,
            env=cli_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while len(server.stored_orders()) < 300 and time.monotonic() < deadline:
            time.sleep(0.01)
        process.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up runs
        process.wait(timeout=10)
        stored_at_kill = len(server.stored_orders())
        assert 300 <= stored_at_kill < total, "the kill must land mid-run"
        ledger_path = Path(cli_env["NORTHBEAM_DESKTOP_HOME"])
        ledger_files = list(ledger_path.rglob("*.sqlite*")) + list(ledger_path.rglob("*.db"))
        assert ledger_files, "the ledger must exist after the first run"
        # A request that reached the server just before the kill is still being answered
        # (the stand-in's latency); count it once the server has gone quiet.
        posted_before = _posted_orders_once_quiet(server, quiet_seconds=1.0)

        server.latency_seconds = 0.0
        rerun = run(*args[3:], env=cli_env, timeout=300)
        assert rerun.returncode == 0, rerun.stderr
        report = json.loads(rerun.stdout)
        assert len(server.stored_orders()) == total
        statuses = {o["status"] for o in report["orders"]}
        assert statuses <= {"accepted", "unchanged"}
        accepted_now = sum(1 for o in report["orders"] if o["status"] == "accepted")
        unchanged_now = sum(1 for o in report["orders"] if o["status"] == "unchanged")
        assert accepted_now + unchanged_now == total
        # Orders the ledger knew as accepted were not resent; only the rest (incl. any that
        # were in flight at the kill) went out again.
        assert unchanged_now > 0
        assert _posted_orders(server) - posted_before == accepted_now

        # Ledger consistent: every order accepted exactly once more, nothing left in flight.
        db = next(p for p in ledger_files if p.suffix in (".sqlite", ".db", ".sqlite3"))
        with sqlite3.connect(db) as conn:
            tables = [
                r[0] for r in conn.execute("select name from sqlite_master where type='table'")
            ]
            counts: dict[str, Any] = {}
            for table in tables:
                columns = [r[1] for r in conn.execute(f"pragma table_info({table})")]
                if "status" in columns and "order_id" in columns:
                    counts = dict(
                        conn.execute(f"select status, count(*) from {table} group by status")
                    )
        assert counts == {"accepted": total}

        third = run(*args[3:], env=cli_env)
        assert third.returncode == 0
        assert _posted_orders(server) - posted_before == accepted_now  # nothing sent again


def test_self_check_reads_the_bundled_sample() -> None:
    # PYTHONIOENCODING=ascii plays a Windows console redirected to a file: characters it
    # cannot write must not turn into a traceback.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="ascii")
    result = run("--self-check", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok    sample file: sample_orders.csv: 3 rows, 2 orders, 2 valid" in result.stdout
    assert "ok    keyring:" in result.stdout
    assert result.stdout.splitlines()[-1] == "Self-check passed: all 8 checks."
    assert result.stderr == ""


def test_upload_verify_reads_the_orders_back(tmp_path: Path, cli_env: dict[str, str]) -> None:
    path = orderfiles.template_clean(tmp_path)
    with StandinServer() as server:
        result = run(
            "upload",
            str(path),
            "--base-url",
            server.base_url,
            "--timezone",
            "UTC",
            "--verify",
            env=cli_env,
        )
        assert result.returncode == 0, result.stderr
        assert "Verify: all 2 accepted orders are in Northbeam as sent." in result.stderr


def test_template_layout_as_xlsx_is_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in orderfiles.TEMPLATE_CLEAN:
        sheet.append(row)
    path = tmp_path / "template.xlsx"
    workbook.save(path)
    code = cli_main(["validate", str(path), "--format", "json", "--timezone", "UTC"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report["issues"]
    assert (report["sheet"], report["orders"], report["valid_orders"]) == ("Sheet", 2, 2)


def test_upload_holds_back_cancelled_orders_unless_included(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    """A cancelled order is neither an error nor sent: the others go up, exit 0."""
    import csv

    from tests.core import realshapes

    source = realshapes.shopify_real_shape(tmp_path)
    with source.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    keep = [row for row in rows if row[0] not in ("#1006",)]  # #1006 has a genuine error
    path = orderfiles.write_csv(tmp_path / "cancelled.csv", header, keep)
    with StandinServer() as server:
        args = ("upload", str(path), "--base-url", server.base_url, "--timezone", "UTC")
        first = run(*args, env=cli_env)
        assert first.returncode == 0, first.stderr
        assert "1 order was cancelled in your shop and will not be sent" in first.stderr
        assert "6100000000003" not in server.stored_orders()  # #1003, cancelled
        assert len(server.stored_orders()) == 5
        second = run(*args, "--include-cancelled", env=cli_env)
        assert second.returncode == 0, second.stderr
        assert "6100000000003" in server.stored_orders()
