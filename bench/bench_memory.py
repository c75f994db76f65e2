"""Memory benchmark: a shop's multi-year backfill (800,000 orders, ~2,000,000 rows, ~400 MB CSV).

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/bench_memory.py [--orders 800000] [--compare /path/to/other/checkout]

Measures, each step in a fresh subprocess so its peak RSS (ru_maxrss) is its own:

* anchor: a bare `csv.reader` load of the same file into a list (what any Python program holding
  the rows pays);
* cli: `northbeam-desktop validate` on the file (through the command's own entry point,
  output to /dev/null);
* app: the real main window, offscreen, opening the file (File → Open to the first paint of the
  table, then two seconds to settle: the problems panel and the rest).

With --compare, the cli and app steps also run against another checkout of the project (e.g. a
worktree of an older commit: `git worktree add /tmp/before <commit>`), in the same run, so
"before" and "after" meet the same machine load. The file is made by `bench/generate.py` (the
Northbeam template layout) and reused from bench/out/.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def step(name: str, csv_path: str) -> dict[str, float]:
    """Runs inside the child process (with the checkout under test first on sys.path)."""
    import csv
    import resource

    result: dict[str, float] = {}
    if name == "anchor":
        started = time.perf_counter()
        with open(csv_path, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        result["rows"] = len(rows)
        result["seconds"] = time.perf_counter() - started
    elif name == "cli":
        import importlib

        from northbeam_desktop.__main__ import main as entry

        # Imported before the clock starts (the process time below includes them); a checkout
        # compared against may not have every module.
        for module in ("document", "readers", "validate", "rules"):
            with contextlib.suppress(ImportError):
                importlib.import_module(f"northbeam_desktop.core.orders.{module}")

        started = time.perf_counter()
        with open(os.devnull, "w", encoding="utf-8") as sink:
            stdout, sys.stdout = sys.stdout, sink
            try:
                # Through the command's own entry point, as `northbeam-desktop validate` runs.
                sys.argv = ["northbeam-desktop", "validate", "--timezone", "UTC", csv_path]
                result["exit_code"] = entry()
            finally:
                sys.stdout = stdout
        result["seconds"] = time.perf_counter() - started
    elif name == "app":
        result.update(_app(csv_path))
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _app(csv_path: str) -> dict[str, float]:
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["NORTHBEAM_DESKTOP_HOME"] = tempfile.mkdtemp(prefix="nb-bench-memory-")
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

    from northbeam_desktop.core.local.settings import Preferences
    from northbeam_desktop.ui.app import create_application
    from northbeam_desktop.ui.main_window import MainWindow

    app, _args = create_application([])

    def wait_until(condition, timeout: float) -> None:  # type: ignore[no-untyped-def]
        deadline = time.perf_counter() + timeout
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(5)
        poll.timeout.connect(
            lambda: (condition() or time.perf_counter() > deadline) and loop.quit()
        )
        poll.start()
        if not condition():
            loop.exec()
        poll.stop()
        if not condition():
            raise TimeoutError("the window did not get there in time")

    class FirstPaint(QObject):
        at: float | None = None

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
            if event.type() == QEvent.Type.Paint and self.at is None:
                self.at = time.perf_counter()
            return False

    window = MainWindow(preferences=Preferences(timezone="UTC"))
    session = window.session
    assert session is not None
    window.resize(1400, 850)
    window.show()
    painted = FirstPaint()
    failed: list[str] = []
    session.document_opened.connect(lambda view: view.table.viewport().installEventFilter(painted))
    session.load_failed.connect(failed.append)
    started = time.perf_counter()
    window.open_file(csv_path)
    wait_until(lambda: painted.at is not None or bool(failed), 1800)
    if failed:
        raise RuntimeError(failed[0])
    first_paint = (painted.at or 0) - started
    settle = time.perf_counter() + 2.0
    wait_until(lambda: time.perf_counter() >= settle, 10)
    view = session.view
    assert view is not None
    rows = len(view.document.sheet.rows)
    view.undo_stack.setClean()
    window.close()
    app.processEvents()
    return {"seconds": first_paint, "rows": rows}


def run_child(name: str, csv_path: Path, checkout: Path) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", name, str(csv_path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=checkout,
        env=env,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    # The whole process the user waits for: interpreter start, imports, the step, exit.
    result["process_seconds"] = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=800_000)
    parser.add_argument("--compare", type=Path, help="another checkout to measure alongside")
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(step(*args.child)))
        return
    sys.path.insert(0, str(ROOT))
    from bench.generate import ensure_csv

    csv_path = ensure_csv(args.orders, HERE / "out")
    checkouts = [("this checkout", ROOT)]
    if args.compare:
        checkouts.insert(0, (f"compared ({args.compare})", args.compare.resolve()))
    size_mb = csv_path.stat().st_size / 1e6
    anchor = run_child("anchor", csv_path, ROOT)
    lines = [
        f"Machine: {platform.machine()}, CPython {platform.python_version()}, "
        f"{os.cpu_count()} CPUs; {csv_path.name}: {size_mb:,.0f} MB, "
        f"{int(anchor['rows']) - 1:,} rows, {args.orders:,} orders.",
        "",
        f"Load average {os.getloadavg()[0]:.1f} when the run started.",
        "",
        "| step | checkout | time (step) | whole process | peak RSS | vs anchor (process / RSS) |",
        "|---|---|---|---|---|---|",
        f"| anchor: `list(csv.reader(file))` | — | {anchor['seconds']:.1f} s "
        f"| {anchor['process_seconds']:.1f} s | {anchor['peak_rss_mb']:,.0f} MB | 1× / 1× |",
    ]
    for label, checkout in checkouts:
        for name, what in (("cli", "`validate` (CLI)"), ("app", "app: open → first paint")):
            result = run_child(name, csv_path, checkout)
            lines.append(
                f"| {what} | {label} | {result['seconds']:.1f} s "
                f"| {result['process_seconds']:.1f} s | {result['peak_rss_mb']:,.0f} MB "
                f"| {result['process_seconds'] / anchor['process_seconds']:.2f}× / "
                f"{result['peak_rss_mb'] / anchor['peak_rss_mb']:.2f}× |"
            )
            print(lines[-1], file=sys.stderr, flush=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
