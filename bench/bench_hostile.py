"""Hostile inputs, run as a user would: each bad file and each odd server from the robustness
report, given to the real `northbeam-desktop` command in a fresh process.

    .venv/bin/python bench/bench_hostile.py [--small] [--only NAME ...] [--keep]

For every case it prints one Markdown table row: exit code, the last line the command wrote to
stderr (the one sentence the user reads), wall time of the whole process, and its peak RSS
(`wait4`'s ru_maxrss, the child's own). Files are made by `tests/core/hostile_files.py` at the
report's full size (`--small` makes the small versions the test suite uses, for a quick look) in
a temporary folder that is deleted afterwards unless --keep is given. Server cases run the
stand-in (`devtools/standin.py`) in this process and `upload` against it with a 6,000-order file
made by `bench/generate.py`; each gets a fresh app folder (`NORTHBEAM_DESKTOP_HOME`), and the
ledger is read afterwards to show what was counted as sent.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from devtools.standin import StandinServer  # noqa: E402
from tests.core import hostile_files as hostile  # noqa: E402

UPLOAD_ORDERS = 6_000
JOURNAL = (
    "import stat, sys\n"
    "from pathlib import Path\n"
    "from northbeam_desktop.core.local.recovery import RecoveryJournal\n"
    "journal = RecoveryJournal()\n"
    "journal.start(Path(sys.argv[1]), None)\n"
    "journal.record_set(2, 'order_id', '1001')\n"
    "mode = lambda p: format(stat.S_IMODE(p.stat().st_mode), 'o')\n"
    "print(f'recovery journal {mode(journal.path)}, its folder {mode(journal.folder)}')\n"
    "journal.discard()\n"
)


@dataclass
class Outcome:
    code: int
    sentence: str
    seconds: float
    peak_mb: float


def command() -> list[str]:
    script = Path(sys.executable).parent / "northbeam-desktop"
    return [str(script)] if script.exists() else [sys.executable, "-m", "northbeam_desktop"]


# A child's ru_maxrss starts from its parent's high-water mark at exec (Linux keeps the larger),
# so this process, grown by making the files, would leak its own size into every figure. GNU
# time, a small C program, starts the command from its own small image and writes the peak.
TIME = Path("/usr/bin/time")


def start(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], float]:
    wrapper: list[str] = []
    if TIME.exists():
        fd, peak_file = tempfile.mkstemp(prefix="nb-peak-", suffix=".txt")
        os.close(fd)
        wrapper = [str(TIME), "-f", "%M", "-o", peak_file]
    child = subprocess.Popen(
        [*wrapper, *command(), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,
    )
    child.peak_file = wrapper[-1] if wrapper else None  # type: ignore[attr-defined]
    return child, time.perf_counter()


def finish(child: subprocess.Popen[str], started: float, timeout: float) -> Outcome:
    """Waits for `child` (killing it after `timeout` s) and returns what the user saw."""
    return finish_all([(child, started)], timeout)[0]


def finish_all(
    children: list[tuple[subprocess.Popen[str], float]], timeout: float
) -> list[Outcome]:
    """Waits for every child at once, so each one's time is its own."""
    ended: dict[int, tuple[int, os.struct_rusage, float]] = {}
    while len(ended) < len(children):
        for child, started in children:
            if child.pid in ended:
                continue
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if not pid and time.perf_counter() > started + timeout:
                os.killpg(child.pid, signal.SIGKILL)  # the wrapper and the command
                pid, status, usage = os.wait4(child.pid, 0)
            if pid:
                ended[child.pid] = (status, usage, time.perf_counter() - started)
        time.sleep(0.01)
    return [_outcome(child, *ended[child.pid], timeout) for child, _ in children]


def _outcome(
    child: subprocess.Popen[str],
    status: int,
    usage: os.struct_rusage,
    seconds: float,
    timeout: float,
) -> Outcome:
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read() if child.stderr else ""
    lines = [line for line in err.strip().splitlines() if line.strip()]
    sentence = lines[-1] if lines else "(nothing on stderr)"
    if any(line.startswith("Traceback") for line in lines):
        sentence = "TRACEBACK: " + sentence
    if seconds >= timeout:
        sentence = f"(still running after {timeout:.0f} s, killed) " + sentence
    peak_kb = usage.ru_maxrss  # without GNU time: an upper bound (see TIME)
    peak_file = getattr(child, "peak_file", None)
    if peak_file:
        text = Path(peak_file).read_text(encoding="utf-8").split()
        Path(peak_file).unlink()
        if text and text[-1].isdigit():
            peak_kb = int(text[-1])
    return Outcome(child.returncode, sentence, seconds, peak_kb / 1024)


def run(args: list[str], env: dict[str, str], timeout: float = 600) -> Outcome:
    child, started = start(args, env)
    return finish(child, started, timeout)


def row(case: str, size: str, outcome: Outcome, note: str = "") -> str:
    sentence = outcome.sentence.replace("|", "\\|")
    line = (
        f"| {case} | {size} | {outcome.code} | {sentence} | {outcome.seconds:.2f} s "
        f"| {outcome.peak_mb:,.0f} MB | {note} |"
    )
    print(line, flush=True)
    return line


