"""GUI benchmark at 100,000 rows: the real main window, offscreen, driven like a user.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_gui.py [--orders 50000] [--append]

Measures in one run, on a file from `tests/ui/fixtures_document.big_orders_csv` (about two line
rows per order, defects planted in ~6% of the orders so the Errors filter and the problems panel
have real work):

* open → first paint of the table (File → Open to the first paint event of the table's
  viewport; reading and checking run on the pool),
* revalidate + repaint after one edit (typing a value into a cell through the model, then a
  synchronous repaint of the visible rows),
* filter toggle All → Errors → All (each click plus its repaint),
* the longest GUI-thread stall during the load and during an upload of every valid order to the
  stand-in running in a SEPARATE process (`python -m devtools.standin --budget-mb 0
  --latency-ms 20`): a QTimer ticks every 10 ms on the GUI thread and the longest gap between
  two ticks is recorded (so 10 ms means "never blocked").

`--diagnose` also lists the slowest Qt events delivered on the GUI thread in each phase (the
receiver and event type), which is how stalls are tracked down. `--append` adds the results to
bench/RESULTS.md under "## GUI".
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HOME = tempfile.mkdtemp(prefix="nb-bench-gui-")
os.environ["NORTHBEAM_DESKTOP_HOME"] = HOME
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

API_KEY = "nbk_bench_7f3e9a1c5b2d4e6f8a0b1c2d3e4f5a6b"
CLIENT_ID = "bench-client"
TICK_MS = 10
STALL_TARGET_MS = 100


class DiagnosingApplication(QApplication):
    """A QApplication that times every event it delivers (only with --diagnose)."""

    def __init__(self, argv: list[str]) -> None:
        super().__init__(argv)
        self.slow: list[tuple[float, str]] = []
        self.timeline: list[tuple[float, float, str]] = []  # (start, seconds, what), > 2 ms
        self._depth = 0

    def notify(self, receiver: QObject, event: QEvent) -> bool:  # Qt override
        self._depth += 1
        start = time.perf_counter()
        try:
            return super().notify(receiver, event)
        finally:
            self._depth -= 1
            elapsed = time.perf_counter() - start
            if self._depth == 0 and elapsed > 0.002:
                try:
                    what = f"{type(receiver).__name__} {event.type().name}"
                except RuntimeError:  # the event deleted its receiver
                    what = "(deleted object)"
                self.timeline.append((start, elapsed, what))
                if elapsed > 0.03:
                    self.slow.append((elapsed, what))


class StallMeter(QObject):
    """Ticks every 10 ms on the GUI thread; the longest gap between ticks is the longest stall."""

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.last = time.perf_counter()
        self.max_gap = 0.0
        self.worst: tuple[float, float] = (0.0, 0.0)  # (start, end) of the longest gap
        self.gaps_over_target = 0
        self.timer.start()

    def reset(self) -> None:
        self.last = time.perf_counter()
        self.max_gap = 0.0
        self.worst = (0.0, 0.0)
        self.gaps_over_target = 0

    def _on_timer_timeout(self) -> None:
        now = time.perf_counter()
        gap = now - self.last
        self.last = now
        if gap > self.max_gap:
            self.max_gap = gap
            self.worst = (now - gap, now)
        if gap * 1000 > STALL_TARGET_MS:
            self.gaps_over_target += 1

    def result_ms(self) -> float:
        # A gap that is still open counts too (the GUI thread may be blocked right now).
        return max(self.max_gap, time.perf_counter() - self.last) * 1000


def wait_until(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    """Run the event loop until `condition()` holds (checked every few ms)."""
    deadline = time.perf_counter() + timeout
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(2)

    def check() -> None:
        if condition() or time.perf_counter() > deadline:
            loop.quit()

    poll.timeout.connect(check)
    poll.start()
    if not condition():
        loop.exec()
    poll.stop()
    if not condition():
        raise TimeoutError("the GUI did not get there in time")


def run_for(seconds: float) -> None:
    end = time.perf_counter() + seconds
    wait_until(lambda: time.perf_counter() >= end, seconds + 5)


class FirstPaint(QObject):
    """Notes the time of the first paint event of a widget."""

    def __init__(self) -> None:
        super().__init__()
        self.at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at = time.perf_counter()
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_standin(port: int) -> subprocess.Popen[str]:
    args = [
        sys.executable,
        "-m",
        "devtools.standin",
        "--port",
        str(port),
        "--quiet",
        "--budget-mb",
        "0",
        "--latency-ms",
        "20",
        "--api-key",
        API_KEY,
        "--client-id",
        CLIENT_ID,
    ]
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=HERE.parent
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the stand-in did not start")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=50_000, help="orders (≈2 rows each)")
    parser.add_argument("--append", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument("--diagnose", action="store_true", help="list the slowest Qt events")
    args = parser.parse_args()

    from northbeam_desktop.ui.app import create_application, tune_interpreter

    if args.diagnose:
        tune_interpreter()
        app: Any = DiagnosingApplication([])
    else:
        app, _args = create_application([])

    from northbeam_desktop.core.local.secrets import Credentials
    from northbeam_desktop.core.local.settings import Preferences, SessionCredentials
    from northbeam_desktop.core.northbeam.environments import Environment
    from northbeam_desktop.ui.document.proxy import FilterMode
    from northbeam_desktop.ui.main_window import MainWindow
    from tests.ui.fixtures_document import big_orders_csv

    folder = Path(tempfile.mkdtemp(prefix="nb-bench-file-"))
    path = big_orders_csv(folder, args.orders)
    port = free_port()
    standin = start_standin(port)
    results: list[tuple[str, str, str]] = []
    slow_events: dict[str, list[tuple[float, str]]] = {}

    def phase_events(name: str) -> None:
        if args.diagnose:
            slow_events[name] = sorted(app.slow, reverse=True)[:8]
            begin, end = meter.worst
            inside = [(s, e, w) for s, e, w in app.timeline if s + e > begin and s < end]
            slow_events[name] += [
                (e, f"(in the longest gap, +{(s - begin) * 1000:.0f} ms) {w}") for s, e, w in inside
            ]
            app.slow.clear()
            app.timeline.clear()

    try:
        prefs = Preferences(
            environment=Environment.CUSTOM, custom_url=f"http://127.0.0.1:{port}/v2", timezone="UTC"
        )
        credentials = SessionCredentials()
        credentials.set(Environment.CUSTOM, Credentials(API_KEY, CLIENT_ID))
        window = MainWindow(preferences=prefs, session_credentials=credentials)
        session = window.session
        assert session is not None
        window.resize(1400, 850)
        window.show()
        meter = StallMeter()
        run_for(0.5)

        # -- open → first paint --------------------------------------------------------------
        painted = FirstPaint()
        opened: list[float] = []

        def on_opened(view: Any) -> None:
            opened.append(time.perf_counter())
            view.table.viewport().installEventFilter(painted)

        session.document_opened.connect(on_opened)
        if args.diagnose:
            app.slow.clear()
        meter.reset()
        start = time.perf_counter()
        window.open_file(path)
        wait_until(lambda: painted.at is not None, 300)
        first_paint = (painted.at or 0) - start
        run_for(1.5)  # the problems panel and everything else settle
        load_stall = meter.result_ms()
        view = session.view
        assert view is not None
        doc = view.document
        rows, orders = len(doc.sheet.rows), len(doc.orders)
        errors = sum(1 for r in doc.orders if r.has_errors)
        results.append(
            (
                "open → first paint of the table",
                ms(first_paint),
                f"{rows:,} rows, {orders:,} orders ({errors:,} with errors); "
                f"view shown after {ms(opened[0] - start)}",
            )
        )
        phase_events("load")

        # -- one edit: revalidate + repaint --------------------------------------------------
        tax = doc.sheet.column_index("tax") + 1
        index = view.proxy.index(3, tax)
        meter.reset()
        start = time.perf_counter()
        view.proxy.setData(index, "1.23")
        view.table.viewport().repaint()
        edit_time = time.perf_counter() - start
        run_for(1.0)  # the problems panel regroups a moment later
        results.append(
            (
                "revalidate + repaint after one edit",
                ms(edit_time),
                f"longest stall in the second after it: {meter.result_ms():,.0f} ms "
                "(problems panel regrouping)",
            )
        )
        phase_events("edit")

        # -- filter toggle ---------------------------------------------------------------------
        timings = []
        for mode in (FilterMode.ERRORS, FilterMode.ALL):
            start = time.perf_counter()
            view.filter_bar.buttons[mode].click()
            view.table.viewport().repaint()
            timings.append(time.perf_counter() - start)
            shown = view.proxy.rowCount()
            timings_note = f"{shown:,} rows shown"
            if mode is FilterMode.ERRORS:
                errors_shown = timings_note
        results.append(
            (
                "filter All → Errors → All",
                f"{ms(timings[0])} / {ms(timings[1])}",
                f"Errors: {errors_shown}",
            )
        )
        phase_events("filter")
        results.append(("longest GUI stall while loading", f"{load_stall:,.0f} ms", ""))

        # -- upload to the stand-in in another process ---------------------------------------
        dialogs: list[Any] = []
        session.upload_started.connect(dialogs.append)
        run_for(0.5)
        meter.reset()
        start = time.perf_counter()
        window.upload_action.trigger()
        wait_until(lambda: bool(dialogs) and dialogs[0].stage in ("confirm", "problem"), 300)
        dialog = dialogs[0]
        if dialog.stage != "confirm":
            raise RuntimeError(dialog.problem_label.text())
        prepared = time.perf_counter() - start
        run_for(0.5)
        prepare_stall = meter.result_ms()
        phase_events("prepare")
        finished: list[Any] = []
        dialog.upload_finished.connect(finished.append)
        meter.reset()
        sent_at = time.perf_counter()
        dialog.upload_button.click()
        wait_until(lambda: bool(finished), 900)
        upload_time = time.perf_counter() - sent_at
        run_for(1.0)
        upload_stall = meter.result_ms()
        report = finished[0]
        uploaded = sum(1 for r in doc.orders if r.upload_status == "accepted")
        results.append(
            (
                "longest GUI stall while the upload is prepared",
                f"{prepare_stall:,.0f} ms",
                f"payloads of {len(dialog.records):,} orders built and checked against the "
                f"ledger in {prepared:.1f} s (pool thread)",
            )
        )
        results.append(
            (
                "longest GUI stall during the upload",
                f"{upload_stall:,.0f} ms",
                f"{report.accepted:,} orders accepted in {upload_time:.1f} s "
                f"({report.accepted / upload_time:,.0f} orders/s), stand-in in its own "
                f"process, 20 ms latency; {uploaded:,} orders shown Uploaded",
            )
        )
        phase_events("upload")
        dialog.reject()
        run_for(0.3)
        view.undo_stack.setClean()
        window.close()
    finally:
        standin.terminate()
        standin.wait()

    header = (
        f"{dt.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"CPython {platform.python_version()}, Qt offscreen; stall = longest gap between "
        f"{TICK_MS} ms GUI-thread ticks (target ≤ {STALL_TARGET_MS} ms)."
    )
    table = ["| measurement | result | notes |", "|---|---|---|"]
    table += [f"| {name} | {value} | {note} |" for name, value, note in results]
    print(header)
    print()
    print("\n".join(table))
    if args.diagnose:
        for name, events in slow_events.items():
            print(f"\nslowest events while {name}:")
            for elapsed, what in events:
                print(f"  {elapsed * 1000:7.1f} ms  {what}")
    if args.append:
        append_results(header, table)
    return 0


def append_results(header: str, table: list[str]) -> None:
    results = HERE / "RESULTS.md"
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    section = (
        "\n## GUI — `bench/bench_gui.py`\n\n"
        if "## GUI" not in text
        else "\n### Run of " + dt.date.today().isoformat() + "\n\n"
    )
    with results.open("a", encoding="utf-8") as handle:
        if not text.endswith("\n"):
            handle.write("\n")
        handle.write(section + header + "\n\n" + "\n".join(table) + "\n")


if __name__ == "__main__":
    sys.exit(main())