def human(size: int) -> str:
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= scale:
            return f"{size / scale:,.1f} {unit}"
    return f"{size} bytes"


# ---- files ------------------------------------------------------------------------------------


def file_cases(small: bool) -> list[tuple[str, str, Callable[[Path], Path]]]:
    """(case as the report names it, file name, maker)."""

    def size(big: int, little: int) -> int:
        return little if small else big

    return [
        (
            "2 KB .xlsx, one cell at XFD1048576",
            "stray.xlsx",
            lambda p: hostile.far_cell_xlsx(p, "XFD1048576"),
        ),
        ("one cell at ZZ200000", "far.xlsx", lambda p: hostile.far_cell_xlsx(p, "ZZ200000")),
        (
            f".xlsx zip bomb ({size(4, 0)} GiB sheet XML)"
            if not small
            else ".xlsx zip bomb (80 MiB sheet XML)",
            "bomb.xlsx",
            lambda p: hostile.zip_bomb_xlsx(p, size(4 * 2**30, 80 * 2**20)),
        ),
        (
            f"{size(10_000_000, 5_000):,}-row .xlsx",
            "rows.xlsx",
            lambda p: hostile.many_rows_xlsx(p, size(10_000_000, 5_000)),
        ),
        (
            f"one shared string of {size(1_500_000_000, 300_000):,} characters",
            "long_string.xlsx",
            lambda p: hostile.long_shared_string_xlsx(p, size(1_500_000_000, 300_000)),
        ),
        (
            f"CSV with {size(1_000_000, 16_385):,} columns",
            "wide.csv",
            lambda p: hostile.wide_csv(p, size(1_000_000, 16_385)),
        ),
        (
            f"single-line CSV of {size(200, 5)} MB",
            "one_line.csv",
            lambda p: hostile.single_line_csv(p, size(200_000_000, 5_000_000)),
        ),
        ("FIFO named .csv", "orders.csv", hostile.fifo_csv),
        ("UTF-8 rows then Windows-1252 rows", "joined.csv", hostile.mixed_encoding_csv),
        ("NUL byte after the first 8 KiB (row 1500)", "nul.csv", hostile.nul_after_sample_csv),
        (
            f"one cell of {size(1_000_000, 200_000):,} characters",
            "cell.csv",
            lambda p: hostile.long_cell_csv(p, size(1_000_000, 200_000)),
        ),
        (
            f"one cell of {size(10_000_000, 9_000_000):,} characters",
            "huge_cell.csv",
            lambda p: hostile.long_cell_csv(p, size(10_000_000, 9_000_000)),
        ),
    ]


def run_files(folder: Path, small: bool, only: set[str], env: dict[str, str]) -> list[str]:
    lines = []
    for case, name, make in file_cases(small):
        if only and name not in only:
            continue
        case_dir = folder / name.replace(".", "_")
        case_dir.mkdir()
        path = case_dir / name
        made = time.perf_counter()
        make(path)
        made = time.perf_counter() - made
        size = "pipe" if stat.S_ISFIFO(path.stat().st_mode) else human(path.stat().st_size)
        outcome = run(["validate", "--timezone", "UTC", str(path)], env, timeout=300)
        lines.append(row(case, size, outcome, f"file made in {made:.0f} s"))
        shutil.rmtree(case_dir)  # the big ones are gigabytes on disk
    return lines


# ---- servers and the ledger -------------------------------------------------------------------


def upload_env(home: Path) -> dict[str, str]:
    return dict(
        os.environ,
        NORTHBEAM_DESKTOP_HOME=str(home),
        NORTHBEAM_API_KEY="None",
        NORTHBEAM_CLIENT_ID="test",
    )


def ledger_counts(home: Path) -> str:
    path = home / "data" / "upload-ledger.sqlite3"
    if not path.exists():
        return "no ledger"
    with sqlite3.connect(path) as conn:
        counts = dict(conn.execute("SELECT status, COUNT(*) FROM orders GROUP BY status"))
    return ", ".join(f"{n:,} {status}" for status, n in sorted(counts.items())) or "empty ledger"


def run_servers(folder: Path, only: set[str]) -> list[str]:
    from bench.generate import ensure_csv

    orders = ensure_csv(UPLOAD_ORDERS, HERE / "out")
    size = f"{UPLOAD_ORDERS:,} orders"
    upload = ["upload", str(orders), "--timezone", "UTC"]
    lines = []
    counter = iter(range(1000))

    def fresh_home() -> Path:
        home = folder / f"home{next(counter)}"
        home.mkdir(mode=0o755)
        return home

    # Baseline: the normal answer.
    odd_kinds = ["html", "invalid-json", "error-status"]
    for kind in [None, *odd_kinds]:
        name = kind or "normal"
        if only and name not in only:
            continue
        home = fresh_home()
        with StandinServer(budget_bytes=None) as server:
            server.odd_answer_always = kind
            outcome = run([*upload, "--base-url", server.base_url], upload_env(home))
            stored = len(server.stored_orders())
            posts = sum(1 for r in server.requests_log if r.method == "POST")
            again = ""
            if kind:
                server.odd_answer_always = None
                second = run([*upload, "--base-url", server.base_url], upload_env(home))
                again = (
                    f"; run again with a normal server: exit {second.code}, "
                    f"{len(server.stored_orders()):,} stored, ledger: {ledger_counts(home)}"
                )
            first_ledger = "" if kind else f"ledger: {ledger_counts(home)}"
        label = {
            None: "normal server (baseline)",
            "html": "200 `text/html` captive portal",
            "invalid-json": "200 with invalid JSON",
            "error-status": '200 `{"status":"error",…}`',
        }[kind]
        if kind:
            note = f"{posts} POSTs, {stored:,} stored{again}"
        else:
            note = f"{posts} POSTs, {stored:,} stored, {first_ledger}"
        lines.append(row(label, size, outcome, note))

    ledger_cases: list[tuple[str, str, bytes]] = [
        ("corrupted ledger (4 KiB of garbage)", "corrupted", os.urandom(4096)),
        ("0-byte ledger", "zero", b""),
    ]
    for label, name, content in ledger_cases:
        if only and name not in only:
            continue
        home = fresh_home()
        with StandinServer(budget_bytes=None) as server:
            first = run([*upload, "--base-url", server.base_url], upload_env(home))
            ledger = home / "data" / "upload-ledger.sqlite3"
            for extra in ledger.parent.glob("upload-ledger.sqlite3-*"):
                extra.unlink()
            ledger.write_bytes(content)
            posts_before = len(server.requests_log)
            outcome = run([*upload, "--base-url", server.base_url], upload_env(home))
            posts = len(server.requests_log) - posts_before
            moved = sorted(p.name for p in ledger.parent.glob("upload-ledger.damaged-*"))
            again = run([*upload, "--base-url", server.base_url], upload_env(home))
        note = (
            f"after a first upload (exit {first.code}); {posts} requests sent; moved aside: "
            f"{', '.join(moved) or 'nothing'}; run again: exit {again.code}, "
            f"ledger: {ledger_counts(home)}"
        )
        lines.append(row(label, size, outcome, note))

    if not only or "twice" in only:
        home = fresh_home()
        with StandinServer(budget_bytes=None, latency_seconds=0.5) as server:
            env = upload_env(home)
            args = [*upload, "--base-url", server.base_url, "--batch-size", "500"]
            a, b = finish_all([start(args, env), start(args, env)], timeout=600)
            sent = sum(r.order_count for r in server.requests_log if r.method == "POST")
        loser, winner = (a, b) if a.code != 0 else (b, a)
        note = (
            f"the other run: exit {winner.code} in {winner.seconds:.1f} s; orders POSTed by "
            f"both together: {sent:,}; ledger: {ledger_counts(home)}"
        )
        lines.append(
            row("two uploads of the same file at once (started together)", size, loser, note)
        )

    if not only or "modes" in only:
        home = fresh_home()
        old = os.umask(0o022)
        try:
            with StandinServer(budget_bytes=None) as server:
                outcome = run([*upload, "--base-url", server.base_url], upload_env(home))
            # The recovery journal is written by the app while a file is edited; made here
            # by the app's own code in a child with the same umask.
            journal = subprocess.run(
                [sys.executable, "-c", JOURNAL, str(orders)],
                env=upload_env(home),
                capture_output=True,
                text=True,
                check=True,
            )
        finally:
            os.umask(old)
        modes = [f"home {stat.S_IMODE(home.stat().st_mode):o} (made 755 by us)"]
        modes.append(journal.stdout.strip())
        for path in sorted(home.rglob("*")):
            modes.append(f"{path.relative_to(home)} {stat.S_IMODE(path.stat().st_mode):o}")
        lines.append(row("file modes after an upload (umask 022)", size, outcome, "; ".join(modes)))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="the test suite's small versions")
    parser.add_argument("--only", nargs="*", default=[], help="file names or server case names")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--no-files", action="store_true")
    parser.add_argument("--no-servers", action="store_true")
    args = parser.parse_args()
    compileall.compile_dir(str(ROOT / "northbeam_desktop"), quiet=1)
    folder = Path(tempfile.mkdtemp(prefix="nb-hostile-", dir=HERE / "out"))
    env = dict(os.environ, NORTHBEAM_DESKTOP_HOME=str(folder / "validate-home"))
    print(
        f"Machine: {platform.machine()}, CPython {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f} at the start.\n"
    )
    print(
        "| case | file | exit | what the user reads (last stderr line) | time | peak RSS | notes |"
    )
    print("|---|---|---|---|---|---|---|")
    try:
        if not args.no_files:
            run_files(folder, args.small, set(args.only), env)
        if not args.no_servers:
            run_servers(folder, set(args.only))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"\nLoad {os.getloadavg()[0]:.1f} at the end.")


if __name__ == "__main__":
    main()
